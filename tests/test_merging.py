"""A manager's merge of two records of the same person (people/merging.py, front/merges.py):
every record moves, the old reference finds the kept person, the duplicate counts nowhere, and
an undo puts back exactly what moved. Counts below are built by hand from the world."""

from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse

from alongside import scoping
from alongside.audit.models import AuditEvent
from alongside.codes.lookup import code
from alongside.community.models import CommunityAsset
from alongside.dataset import export as exporting
from alongside.dataset.models import LegacyKey
from alongside.journeys.models import (
    Activity,
    Connection,
    Context,
    Conversation,
    Engagement,
    Insulator,
    Introduction,
    Outcome,
    Ripple,
    ServiceUseChange,
    SharedAgreement,
    Story,
    Strength,
    Trigger,
)
from alongside.people import merging
from alongside.people.models import ConsentRecord, Person, PersonAlias, PersonMerge
from alongside.people.privacy import erase

from .conftest import make_person

pytestmark = pytest.mark.django_db
ON = date(2025, 5, 1)

# What the duplicate holds, kind by kind (make_person gives one consent, introduction,
# engagement and activity; `duplicate` below adds the rest by hand).
DUPLICATE_HOLDS = {
    "people.ConsentRecord": 1, "journeys.Introduction": 1, "journeys.Engagement": 1,
    "journeys.Activity": 3, "journeys.Connection": 1, "journeys.Outcome": 1,
    "journeys.Insulator": 1, "journeys.Trigger": 1, "journeys.Context": 1, "journeys.Ripple": 1,
    "journeys.Story": 1, "journeys.Conversation": 1, "journeys.Strength": 1,
    "journeys.SharedAgreement": 1, "journeys.ServiceUseChange": 1, "dataset.LegacyKey": 1,
    "community.CommunityAsset": 1,
}


@pytest.fixture
def duplicate(world):
    """Aled recorded a second time in Ashley North, with one record of (nearly) every kind."""
    d = make_person("P-DDDDDDD", world.ward_a, world.coordinator_a, "Aled")
    d.family_name, d.phone, d.birth_month = "Example", "01632 960999", date(1950, 6, 1)
    d.save()
    c = world.coordinator_a
    for kind, a in (("advocacy", "A3"), ("sounding_board", "A4")):
        Activity.objects.create(person=d, coordinator=c, activity=code("activity", a),
                                kind=code("activity", kind), level=code("activity_level", "individual"),
                                done_on=ON, minutes=30)
    Connection.objects.create(person=d, kind=code("connection_kind", "group"), group=world.group_a,
                              made_on=ON)
    Outcome.objects.create(person=d, outcome=code("outcome", "STO1"), observed_on=ON)
    Insulator.objects.create(person=d, insulator=code("insulator", "networks"), observed_on=ON)
    Trigger.objects.create(person=d, trigger=code("trigger", "stress_anxiety"), occurred_on=ON)
    Context.objects.create(person=d, context=code("context", next(iter(_codes("context")))), noted_on=ON)
    Ripple.objects.create(person=d, ripple=code("ripple", next(iter(_codes("ripple")))), observed_on=ON)
    Story.objects.create(ward=world.ward_a, person=d, title="Aled's story", written_on=ON, before="b",
                         what_happened="h", what_changed="c")
    talk = Conversation.objects.create(person=d, held_on=ON, vision="A garden again")
    Strength.objects.create(person=d, conversation=talk, kind=code("strength_kind", next(iter(
        _codes("strength_kind")))), description="Grows vegetables")
    SharedAgreement.objects.create(person=d, agreed_on=ON)
    ServiceUseChange.objects.create(person=d, service="gp_consultation", change="prevented", quantity=1,
                                    observed_on=ON, evidence="e")
    LegacyKey.objects.create(council=world.north, system="workbook", key="42", person=d)
    CommunityAsset.objects.create(ward=world.ward_a, kind=code("asset_kind", "individual_skill"),
                                  name="Vegetable growing", offered_by=d, noted_on=ON)
    return d


def _codes(list_name):
    from alongside.codes.models import Code

    return Code.objects.filter(list=list_name).values_list("code", flat=True)


def holdings(person) -> dict[str, int]:
    """How many records of each kind point at the person, found the way merging finds them."""
    counts = {}
    for model, f in merging.person_links():
        if model._meta.label == "people.PersonAlias":
            continue
        n = model._base_manager.filter(**{f.name: person}).count()
        if n:
            counts[model._meta.label] = counts.get(model._meta.label, 0) + n
    return counts


