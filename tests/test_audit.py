from django.urls import reverse

from alongside.audit.models import AuditEvent


def test_viewing_a_person_writes_one_audit_row(world, login):
    client = login(world.coordinator_a)
    client.get(reverse("person", args=[world.person_a.reference]))
    events = list(AuditEvent.objects.all())
    assert len(events) == 1
    event = events[0]
    assert (event.username, event.role, event.action) == ("coord_a", "coordinator", "view")
    assert event.person == world.person_a
    assert event.person_reference == "P-AAAAAAA"
    assert event.path == reverse("person", args=["P-AAAAAAA"])


def test_each_view_is_a_separate_row(world, login):
    client = login(world.manager)
    for ref in ("P-AAAAAAA", "P-BBBBBBB", "P-AAAAAAA"):
        client.get(reverse("person", args=[ref]))
    assert list(AuditEvent.objects.order_by("id").values_list("person_reference", flat=True)) == [
        "P-AAAAAAA", "P-BBBBBBB", "P-AAAAAAA"]


def test_a_refused_view_records_nothing_about_the_person(world, login):
    login(world.coordinator_a).get(reverse("person", args=[world.person_c.reference]))
    assert not AuditEvent.objects.filter(person=world.person_c).exists()


def test_a_person_or_user_in_the_trail_cannot_be_deleted(world, login):
    """Their ids are in the trail's hashes: erasure blanks a person, a user is deactivated."""
    from django.db.models import ProtectedError

    login(world.coordinator_a).get(reverse("person", args=[world.person_a.reference]))
    for gone in (world.person_a, world.coordinator_a):
        with pytest.raises(ProtectedError):
            gone.delete()
    assert AuditEvent.objects.get().person == world.person_a


# --- the hash chain ---------------------------------------------------------------------------

import hashlib  # noqa: E402
import hmac  # noqa: E402
import json  # noqa: E402

import pytest  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import CommandError, call_command  # noqa: E402

from alongside.audit import chain  # noqa: E402


def _three_views(world, login):
    client = login(world.manager)
    for ref in ("P-AAAAAAA", "P-BBBBBBB", "P-AAAAAAA"):
        client.get(reverse("person", args=[ref]))
    return list(AuditEvent.objects.order_by("id"))


def test_each_row_is_chained_to_the_one_before_by_a_keyed_hash_of_every_column(world, login):
    first, second, third = _three_views(world, login)
    assert first.previous_hash == "0" * 64
    assert second.previous_hash == first.hash and third.previous_hash == second.hash
    # Recomputed here from the definition, not with the code under test: HMAC-SHA256, keyed with
    # HMAC-SHA256(secret key, "alongside audit chain"), of the previous hash, a newline, then
    # every column but the id and the hashes as compact JSON with sorted keys.
    key = hmac.new(settings.SECRET_KEY.encode(), b"alongside audit chain", hashlib.sha256).digest()
    content = {"action": "view", "at": second.at.isoformat(), "detail": {}, "path": "/people/P-BBBBBBB/",
               "person_id": world.person_b.pk, "person_reference": "P-BBBBBBB", "role": "manager",
               "user_id": world.manager.pk, "username": "manager_north"}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"))
    assert second.hash == hmac.new(key, f"{first.hash}\n{text}".encode(), hashlib.sha256).hexdigest()
    assert chain.verify().intact and chain.verify().rows == 3


def test_an_altered_row_is_detected(world, login):
    _, second, _ = _three_views(world, login)
    # What someone with database access might do: change who looked, bypassing the app.
    AuditEvent.objects.filter(pk=second.pk).update(username="someone_else")
    verdict = chain.verify()
    assert not verdict.intact
    assert verdict.broken_at == second.pk and "changed" in verdict.reason
    with pytest.raises(CommandError, match=f"entry {second.pk} its content has changed"):
        call_command("audit", "verify")


def test_a_removed_row_is_detected(world, login):
    _, second, third = _three_views(world, login)
    AuditEvent.objects.filter(pk=second.pk).delete()
    verdict = chain.verify()
    assert verdict.broken_at == third.pk and "removed" in verdict.reason


def test_rows_written_together_are_chained_too(world):
    from alongside.people.models import Person
    AuditEvent.objects.bulk_create([AuditEvent(username="import", role="import", action="create",
                                               person=p, person_reference=p.reference, path="import:x")
                                    for p in Person.objects.order_by("id")])
    assert chain.verify().rows == 3 and chain.verify().intact


def test_changing_who_looked_by_user_id_alone_is_detected(world, login):
    _, second, _ = _three_views(world, login)
    AuditEvent.objects.filter(pk=second.pk).update(user=world.coordinator_b)
    assert chain.verify().broken_at == second.pk


def test_removing_the_newest_rows_is_found_by_the_checkpoint(world, login):
    first, second, third = _three_views(world, login)
    chain.checkpoint()
    AuditEvent.objects.filter(pk__in=[second.pk, third.pk]).delete()
    verdict = chain.verify()
    assert not verdict.intact and verdict.broken_at == third.pk
    assert "newest rows were removed" in verdict.reason
    with pytest.raises(CommandError, match="newest rows were removed"):
        call_command("audit", "verify")


