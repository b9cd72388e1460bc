"""Exports made in the browser: who may ask, who may download, and what the file holds."""

import io
import zipfile

from alongside.operations.models import Job
from tests.conftest import do_queued_work, signed_in


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_a_manager_exports_their_council_and_nobody_else_can_download_it(client, world, settings, tmp_path):
    settings.ALONGSIDE_WORK_DIR = tmp_path / "work"
    signed_in(client, world.manager)
    r = client.post("/exports/", {"format": "csv"})
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/work/{job.pk}/"
    assert job.council == world.north and job.status == Job.Status.QUEUED and job.task_id
    do_queued_work()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    page = client.get(f"/work/{job.pk}/").content.decode()
    assert "Export ready" in page
    z = _zip(client.get(f"/work/{job.pk}/download/"))
    people = z.read("person.csv").decode().splitlines()
    # The world has two people in Lowmere (wards A and B) and one in Glasmoor.
    assert people[0].startswith("person,") and sorted(p.split(",")[0] for p in people[1:]) == \
        ["P-AAAAAAA", "P-BBBBBBB"]
    assert job.summary["rows"]["person"] == 2
    client.logout()
    for other in (world.manager_south, world.analyst, world.admin):  # another council; other roles
        signed_in(client, other)
        for suffix in ("", "download/"):
            assert client.get(f"/work/{job.pk}/{suffix}").status_code == 404
        client.logout()
    for role in (world.coordinator_a, world.commissioner, world.admin, world.analyst):
        signed_in(client, role)
        assert client.get("/exports/").status_code == 403
        assert client.post("/exports/", {"format": "csv"}).status_code == 403
        client.logout()
    assert Job.objects.count() == 1


def test_analysts_get_no_row_level_export_from_the_web(client, world):
    signed_in(client, world.analyst)
    assert client.get("/exports/").status_code == 403
    assert client.post("/exports/", {"format": "csv"}).status_code == 403
    assert Job.objects.count() == 0
    assert "/exports/" not in client.get("/evidence/").content.decode()


def test_an_administrator_makes_the_networks_research_export_pseudonymised_with_the_workers_key(
        client, world, settings, tmp_path):
    from alongside.audit.models import AuditEvent
    from alongside.places.models import Council

    settings.ALONGSIDE_WORK_DIR = tmp_path / "work"
    # Without a key on the workers' machine: failed, with what to do.
    signed_in(client, world.admin)
    client.post("/exports/research/", {"format": "csv"})
    do_queued_work()
    first = Job.objects.get()
    assert first.status == Job.Status.FAILED and "ALONGSIDE_RESEARCH_KEY_FILE" in first.error
    assert "ALONGSIDE_RESEARCH_KEY_FILE" in client.get(f"/work/{first.pk}/").content.decode()

    key = tmp_path / "network.key"
    key.write_text("ab" * 32)
    settings.ALONGSIDE_RESEARCH_KEY_FILE = str(key)
    Council.objects.filter(pk=world.south.pk).update(shares_with_network=False)
    Council.objects.filter(pk=world.north.pk).update(shares_with_network=True)
    r = client.post("/exports/research/", {"format": "csv"})
    job = Job.objects.exclude(pk=first.pk).get()
    assert r["Location"] == f"/work/{job.pk}/" and job.council is None
    do_queued_work()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    assert job.summary["councils"] == [world.north.name]
    z = _zip(client.get(f"/work/{job.pk}/download/"))
    people = z.read("person.csv").decode()
    # The two Lowmere people, under keyed pseudonyms: no reference, no name, no other council.
    assert len(people.splitlines()) == 3
    for held in ("P-AAAAAAA", "P-BBBBBBB", "P-CCCCCCC", world.person_a.given_name):
        assert held not in people
    assert AuditEvent.objects.filter(action="export", username=world.admin.username).exists()
    client.logout()
    # Nobody else sees it, asks for it, or downloads it.
    for other in (world.manager, world.analyst, world.commissioner, world.coordinator_a):
        signed_in(client, other)
        assert client.get("/exports/research/").status_code == 403
        assert client.post("/exports/research/", {"format": "csv"}).status_code == 403
        assert client.get(f"/work/{job.pk}/download/").status_code == 404
        client.logout()
    assert Job.objects.count() == 2