KEPT_HOLDS = {"people.ConsentRecord": 1, "journeys.Introduction": 1, "journeys.Engagement": 1,
              "journeys.Activity": 1}


def test_every_record_moves_to_the_kept_person_and_the_reference_becomes_an_alias(world, duplicate):
    kept = world.person_a
    assert holdings(duplicate) == DUPLICATE_HOLDS
    assert holdings(kept) == KEPT_HOLDS
    done = merging.merge(kept, duplicate, world.manager)
    assert merging.moved_counts(done) == DUPLICATE_HOLDS
    assert holdings(duplicate) == {}
    assert holdings(kept) == {k: KEPT_HOLDS.get(k, 0) + DUPLICATE_HOLDS.get(k, 0)
                              for k in {**KEPT_HOLDS, **DUPLICATE_HOLDS}}
    assert kept.activities.count() == 4 and kept.introductions.count() == 2
    assert kept.engagements.count() == 2
    duplicate.refresh_from_db()
    assert duplicate.merged_at is not None
    assert Person.objects.filter(pk=duplicate.pk).exists()          # marked, not deleted
    assert PersonAlias.objects.get(reference="P-DDDDDDD").person == kept


def test_no_kind_of_record_about_a_person_is_left_out_of_the_move():
    """Every model with a key to Person moves, but the audit trail and the merges themselves:
    a model added later is found without a list to keep up to date."""
    pointing = {m._meta.label for m in apps.get_models(include_auto_created=True)
                for f in m._meta.concrete_fields if f.is_relation and f.related_model is Person}
    moved = {m._meta.label for m, _ in merging.person_links()}
    assert pointing - moved == {"audit.AuditEvent", "people.PersonMerge"}
    assert {"journeys.Activity", "journeys.Story", "dataset.LegacyKey", "people.PersonAlias"} <= moved


def test_undo_puts_back_exactly_what_moved_and_restores_the_duplicate(world, duplicate):
    kept = world.person_a
    fields = {f.name: getattr(duplicate, f.attname if f.is_relation else f.name)
              for f in Person._meta.concrete_fields}
    done = merging.merge(kept, duplicate, world.manager)
    # Recorded for the kept person after the merge: stays with them on undo.
    Activity.objects.create(person=kept, coordinator=world.coordinator_a, activity=code("activity", "A1"),
                            kind=code("activity", "home_visit"), level=code("activity_level", "individual"),
                            done_on=ON)
    back = merging.undo(done, world.manager)
    assert back == DUPLICATE_HOLDS
    assert holdings(duplicate) == DUPLICATE_HOLDS
    assert holdings(kept) == {**KEPT_HOLDS, "journeys.Activity": 2}
    duplicate.refresh_from_db()
    assert {f.name: getattr(duplicate, f.attname if f.is_relation else f.name)
            for f in Person._meta.concrete_fields} == fields
    assert not PersonAlias.objects.exists()
    done.refresh_from_db()
    assert done.undone_at is not None and done.undone_by == world.manager
    with pytest.raises(merging.MergeRefused):
        merging.undo(done, world.manager)


def test_merge_and_undo_are_in_the_audit_trail_for_both_people(world, duplicate, login):
    client = login(world.manager)
    url = reverse("merge_check", args=[world.person_a.reference])
    response = client.post(url, {"reference": "P-DDDDDDD"})
    assert response.status_code == 302 and response.url == reverse("person", args=["P-AAAAAAA"])
    done = PersonMerge.objects.get()
    merges = AuditEvent.objects.filter(action="merge").order_by("id")
    assert [(e.person_reference, e.username) for e in merges] == [("P-AAAAAAA", "manager_north"),
                                                                  ("P-DDDDDDD", "manager_north")]
    assert merges[0].detail["moved"] == DUPLICATE_HOLDS and merges[0].detail["merge"] == done.pk
    assert merges[0].path == url
    assert merges[1].detail["into"] == "P-AAAAAAA"
    response = client.post(reverse("merge_undo", args=["P-AAAAAAA", done.pk]))
    assert response.status_code == 302
    undone = AuditEvent.objects.filter(action="unmerge").order_by("id")
    assert [e.person_reference for e in undone] == ["P-AAAAAAA", "P-DDDDDDD"]
    assert undone[0].detail["moved_back"] == DUPLICATE_HOLDS
    from alongside.audit.chain import verify

    assert verify().intact


