"""The REST API: scoped exactly like the pages, idempotent writes, revocable tokens, a schema
that only changes on purpose."""

import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from openapi_spec_validator import validate

from alongside.api import tokens
from alongside.api.models import ApiToken
from alongside.api.v1 import api
from alongside.audit.models import AuditEvent
from alongside.codes.lookup import code
from alongside.journeys.models import Connection, Insulator, Introduction, Outcome, Story
from alongside.people.models import Person

ROOT = Path(__file__).resolve().parent.parent
JSON = "application/json"


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def token(world):
    def make(user, **kw):
        return tokens.make(user, "test", **kw)[1]
    return make


@pytest.fixture
def full_world(world):
    """Every kind of record, for the person of every ward, so that a leak would show."""
    for person, group in ((world.person_a, world.group_a), (world.person_b, world.group_b),
                          (world.person_c, None)):
        Connection.objects.create(person=person, kind=code("connection_kind", "group"), group=group,
                                  made_on=date(2025, 4, 1))
        Outcome.objects.create(person=person, outcome=code("outcome", "STO1"), observed_on=date(2025, 5, 1),
                               evidence=f"{person.given_name} said so")
        Insulator.objects.create(person=person, insulator=code("insulator", "confidence"),
                                 observed_on=date(2025, 6, 1))
        Story.objects.create(ward=person.ward, person=person, title=f"{person.given_name}'s story",
                             written_on=date(2025, 7, 1), before="b", what_happened="w", what_changed="c")
    return world


LISTS = ["people", "introductions", "engagements", "activities", "connections", "outcomes",
         "insulators", "groups", "stories"]
FIGURES = ["wards", "codes/problem", "figures/minimum-dataset", "figures/sites"]


def _secrets_of(person):
    return (person.reference, person.given_name)


def _assert_hidden(body: str, *people):
    for p in people:
        for s in _secrets_of(p):
            assert s not in body, f"{s} leaked"


def test_every_route_as_every_role_returns_nothing_from_another_ward_or_site(client, full_world, token):
    w = full_world
    # (user, people they may see, people they must not see)
    roles = [
        (w.coordinator_a, [w.person_a], [w.person_b, w.person_c]),
        (w.coordinator_c, [w.person_c], [w.person_a, w.person_b]),
        (w.manager, [w.person_a, w.person_b], [w.person_c]),
        (w.manager_south, [w.person_c], [w.person_a, w.person_b]),
        (w.commissioner, [], [w.person_a, w.person_b, w.person_c]),
        (w.analyst, [], [w.person_a, w.person_b, w.person_c]),
        (w.admin, [], [w.person_a, w.person_b, w.person_c]),
    ]
    checked = 0
    for user, visible, hidden in roles:
        auth = bearer(token(user, can_write=True))
        for name in LISTS:
            r = client.get(f"/api/v1/{name}?limit=1000", **auth)
            body = r.content.decode()
            _assert_hidden(body, *hidden)
            if visible:
                assert r.status_code == 200, (user.username, name, body)
                refs = {i.get("person") or i.get("reference") for i in r.json()["items"]}
                if name not in ("groups", "stories"):
                    refs.discard(None)
                    assert refs == {p.reference for p in visible}, (user.username, name)
            else:
                assert r.status_code == 403, (user.username, name)
            checked += 1
        for p in hidden:
            r = client.get(f"/api/v1/people/{p.reference}", **auth)
            assert r.status_code in (403, 404)
            _assert_hidden(r.content.decode(), *hidden)
            r = client.post("/api/v1/introductions", json.dumps({
                "person": p.reference, "introduced_on": "2025-08-01", "route": "gp", "reasons": ["PA1"]}),
                content_type=JSON, HTTP_IDEMPOTENCY_KEY=f"{user.pk}-{p.pk}", **auth)
            assert r.status_code in (403, 404), (user.username, r.content)
            checked += 2
        for name in FIGURES:
            r = client.get(f"/api/v1/{name}", **auth)
            assert r.status_code == 200
            _assert_hidden(r.content.decode(), w.person_a, w.person_b, w.person_c)
            checked += 1
        # No row-level records through the API for any role (issue 29): the research export is
        # made on the council's server with its own key.
        r = client.post("/api/v1/exports/research/person", json.dumps({"key": "k" * 40}),
                        content_type=JSON, **auth)
        assert r.status_code == 404
        checked += 1
    assert Introduction.objects.count() == 3  # no introduction slipped through
    print(f"API scoping: {checked} route × role checks")
    assert checked == len(roles) * (len(LISTS) + len(FIGURES) + 1) + 2 * sum(len(h) for _, _, h in roles)


