"""One figure, one answer: the same count read from the Overview, Sites compared (page and
CSV), the API, the quarterly site report and the annual Network report. The data are built by
hand so that every count is a multiple of 5, which rounding for readers outside the team leaves
as it is; the expected numbers are worked out in the comments."""

import csv
import io
from datetime import date

import pytest

from alongside.api import tokens
from alongside.codes.lookup import code
from alongside.community.models import CommunityGroup
from alongside.journeys.models import Engagement, Introduction
from alongside.people.models import Person
from alongside.reports.figures import financial_year, network_report, quarter, site_report

pytestmark = pytest.mark.django_db

QUARTER = quarter("2024/25-Q4")  # January to March 2025: the world's introductions are 1 March


@pytest.fixture
def counted(world):
    """Lowmere: the world's 2 people plus 13 introduced in February 2025 = 15 introductions;
    10 groups supported at community level (engagements with a group, no person)."""
    for n in range(13):
        person = Person.objects.create(reference=f"P-N{n:06d}", ward=world.ward_a,
                                       coordinator=world.coordinator_a, given_name=f"N{n}",
                                       family_name="Example", age_band=code("age_band", "65-74"))
        Introduction.objects.create(person=person, ward=world.ward_a, introduced_on=date(2025, 2, 3),
                                    route=code("introduction_route", "self"),
                                    level_requested=code("level_of_support", "L1"))
    for n in range(10):
        group = CommunityGroup.objects.create(ward=world.ward_b, name=f"Group {n}",
                                              type=code("group_type", "lunch_club"))
        Engagement.objects.create(group=group, coordinator=world.coordinator_b,
                                  level=code("level_of_support", "COM"),
                                  status=code("engagement_status", "active"), started_on=date(2025, 2, 1))
    return world


COM = "Community level – support to a community group"


def test_community_level_support_is_one_number_everywhere(counted, client, login):
    analyst = login(counted.analyst)
    overview = analyst.get("/overview/").context["councils"]
    lowmere = next(c for c in overview if c["council"].name == "Lowmere Council")
    assert dict(lowmere["levels"])[COM] == "10"

    page = analyst.get("/sites/").context["sections"]
    levels = next(s for s in page if s["title"] == "Level of support")
    assert next(m for m in levels["measures"] if m["label"] == COM)["cells"][0][0] == "10"

    rows = list(csv.reader(io.StringIO(analyst.get("/sites/?format=csv").content.decode())))
    assert next(r for r in rows if r[1] == COM)[2] == "10"

    secret = tokens.make(counted.analyst, "test")[1]
    api = client.get("/api/v1/figures/sites", HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    assert next(m for m in api["measures"] if m["measure"] == COM
                and m["council"] == "Lowmere Council")["count"] == 10


def test_introductions_are_one_number_everywhere(counted, client, login):
    # 2 (the world's, 1 March) + 13 (3 February) = 15 introductions in Lowmere, all in the quarter.
    figures = site_report(counted.north, QUARTER, lambda *a: None)
    assert dict(figures["headline"])["Introductions received"] == "15"
    records = {r["record"]: r["records"] for r in figures["completeness"]["records"]}
    assert records["Introduction"] == "15"

    year = network_report(financial_year("2024/25"), lambda *a: None)
    assert next(s for s in year["sites"] if s["name"] == "Lowmere Council")["introductions"] == "15"

    analyst = login(counted.analyst)
    sections = analyst.get("/sites/").context["sections"]
    funnel = next(s for s in sections if s["title"] == "Non-engagement funnel")
    assert next(m for m in funnel["measures"] if m["label"] == "Introduced")["cells"][0][0] == "15"
    rows = list(csv.reader(io.StringIO(analyst.get("/sites/?format=csv").content.decode())))
    assert next(r for r in rows if r[1] == "Introduced")[2] == "15"
    secret = tokens.make(counted.analyst, "test")[1]
    api = client.get("/api/v1/figures/sites", HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    assert next(m for m in api["measures"] if m["measure"] == "Introduced"
                and m["council"] == "Lowmere Council")["count"] == 15
