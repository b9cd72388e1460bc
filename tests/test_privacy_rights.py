"""Subject access, erasure and the retention rule."""

import json
from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.urls import reverse

from alongside.audit import chain
from alongside.audit.models import AuditEvent
from alongside.codes.lookup import code
from alongside.dataset.export import export
from alongside.journeys.models import Connection, Engagement, Outcome, Story
from alongside.people.models import ConsentRecord, Person
from alongside.people.privacy import FREE_TEXT, KEPT_TEXT, due_for_erasure, erase, linked_records
from alongside.places.models import Ward


def _write_about(person, coordinator):
    """Free text naming the person, in several kinds of record."""
    Connection.objects.create(person=person, made_on=date(2025, 4, 1),
                              kind=code("connection_kind", "group"), other_person="Gwen (neighbour)")
    Outcome.objects.create(person=person, observed_on=date(2025, 5, 1),
                           outcome=code("outcome", "STO1"), evidence="Aled told me he slept well")
    Story.objects.create(person=person, ward=person.ward, written_on=date(2025, 6, 1),
                         title="Aled's garden", before="b", what_happened="Aled Example rebuilt his garden",
                         what_changed="c")


def _everything_in_the_database() -> str:
    """Every text value of every table, to search for a name."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            found.extend(str(v) for row in cursor.fetchall() for v in row if isinstance(v, str))
    return "\n".join(found)


def test_every_text_field_about_a_person_is_either_erased_or_kept_on_purpose(world):
    """A new note field added to a record about a person must be listed, or erasure misses it."""
    unlisted = []
    for label, qs in linked_records(world.person_a):
        for f in qs.model._meta.concrete_fields:
            if isinstance(f, models.CharField | models.TextField) and not f.choices and not f.is_relation:
                if f.name not in FREE_TEXT.get(label, []) + KEPT_TEXT.get(label, []):
                    unlisted.append(f"{label}.{f.name}")
    assert unlisted == []
    for label, fields in FREE_TEXT.items():
        model = apps.get_model(label)
        assert all(model._meta.get_field(f) for f in fields)


def test_erasure_removes_every_identifier_and_keeps_the_anonymous_counts(world, tmp_path):
    person = world.person_a
    _write_about(person, world.coordinator_a)
    before = tmp_path / "before"
    export(Ward.objects.all(), before, "csv", key=b"k" * 32)
    assert "Aled" in _everything_in_the_database()

    blanked = erase(person, on=date(2026, 1, 5))

    text = _everything_in_the_database()
    assert "Aled" not in text and "Gwen" not in text
    person.refresh_from_db()
    assert (person.given_name, person.family_name, person.postcode, person.phone, person.birth_month) == (
        "", "", "", "", None)
    assert person.erased_on == date(2026, 1, 5) and str(person) == "P-AAAAAAA"
    assert blanked["journeys.Story"] == 1 and blanked["journeys.Outcome"] == 1
    # The coded record is untouched: the research export (pseudonymised, no free text) is the same.
    after = tmp_path / "after"
    export(Ward.objects.all(), after, "csv", key=b"k" * 32)
    for f in sorted(before.iterdir()):
        assert (after / f.name).read_bytes() == f.read_bytes(), f.name
    assert Engagement.objects.filter(person=person).count() == 1
    assert Outcome.objects.get(person=person).outcome.code == "STO1"


def test_a_manager_erases_with_a_typed_confirmation_and_it_is_audited(world, login):
    client = login(world.manager)
    url = reverse("erase", args=["P-AAAAAAA"])
    wrong = client.post(url, {"reason": "request", "confirm": "P-BBBBBBB"})
    assert "Type P-AAAAAAA exactly to confirm" in wrong.content.decode()
    assert Person.objects.get(reference="P-AAAAAAA").given_name == "Aled"
    assert client.post(url, {"reason": "request", "confirm": "p-aaaaaaa"}).status_code == 302
    assert Person.objects.get(reference="P-AAAAAAA").erased_on is not None
    event = AuditEvent.objects.filter(action="erase").get()
    assert (event.username, event.person_reference, event.detail["reason"]) == (
        "manager_north", "P-AAAAAAA", "request")
    assert chain.verify().intact


@pytest.mark.parametrize("who,ref,status", [
    ("coordinator_a", "P-AAAAAAA", 403),    # a Coordinator cannot erase, even in their own ward
    ("manager_south", "P-AAAAAAA", 404),    # another council's manager cannot even find them
    ("commissioner", "P-AAAAAAA", 403),
])
def test_only_the_persons_own_manager_can_erase(world, login, who, ref, status):
    response = login(getattr(world, who)).post(reverse("erase", args=[ref]),
                                               {"reason": "request", "confirm": ref})
    assert response.status_code == status
    assert Person.objects.get(reference=ref).erased_on is None


def test_subject_access_holds_every_record_and_who_saw_it(world, login):
    _write_about(world.person_a, world.coordinator_a)
    client = login(world.coordinator_a)
    client.get(reverse("person", args=["P-AAAAAAA"]))
    held = json.loads(client.get(reverse("subject_access", args=["P-AAAAAAA"]), {"format": "json"}).content)
    assert held["reference"] == "P-AAAAAAA" and held["about"]["Given name"] == "Aled"
    kinds = {s["model"]: len(s["rows"]) for s in held["records"]}
    # conftest: one consent, introduction, engagement, activity; here a connection, outcome, story
    for label in ("people.ConsentRecord", "journeys.Introduction", "journeys.Engagement", "journeys.Activity",
                  "journeys.Connection", "journeys.Outcome", "journeys.Story"):
        assert kinds[label] == 1, label
    story = next(s for s in held["records"] if s["model"] == "journeys.Story")["rows"][0]
    assert story["What happened"] == "Aled Example rebuilt his garden"
    seen = [(e["who"], e["what"]) for e in held["seen_by"]]
    assert seen[:2] == [("coord_a", "Viewed"), ("coord_a", "Exported")]

    html = client.get(reverse("subject_access", args=["P-AAAAAAA"])).content.decode()
    assert "Everything held about you" in html and "Gwen (neighbour)" in html
    pdf = client.get(reverse("subject_access", args=["P-AAAAAAA"]), {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_subject_access_is_scoped_like_the_person_page(world, login):
    url = reverse("subject_access", args=["P-AAAAAAA"])
    for who in ("coordinator_b", "manager_south"):
        assert login(getattr(world, who)).get(url).status_code == 404
    for who in ("commissioner", "analyst", "admin"):
        assert login(getattr(world, who)).get(url).status_code == 403


def _close(person, ended):
    Engagement.objects.filter(person=person).update(ended_on=ended,
                                                    status=code("engagement_status", "closed"))


def test_retention_dry_run_lists_and_changes_nothing_then_the_run_erases(world):
    # Person A's support ended 7 years before the date; B's 5 years before; C is still supported.
    today = date(2032, 6, 1)
    _close(world.person_a, date(2025, 5, 31))
    _close(world.person_b, date(2027, 6, 2))
    out = StringIO()
    call_command("retention", "--years", "6", "--dry-run", "--today", "2032-06-01", stdout=out)
    assert "would erase P-AAAAAAA" in out.getvalue()
    assert "Dry run: would erase 1 people" in out.getvalue() and "P-BBBBBBB" not in out.getvalue()
    assert Person.objects.filter(erased_on__isnull=False).count() == 0

    call_command("retention", "--years", "6", "--today", "2032-06-01", stdout=StringIO())
    assert list(Person.objects.filter(erased_on__isnull=False).values_list("reference", flat=True)) == [
        "P-AAAAAAA"]
    assert Person.objects.get(reference="P-AAAAAAA").given_name == ""
    assert list(due_for_erasure(6, today)) == []       # nobody is erased twice
    assert AuditEvent.objects.get(action="erase").username == "retention"


def test_retention_keeps_someone_introduced_again(world):
    _close(world.person_a, date(2020, 1, 1))
    from alongside.journeys.models import Introduction
    Introduction.objects.create(person=world.person_a, ward=world.ward_a, introduced_on=date(2030, 1, 1),
                                route=code("introduction_route", "gp"),
                                level_requested=code("level_of_support", "L1"))
    assert "P-AAAAAAA" not in [p.reference for p in due_for_erasure(6, date(2032, 6, 1))]


def test_retention_refuses_a_period_under_a_year(world):
    with pytest.raises(CommandError, match="--years must be 1 or more"):
        call_command("retention", "--years", "0")
    assert ConsentRecord.objects.count() == 3


def test_the_subject_access_page_styles_itself_under_the_content_security_policy(world, login):
    import re
    response = login(world.coordinator_a).get(reverse("subject_access", args=["P-AAAAAAA"]))
    nonce = re.search(r"<style nonce=\"([^\"]+)\">", response.content.decode())
    assert nonce and f"'nonce-{nonce.group(1)}'" in response["Content-Security-Policy"]