def test_a_token_limited_to_one_council_sees_only_that_council(client, world, token):
    world.south.shares_with_network = True
    world.south.save()
    everything = client.get("/api/v1/wards", **bearer(token(world.analyst))).json()
    north_only = client.get("/api/v1/wards", **bearer(token(world.analyst, council=world.north))).json()
    assert {w["ons_code"] for w in everything} == {"E05900001", "E05900002", "E05900003"}
    assert {w["ons_code"] for w in north_only} == {"E05900001", "E05900002"}
    with pytest.raises(ValueError):
        tokens.make(world.manager, "x", council=world.south)  # a token never widens


def test_people_lists_leave_one_audit_row_per_person(client, world, token):
    auth = bearer(token(world.manager))
    client.get("/api/v1/people", **auth)
    rows = AuditEvent.objects.filter(username="manager_north", action="view")
    assert sorted(rows.values_list("person_reference", flat=True)) == ["P-AAAAAAA", "P-BBBBBBB"]
    assert all(r.detail == {"via": "api"} for r in rows)


def test_pages_filters_and_problem_documents(client, world, token):
    auth = bearer(token(world.manager))
    r = client.get("/api/v1/people?limit=1", **auth)
    assert r.json()["count"] == 2 and len(r.json()["items"]) == 1
    assert client.get("/api/v1/people?ward=E05900002", **auth).json()["items"][0]["reference"] == "P-BBBBBBB"
    assert client.get("/api/v1/activities?since=2025-03-02", **auth).json()["count"] == 0
    assert client.get("/api/v1/activities?until=2025-03-01", **auth).json()["count"] == 2
    r = client.get("/api/v1/activities?since=yesterday&limit=5000", **auth)
    assert r.status_code == 422 and r["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in r.json()["errors"]] == ["query.since"]
    r = client.get("/api/v1/activities?limit=5000", **auth)
    assert r.json()["errors"] == [{"field": "query.limit", "message": "must be from 1 to 1000"}]
    # Found by schemathesis: an offset past 64 bits was a server error on SQLite.
    r = client.get("/api/v1/people?offset=23553448206158940006776832", **auth)
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "query.offset", "message": "must be from 0 to 1,000,000,000,000"}]
    r = client.get("/api/v1/people")
    assert r.status_code == 401 and r["WWW-Authenticate"].startswith("Bearer")


def _intro(**over):
    body = {"new_person": {"given_name": "Gwen", "family_name": "Parry", "ward": "E05900001",
                           "birth_month": "1950-04"},
            "introduced_on": "2025-09-01", "route": "gp", "reasons": ["PA2"], "level_requested": "L2"}
    body.update(over)
    return json.dumps(body)


def test_the_same_post_twice_records_one_introduction(client, world, token):
    auth = bearer(token(world.coordinator_a, can_write=True))
    first = client.post("/api/v1/introductions", _intro(), content_type=JSON,
                        HTTP_IDEMPOTENCY_KEY="front-door-7781", **auth)
    again = client.post("/api/v1/introductions", _intro(), content_type=JSON,
                        HTTP_IDEMPOTENCY_KEY="front-door-7781", **auth)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Person.objects.filter(given_name="Gwen").count() == 1
    assert Introduction.objects.filter(person__given_name="Gwen").count() == 1
    gwen = Person.objects.get(given_name="Gwen")
    assert gwen.coordinator == world.coordinator_a and gwen.birth_month == date(1950, 4, 1)
    assert first.json()["reasons"] == ["PA2"] and first.json()["person"] == gwen.reference
    assert gwen.engagements.get().level.code == "L2"
    assert AuditEvent.objects.filter(person=gwen, action="create", detail__via="api").count() == 1

    # The same key for a different request is refused, not replayed.
    other = client.post("/api/v1/introductions", _intro(route="self"), content_type=JSON,
                        HTTP_IDEMPOTENCY_KEY="front-door-7781", **auth)
    assert other.status_code == 422 and "different request" in other.json()["detail"]
    # A new key for the same details: the person is known, so the system must say which.
    dup = client.post("/api/v1/introductions", _intro(), content_type=JSON,
                      HTTP_IDEMPOTENCY_KEY="front-door-7782", **auth)
    assert dup.status_code == 409 and dup.json()["possible_duplicates"] == [gwen.reference]
    # ...and a reintroduction by reference starts a new cycle of the same journey.
    again = client.post("/api/v1/introductions", _intro(new_person=None, person=gwen.reference),
                        content_type=JSON, HTTP_IDEMPOTENCY_KEY="front-door-7783", **auth)
    assert again.status_code == 201
    assert Introduction.objects.filter(person=gwen).count() == 2 and Person.objects.filter(
        given_name="Gwen").count() == 1
    missing = client.post("/api/v1/introductions", _intro(), content_type=JSON, **auth)
    assert missing.status_code == 400 and "Idempotency-Key" in missing.json()["detail"]


