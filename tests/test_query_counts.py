"""No N+1: each main page makes the same number of queries with few rows and with many."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alongside.codes.lookup import catalogue, code
from alongside.community.models import CommunityAsset, CommunityGroup
from alongside.journeys.models import (
    Activity,
    Connection,
    Insulator,
    Measurement,
    Outcome,
    ScenarioEvent,
    ServiceUseChange,
    Story,
    Trigger,
)
from alongside.logic_models.versions import demo_model
from alongside.places.models import ProgrammeCost
from tests.conftest import make_person

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as q:
        assert client.get(url).status_code == 200, url
    return len(q)


def grow(world, n: int, start: int) -> None:
    """n more people in Ashley North, each with a full journey, a group and a story."""
    for i in range(start, start + n):
        p = make_person(f"P-Q{i:06d}", world.ward_a, world.coordinator_a, f"Q{i}")
        on = date(2025, 4, 1) + timedelta(days=i % 30)
        for k in ("home_visit", "advocacy", "intro_group"):
            Activity.objects.create(person=p, coordinator=world.coordinator_a, done_on=on,
                                    activity=code("activity", {"home_visit": "A1", "advocacy": "A3",
                                                               "intro_group": "A5"}[k]),
                                    kind=code("activity", k), level=code("activity_level", "individual"),
                                    minutes=30)
        Trigger.objects.create(person=p, trigger=code("trigger", "stress_anxiety"), occurred_on=on)
        Outcome.objects.create(person=p, outcome=code("outcome", "STO3"),
                               observed_on=on + timedelta(days=20))
        Insulator.objects.create(person=p, insulator=code("insulator", "networks"), observed_on=on)
        g = CommunityGroup.objects.create(ward=world.ward_a, name=f"Group {i}",
                                          type=code("group_type", "lunch_club"))
        Connection.objects.create(person=p, kind=code("connection_kind", "group"), group=g, made_on=on)
        asset = CommunityAsset.objects.create(ward=world.ward_a, kind=code("asset_kind", "space"),
                                              name=f"Garden {i}", offers="Beds", noted_on=on)
        asset.groups.add(g)
        Connection.objects.create(person=p, kind=code("connection_kind", "asset"), asset=asset, made_on=on)
        Measurement.objects.create(person=p, measure="ucla3", taken_on=on, status="answered",
                                   answers={"companionship": 3, "left_out": 2, "isolated": 2})
        story = Story.objects.create(ward=world.ward_a, person=p, title=f"Story {i}", written_on=on,
                                     before="b", what_happened="h", what_changed="c", consent_to_share=True)
        for pathway in ("with_lac", "without_lac"):
            ScenarioEvent.objects.create(story=story, pathway=pathway, month=i % 12, service="ae_attendance")
        ServiceUseChange.objects.create(person=p, service=("ae_attendance", "gp_consultation")[i % 2],
                                        change="prevented", quantity=1, observed_on=on, evidence="e")
    # The first person's journey grows too: more of every kind of record.
    a = world.person_a
    for j in range(n):
        on = date(2025, 5, 1) + timedelta(days=j)
        Activity.objects.create(person=a, coordinator=world.coordinator_a, done_on=on,
                                activity=code("activity", "A4"), kind=code("activity", "sounding_board"),
                                level=code("activity_level", "individual"))
        Outcome.objects.create(person=a, outcome=code("outcome", "STO1"), observed_on=on)
        Connection.objects.create(person=a, kind=code("connection_kind", "group"),
                                  group=CommunityGroup.objects.first(), made_on=on)


PAGES = [
    ("coordinator_a", "/caseload/"),
    ("coordinator_a", "/people/P-AAAAAAA/"),
    ("coordinator_a", "/people/P-AAAAAAA/record/activity/"),
    ("coordinator_a", "/community/"),
    ("coordinator_a", "/stories/"),
    ("manager", "/caseload/"),
    ("manager", "/quality/?period=all"),
    ("manager", "/logic-model/"),
    ("manager", "/distance/"),
    ("analyst", "/sites/"),
    ("analyst", "/overview/"),
    ("manager", "/evidence/patterns/?period=all"),
    ("manager", "/evidence/model/?period=all"),
    ("manager", "/evidence/funnel/?period=all"),
    ("manager", "/evidence/qca/?period=all&outcome=outcomes:STO3&conditions=activities:A1"
                "&conditions=activities:A3&incl_cut=0.8&n_cut=1"),
    ("manager", "/evidence/economics/?year=2025/26"),
    ("commissioner", "/evidence/economics/?year=2025/26"),
    ("manager", "/reports/"),
]


def test_query_counts_do_not_grow_with_the_rows_shown(world, login):
    demo_model(world.north)
    ProgrammeCost.objects.create(council=world.north, year="2025/26", coordinator_fte=2, salary=30000,
                                 on_costs=25)
    grow(world, 3, 0)
    # Each worker reads the code catalogue once, not each page: read it before counting, or
    # it would count against whichever page happens to come first.
    catalogue()
    before = {}
    for user, url in PAGES:
        before[(user, url)] = queries(login(getattr(world, user)), url)
    from django.core.cache import cache
    cache.clear()
    grow(world, 12, 3)
    after = {(user, url): queries(login(getattr(world, user)), url) for user, url in PAGES}
    assert after == before
