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
    for other in (world.manager_south, world.analyst):  # another council; a research role
        signed_in(client, other)
        for suffix in ("", "download/"):
            assert client.get(f"/work/{job.pk}/{suffix}").status_code == 404
        client.logout()
    for role in (world.coordinator_a, world.commissioner, world.admin):
        signed_in(client, role)
        assert client.get("/exports/").status_code == 403
        assert client.post("/exports/", {"format": "csv"}).status_code == 403
        client.logout()
    assert Job.objects.count() == 1


def test_the_research_export_needs_the_network_key_and_holds_pseudonyms(client, world, settings, tmp_path):
    settings.ALONGSIDE_WORK_DIR = tmp_path / "work"
    signed_in(client, world.analyst)
    settings.ALONGSIDE_RESEARCH_KEY_FILE = ""
    assert 'id="no-key"' in client.get("/exports/").content.decode()
    client.post("/exports/", {"format": "csv"})
    assert Job.objects.count() == 0
    key = tmp_path / "network.key"
    key.write_text("ab" * 32)
    settings.ALONGSIDE_RESEARCH_KEY_FILE = str(key)
    client.post("/exports/", {"format": "csv"})
    do_queued_work()
    job = Job.objects.get()
    assert job.status == Job.Status.DONE, job.error
    people = _zip(client.get(f"/work/{job.pk}/download/")).read("person.csv").decode()
    # Only Lowmere shares with the Network: two pseudonymised people, no references.
    assert len(people.splitlines()) == 3 and "P-" not in people


def test_a_missing_key_fails_the_export_with_a_reason(client, world, settings, tmp_path):
    settings.ALONGSIDE_WORK_DIR = tmp_path / "work"
    settings.ALONGSIDE_RESEARCH_KEY_FILE = str(tmp_path / "gone.key")
    signed_in(client, world.analyst)
    client.post("/exports/", {"format": "csv"})
    do_queued_work()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and "gone.key: no such key file" in job.error
    assert "gone.key: no such key file" in client.get(f"/work/{job.pk}/").content.decode()
