"""Every practice page tried from outside its ward: another ward's Coordinator gets a 404
(not even confirmation that the person exists) and changes nothing; roles without
identifiable records get a 403. A new route must be added to ROUTES."""

from datetime import date

import pytest
from django.apps import apps
from django.urls import get_resolver

from alongside.codes.lookup import code
from alongside.community.models import CommunityAsset
from alongside.journeys.models import SharedAgreement, Story

pytestmark = pytest.mark.django_db
TODAY = date.today().isoformat()


def routes(world):
    plan = SharedAgreement.objects.create(person=world.person_a, agreed_on=date(2025, 4, 1))
    g = world.group_a.pk
    story = Story.objects.create(ward=world.ward_a, person=world.person_a, title="T",
                                 written_on=date(2025, 5, 1), before="b", what_happened="h",
                                 what_changed="c")
    asset = CommunityAsset.objects.create(ward=world.ward_a, kind=code("asset_kind", "space"),
                                          name="Ashley community garden", noted_on=date(2025, 4, 1)).pk
    p = "/people/P-AAAAAAA"
    any_post = {"kind": code("activity", "home_visit").pk, "done_on": TODAY, "given_on": TODAY,
                "choice": "safe_waiting", "on": TODAY, "name": "X", "type": code("group_type", "food").pk,
                "ward": world.ward_a.pk, "status": "answered", "taken_on": TODAY,
                "life_satisfaction": "5", "worthwhile": "5", "happiness": "5", "anxiety": "5",
                "lonely": "3", "companionship": "2", "left_out": "2", "isolated": "2"}
    return [
        (f"{p}/", any_post),
        (f"{p}/introduction/", any_post),
        (f"{p}/conversation/", any_post),
        (f"{p}/agreement/", any_post),
        (f"{p}/agreement/{plan.pk}/review/", any_post),
        (f"{p}/close/", any_post),
        *[(f"{p}/measure/{m}/", any_post) for m in ("ons4", "loneliness_direct", "ucla3")],
        *[(f"{p}/record/{what}/", any_post) for what in
          ("activity", "connection", "trigger", "context", "outcome", "insulator", "ripple")],
        (f"/community/groups/{g}/", any_post),
        (f"/community/groups/{g}/edit/", any_post),
        (f"/community/groups/{g}/support/", any_post),
        (f"/community/groups/{g}/work/", any_post),
        (f"/community/assets/{asset}/", any_post),
        (f"/community/assets/{asset}/edit/", any_post),
        ("/stories/new/?person=P-AAAAAAA", any_post),
        (f"/stories/new/?group={g}", any_post),
        (f"/stories/{story.pk}/", any_post),
    ]


def manager_routes(world):
    """A manager's decisions about a person (merging two records, undoing it): the person's own
    Coordinator gets a 403, another ward's a 404, and only GET-able pages answer the manager."""
    from alongside.people.merging import merge
    from alongside.people.models import Person

    twice = Person.objects.create(reference="P-AAAAAAZ", ward=world.ward_a, given_name="Aled")
    done = merge(world.person_a, twice, world.manager)
    p = "/people/P-AAAAAAA"
    return [(f"{p}/merge/", {"reference": "P-BBBBBBB"}, True),
            (f"{p}/merge/check/?with=P-BBBBBBB", {"reference": "P-BBBBBBB"}, True),
            (f"{p}/merge/{done.pk}/undo/", {}, False)]


def test_manager_only_pages_are_refused_to_coordinators_and_outside_the_council(world, login):
    pages = manager_routes(world)
    before = row_counts()
    for user, status in ((world.coordinator_b, 404), (world.coordinator_c, 404), (world.manager_south, 404),
                         (world.coordinator_a, 403), (world.commissioner, 403), (world.analyst, 403),
                         (world.admin, 403)):
        c = login(user)
        for url, data, _shown in pages:
            assert c.get(url).status_code in ((status, 405) if not _shown else (status,)), (user, url)
            assert c.post(url, data).status_code == status, (user, url)
    assert row_counts() == before
    c = login(world.manager)
    for url, _data, shown in pages:
        assert c.get(url).status_code == (200 if shown else 405), url


def row_counts():
    return {m._meta.label: m.objects.count() for m in apps.get_models()
            if m._meta.app_label in ("people", "journeys", "community")}


def test_another_wards_coordinator_can_neither_see_nor_change_anything(world, login):
    c = login(world.coordinator_b)
    pages = routes(world)
    before = row_counts()
    for url, data in pages:
        assert c.get(url).status_code == 404, url
        assert c.post(url, data).status_code == 404, url
    assert row_counts() == before


def test_a_coordinator_in_another_council_is_refused_too(world, login):
    c = login(world.coordinator_c)
    for url, _data in routes(world):
        assert c.get(url).status_code == 404, url


@pytest.mark.parametrize("who", ["commissioner", "analyst", "admin"])
def test_roles_without_identifiable_records_are_refused_every_practice_page(world, login, who):
    c = login(getattr(world, who))
    pages = routes(world)
    before = row_counts()
    for url, data in pages + [("/introductions/new/", {}), ("/community/", {}),
                                      ("/community/groups/new/", {}), ("/community/gaps/new/", {}),
                                      ("/community/drop-ins/new/", {}), ("/community/assets/new/", {}),
                                      ("/stories/", {}),
                                      ("/caseload/", {})]:
        assert c.get(url).status_code == 403, url
        assert c.post(url, data).status_code == 403, url
    assert row_counts() == before


def test_the_same_ward_coordinator_and_the_manager_can_open_every_page(world, login):
    for user in (world.coordinator_a, world.manager):
        c = login(user)
        for url, _data in routes(world):
            assert c.get(url).status_code == 200, (user, url)


def test_lists_show_only_the_users_wards(world, login):
    c = login(world.coordinator_b)
    for url in ("/community/", "/stories/", "/caseload/"):
        body = c.get(url).content.decode()
        assert "Ashley" not in body and "Aled" not in body, url


def test_every_practice_route_is_covered_here(world):
    covered = {u.split("?")[0].rstrip("/") for u, _ in routes(world)} | {
        u.split("?")[0].rstrip("/") for u, _, _ in manager_routes(world)}
    names = {"home", "login", "logout", "overview", "caseload", "introduction_new", "community_map",
             "group_new", "gap_new", "drop_in_new", "asset_new", "stories", "set_language",
             # an invitation's link is for someone not yet signed in: tests/test_invitations.py
             "invitation"}
    uncovered = [p.name for p in get_resolver().url_patterns if getattr(p, "name", None)
                 and p.name not in names and str(p.pattern).count("<") > 0
                 and not any(_matches(str(p.pattern), u) for u in covered)]
    assert uncovered == []


def _matches(pattern: str, url: str) -> bool:
    import re
    rx = re.sub(r"<[^>]+>", "[^/]+", pattern.rstrip("/"))
    return re.fullmatch(rx, url.lstrip("/")) is not None