def test_an_introduction_into_another_ward_goes_to_its_coordinator(client, world, token):
    auth = bearer(token(world.coordinator_a, can_write=True))
    r = client.post("/api/v1/introductions", _intro(new_person={"given_name": "Iolo", "ward": "E05900002"}),
                    content_type=JSON, HTTP_IDEMPOTENCY_KEY="k1", **auth)
    assert r.status_code == 201
    iolo = Person.objects.get(given_name="Iolo")
    assert iolo.ward == world.ward_b and iolo.coordinator == world.coordinator_b
    assert AuditEvent.objects.filter(person=iolo, action="hand-over").exists()
    # A ward of another council is refused, naming the field.
    r = client.post("/api/v1/introductions", _intro(new_person={"given_name": "Non", "ward": "E05900003"}),
                    content_type=JSON, HTTP_IDEMPOTENCY_KEY="k2", **auth)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body.new_person.ward"


def test_bad_introductions_name_each_field_and_write_nothing(client, world, token):
    auth = bearer(token(world.coordinator_a, can_write=True))
    before = (Person.objects.count(), Introduction.objects.count())
    r = client.post("/api/v1/introductions", _intro(route="postman", reasons=["PA9"], level_requested="L3",
                                                   introduced_on="2999-01-01"),
                    content_type=JSON, HTTP_IDEMPOTENCY_KEY="bad-1", **auth)
    assert r.status_code == 422
    assert sorted(e["field"] for e in r.json()["errors"]) == [
        "body.introduced_on", "body.level_requested", "body.reasons", "body.route"]
    r = client.post("/api/v1/introductions", '{"introduced_on": "soon"', content_type=JSON,
                    HTTP_IDEMPOTENCY_KEY="bad-2", **auth)
    assert r.status_code in (400, 422) and r["Content-Type"] == "application/problem+json"
    r = client.post("/api/v1/introductions", _intro(new_person={"given_name": "", "ward": "E05900001"}),
                    content_type=JSON, HTTP_IDEMPOTENCY_KEY="bad-3", **auth)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body.new_person.given_name"
    assert (Person.objects.count(), Introduction.objects.count()) == before
    # The failed key was not used up: fixed, the same key records once.
    r = client.post("/api/v1/introductions", _intro(), content_type=JSON,
                    HTTP_IDEMPOTENCY_KEY="bad-1", **auth)
    assert r.status_code == 201


def test_only_a_writing_token_of_a_practitioner_may_post(client, world, token):
    reader = bearer(token(world.coordinator_a))
    r = client.post("/api/v1/introductions", _intro(), content_type=JSON, HTTP_IDEMPOTENCY_KEY="r", **reader)
    assert r.status_code == 403 and "only read" in r.json()["detail"]
    commissioner = bearer(token(world.commissioner, can_write=True))
    r = client.post("/api/v1/introductions", _intro(), content_type=JSON, HTTP_IDEMPOTENCY_KEY="c",
                    **commissioner)
    assert r.status_code == 403
    assert not Person.objects.filter(given_name="Gwen").exists()


def test_a_revoked_token_stops_working_at_once(client, world, token):
    secret = token(world.coordinator_a)
    assert client.get("/api/v1/people", **bearer(secret)).status_code == 200
    row = ApiToken.objects.get(digest=tokens.digest(secret))
    assert row.last_used_at is not None
    call_command("api_token", "revoke", str(row.pk))
    r = client.get("/api/v1/people", **bearer(secret))
    assert r.status_code == 401 and r.json()["status"] == 401
    # A deactivated user's token stops too.
    other = token(world.coordinator_b)
    world.coordinator_b.is_active = False
    world.coordinator_b.save()
    assert client.get("/api/v1/people", **bearer(other)).status_code == 401


def test_the_secret_is_not_stored(world):
    row, secret = tokens.make(world.manager, "bi")
    assert secret.startswith("als_") and len(secret) > 40
    assert secret not in {row.digest, row.prefix, row.name} and row.prefix == secret[:10]


