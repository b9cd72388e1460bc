"""Legacy files as councils really keep them, on real files: encodings, title rows, hidden and
formula-only cells, space-only rows, YAML that reads Yes as a boolean, and rows whose facts
cannot all be true. A refused file writes nothing, counted over every table."""

import csv
from datetime import date

import pytest
from django.apps import apps

from alongside.dataset.importer import import_file
from alongside.journeys.models import Engagement
from alongside.people.models import Person
from alongside.synthetic.management.commands.legacy_demo import ensure_sites

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 1)
HEADER = ["ref", "first_name", "last_name", "date_of_birth", "ward", "date_in", "how_referred",
          "main_reason", "support", "status", "date_closed", "why_closed", "ltc"]
MAPPING = """\
council: Calder Vale Council
system: calder-test
key: ref
date_format: '%Y-%m-%d'
columns:
  given_name: first_name
  family_name: last_name
  birth_date: date_of_birth
  ward: ward
  introduced_on: date_in
  route: how_referred
  reasons: main_reason
  level: support
  status: status
  ended_on: date_closed
  exit_outcome: why_closed
  long_term_condition: ltc
values:
  ward:
    calder north: E05800301
  route:
    gp surgery: gp
  reasons:
    social isolation: PA1.loneliness
  level:
    long term: L2
  status:
    OPEN: active
    CLOSED: closed
  exit_outcome:
    moved away: moved_away
  long_term_condition:
    Yes: yes
    No: no
defaults:
  exit_point: planned_ending
  consent: not_asked
  lawful_basis: 6.1.e
"""


def person(ref="cv1", given="Siân", family="Jones", born="1950-04-02", status="OPEN", closed="",
           why="", ltc="Yes", introduced="2025-03-01"):
    return [ref, given, family, born, "calder north", introduced, "gp surgery", "social isolation",
            "long term", status, closed, why, ltc]


@pytest.fixture
def mapping(tmp_path):
    ensure_sites()
    p = tmp_path / "calder.mapping.yaml"
    p.write_text(MAPPING, encoding="utf-8")
    return p


def counts() -> dict[str, int]:
    """Rows in every table of Alongside's own apps."""
    return {m._meta.label: m.objects.count() for m in apps.get_models()
            if m.__module__.startswith("alongside.") and not m._meta.proxy}


def write_csv(path, rows, encoding="utf-8", above=()):
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        for line in above:
            w.writerow(line)
        w.writerow(HEADER)
        w.writerows(rows)
    return path


def refused(sheet, mapping) -> list[str]:
    before = counts()
    report = import_file(sheet, mapping, dry_run=False, today=TODAY)
    assert not report.written and counts() == before  # nothing at all was written
    return [str(p) for p in report.problems]


def test_a_csv_saved_by_uk_excel_in_windows_1252_is_read_as_such(tmp_path, mapping):
    sheet = write_csv(tmp_path / "calder.csv", [person(), person("cv2", "Zoë", "Ó Ceallaigh")],
                      encoding="cp1252")
    assert "â".encode("cp1252") == b"\xe2"  # one byte, not UTF-8's two
    report = import_file(sheet, mapping, dry_run=False, today=TODAY)
    assert report.problems == [] and report.people == 2
    assert set(Person.objects.values_list("given_name", "family_name")) == {
        ("Siân", "Jones"), ("Zoë", "Ó Ceallaigh")}
    assert report.encoding == "Windows-1252"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_utf_8_with_or_without_its_mark_and_utf_16_are_read(tmp_path, mapping, encoding):
    sheet = write_csv(tmp_path / "calder.csv", [person(given="Gwenllïan")], encoding=encoding)
    report = import_file(sheet, mapping, dry_run=False, today=TODAY)
    assert report.problems == [] and Person.objects.get().given_name == "Gwenllïan"


def test_a_character_that_cannot_be_read_is_named_by_row_and_column(tmp_path, mapping):
    sheet = write_csv(tmp_path / "calder.csv", [person(given="Siân"), person("cv2", family="Jones")])
    # One Windows-1252 byte (é as 0xE9) in a file that is otherwise UTF-8, on the third row.
    sheet.write_bytes(sheet.read_bytes().replace(b"cv2,Si\xc3\xa2n,Jones", b"cv2,Si\xc3\xa2n,Jon\xe9s"))
    assert refused(sheet, mapping) == [
        "calder.csv, row 3, column 'last_name', value 'Jon?s': a character here cannot be read: the "
        "file is not one text encoding throughout (UTF-8 or Windows-1252); retype it, or save the file "
        "as CSV UTF-8"]


