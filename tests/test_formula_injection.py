"""No export opens as a formula (CSV injection): a text cell starting with =, +, -, @, a tab or
a carriage return is written to CSV with a ' before it, as OWASP recommends, from SQLite and
from PostgreSQL's COPY alike; numbers stay numbers; XLSX cells are text, never formulas."""

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from alongside.audit.log import record
from alongside.codes.lookup import code
from alongside.codes.models import Code
from alongside.community.models import CommunityAsset
from alongside.dataset import export as exporting
from alongside.dataset.export import TABLES, export
from alongside.evidence import cells
from alongside.evidence.cells import TRIGGERS, neutralise, neutralised, xlsx_row
from alongside.evidence.economics.ccf import BalanceSheet, Consequence, CostLine
from alongside.journeys.models import Activity, Exit, Insulator, Outcome
from alongside.places.models import ProgrammeCost, Ward

from .conftest import make_user

pytestmark = pytest.mark.django_db
KEY = b"k" * 32
HYPERLINK = '=HYPERLINK("http://x","y")'
NASTY = [HYPERLINK, "+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1", "=cmd|' /C calc'!A0"]


def test_a_text_cell_gets_a_quote_and_nothing_else_changes():
    for text in NASTY:
        assert neutralise(text) == "'" + text
    for text in ("", "P-AAAAAAA", "a=b", " =1", "'=1", "2025-05-14", "<5", "–", "12%"):
        assert neutralise(text) == text
    for value in (-5, -2.5, Decimal("-5.00"), 0, None, True, date(2025, 1, 1)):
        assert neutralise(value) is value
    assert neutralised(["-5", -5, "x"]) == ["'-5", -5, "x"]
    assert TRIGGERS == ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def nasty(world):
    """Every free-text column of the export, and more, holding something a spreadsheet runs."""
    a, b = world.person_a, world.person_b
    a.given_name, a.family_name = HYPERLINK, "-2+3"
    a.save()
    world.coordinator_b.username = "-2+3"
    world.coordinator_b.save()
    intro = a.introductions.get()
    intro.introducing_organisation = HYPERLINK
    intro.save()
    for day, note in enumerate(["+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1"], start=1):
        Activity.objects.create(person=a, coordinator=world.coordinator_a, activity=code("activity", "A1"),
                                level=code("activity_level", "individual"), done_on=date(2025, 4, day),
                                minutes=30, note=note)
    Outcome.objects.create(person=a, observed_on=date(2025, 5, 14), outcome=code("outcome", "STO3"),
                           evidence="=cmd|' /C calc'!A0")
    Insulator.objects.create(person=b, observed_on=date(2025, 5, 14), insulator=code("insulator", "networks"),
                             evidence="@SUM(A1)")
    Exit.objects.create(engagement=b.engagements.get(), person=b, exited_on=date(2025, 6, 30),
                        point=code("exit_point", "planned_ending"),
                        outcome=code("exit_outcome", "planned_close"), note="\t=1+1")
    g = world.group_a
    g.name, g.offers, g.needs = HYPERLINK, "+1", "\r=1"
    g.save()
    CommunityAsset.objects.create(ward=world.ward_a, kind=code("asset_kind", "individual_skill"),
                                  name="-2+3", offers="@SUM(A1)", where="\t=1+1", contact="+1",
                                  noted_on=date(2025, 5, 1), offered_by=a)
    return world


def _csv_cells(folder: Path) -> dict[str, list[list[str]]]:
    return {f.stem: list(csv.reader(f.open(encoding="utf-8", newline=""))) for f in folder.glob("*.csv")}


def _no_formula(rows, where=""):
    for row in rows:
        for cell in row:
            assert not cell.startswith(TRIGGERS), (where, cell)