def test_too_many_requests_get_429_with_retry_after(client, world, token, monkeypatch):
    throttle = api.throttle[0]
    monkeypatch.setattr(throttle, "num_requests", 3)
    auth = bearer(token(world.manager))
    codes = [client.get("/api/v1/wards", **auth).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = client.get("/api/v1/wards", **auth)
    assert int(r["Retry-After"]) > 0 and r.json()["status"] == 429
    # Another token has its own allowance.
    assert client.get("/api/v1/wards", **bearer(token(world.commissioner))).status_code == 200


def test_figures_suppress_small_counts_for_commissioners_not_managers(client, world, token):
    for person in (world.person_a, world.person_b):
        Outcome.objects.create(person=person, outcome=code("outcome", "STO1"), observed_on=date(2025, 5, 1))
    manager = client.get("/api/v1/figures/sites", **bearer(token(world.manager))).json()
    commissioner = client.get("/api/v1/figures/sites", **bearer(token(world.commissioner))).json()

    def routes(doc):
        return {m["measure"]: (m["count"], m["share_percent"]) for m in doc["measures"]
                if m["section"] == "Introductions by route"}
    # Two introductions, both from a GP ("Statutory services"): 2 of 2 = 100%.
    assert routes(manager)["Statutory services"] == (2, 100.0)
    assert routes(commissioner)["Statutory services"] == ("<5", None)
    assert routes(commissioner)["Voluntary sector"] == (0, 0.0)
    assert manager["suppressed"] is False and commissioner["suppressed"] is True
    quality = client.get("/api/v1/figures/minimum-dataset", **bearer(token(world.commissioner))).json()
    person = next(q for q in quality if q["record"] == "person")
    assert person["records"] == "<5" and person["complete_percent"] is None


def test_no_role_gets_row_level_records_from_the_api(client, world, token):
    """Issue 29: 380 rows of a 'pseudonymised' person table, 35% unique on ward, age band,
    gender and ethnicity, came back to any analyst with any 32-character key."""
    key = "a-council-key-of-at-least-32-bytes-long"
    for user in (world.analyst, world.manager, world.commissioner, world.admin):
        for table in ("person", "introduction", "activity"):
            r = client.post(f"/api/v1/exports/research/{table}", json.dumps({"key": key}),
                            content_type=JSON, **bearer(token(user)))
            assert r.status_code == 404, (user.username, table)
    assert not AuditEvent.objects.filter(action="export").exists()
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert not [p for p in paths if "export" in p]


def test_schema_is_valid_and_matches_the_committed_copy(client):
    served = client.get("/api/v1/openapi.json").json()
    validate(served)
    committed = json.loads((ROOT / "docs/api/openapi.json").read_text())
    assert served == committed, "The API changed: run `alongside api_schema` and commit docs/api/openapi.json"
    assert {"/api/v1/people", "/api/v1/introductions", "/api/v1/figures/sites"} <= set(served["paths"])
    r = client.get("/api/v1/docs")
    assert r.status_code == 200 and b"/static/ninja/swagger-ui-bundle.js" in r.content


def test_list_queries_do_not_grow_with_the_rows_returned(client, full_world, token):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import make_person

    auth = bearer(token(full_world.manager))
    client.get("/api/v1/wards", **auth)  # the token's first use writes last_used_at once

    def queries():
        counts = {}
        for name in LISTS:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(f"/api/v1/{name}?limit=1000", **auth).status_code == 200
            counts[name] = len(ctx)
        return counts

    few = queries()
    for i in range(6):
        p = make_person(f"P-EXTRA{i:02d}", full_world.ward_b, full_world.coordinator_b, f"Extra{i}")
        Story.objects.create(ward=p.ward, person=p, title="s", written_on=date(2025, 7, 1), before="b",
                             what_happened="w", what_changed="c")
    assert client.get("/api/v1/people", **auth).json()["count"] == 8
    assert queries() == few


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_posts_with_one_key_record_one_introduction(live_server, world):
    """A client that times out and retries while the first request is still running."""
    import threading
    import urllib.request

    secret = tokens.make(world.coordinator_a, "front door", can_write=True)[1]
    start = threading.Barrier(2)
    answers = []

    def post():
        req = urllib.request.Request(
            f"{live_server.url}/api/v1/introductions", data=_intro().encode(), method="POST",
            headers={"Authorization": f"Bearer {secret}", "Content-Type": JSON,
                     "Idempotency-Key": "retry-while-running"})
        start.wait()
        with urllib.request.urlopen(req, timeout=30) as r:
            answers.append((r.status, json.loads(r.read())))

    threads = [threading.Thread(target=post) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert [a[0] for a in answers] == [201, 201]
    assert answers[0][1] == answers[1][1]
    assert Introduction.objects.filter(person__given_name="Gwen").count() == 1


def test_a_nul_character_or_an_oversized_body_is_refused_not_a_server_error(client, world, token):
    auth = bearer(token(world.coordinator_a, can_write=True))
    nul = _intro(new_person={"given_name": "Gw\u0000en", "family_name": "Parry", "ward": "E05900001",
                             "birth_month": "1950-04"})
    r = client.post("/api/v1/introductions", nul, content_type=JSON, **auth)
    assert r.status_code == 422 and "NUL" in r.json()["detail"]
    assert client.get("/api/v1/people?q=a%00b", **auth).status_code == 422
    big = _intro(notes="x" * (2 * 1024 * 1024 + 1))
    r = client.post("/api/v1/introductions", big, content_type=JSON, **auth)
    assert r.status_code == 413 and r["Content-Type"].startswith("application/problem+json")
    assert not Introduction.objects.filter(person__given_name__startswith="Gw").exists()