def test_the_header_is_found_below_title_rows_and_rows_keep_their_spreadsheet_numbers(tmp_path, mapping):
    title = [["Calder Vale LAC: referrals 2025"], ["Exported 3 March 2026"]]
    sheet = write_csv(tmp_path / "calder.csv", [person(), person("cv2", born="1950-13-40")], above=title)
    # Header on row 3: the second person is on row 5.
    assert refused(sheet, mapping) == [
        "calder.csv, row 5, column 'date_of_birth', value '1950-13-40': not a date written as yyyy-mm-dd"]
    sheet = write_csv(tmp_path / "calder.csv", [person(), person("cv2")], above=title)
    assert import_file(sheet, mapping, dry_run=False, today=TODAY).people == 2


def test_a_header_that_is_not_there_says_which_row_was_read(tmp_path, mapping):
    sheet = tmp_path / "calder.csv"
    sheet.write_text("id;name\n1;Siân\n", encoding="utf-8")
    found = refused(sheet, mapping)
    assert found[0] == (
        "calder.csv, row 1, column 'ref': the mapping names this column but the file has no such "
        "column; the header was read from row 1: id, name (no row among the first 20 holds 'ref': "
        "give header_row in the mapping)")


def test_yes_and_no_in_a_mapping_are_text_not_booleans(tmp_path, mapping):
    sheet = write_csv(tmp_path / "calder.csv", [person(ltc="Yes"), person("cv2", ltc="No")])
    report = import_file(sheet, mapping, dry_run=False, today=TODAY)
    assert report.problems == []
    assert sorted(Person.objects.values_list("long_term_condition__code", flat=True)) == ["no", "yes"]


def test_facts_that_cannot_all_be_true_are_refused_by_row_and_column(tmp_path, mapping):
    rows = [
        person("cv1", status="OPEN", closed="2025-06-01", why="moved away"),  # open, yet closed
        person("cv2", born="2025-05-01"),  # born after the introduction on 2025-03-01
        person("cv3", born="1890-01-01"),  # before 1900
        person("cv4", born="1900-02-01", introduced="2026-01-05"),  # 115 at introduction
        person("cv5", family="A" * 81),  # longer than the 80 characters a name may have
        person("cv6", introduced="2027-01-01"),  # in the future
    ]
    sheet = write_csv(tmp_path / "calder.csv", rows)
    assert refused(sheet, mapping) == [
        "calder.csv, row 2, column 'date_closed', value '2025-06-01': the status says the engagement is "
        "still open (active) but the row has a closed date: correct one or the other",
        "calder.csv, row 2, column 'why_closed', value 'moved away': the status says the engagement is "
        "still open (active) but the row has an exit outcome: correct one or the other",
        "calder.csv, row 3, column 'date_of_birth', value '2025-05-01': born after the introduction "
        "(2025-03-01): check both dates",
        "calder.csv, row 4, column 'date_of_birth', value '1890-01-01': a birth date before 1900: check "
        "the year",
        "calder.csv, row 5, column 'date_of_birth', value '1900-02-01': over 110 years old on the day of "
        "the introduction: check the year",
        f"calder.csv, row 6, column 'last_name', value '{'A' * 81}': 81 characters, longer than the 80 "
        "Alongside keeps for family name",
        "calder.csv, row 7, column 'date_in', value '2027-01-01': a date in the future",
    ]


def test_a_leading_tab_is_kept_so_text_never_becomes_a_formula(tmp_path, mapping):
    sheet = write_csv(tmp_path / "calder.csv", [person(family="\t=1+1"), person("cv2", family="  Rees  ")])
    assert import_file(sheet, mapping, dry_run=False, today=TODAY).problems == []
    assert sorted(Person.objects.values_list("family_name", flat=True)) == ["\t=1+1", "Rees"]


