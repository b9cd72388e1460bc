"""A council's contact log comes in as activities, linked to people by the council's own IDs:
real files, checked whole, refused by row and column, imported once however often it is sent."""

import csv
from datetime import date

import pytest

from alongside.dataset.importer import import_file
from alongside.journeys.models import Activity

from .test_import_trouble import TODAY, counts, mapping, person, refused, write_csv  # noqa: F401

pytestmark = pytest.mark.django_db
CONTACTS = """\
council: Calder Vale Council
system: calder-test
records: contacts
key: contact_id
date_format: '%d/%m/%Y'
columns:
  person: client_ref
  done_on: contact_date
  activity: contact_type
  minutes: duration
  note: notes
values:
  activity:
    Home visit: home_visit
    Phone: phone_call
    Group taster: intro_group
"""


@pytest.fixture
def people(tmp_path, mapping):  # noqa: F811 - the fixture imported above
    """Siân (cv1, introduced 1 March 2025, open) and Dewi (cv2, introduced 1 March 2025, closed
    on 30 June 2025 with an exit)."""
    sheet = write_csv(tmp_path / "people.csv", [
        person("cv1"), person("cv2", "Dewi", "Rees", status="CLOSED", closed="2025-06-30", why="moved away")])
    assert import_file(sheet, mapping, dry_run=False, today=TODAY).written
    contacts = tmp_path / "contacts.mapping.yaml"
    contacts.write_text(CONTACTS, encoding="utf-8")
    return contacts


def log(path, rows):
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["contact_id", "client_ref", "contact_date", "contact_type", "duration", "notes"])
        w.writerows(rows)
    return path


def test_a_contact_log_becomes_activities_once(tmp_path, people):
    sheet = log(tmp_path / "contacts.csv", [
        ["k1", "cv1", "05/03/2025", "Home visit", "45", "First visit"],
        ["k2", "cv1", "12/03/2025", "Phone", "", ""],
        ["k3", "cv2", "20/06/2025", "Group taster", "90", ""]])
    dry = import_file(sheet, people, dry_run=True, today=TODAY)
    assert (dry.problems, dry.activities, dry.people, dry.written) == ([], 3, 2, False)
    assert Activity.objects.count() == 0
    report = import_file(sheet, people, dry_run=False, today=TODAY)
    assert report.written and report.summary() == (
        "contacts.csv: 3 rows; Imported 3 activities with 2 people; 0 already imported (skipped)")
    got = {(a.person.given_name, a.done_on, a.activity.code, a.kind.code, a.level.code, a.minutes, a.note)
           for a in Activity.objects.select_related("person", "activity", "kind", "level")}
    # The type's heading and usual level come from the code list: a home visit is A1, individual;
    # an introduction to a group is A5, community.
    assert got == {("Siân", date(2025, 3, 5), "A1", "home_visit", "individual", 45, "First visit"),
                   ("Siân", date(2025, 3, 12), "A1", "phone_call", "individual", None, ""),
                   ("Dewi", date(2025, 6, 20), "A5", "intro_group", "community", 90, "")}
    assert {a.coordinator_id for a in Activity.objects.all()} == {a.person.coordinator_id
                                                                  for a in Activity.objects.all()}
    again = import_file(sheet, people, dry_run=False, today=TODAY)
    assert (again.activities, again.already_imported) == (0, 3) and Activity.objects.count() == 3


def test_contacts_that_cannot_be_right_are_refused_by_row_and_column(tmp_path, people):
    sheet = log(tmp_path / "contacts.csv", [
        ["k1", "cv9", "05/03/2025", "Home visit", "45", ""],  # nobody imported as cv9
        ["k2", "cv1", "01/02/2025", "Home visit", "", ""],  # before the introduction (1 March)
        ["k3", "cv2", "01/07/2025", "Phone", "", ""],  # after the exit (30 June)
        ["k4", "cv1", "01/01/2027", "Phone", "", ""],  # in the future
        ["k5", "cv1", "05/03/2025", "Tea and cake", "30", ""],  # no mapping
        ["k6", "cv1", "05/03/2025", "Phone", "two hours", ""],  # not minutes
        ["k6", "cv1", "06/03/2025", "Phone", "", ""],  # the same contact ID again
        ["k8", "", "06/03/2025", "Phone", "", ""],  # no person
    ])
    assert refused(sheet, people) == [
        "contacts.csv, row 2, column 'client_ref', value 'cv9': no person with this ID was imported from "
        "calder-test: import the people first",
        "contacts.csv, row 3, column 'contact_date', value '2025-02-01': before the person's introduction "
        "(2025-03-01)",
        "contacts.csv, row 4, column 'contact_date', value '2025-07-01': after the person's exit "
        "(2025-06-30)",
        "contacts.csv, row 5, column 'contact_date', value '01/01/2027': a date in the future",
        "contacts.csv, row 6, column 'contact_type', value 'Tea and cake': no mapping for this value (add "
        "it under values.activity)",
        "contacts.csv, row 7, column 'duration', value 'two hours': minutes must be a whole number from 1 "
        "to 1440",
        "contacts.csv, row 8, column 'contact_id', value 'k6': the same contact ID is on row 7: a "
        "duplicated row",
        "contacts.csv, row 9, column 'client_ref', value '': every contact needs the ID of the person it "
        "was with",
    ]


def test_a_contact_mapping_with_a_wrong_field_says_so(tmp_path, people):
    people.write_text(CONTACTS.replace("  note: notes", "  notes: notes"), encoding="utf-8")
    sheet = log(tmp_path / "contacts.csv", [["k1", "cv1", "05/03/2025", "Phone", "", ""]])
    assert refused(sheet, people) == [
        "contacts.mapping.yaml: columns.notes is not a field of a contact (known: person, done_on, "
        "activity, minutes, level, note)"]