def test_the_old_reference_redirects_to_the_kept_person_within_scope(world, duplicate, login):
    merging.merge(world.person_a, duplicate, world.manager)
    for user in (world.manager, world.coordinator_a):
        response = login(user).get(reference_url := reverse("person", args=["P-DDDDDDD"]))
        assert response.status_code == 302 and response.url == reverse("person", args=["P-AAAAAAA"])
    for user in (world.coordinator_b, world.manager_south):
        assert login(user).get(reference_url).status_code == 404


def test_the_pages_merge_and_show_the_merged_record_with_its_undo(world, duplicate, login):
    client = login(world.manager)
    page = client.get(reverse("person", args=["P-AAAAAAA"])).content.decode()
    assert "Merge with another record" in page
    response = client.post(reverse("merge", args=["P-AAAAAAA"]), {"reference": " p-ddddddd "})
    assert response.status_code == 302
    assert response.url == reverse("merge_check", args=["P-AAAAAAA"]) + "?with=P-DDDDDDD"
    check = client.get(response.url).content.decode()
    assert "<th scope=\"col\" class=\"govuk-table__header\">Kept</th>" in check
    assert check.index("P-AAAAAAA</td>") < check.index("P-DDDDDDD</td>")
    assert "June 1950" in check and "Ashley North" in check
    assert ">3<" in check                              # the duplicate's activities
    assert Activity.objects.filter(person=duplicate).count() == 3     # nothing moved yet
    seen = AuditEvent.objects.filter(action="view", detail__what="merge check")
    assert sorted(seen.values_list("person_reference", flat=True)) == ["P-AAAAAAA", "P-DDDDDDD"]
    # Without a reference the check page is the first page again, with no error on it.
    blank = client.get(reverse("merge_check", args=["P-AAAAAAA"])).content.decode()
    assert "Reference of the other record" in blank and "There is a problem" not in blank
    followed = client.post(reverse("merge_check", args=["P-AAAAAAA"]), {"reference": "P-DDDDDDD"},
                           follow=True).content.decode()
    assert "P-DDDDDDD is merged into this record: 19 records moved." in followed
    assert "Merged records" in followed and "Undo merge" in followed
    assert sum(DUPLICATE_HOLDS.values()) == 19


@pytest.mark.parametrize("typed, message", [
    ("P-AAAAAAA", "Enter the reference of a different person"),
    ("P-ZZZZZZZ", "There is no person with that reference in your council"),
    ("P-CCCCCCC", "There is no person with that reference in your council"),   # another council
])
def test_refusals_change_nothing(world, duplicate, login, typed, message):
    client = login(world.manager)
    for url in (reverse("merge", args=["P-AAAAAAA"]), reverse("merge_check", args=["P-AAAAAAA"])):
        response = client.post(url, {"reference": typed})
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not PersonMerge.objects.exists()
    assert client.get(reverse("merge_check", args=["P-AAAAAAA"]) + f"?with={typed}").status_code == 200


def test_an_already_merged_or_erased_record_is_refused(world, duplicate, login):
    client = login(world.manager)
    other = make_person("P-EEEEEEE", world.ward_a, world.coordinator_a, "Aled")
    merging.merge(world.person_a, duplicate, world.manager)
    body = client.post(reverse("merge", args=["P-EEEEEEE"]), {"reference": "P-DDDDDDD"}).content.decode()
    assert "already merged into another" in body
    erase(other)
    body = client.post(reverse("merge", args=["P-AAAAAAA"]), {"reference": "P-EEEEEEE"}).content.decode()
    assert "identifiers erased" in body
    assert PersonMerge.objects.count() == 1


def test_open_engagements_at_different_levels_are_refused(world, duplicate, login):
    Engagement.objects.filter(person=duplicate).update(level=code("level_of_support", "L1"))
    client = login(world.manager)
    url = reverse("merge_check", args=["P-AAAAAAA"])
    body = client.post(url, {"reference": "P-DDDDDDD"}).content.decode()
    assert "open engagement, at different levels" in body
    assert holdings(duplicate) == DUPLICATE_HOLDS
    # Once one of them is closed, they merge.
    Engagement.objects.filter(person=duplicate).update(status=code("engagement_status", "closed"))
    assert merging.refusal(world.person_a, duplicate, world.manager) is None


def test_two_people_in_different_wards_of_one_council_merge(world, login):
    """Bethan's record in Brookside, merged into Aled's: the manager sees both."""
    Engagement.objects.filter(person=world.person_b).update(status=code("engagement_status", "closed"))
    done = merging.merge(world.person_a, world.person_b, world.manager)
    assert merging.moved_counts(done) == KEPT_HOLDS