def test_rehashing_the_whole_trail_without_the_key_is_found(world, login):
    """Someone with the database alone edits a row and re-hashes everything after it, even with
    the right scheme: without the key their hashes differ, and the checkpoint no longer fits."""
    rows = _three_views(world, login)
    chain.checkpoint()
    AuditEvent.objects.filter(pk=rows[0].pk).update(username="nobody")
    previous = "0" * 64
    for row in AuditEvent.objects.order_by("id"):
        text = json.dumps(row.content(), sort_keys=True, separators=(",", ":"))
        guessed = hmac.new(b"a key they guessed", f"{previous}\n{text}".encode(), hashlib.sha256).hexdigest()
        AuditEvent.objects.filter(pk=row.pk).update(previous_hash=previous, hash=guessed)
        previous = guessed
    assert chain.verify().broken_at == rows[0].pk


def test_a_checkpoint_file_that_was_edited_is_refused(world, login):
    _three_views(world, login)
    path = chain.checkpoint()
    point = json.loads(path.read_text())
    point["rows"] = 2
    path.write_text(json.dumps(point))
    verdict = chain.verify()
    assert not verdict.intact and "not one Alongside signed" in verdict.reason


# --- reviewing the trail ----------------------------------------------------------------------

def test_a_manager_reviews_their_council_and_filters_by_person(world, login):
    login(world.coordinator_c).get(reverse("person", args=["P-CCCCCCC"]))
    _three_views(world, login)
    client = login(world.manager)
    page = client.get(reverse("audit_trail")).content.decode()
    assert "3 entries" in page and "P-BBBBBBB" in page   # the manager's three views, not coord_c's
    assert "P-CCCCCCC" not in page and "coord_c" not in page   # another council's trail
    filtered = client.get(reverse("audit_trail"), {"person": "P-BBBBBBB"}).content.decode()
    assert "P-AAAAAAA" not in filtered and "1 entry" in filtered


def test_the_trail_downloads_as_csv_and_the_download_is_itself_recorded(world, login):
    _three_views(world, login)
    response = login(world.manager).get(reverse("audit_trail"), {"action": "view", "format": "csv"})
    rows = response.content.decode().splitlines()
    assert rows[0].startswith("id,at,username,role,action,person_reference")
    assert len(rows) == 1 + 3
    last = AuditEvent.objects.order_by("-id").first()
    assert (last.action, last.detail["what"]) == ("export", "audit trail")


@pytest.mark.parametrize("role", ["coordinator_a", "commissioner", "analyst"])
def test_other_roles_cannot_read_the_trail(world, login, role):
    assert login(getattr(world, role)).get(reverse("audit_trail")).status_code == 403


def test_an_administrator_checks_the_chain_from_the_page(world, login):
    _, second, _ = _three_views(world, login)
    client = login(world.admin)
    assert "3 entries checked" in client.post(reverse("audit_trail")).content.decode()
    AuditEvent.objects.filter(pk=second.pk).update(path="/elsewhere/")
    page = client.post(reverse("audit_trail")).content.decode()
    assert "The audit trail has been altered" in page and f"Entry {second.pk}" in page


def test_every_page_that_shows_a_persons_identifiers_is_audited_as_a_view(world, login):
    """Issue 29, 5: details, consent, the conversation and recording forms, the erase page,
    stories and group pages showed identifiers without an entry in the trail."""
    from datetime import date

    from alongside.journeys.models import SharedAgreement, Story

    person = world.person_a
    story = Story.objects.create(ward=person.ward, person=person, title="t", written_on=date(2025, 7, 1),
                                 before="b", what_happened="w", what_changed="c")
    agreement = SharedAgreement.objects.create(person=person, agreed_on=date(2025, 4, 1))
    ref = person.reference
    pages = [f"/people/{ref}/details/", f"/people/{ref}/consent/", f"/people/{ref}/conversation/",
             f"/people/{ref}/agreement/", f"/people/{ref}/agreement/{agreement.pk}/review/",
             f"/people/{ref}/record/activity/", f"/people/{ref}/record/outcome/", f"/people/{ref}/erase/",
             f"/people/{ref}/close/", f"/people/{ref}/introduction/", f"/people/{ref}/measure/ons4/",
             f"/stories/{story.pk}/", f"/stories/{story.pk}/scenario/"]
    c = login(world.manager)  # erasing is a manager's page
    for url in pages:
        before = AuditEvent.objects.filter(action="view", person=person).count()
        assert c.get(url).status_code == 200, url
        assert AuditEvent.objects.filter(action="view", person=person).count() == before + 1, url
    group = c.get(f"/community/groups/{world.group_a.pk}/")
    assert group.status_code == 200
    assert AuditEvent.objects.filter(action="view", detail__group=world.group_a.pk).exists()
    # A page refused (another council's person) writes nothing about them.
    other = login(world.manager_south)
    assert other.get(f"/people/{ref}/details/").status_code == 404
    assert not AuditEvent.objects.filter(person=person, username=world.manager_south.username).exists()
