"""Every route that returns people, tried by every role that should not see them."""

import pytest
from django.urls import reverse

from alongside import scoping

PERSON_ROUTES = ["person"]  # routes taking a person reference
LIST_ROUTES = ["caseload"]  # routes listing people


def names_in(response):
    return response.content.decode()


@pytest.mark.parametrize("route", PERSON_ROUTES)
def test_coordinator_cannot_open_a_person_of_another_ward(world, login, route):
    client = login(world.coordinator_a)
    assert client.get(reverse(route, args=[world.person_a.reference])).status_code == 200
    assert client.get(reverse(route, args=[world.person_b.reference])).status_code == 404
    assert client.get(reverse(route, args=[world.person_c.reference])).status_code == 404


@pytest.mark.parametrize("route", PERSON_ROUTES)
def test_manager_sees_own_site_only(world, login, route):
    client = login(world.manager)
    assert client.get(reverse(route, args=[world.person_a.reference])).status_code == 200
    assert client.get(reverse(route, args=[world.person_b.reference])).status_code == 200
    assert client.get(reverse(route, args=[world.person_c.reference])).status_code == 404


@pytest.mark.parametrize("route", PERSON_ROUTES + LIST_ROUTES)
@pytest.mark.parametrize("role", ["commissioner", "analyst", "admin"])
def test_roles_without_identifiable_access_are_refused(world, login, route, role):
    client = login(getattr(world, role))
    args = [world.person_a.reference] if route in PERSON_ROUTES else []
    response = client.get(reverse(route, args=args))
    assert response.status_code == 403
    assert "Aled" not in names_in(response)


def test_anonymous_visitor_is_sent_to_sign_in(world, client):
    response = client.get(reverse("person", args=[world.person_a.reference]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_caseload_lists_only_the_coordinators_own_people(world, login):
    page = names_in(login(world.coordinator_a).get(reverse("caseload")))
    assert "Aled" in page
    assert "Bethan" not in page and "Ceri" not in page


def test_manager_caseload_covers_the_site_not_other_councils(world, login):
    page = names_in(login(world.manager).get(reverse("caseload")))
    assert "Aled" in page and "Bethan" in page
    assert "Ceri" not in page


def test_caseload_page_parameter_cannot_widen_scope(world, login):
    client = login(world.coordinator_a)
    for query in ["?status=closed", "?status=../../", "?page=999", "?ward=" + str(world.ward_b.pk)]:
        assert "Bethan" not in names_in(client.get(reverse("caseload") + query))


def test_overview_never_shows_an_identifiable_field(world, login):
    for user in (world.commissioner, world.analyst):
        page = names_in(login(user).get(reverse("overview")))
        for person in (world.person_a, world.person_b, world.person_c):
            assert person.given_name not in page
            assert person.reference not in page


def test_commissioner_overview_is_own_site_with_small_numbers_suppressed(world, login):
    page = names_in(login(world.commissioner).get(reverse("overview")))
    assert "Lowmere Council" in page and "Glasmoor Council" not in page
    # Two people in the site: shown as <5, never as "2".
    assert "&lt;5 people recorded" in page


def test_analyst_sees_only_councils_that_share_with_the_network(world, login):
    page = names_in(login(world.analyst).get(reverse("overview")))
    assert "Lowmere Council" in page
    assert "Glasmoor Council" not in page


def test_scoping_layer_returns_no_people_for_non_practitioners(world):
    for user in (world.commissioner, world.analyst, world.admin):
        assert scoping.people(user).count() == 0
    assert set(scoping.people(world.coordinator_a)) == {world.person_a}
    assert set(scoping.people(world.manager)) == {world.person_a, world.person_b}


def test_inactive_coordinator_sees_nobody(world):
    world.coordinator_a.is_active = False
    world.coordinator_a.save()
    assert scoping.people(world.coordinator_a).count() == 0