def test_the_councils_csv_quotes_every_formula_on_either_database(nasty, tmp_path):
    """On PostgreSQL COPY writes the file, elsewhere Python: the same text, neutralised."""
    wards = Ward.objects.filter(council=nasty.north)
    export(wards, tmp_path, "csv")
    tables = _csv_cells(tmp_path)
    for name, rows in tables.items():
        _no_formula(rows, name)
    column = {name: {h: [r[i] for r in rows[1:]] for i, h in enumerate(rows[0])}
              for name, rows in tables.items()}
    assert set(column["activity"]["note"]) >= {"'" + t for t in ("+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1")}
    assert column["activity"]["minutes"][-5:] == ["30"] * 5  # a number column is left alone
    assert "'" + HYPERLINK in column["introduction"]["introducing_organisation"]
    assert column["outcome"]["evidence"] == ["'=cmd|' /C calc'!A0"]
    assert column["insulator"]["evidence"] == ["'@SUM(A1)"]
    assert column["exit"]["note"] == ["'\t=1+1"]
    assert "'-2+3" in column["person"]["coordinator"]
    assert ("'" + HYPERLINK, "'+1", "'\r=1") in zip(*(column["community_group"][c]
                                                      for c in ("name", "offers", "needs")), strict=True)
    assert list(zip(*(column["community_asset"][c] for c in ("name", "offers", "where", "contact")),
                    strict=True)) == [("'-2+3", "'@SUM(A1)", "'\t=1+1", "'+1")]
    assert "Aled" not in repr(tables) and HYPERLINK.strip("=") not in column["person"]["person"]
    # A carriage return is quoted (Python's csv module leaves it bare with "\n" line endings,
    # and a spreadsheet would start a new row there), so the cell stays whole.
    assert b'30,"\'\r=1"\n' in (tmp_path / "activity.csv").read_bytes()
    # Byte for byte the neutralised rows as Python writes them, from either database.
    for name in TABLES:
        header, _, table = exporting.rows(name, wards, None)
        buf = io.StringIO()
        writer = cells.writer(buf, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(table)
        assert (tmp_path / f"{name}.csv").read_bytes().decode() == buf.getvalue(), name


@pytest.mark.parametrize("key", [None, KEY], ids=["council", "research"])
def test_the_xlsx_export_has_no_formula_and_keeps_the_text(nasty, tmp_path, key):
    from openpyxl import load_workbook

    export(Ward.objects.filter(council=nasty.north), tmp_path, "xlsx", key)
    book = load_workbook(tmp_path / "minimum-dataset.xlsx")
    texts = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                texts.add(cell.value)
    if key is None:
        # As recorded, with no quote: an XLSX cell is text by its type. (XML reads a bare
        # carriage return as a line feed, as it did before.)
        assert {t.replace("\r", "\n") for t in NASTY} <= texts
        assert not any(isinstance(t, str) and t.startswith("'") for t in texts)
        assert 30 in texts  # minutes stay a number
    else:
        assert not texts & set(NASTY)  # the research export leaves free text out


def test_the_research_csv_has_no_formula(nasty, tmp_path):
    export(Ward.objects.filter(council=nasty.north), tmp_path, "csv", KEY)
    for name, rows in _csv_cells(tmp_path).items():
        _no_formula(rows, name)


def test_parquet_keeps_the_text_as_data(nasty, tmp_path):
    import pyarrow.parquet as pq

    export(Ward.objects.filter(council=nasty.north), tmp_path, "parquet")
    notes = pq.read_table(tmp_path / "activity.parquet").column("note").to_pylist()
    assert {"+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1"} <= set(notes)


def test_xlsx_row_makes_text_cells_strings():
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("t")
    row = xlsx_row(sheet, [HYPERLINK, "#N/A", "plain", -5, None])
    assert [getattr(c, "data_type", None) for c in row[:2]] == ["s", "s"]
    assert row[2:] == ["plain", -5, None]


@pytest.fixture
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_sites_compared_csv_quotes_names_and_labels(nasty, login, fresh_cache):
    nasty.north.name = HYPERLINK
    nasty.north.save()
    Code.objects.filter(list="level_of_support", code="L2").update(label="@SUM(A1)")
    r = login(nasty.manager).get("/sites/?format=csv")
    rows = list(csv.reader(io.StringIO(r.content.decode())))
    _no_formula(rows)
    assert rows[0][2] == f"'{HYPERLINK} count"
    assert ["Level of support", "'@SUM(A1)"] in [row[:2] for row in rows]


def test_the_audit_trail_csv_quotes_what_people_typed(nasty, login):
    odd = make_user("+1", "coordinator", nasty.north, [nasty.ward_a])
    record(None, "view", nasty.person_a, user=odd, note=HYPERLINK)
    r = login(nasty.manager).get(reverse("audit_trail"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(r.content.decode())))
    _no_formula(rows)
    assert "'+1" in [row[2] for row in rows]


def test_the_qca_case_table_has_no_formula_and_numbers_stay_numbers(nasty, login):
    r = login(nasty.manager).get("/evidence/qca/?period=all&outcome=outcomes:STO3&conditions=activities:A1"
                                 "&conditions=activities:A4&incl_cut=0.8&n_cut=1&format=csv")
    rows = list(csv.reader(io.StringIO(r.content.decode())))
    assert rows[0] == ["case", "A1", "A4", "STO3"] and len(rows) > 1
    _no_formula(rows)
    assert all(v in ("0", "1") for row in rows[1:] for v in row[1:])


def test_a_carriage_return_is_quoted_whatever_the_line_ending():
    for end in ("\n", "\r\n"):
        buf = io.StringIO()
        cells.writer(buf, lineterminator=end).writerows([["x\r=1+1", -5, "-5"], ["next"]])
        assert buf.getvalue() == f'"x\r=1+1",-5,\'-5{end}next{end}'
        read = list(csv.reader(io.StringIO(buf.getvalue(), newline="")))
        assert read == [["x\r=1+1", "-5", "'-5"], ["next"]]


def test_the_balance_sheet_csv_quotes_text_and_keeps_negative_amounts():
    sheet = BalanceSheet("=1+1", "2023/24", [CostLine("individual", "out_of_pocket", HYPERLINK,
                                                      Decimal("-5"), "@SUM(A1)")],
                         [Consequence("system", "-2+3", "+1", Decimal("-3"), "\t=1+1", "\r=1")])
    rows = list(csv.DictReader(io.StringIO(sheet.to_csv())))
    assert (rows[0]["description"], rows[0]["amount"], rows[0]["trace"]) == (
        "'" + HYPERLINK, "-5", "'@SUM(A1)")
    assert (rows[1]["heading"], rows[1]["description"], rows[1]["natural_units"], rows[1]["unit"],
            rows[1]["trace"]) == ("'-2+3", "'+1", "-3", "'\t=1+1", "'\r=1")


def test_the_balance_sheet_download_and_command_quote_the_cost_source(nasty, login, capsys, tmp_path):
    ProgrammeCost.objects.create(council=nasty.north, year="2025/26", coordinator_fte=1, salary=30000,
                                 on_costs=25, management=0, venues=0, overheads=0, source=HYPERLINK)
    r = login(nasty.manager).get("/evidence/economics/", {"year": "2025/26", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    _no_formula([list(row.values()) for row in rows])
    assert "'" + HYPERLINK in [row["trace"] for row in rows]
    costs = tmp_path / "costs.yaml"
    costs.write_text(yaml.safe_dump({"costs": [{"level": "individual", "category": "out_of_pocket",
                                                "description": HYPERLINK, "amount": 10, "source": "+1"}]}))
    call_command("balance_sheet", "--council", nasty.north.name, "--year", "2025/26", "--csv",
                 "--costs", str(costs))
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    _no_formula([list(row.values()) for row in rows])
    assert ("'" + HYPERLINK, "10", "'+1") in [(row["description"], row["amount"], row["trace"])
                                              for row in rows]
