"""The mapping built in the browser: columns and values suggested from a real spreadsheet, the
officer's choices saved as a mapping of their council, the spreadsheet checked through it, and
the saved mapping used again (by its own council only)."""

import csv

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alongside.accounts.models import Role
from alongside.dataset import legacy
from alongside.dataset.mapping_builder import (
    build_yaml,
    code_choices,
    scan,
    suggest_code,
    suggest_columns,
    values_to_map,
)
from alongside.dataset.models import SavedMapping
from alongside.operations.models import Job
from alongside.people.models import Person
from alongside.places.models import Council
from alongside.synthetic.management.commands.legacy_demo import ensure_sites
from tests.conftest import do_queued_work, make_user, signed_in

pytestmark = pytest.mark.django_db
HEADER = ["Client ID", "Forename", "Surname", "DOB", "Area", "Referral Date", "Referred by", "Reason",
          "Support level"]
ROWS = [
    ["A1", "Siân", "Jones", "02/04/1950", "Ashvale Town", "01/03/2025", "GP Surgery", "Isolation",
     "Long term"],
    ["A2", "Tom", "Price", "13/11/1988", "Millbrook", "14/05/2025", "Self", "Housing; Isolation",
     "Short term"],
    ["A3", "Amy", "Ali", "", "Ashvale Moor", "20/06/2025", "GP Surgery", "Housing", "Long term"],
    ["A4", "Rhys", "Evans", "30/01/1972", "Millbrook", "01/07/2025", "Self", "", "Short term"],
]


def write_sheet(path, rows=ROWS, header=HEADER):
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    return path


@pytest.fixture
def ashvale(settings, tmp_path):
    settings.ALONGSIDE_WORK_DIR = tmp_path / "work"
    ensure_sites()
    return Council.objects.get(name="Ashvale Council")