def _workbook(path, rows, hidden_first=False, blank_below=0, formula_cell=None):
    from openpyxl import Workbook

    wb = Workbook()
    if hidden_first:
        lookup = wb.active
        lookup.title = "Lookups"
        lookup.append(["code", "meaning"])
        lookup.append(["gp surgery", "GP"])
        lookup.sheet_state = "hidden"
        ws = wb.create_sheet("Referrals")
    else:
        ws = wb.active
        ws.title = "Referrals"
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    for _ in range(blank_below):
        ws.append(["  ", None, " ", "", None, None, None, None, None, None, None, None, "   "])
    if formula_cell:
        ws[formula_cell] = "=DATE(1950,4,2)"  # openpyxl saves no value for it, as an uncalculated file
    wb.save(path)
    return path


def test_a_workbook_whose_first_sheet_is_a_hidden_lookup_reads_the_first_visible_sheet(tmp_path, mapping):
    sheet = _workbook(tmp_path / "calder.xlsx", [person(), person("cv2")], hidden_first=True,
                      blank_below=5)
    report = import_file(sheet, mapping, dry_run=False, today=TODAY)
    assert report.problems == [] and report.people == 2  # the space-only rows were left out
    assert report.sheet == "Referrals"
    assert Engagement.objects.count() == 2


def test_a_formula_with_no_saved_value_is_refused_by_its_cell(tmp_path, mapping):
    sheet = _workbook(tmp_path / "calder.xlsx", [person(), person("cv2", born=None)], formula_cell="D3")
    assert refused(sheet, mapping) == [
        "calder.xlsx, row 3, column 'date_of_birth', value '=DATE(1950,4,2)': a formula with no saved "
        "value (the workbook was never calculated): open it in Excel and save it, or paste the values"]


def test_possible_duplicates_are_listed_for_review_and_nothing_is_merged(tmp_path, mapping):
    # Already in Alongside: Amelia Ali, born April 1950, in Calder North.
    from alongside.places.models import Ward

    Person.objects.create(reference="P-AMELIA1", ward=Ward.objects.get(ons_code="E05800301"),
                          given_name="Amelia", family_name="Ali", birth_month=date(1950, 4, 1))
    rows = [person("cv1", "Dewi", "Rees", born="1948-02-03"),
            person("cv2", "dewi", "REES", born="1948-02-03"),  # the same name and birth date, row 3
            person("cv3", "Amy", "Aly", born="1950-04-20"),  # a close spelling of Amelia Ali
            person("cv4", "Gareth", "Morgan", born="1950-04-20")]  # someone else
    sheet = write_csv(tmp_path / "calder.csv", rows)
    dry = import_file(sheet, mapping, dry_run=True, today=TODAY)
    assert dry.problems == [] and dry.people == 4
    assert dry.possible_duplicates == [
        "rows 2 and 3 (cv2): the same name and date of birth under two IDs",
        "row 4 (cv3) may be P-AMELIA1, already in Alongside: a close spelling of the name, born the "
        "same month"]
    report = import_file(sheet, mapping, dry_run=False, today=TODAY)
    assert report.written and Person.objects.count() == 5  # listed, never merged or left out


def test_headers_and_values_that_differ_only_in_case_or_spacing_are_matched(tmp_path, mapping):
    sheet = tmp_path / "calder.csv"
    header = ["REF", " First_Name ", "last_name", "Date_Of_Birth", "ward", "date_in", "how_referred",
              "main_reason", "support", "status", "date_closed", "why_closed", "ltc"]
    row = ["cv1", "Siân", "Jones", "1950-04-02 00:00", "Calder  North", "2025-03-01 00:00:00",
           "GP Surgery", "Social Isolation", "LONG TERM", "open", "", "", "yes"]
    with sheet.open("w", encoding="utf-8", newline="") as f:
        f.write("sep=,\n")  # Excel's delimiter hint on the first line
        csv.writer(f).writerows([header, row])
    report = import_file(sheet, mapping, dry_run=False, today=TODAY)
    assert report.problems == [] and report.header_row == 2
    p = Person.objects.get()
    assert (p.given_name, p.birth_month, p.ward.ons_code, p.long_term_condition.code) == (
        "Siân", date(1950, 4, 1), "E05800301", "yes")


def test_two_columns_with_the_name_the_mapping_uses_are_refused(tmp_path, mapping):
    sheet = tmp_path / "calder.csv"
    with sheet.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([[*HEADER, "Ward"], [*person(), "calder north"]])
    assert refused(sheet, mapping) == [
        "calder.csv: two columns are called 'ward' (columns E and N): rename one of them"]
