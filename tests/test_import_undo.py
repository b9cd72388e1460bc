"""Undoing a whole import: exactly what it created goes, for as long as nothing was recorded on
top of it; the history names the file by its SHA-256."""

import hashlib
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from alongside.accounts.models import Role
from alongside.audit.models import AuditEvent
from alongside.dataset.importer import import_file
from alongside.dataset.models import LegacyContact, LegacyKey
from alongside.dataset.undo import undo
from alongside.journeys.models import Activity, Engagement, Exit, Introduction
from alongside.operations.models import Job
from alongside.people.models import ConsentRecord, Person
from alongside.places.models import Council

from .conftest import do_queued_work, make_user, signed_in
from .test_import_contacts import CONTACTS, log
from .test_import_trouble import TODAY, counts, mapping, person, write_csv  # noqa: F401

pytestmark = pytest.mark.django_db


def _job(user, council):
    return Job.objects.create(kind=Job.Kind.IMPORT, requested_by=user, council=council,
                              status=Job.Status.DONE, options={"file": "calder.csv"})


def _imported(tmp_path, mapping, manager):  # noqa: F811 - the fixture imported above
    sheet = write_csv(tmp_path / "calder.csv", [
        person("cv1"), person("cv2", "Dewi", "Rees", status="CLOSED", closed="2025-06-30", why="moved away")])
    job = _job(manager, Council.objects.get(name="Calder Vale Council"))
    report = import_file(sheet, mapping, dry_run=False, today=TODAY, user=manager, job=job)
    job.summary, job.finished_at = {"written": report.written}, timezone.now()
    job.save()
    return sheet, job


@pytest.fixture
def manager(mapping):  # noqa: F811
    return make_user("manager_calder", Role.MANAGER, Council.objects.get(name="Calder Vale Council"))


def journey_counts():
    return {m.__name__: m.objects.count() for m in (Introduction, Engagement, Exit, ConsentRecord,
                                                    LegacyKey, Activity, LegacyContact)}


def test_undo_removes_exactly_what_the_import_created(tmp_path, mapping, manager):  # noqa: F811
    before = journey_counts()
    people_before = Person.objects.current().count()
    sheet, job = _imported(tmp_path, mapping, manager)
    # Two people: two introductions, engagements, consents (the mapping's default) and legacy
    # IDs; one exit (Dewi's).
    assert {k: v - before[k] for k, v in journey_counts().items()} == {
        "Introduction": 2, "Engagement": 2, "Exit": 1, "ConsentRecord": 2, "LegacyKey": 2,
        "Activity": 0, "LegacyContact": 0}
    removed = undo(job, manager)
    assert removed == {"groups": 0, "activities": 0, "people": 2, "introductions": 2, "exits": 1}
    assert journey_counts() == before and Person.objects.current().count() == people_before
    gone = Person.objects.filter(removed_at__isnull=False)
    assert gone.count() == 2 and set(gone.values_list("given_name", flat=True)) == {""}
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REMOVE).count() == 2
    job.refresh_from_db()
    assert job.summary["undone"]["people"] == 2
    with pytest.raises(ValueError, match="not undone already"):
        undo(job, manager)
    # The same file imports again: nothing of the first import is left to skip it.
    assert import_file(sheet, mapping, dry_run=False, today=TODAY).people == 2


def test_an_import_with_records_on_top_is_not_undone(tmp_path, mapping, manager):  # noqa: F811
    _sheet, job = _imported(tmp_path, mapping, manager)
    sian = Person.objects.get(given_name="Siân")
    Activity.objects.create(person=sian, coordinator=manager, activity_id=Activity._meta.get_field(
        "activity").related_model.objects.get(list="activity", code="A1").pk,
        level_id=Activity._meta.get_field("level").related_model.objects.get(
            list="activity_level", code="individual").pk, done_on=date(2025, 4, 1))
    before = counts()
    with pytest.raises(ValueError, match=r"cannot be undone: 1 people with activities"):
        undo(job, manager)
    assert counts() == before


def test_a_contact_log_is_undone_first_then_the_people(tmp_path, mapping, manager):  # noqa: F811
    _sheet, people_job = _imported(tmp_path, mapping, manager)
    contacts = tmp_path / "contacts.mapping.yaml"
    contacts.write_text(CONTACTS, encoding="utf-8")
    sheet = log(tmp_path / "contacts.csv", [["k1", "cv1", "05/03/2025", "Home visit", "45", ""],
                                            ["k2", "cv2", "06/03/2025", "Phone", "", ""]])
    contact_job = _job(manager, people_job.council)
    assert import_file(sheet, contacts, dry_run=False, today=TODAY, job=contact_job).written
    contact_job.summary, contact_job.finished_at = {"written": True}, timezone.now()
    contact_job.save()
    with pytest.raises(ValueError, match="activities"):
        undo(people_job, manager)  # the contacts sit on top of the people
    assert undo(contact_job, manager)["activities"] == 2
    assert Activity.objects.count() == 0 and LegacyContact.objects.count() == 0
    assert undo(people_job, manager)["people"] == 2


def test_only_a_manager_of_the_council_or_an_administrator_undoes_it(tmp_path, mapping, manager, client):  # noqa: F811
    _sheet, job = _imported(tmp_path, mapping, manager)
    other = make_user("manager_ashvale", Role.MANAGER, Council.objects.get(name="Ashvale Council"))
    coordinator = make_user("coord_calder", Role.COORDINATOR, job.council)
    for user in (other, coordinator):
        signed_in(client, user)
        r = client.post(f"/imports/{job.pk}/undo/")
        assert r.status_code in (302, 403, 404)
        assert Person.objects.current().filter(given_name="Siân").exists(), user
    signed_in(client, manager)
    page = client.get(f"/work/{job.pk}/").content.decode()
    assert "Undo this import" in page
    r = client.post(f"/imports/{job.pk}/undo/", follow=True)
    assert "Import undone: 2 people and 0 activities removed." in r.content.decode()
    assert not Person.objects.current().filter(given_name="Siân").exists()


def test_the_history_names_the_file_by_its_sha_256(tmp_path, mapping, manager, client, settings):  # noqa: F811
    settings.ALONGSIDE_WORK_DIR = tmp_path / "work"
    sheet = write_csv(tmp_path / "calder.csv", [person("cv1")])
    signed_in(client, manager)
    client.post("/imports/", {"data": SimpleUploadedFile(sheet.name, sheet.read_bytes()),
                              "mapping": SimpleUploadedFile(mapping.name, mapping.read_bytes())})
    job = Job.objects.get()
    digest = hashlib.sha256(sheet.read_bytes()).hexdigest()
    assert job.options["data_sha256"] == digest
    do_queued_work()
    assert digest in client.get(f"/work/{job.pk}/").content.decode()
    assert LegacyKey.objects.get().import_job == job  # the worker's import names its job