def filled(form) -> dict:
    """What the browser would post for a form as shown: every field's shown value."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value not in (None, ""):
            data[name] = getattr(value, "pk", value)
    return data


def choose(form, label, code) -> tuple[str, str]:
    return next(n for n, f in form.fields.items() if f.label == label), code


def start(client, sheet, **extra):
    return client.post("/imports/", {"data": SimpleUploadedFile(sheet.name, sheet.read_bytes()),
                                     "use": "build", **extra})


def test_columns_and_values_are_suggested_from_the_file(tmp_path):
    found = scan(write_sheet(tmp_path / "ashvale.csv"))
    assert found["columns"] == HEADER and found["rows"] == 4
    assert found["values"]["Area"] == ["Ashvale Town", "Millbrook", "Ashvale Moor"]
    assert values_to_map("reasons", found["values"]["Reason"]) == ["Isolation", "Housing"]
    suggested = suggest_columns(HEADER)
    assert suggested == {"key": "Client ID", "given_name": "Forename", "family_name": "Surname",
                         "birth_date": "DOB", "ward": "Area", "introduced_on": "Referral Date",
                         "route": "Referred by", "reasons": "Reason", "level": "Support level"}
    calder = suggest_columns(["ref", "first_name", "last_name", "date_of_birth", "gender", "ward",
                              "date_in", "how_referred", "main_reason", "support", "status",
                              "date_closed", "why_closed"])
    assert calder["introduced_on"] == "date_in" and calder["ended_on"] == "date_closed"
    assert calder["exit_outcome"] == "why_closed" and calder["birth_date"] == "date_of_birth"
    routes = code_choices("introduction_route")
    assert suggest_code("GP Surgery", routes) == "gp"
    assert suggest_code("Self", routes) == "self"
    assert suggest_code("Adult social care", routes) == "adult_social_care"
    genders = code_choices("gender")
    assert suggest_code("F", genders) == "F" and suggest_code("male", genders) == "M"
    assert dict(genders)["F"] == "Female"  # labels are shown, not code slugs


def test_the_yaml_reads_back_as_text(ashvale):
    state = {"file": "x.csv", "system": "ashvale-2025", "date_format": "%d/%m/%Y",
             "columns": {"key": "ID", "given_name": "Name", "ward": "Ward", "introduced_on": "In",
                         "long_term_condition": "LTC"},
             "values": {"long_term_condition": {"Yes": "yes", "No": "no", "01": "unknown"},
                        "ward": {"null": "E05800101", "1.5": "E05800102"}},
             "defaults": {"lawful_basis": "6.1.e"}}
    m = legacy.Mapping.from_text(build_yaml(ashvale, state, "Test"), "t.yaml")
    assert m.council == "Ashvale Council" and m.key == "ID"
    assert m.values["long_term_condition"] == {"Yes": "yes", "No": "no", "01": "unknown"}
    assert m.values["ward"] == {"null": "E05800101", "1.5": "E05800102"}
    assert m.defaults == {"lawful_basis": "6.1.e"}


def test_a_manager_builds_a_mapping_checks_the_file_and_uses_the_mapping_again(client, ashvale, tmp_path):
    manager = make_user("manager_ashvale", Role.MANAGER, ashvale)
    signed_in(client, manager)
    sheet = write_sheet(tmp_path / "ashvale-2025.csv")
    r = start(client, sheet)
    assert r.status_code == 302 and r["Location"] == "/imports/mapping/columns/"
    assert not Job.objects.exists()

    r = client.get("/imports/mapping/columns/")
    assert r.status_code == 200 and "Which column holds each field" in r.content.decode()
    data = filled(r.context["form"])
    assert data["col_given_name"] == "Forename" and data["col_birth_date"] == "DOB"
    assert data["key"] == "Client ID" and data["date_format"] == "%d/%m/%Y"
    data["default_lawful_basis"] = "6.1.e"
    r = client.post("/imports/mapping/columns/", data)
    assert r.status_code == 302 and r["Location"] == "/imports/mapping/values/"

    r = client.get("/imports/mapping/values/")
    form = r.context["form"]
    data = filled(form)
    page = r.content.decode()
    assert "GP Surgery" in page and "Ashvale Town" in page
    gp = next(n for n, f in form.fields.items() if f.label == "GP Surgery")
    assert data[gp] == "gp"
    town = next(n for n, f in form.fields.items() if f.label == "Ashvale Town")
    assert data[town] == "E05800101"  # the ward by its name
    data.update(dict([choose(form, "Long term", "L2"), choose(form, "Short term", "L1"),
                      choose(form, "Isolation", "PA1.loneliness"), choose(form, "Housing", "PA4.housing")]))
    r = client.post("/imports/mapping/values/", data)
    assert r.status_code == 302 and r["Location"] == "/imports/mapping/save/"

    r = client.get("/imports/mapping/save/")
    assert "Client ID" in r.content.decode()  # the YAML, shown before it is saved
    r = client.post("/imports/mapping/save/", {"name": "Referrals spreadsheet"})
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/work/{job.pk}/"
    saved = SavedMapping.objects.get()
    assert saved.council == ashvale and saved.name == "Referrals spreadsheet" and saved.created_by == manager
    assert legacy.Mapping.from_text(saved.yaml).columns["given_name"] == "Forename"
    assert job.options["dry_run"] is True and job.options["saved_mapping"] == saved.pk
    do_queued_work()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, (job.error, job.summary)
    assert "Would import 4 people" in job.summary["summary"] and Person.objects.count() == 0
    assert not list((tmp_path / "work" / "uploads").glob("mapping-*"))  # nothing left waiting

    # Next time: the saved mapping is chosen on the imports page, and the file imported.
    page = client.get("/imports/").content.decode()
    assert "Referrals spreadsheet" in page
    r = client.post("/imports/", {"data": SimpleUploadedFile(sheet.name, sheet.read_bytes()),
                                  "use": str(saved.pk)})
    assert r.status_code == 302
    do_queued_work()
    job = Job.objects.latest("pk")
    assert job.status == Job.Status.DONE and Person.objects.count() == 4
    assert client.get(f"/imports/mappings/{saved.pk}/").status_code == 200


def test_another_councils_mapping_can_be_neither_seen_nor_used(client, ashvale, tmp_path):
    calder = Council.objects.get(name="Calder Vale Council")
    theirs = SavedMapping.objects.create(council=ashvale, name="Ashvale's own",
                                         yaml="council: Ashvale Council\n")
    signed_in(client, make_user("manager_calder", Role.MANAGER, calder))
    assert "Ashvale's own" not in client.get("/imports/").content.decode()
    assert client.get(f"/imports/mappings/{theirs.pk}/").status_code == 404
    assert client.post(f"/imports/mappings/{theirs.pk}/", {"delete": "1"}).status_code == 404
    sheet = write_sheet(tmp_path / "a.csv")
    r = client.post("/imports/", {"data": SimpleUploadedFile(sheet.name, sheet.read_bytes()),
                                  "use": str(theirs.pk), "dry_run": "on"})
    assert r.status_code == 200 and "There is a problem" in r.content.decode()
    assert not Job.objects.exists() and SavedMapping.objects.filter(pk=theirs.pk).exists()
    # Neither the builder's pages without a spreadsheet of one's own.
    assert client.get("/imports/mapping/save/").status_code == 400


def test_bad_choices_are_errors_on_the_page_and_save_nothing(client, ashvale, tmp_path):
    signed_in(client, make_user("manager_ashvale", Role.MANAGER, ashvale))
    # Neither a mapping file nor a choice.
    sheet = write_sheet(tmp_path / "ashvale.csv")
    r = client.post("/imports/", {"data": SimpleUploadedFile(sheet.name, sheet.read_bytes())})
    assert r.status_code == 200 and "Send its mapping file, or choose" in r.content.decode()
    # A file that cannot be read is an error on the page, not a traceback.
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook at all")
    r = start(client, broken)
    assert r.status_code == 200 and "The spreadsheet cannot be read" in r.content.decode()

    start(client, sheet)
    data = filled(client.get("/imports/mapping/columns/").context["form"])
    data["col_given_name"] = ""
    data["col_family_name"] = "Referral Date"  # also chosen for the introduction
    r = client.post("/imports/mapping/columns/", data)
    page = r.content.decode()
    assert r.status_code == 200 and "There is a problem" in page and "govuk-error-message" in page
    errors = r.context["form"].errors
    assert "Choose the column that holds this" in errors["col_given_name"][0]
    assert "already chosen for Family name" in errors["col_introduced_on"][0]
    assert client.get("/imports/mapping/values/").status_code == 302  # the columns were not taken
    assert client.get("/imports/mapping/save/").status_code == 302
    assert not SavedMapping.objects.exists() and not Job.objects.exists()

    # A name already used for the council is refused.
    SavedMapping.objects.create(council=ashvale, name="Taken", yaml="x")
    data["col_given_name"], data["col_family_name"] = "Forename", "Surname"
    client.post("/imports/mapping/columns/", data)
    form = client.get("/imports/mapping/values/").context["form"]
    values = filled(form)
    values.update({n: f.choices[1][0] for n, f in form.fields.items() if n not in values})
    client.post("/imports/mapping/values/", values)
    r = client.post("/imports/mapping/save/", {"name": "Taken"})
    assert r.status_code == 200 and "already has a mapping called Taken" in r.content.decode()
    assert SavedMapping.objects.count() == 1 and not Job.objects.exists()


def test_an_administrator_chooses_the_council(client, ashvale, tmp_path):
    signed_in(client, make_user("admin9", Role.ADMINISTRATOR))
    start(client, write_sheet(tmp_path / "ashvale.csv"))
    form = client.get("/imports/mapping/columns/").context["form"]
    data = filled(form)
    r = client.post("/imports/mapping/columns/", data)
    assert r.status_code == 200 and "council" in r.context["form"].errors
    data["council"] = ashvale.pk
    assert client.post("/imports/mapping/columns/", data).status_code == 302
    form = client.get("/imports/mapping/values/").context["form"]
    values = filled(form)
    values.update({n: f.choices[1][0] for n, f in form.fields.items() if n not in values})
    client.post("/imports/mapping/values/", values)
    client.post("/imports/mapping/save/", {"name": "Ashvale by admin"})
    saved = SavedMapping.objects.get()
    assert saved.council == ashvale and "council: Ashvale Council" in saved.yaml
    assert Job.objects.get().council_id is None


def test_only_managers_and_administrators_build(client, ashvale):
    signed_in(client, make_user("coord", Role.COORDINATOR, ashvale))
    for url in ("/imports/mapping/columns/", "/imports/mapping/values/", "/imports/mapping/save/"):
        assert client.get(url).status_code == 403


def test_a_spreadsheet_left_waiting_a_day_is_forgotten(client, ashvale, tmp_path):
    import os
    import time

    signed_in(client, make_user("manager_ashvale", Role.MANAGER, ashvale))
    start(client, write_sheet(tmp_path / "ashvale.csv"))
    (old,) = (tmp_path / "work" / "uploads").glob("mapping-*")
    two_days_ago = time.time() - 2 * 86400
    os.utime(old, (two_days_ago, two_days_ago))
    client.logout()
    other = make_user("admin3", Role.ADMINISTRATOR)
    signed_in(client, other)
    start(client, write_sheet(tmp_path / "other.csv"))
    assert not old.exists() and len(list((tmp_path / "work" / "uploads").glob("mapping-*"))) == 1
