"""Who may see the evidence pages, and what: the counts of the user's own wards only, small
numbers suppressed for roles that see no identifiable records."""

from datetime import date

import pytest

from alongside.codes.lookup import code
from alongside.journeys.models import Activity

from .test_evidence_views import row, tables

PAGES = ["/evidence/", "/evidence/patterns/?period=all", "/evidence/funnel/?period=all",
         "/evidence/qca/?period=all&outcome=outcomes:STO1&conditions=activities:A1"
         "&conditions=activities:A4&incl_cut=0.8&n_cut=1"]


@pytest.mark.parametrize("url", PAGES)
def test_an_administrator_is_refused(login, world, url):
    assert login(world.admin).get(url).status_code == 403


def test_a_coordinator_counts_only_their_own_ward(login, world):
    for person in (world.person_b, world.person_c):  # A4 only outside ward A
        Activity.objects.create(person=person, activity=code("activity", "A4"),
                                level=code("activity_level", "individual"), done_on=date(2025, 3, 2))
    t = tables(login(world.coordinator_a).get("/evidence/patterns/?period=all"))
    assert row(t["figure-7"], "A1")[1] == "1" and row(t["figure-7"], "A4")[1] == "0"
    manager = tables(login(world.manager).get("/evidence/patterns/?period=all"))
    assert row(manager["figure-7"], "A4")[1] == "1"  # ward B's person, not ward C's


def test_a_commissioner_sees_small_numbers_suppressed(login, world):
    c = login(world.commissioner)
    t = tables(c.get("/evidence/patterns/?period=all"))
    assert row(t["figure-7"], "A1")[1:3] == ["<5", "–"]
    funnel = tables(c.get("/evidence/funnel/?period=all"))["funnel"]
    assert row(funnel, "All introductions")[1:3] == ["<5", "–"]
    # One row per person is not a count: commissioners get the analysis, not the case table.
    assert c.get(PAGES[3]).status_code == 200
    assert c.get(PAGES[3] + "&format=csv").status_code == 403
    # Nor do analysts (issue 29: 9 rows where the page showed "<5"); the site's manager does.
    analyst = login(world.analyst)
    assert analyst.get(PAGES[3] + "&format=csv").status_code == 403
    assert "format=csv" not in analyst.get(PAGES[3]).content.decode()
    qca = login(world.manager).get(PAGES[3] + "&format=csv")
    assert qca.status_code == 200 and qca.content.decode().splitlines()[0] == "case,A1,A4,STO1"
    assert "P-" not in qca.content.decode()


def test_an_analyst_sees_sharing_councils_only(login, world):
    t = tables(login(world.analyst).get("/evidence/patterns/?period=all"))
    # Lowmere shares (people A and B, each with A1); Glasmoor does not (person C).
    assert row(t["figure-7"], "A1")[1] == "<5"
    page = login(world.analyst).get("/evidence/patterns/?period=all").content.decode()
    assert "Glasmoor" not in page
