"""Every page of the app, as every role, aimed at a person the role may not see: nothing that
identifies them comes back. And every free-text field, filled with markup, is shown as text."""

from datetime import date
from urllib.parse import urlencode

import pytest
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from alongside.accounts.models import User
from alongside.codes.lookup import code
from alongside.community.models import CommunityAsset, CommunityGroup
from alongside.evidence.distance.scoring import measures
from alongside.journeys.models import Connection, Outcome, SharedAgreement, Story
from alongside.people.merging import merge
from alongside.people.models import Person
from alongside.people.privacy import linked_records
from alongside.reports.models import Report

from .conftest import signed_in

# Not the app's own pages: Django's admin (its own permissions), the API (tests/test_api.py runs
# its own route × role matrix), the language switch and static files.
# /healthz answers 503 on purpose when a part is down (no worker here): tests/operations checks it.
SKIP_PREFIXES = ("admin", "api/", "i18n/", "static/", "healthz")


def app_routes() -> list[tuple[str, list[str]]]:
    """(URL name, names of its parameters) for every named route of the app."""
    found = []

    def walk(patterns, prefix=""):
        for p in patterns:
            route = prefix + str(p.pattern)
            if route.startswith(SKIP_PREFIXES):
                continue
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern) and p.name:
                found.append((p.name, list(p.pattern.converters)))
    walk(get_resolver().url_patterns)
    return found


def _target(world, person, group):
    """Something of every kind the routes take, belonging to `person` / `group`."""
    story = Story.objects.create(ward=person.ward, person=person, title=f"{person.given_name}'s story",
                                 written_on=date(2025, 7, 1), before="b", what_happened="w",
                                 what_changed="c")
    agreement = SharedAgreement.objects.create(person=person, agreed_on=date(2025, 4, 1))
    report = Report.objects.create(kind="site", council=person.ward.council, period="2024/25-Q4",
                                   language="en", status=Report.Status.DONE,
                                   html=f"<p>{person.given_name}</p>", pdf=b"%PDF-")
    # Named after the group, so that a page leaking the asset leaks a secret already looked for.
    asset = CommunityAsset.objects.create(ward=person.ward, kind=code("asset_kind", "individual_skill"),
                                          name=f"{group.name} bike repairs", offered_by=person,
                                          noted_on=date(2025, 4, 1))
    asset.groups.add(group)
    Connection.objects.create(person=person, kind=code("connection_kind", "asset"), asset=asset,
                              made_on=date(2025, 4, 2))
    # A second record of the person, merged into theirs: its name is theirs, so a page leaking
    # the merged record leaks a secret already looked for.
    twice = Person.objects.create(reference=f"{person.reference[:-1]}Z", ward=person.ward,
                                  given_name=f"{person.given_name} twice")
    merged = merge(person, twice, User.objects.get(role="manager", council=person.ward.council))
    return {"reference": person.reference, "pk": None, "agreement_id": agreement.pk,
            "measure": next(iter(measures())), "what": "activity",
            "merge_id": merged.pk,
            "_group": group.pk, "_story": story.pk, "_report": report.pk, "_asset": asset.pk,
            # a password-reset link that is not (or no longer) valid
            "uidb64": "MQ", "token": "0-0", "action": "reset-factor", "name": "group_type"}


def url_for(name: str, params: list[str], target: dict) -> str:
    kwargs = {}
    for p in params:
        if p == "pk":
            kwargs[p] = (target["_report"] if name.startswith("report") else
                         target["_story"] if name.startswith("story") else
                         target["_asset"] if name.startswith("asset") else target["_group"])
        else:
            kwargs[p] = target[p]
    return reverse(name, kwargs=kwargs)


def _identify(person) -> list[str]:
    return [person.given_name, person.phone, person.postcode]


@pytest.fixture
def marked(world):
    """Identifiers that appear nowhere else: finding one in a response is a leak."""
    for person, given, phone, postcode in ((world.person_a, "Aledwyn-Qz", "01632 960101", "ZZ1 1AA"),
                                           (world.person_c, "Ceridwen-Qx", "01632 960303", "ZZ3 3CC")):
        person.given_name, person.phone, person.postcode = given, phone, postcode
        person.save()
    world.group_c = CommunityGroup.objects.create(ward=world.ward_c, name="Cwmbach Choir Qx",
                                                  type=code("group_type", "lunch_club"))
    return world


