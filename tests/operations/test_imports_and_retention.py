"""Imports and the retention rule asked for in the browser and done by a worker."""

import csv
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from alongside.accounts.models import Role
from alongside.audit.models import AuditEvent
from alongside.operations import files
from alongside.operations.models import Job
from alongside.people.models import Person
from alongside.synthetic.legacy import write_all
from alongside.synthetic.management.commands.legacy_demo import ensure_sites
from tests.conftest import do_queued_work, make_person, make_user, signed_in

ROWS = 20


def _send(client, sheet, mapping, dry_run):
    return client.post("/imports/", {
        "data": SimpleUploadedFile(sheet.name, sheet.read_bytes()),
        "mapping": SimpleUploadedFile(mapping.name, mapping.read_bytes()),
        **({"dry_run": "on"} if dry_run else {})})


def test_a_manager_checks_then_imports_their_councils_file(client, db, settings, tmp_path):
    settings.ALONGSIDE_WORK_DIR = tmp_path / "work"
    ensure_sites()
    sheets = {s.stem: (s, m) for s, m in write_all(tmp_path / "legacy", ROWS, seed=3)}
    sheet, mapping = sheets["ashvale"]
    from alongside.places.models import Council

    ashvale = Council.objects.get(name="Ashvale Council")
    manager = make_user("manager_ashvale", Role.MANAGER, ashvale)
    signed_in(client, manager)
    r = _send(client, sheet, mapping, dry_run=True)
    job = Job.objects.get()
    assert r.status_code == 302 and job.kind == Job.Kind.IMPORT and job.options["dry_run"] is True
    assert (files.upload_dir(job) / sheet.name).exists()
    do_queued_work()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.summary["written"] is False
    assert f"Would import {ROWS} people" in job.summary["summary"] and Person.objects.count() == 0
    assert not (files.work_dir() / "uploads" / f"job-{job.pk}").exists()  # the upload is gone

    _send(client, sheet, mapping, dry_run=False)
    do_queued_work()
    job = Job.objects.latest("pk")
    assert job.status == Job.Status.DONE and Person.objects.count() == ROWS
    assert "Imported" in client.get(f"/work/{job.pk}/").content.decode()

    # Another council's file is refused before anything is read, and nothing is written.
    _send(client, *sheets["calder"], dry_run=False)
    do_queued_work()
    job = Job.objects.latest("pk")
    assert job.status == Job.Status.FAILED and "the mapping is for Calder Vale Council" in job.error
    assert Person.objects.count() == ROWS


def test_a_file_with_problems_lists_them_by_row_and_writes_nothing(client, db, settings, tmp_path):
    settings.ALONGSIDE_WORK_DIR = tmp_path / "work"
    ensure_sites()
    sheet, mapping = {s.stem: (s, m) for s, m in write_all(tmp_path / "legacy", ROWS, seed=3)}["ashvale"]
    with sheet.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[3][rows[0].index("Area")] = "Nowhere Green"  # the mapping's ward column: no such ward
    with sheet.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    signed_in(client, make_user("admin2", Role.ADMINISTRATOR))
    _send(client, sheet, mapping, dry_run=False)
    do_queued_work()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and "nothing was written" in job.error
    assert any("row 4" in p and "Nowhere Green" in p for p in job.summary["problems"]), job.summary
    page = client.get(f"/work/{job.pk}/").content.decode()
    assert "Nowhere Green" in page and Person.objects.count() == 0


def test_only_an_administrator_applies_the_retention_rule_and_counts_first(client, world, settings):
    old = make_person("P-OLDOLD1", world.ward_a, world.coordinator_a, "Olwen", status="closed",
                      started=date.today() - timedelta(days=365 * 9))
    old.engagements.update(ended_on=date.today() - timedelta(days=365 * 8))
    for who in (world.manager, world.coordinator_a, world.analyst):
        signed_in(client, who)
        assert client.post("/retention/", {"years": 6, "dry_run": "no"}).status_code == 403
        client.logout()
    signed_in(client, world.admin)
    client.post("/retention/", {"years": 6, "dry_run": "yes"})
    do_queued_work()
    job = Job.objects.get()
    assert job.summary == {"years": 6, "dry_run": True, "by_council": {"Lowmere Council": 1}, "people": 1}
    old.refresh_from_db()
    assert old.given_name == "Olwen"  # counted, not erased
    client.post("/retention/", {"years": 6, "dry_run": "no"})
    do_queued_work()
    old.refresh_from_db()
    assert old.given_name != "Olwen"
    erasure = AuditEvent.objects.get(action=AuditEvent.Action.ERASE, person=old)
    assert erasure.username == world.admin.username  # who asked, not "command"
    # The people still being supported are untouched.
    assert Person.objects.get(pk=world.person_a.pk).given_name == "Aled"
    assert client.post("/retention/", {"years": 0, "dry_run": "no"}).status_code == 200  # refused
    assert Job.objects.count() == 2
