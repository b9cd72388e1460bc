"""No page shows a code list's internal name ("home_visit", "PA1.loneliness", "less_stress"):
people read labels. Codes made to be read beside their label (PA1, A1, STO3, L2) are shown on
purpose; a code with an underscore or a dot is a slug, and never is."""

import re

import pytest
from django.conf import settings

from alongside.codes.models import Code

from .conftest import signed_in
from .test_welsh import _pieces

pytestmark = pytest.mark.django_db


def _slugs() -> set[str]:
    return {c for c in Code.objects.values_list("code", flat=True) if re.search(r"[_.]", c)}


def _slugs_on(html: str, slugs: set[str]) -> list[str]:
    found = []
    for piece in _pieces(html):
        if piece.startswith("/"):  # a path the audit trail records
            continue
        for token in re.findall(r"[A-Za-z0-9]+(?:[_.][A-Za-z0-9]+)+", piece):
            if token in slugs:
                found.append(f"{token}: {piece[:80]}")
    return found


def test_the_check_finds_a_slug_in_text_and_not_in_an_attribute():
    slugs = {"home_visit", "PA1.loneliness"}
    page = ('<label for="x"><input value="home_visit">Home visit</label>'
            '<p>PA1.loneliness Loneliness</p><p>PA1 Social isolation</p>')
    assert _slugs_on(page, slugs) == ["PA1.loneliness: PA1.loneliness Loneliness"]


def test_a_code_is_shown_only_where_people_read_it():
    assert [Code(code=c).shown_code for c in ("PA1", "A1", "STO3", "PA1.loneliness", "home_visit",
                                               "less_stress", "ageing", "6.1.e")] == [
        "PA1", "A1", "STO3", "PA1", "", "", "", "6"]


def test_no_page_of_the_route_matrix_shows_a_code_slug(world, client):
    from .test_route_matrix import _target, app_routes, url_for

    slugs = _slugs()
    assert {"home_visit", "PA1.loneliness", "less_stress"} <= slugs
    target = _target(world, world.person_a, world.group_a)
    # Records that carry slugged codes, so that a page printing a code instead of its label shows
    # one: a story coded with an insulator and a finer problem, a context.
    from alongside.codes.lookup import code
    from alongside.journeys.models import Context, Story

    Story.objects.get(pk=target["_story"]).codes.add(
        code("insulator", "less_stress"), code("problem", "PA1.loneliness"))
    Context.objects.create(person=world.person_a, context=code("context", "life_event"),
                           noted_on=world.person_a.introductions.first().introduced_on)
    qca = ("/evidence/qca/?period=all&outcome=insulators:less_stress&conditions=activities:A1"
           "&conditions=problems:PA1&conditions=contexts:life_event&incl_cut=0.8&n_cut=1")
    found, pages = {}, 0
    for user in (world.coordinator_a, world.manager, world.commissioner, world.analyst, world.admin):
        signed_in(client, user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        urls = [url_for(name, params, target) + query for name, params in app_routes()
                if name != "logout" for query in ("?period=all", "?period=all&level=individual")]
        for url in [*urls, qca]:
            name = url
            for r in (client.get(url),):
                if r.status_code != 200 or not r["Content-Type"].startswith("text/html"):
                    continue
                pages += 1
                for hit in _slugs_on(r.content.decode(), slugs):
                    found.setdefault(hit, set()).add(f"{name} ({user.role})")
        client.logout()
    assert pages > 60
    assert not found, f"{len(found)} code slugs on pages: " + "; ".join(
        f"{w} [{', '.join(sorted(where))}]" for w, where in sorted(found.items())[:40])