def test_no_route_shows_a_person_to_a_role_outside_their_ward(marked, client):
    w = marked
    routes = app_routes()
    assert len(routes) >= 45
    # Person C (Glasmoor) against every role of Lowmere; person A (Ashley North) against the
    # Coordinator of the next ward and against the other council's staff.
    cases = [(w.person_c, w.group_c, [w.coordinator_a, w.coordinator_b, w.manager, w.commissioner,
                                      w.analyst, w.admin]),
             (w.person_a, w.group_a, [w.coordinator_b, w.coordinator_c, w.manager_south])]
    checked = shown = 0
    leaks = []
    for person, group, users in cases:
        target = _target(w, person, group)
        secrets = _identify(person) + ([group.name] if group is w.group_c else [])
        for user in users:
            signed_in(client, user)
            for name, params in routes:
                url = url_for(name, params, target)
                for method in ("get", "post"):
                    response = getattr(client, method)(url)
                    assert response.status_code < 500, f"{method.upper()} {url} as {user.username}"
                    body = response.content.decode(errors="replace")
                    leaks += [f"{method.upper()} {url} as {user.username}: {s}" for s in secrets if s in body]
                    checked += 1
                    shown += response.status_code == 200
                    if name == "logout":       # signed out by that one; the rest need the user
                        signed_in(client, user)
            client.logout()
    assert leaks == []
    print(f"route × role × method checks: {checked} ({len(routes)} routes); {shown} pages shown")
    assert shown > 200      # signed in throughout: most pages answer, just not with person C
    assert checked == len(routes) * 2 * 9


PAYLOAD = '<script>alert("x")</script>"><img src=x onerror=alert(1)>'


def test_markup_typed_into_any_free_text_is_shown_as_text(world, login):
    """Every text field of every record about a person (and their group), filled with markup,
    then every page about them rendered: the markup never reaches the page as markup."""
    person = world.person_a
    Connection.objects.create(person=person, made_on=date(2025, 4, 1), group=world.group_a,
                              kind=code("connection_kind", "group"), other_person=PAYLOAD)
    Outcome.objects.create(person=person, observed_on=date(2025, 5, 1), outcome=code("outcome", "STO1"),
                           evidence=PAYLOAD)
    target = _target(world, person, world.group_a)
    filled = 0
    groups = [("group", CommunityGroup.objects.filter(pk=world.group_a.pk))]
    for _label, qs in linked_records(person) + groups:
        texts = {f.name: PAYLOAD[:f.max_length] if f.max_length else PAYLOAD
                 for f in qs.model._meta.concrete_fields
                 if isinstance(f, models.CharField | models.TextField) and not f.choices
                 and not f.is_relation and f.name not in ("reference", "key", "prefix", "digest",
                                                          "previous_hash", "hash", "service", "measure")}
        if texts:
            filled += qs.update(**texts)
    person.given_name = PAYLOAD[:80]
    person.save()
    # consent, introduction, activity, two connections (a group, an asset), outcome, story, the
    # asset they offer, group: the rows with text
    assert filled == 9
    for user in (world.coordinator_a, world.manager):
        client = login(user)
        for name, params in app_routes():
            body = client.get(url_for(name, params, target)).content.decode(errors="replace")
            assert '<script>alert("x")' not in body, name
            assert "<img src=x onerror" not in body, name
        held = client.get(reverse("subject_access", args=[person.reference])).content.decode()
        assert "&lt;script&gt;alert(" in held          # shown, as text


NAMES = ("ward", "coordinator", "council", "version", "group", "person", "page", "level", "weeks",
         "period", "year", "prices", "status", "show", "by", "format", "measure", "q")


@pytest.mark.parametrize("bad", ["abc", "²", "99999999999999999999", "-1", "1\x00"])
def test_no_route_fails_on_a_nonsense_query_parameter(world, client, bad):
    """Every query parameter any page reads, given something that is not a value it takes:
    the page answers (a 200 ignoring it, or a 4xx), never a server error."""
    query = urlencode({n: bad for n in NAMES})
    target = _target(world, world.person_a, world.group_a)
    for user in (world.coordinator_a, world.manager, world.analyst):
        signed_in(client, user)
        for name, params in app_routes():
            if name == "logout":
                continue
            url = f"{url_for(name, params, target)}?{query}"
            assert client.get(url).status_code < 500, f"GET {url} as {user.username}"
        client.logout()