def test_a_coordinator_and_another_councils_manager_cannot_merge(world, duplicate, login):
    before = holdings(duplicate)
    pages = [(reverse("merge", args=["P-AAAAAAA"]), "get"), (reverse("merge", args=["P-AAAAAAA"]), "post"),
             (reverse("merge_check", args=["P-AAAAAAA"]) + "?with=P-DDDDDDD", "get"),
             (reverse("merge_check", args=["P-AAAAAAA"]), "post")]
    for user, status in ((world.coordinator_a, 403), (world.coordinator_b, 404), (world.manager_south, 404),
                         (world.commissioner, 403), (world.analyst, 403)):
        client = login(user)
        for url, method in pages:
            assert getattr(client, method)(url, {"reference": "P-DDDDDDD"}).status_code == status, (user, url)
    # Another council's manager, from a person of their own, naming people of Lowmere: refused.
    client = login(world.manager_south)
    for typed in ("P-AAAAAAA", "P-DDDDDDD"):
        body = client.post(reverse("merge_check", args=["P-CCCCCCC"]), {"reference": typed}).content.decode()
        assert "There is no person with that reference in your council" in body
    # And the domain refuses them whatever a view would do.
    for user in (world.coordinator_a, world.manager_south):
        with pytest.raises(merging.MergeRefused):
            merging.merge(world.person_a, duplicate, user)
    with pytest.raises(merging.MergeRefused):
        merging.merge(world.person_c, world.person_a, world.manager_south)
    assert holdings(duplicate) == before and not PersonMerge.objects.exists()


def test_only_the_councils_manager_can_undo(world, duplicate, login):
    done = merging.merge(world.person_a, duplicate, world.manager)
    url = reverse("merge_undo", args=["P-AAAAAAA", done.pk])
    for user, status in ((world.coordinator_a, 403), (world.coordinator_b, 404), (world.manager_south, 404)):
        assert login(user).post(url).status_code == status
    assert login(world.manager).get(url).status_code == 405           # a POST, never a link
    with pytest.raises(merging.MergeRefused):
        merging.undo(done, world.manager_south)
    done.refresh_from_db()
    assert done.undone_at is None and holdings(duplicate) == {}


def test_the_merged_duplicate_is_counted_nowhere(world, duplicate, login):
    wards = scoping.wards(world.manager)
    assert scoping.people_count(wards) == 3
    assert exporting.rows("person", wards, None)[1] == 3
    assert exporting.rows("introduction", wards, None)[1] == 3
    merging.merge(world.person_a, duplicate, world.manager)
    assert scoping.people_count(wards) == 2
    assert exporting.rows("person", wards, None)[1] == 2
    assert exporting.rows("introduction", wards, None)[1] == 3     # the records stay, moved
    assert list(scoping.people(world.coordinator_a)) == [world.person_a]
    for user in (world.coordinator_a, world.manager):
        caseload = login(user).get(reverse("caseload") + "?status=all").content.decode()
        assert "P-DDDDDDD" not in caseload and "P-AAAAAAA" in caseload
    assert Introduction.objects.filter(person=world.person_a).count() == 2


def test_erasing_the_kept_person_erases_the_merged_record_too(world, duplicate):
    done = merging.merge(world.person_a, duplicate, world.manager)
    blanked = erase(world.person_a)
    duplicate.refresh_from_db()
    assert duplicate.given_name == "" and duplicate.phone == "" and duplicate.erased_on
    assert blanked["people.Person"] == 1
    with pytest.raises(merging.MergeRefused):
        merging.undo(done, world.manager)


def test_a_chain_of_merges_is_undone_in_reverse_order(world, duplicate):
    """D into A, then A into E: D's old reference finds E; A's merge must be undone first."""
    e = make_person("P-EEEEEEE", world.ward_a, world.coordinator_a, "Aled")
    first = merging.merge(world.person_a, duplicate, world.manager)
    second = merging.merge(e, world.person_a, world.manager)
    assert merging.alias_of(world.manager, "P-DDDDDDD") == e
    assert e.activities.count() == 1 + 1 + 3
    with pytest.raises(merging.MergeRefused, match="undo that merge first"):
        merging.undo(first, world.manager)
    merging.undo(second, world.manager)
    merging.undo(first, world.manager)
    assert holdings(duplicate) == DUPLICATE_HOLDS and holdings(world.person_a) == KEPT_HOLDS
    assert holdings(e) == KEPT_HOLDS and not PersonAlias.objects.exists()
    assert ConsentRecord.objects.count() == 5
