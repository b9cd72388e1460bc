"""Fidelity to the ten principles: each measure on hand-built records, its expected value worked
out in the comments; the self-review written, versioned and signed off; the site comparison
suppressed; and nobody reaching another council's review."""

from datetime import date

import pytest
from django.urls import reverse

from alongside.accounts.models import Role
from alongside.audit.models import AuditEvent
from alongside.codes.lookup import code
from alongside.community.models import CommunityGroup, GroupSupport
from alongside.fidelity.measures import measure
from alongside.fidelity.models import SelfReview
from alongside.fidelity.principles import PRINCIPLES
from alongside.journeys.models import (
    Activity,
    Conversation,
    Engagement,
    Exit,
    Introduction,
    Ripple,
    SharedAgreement,
    Signposting,
    Strength,
)
from alongside.people.models import Person
from alongside.reports.figures import quarter

from .conftest import make_user

Q = quarter("2025/26-Q1")  # 1 April to 30 June 2025


def introduce(ref, ward, coordinator, on, route="gp", level="L2", ended=None):
    person = Person.objects.create(reference=ref, ward=ward, coordinator=coordinator, given_name=ref,
                                   family_name="Example")
    intro = Introduction.objects.create(person=person, ward=ward, introduced_on=on,
                                        route=code("introduction_route", route),
                                        level_requested=code("level_of_support", level))
    eng = Engagement.objects.create(person=person, introduction=intro, coordinator=coordinator,
                                    level=code("level_of_support", level),
                                    status=code("engagement_status", "closed" if ended else "active"),
                                    started_on=on, ended_on=ended)
    return person, eng


def leave(person, eng, on, point, outcome):
    Exit.objects.create(engagement=eng, person=person, exited_on=on, point=code("exit_point", point),
                        outcome=code("exit_outcome", outcome))


def activity(on, level, person=None, group=None, coordinator=None):
    Activity.objects.create(person=person, group=group, coordinator=coordinator,
                            activity=code("activity", "A1"), level=code("activity_level", level),
                            done_on=on)


@pytest.fixture
def site(world):
    """Lowmere (wards A and B) in 2025/26-Q1, with records outside the quarter and in the other
    council (ward C) that no measure may count. The world's own three people were introduced on
    1 March 2025, before the quarter, each at Level 2 and still active."""
    w = world
    a, b, c = w.ward_a, w.ward_b, w.ward_c
    ca, cb, cc = w.coordinator_a, w.coordinator_b, w.coordinator_c
    w.p1, e1 = introduce("P-1", a, ca, date(2025, 4, 2), route="self")
    w.p2, e2 = introduce("P-2", a, ca, date(2025, 4, 10), route="family_friend")
    w.p3, e3 = introduce("P-3", b, cb, date(2025, 5, 1))
    w.p4, e4 = introduce("P-4", b, cb, date(2025, 6, 1), route="police", level="L1")
    w.p5, e5 = introduce("P-5", a, ca, date(2025, 5, 5), ended=date(2025, 5, 10))
    leave(w.p5, e5, date(2025, 5, 10), "initial_contact", "referred_back_unsuitable")
    # Ended after the quarter: still open on its last day.
    w.p6, _ = introduce("P-6", a, ca, date(2024, 10, 1), ended=date(2025, 7, 15))
    # Ended before the quarter began.
    w.p7, e7 = introduce("P-7", b, cb, date(2024, 9, 1), ended=date(2025, 3, 20))
    leave(w.p7, e7, date(2025, 3, 20), "after_first_meeting", "referred_back_unsuitable")
    w.p8, e8 = introduce("P-8", b, cb, date(2024, 6, 1), ended=date(2025, 6, 1))
    leave(w.p8, e8, date(2025, 6, 1), "planned_ending", "planned_close")
    w.p9, e9 = introduce("P-9", a, ca, date(2025, 1, 1), ended=date(2025, 4, 1))
    leave(w.p9, e9, date(2025, 4, 1), "after_first_meeting", "ceased_contact")
    # The other council: counted by nobody here.
    w.px, ex = introduce("P-X", c, cc, date(2025, 4, 3), route="self", ended=date(2025, 4, 20))
    leave(w.px, ex, date(2025, 4, 20), "initial_contact", "referred_back_unsuitable")

    talk = Conversation.objects.create(person=w.p1, held_on=date(2025, 4, 12), vision="v")
    Strength.objects.create(person=w.p1, conversation=talk, kind=code("strength_kind", "gift"),
                            description="Bakes")
    Conversation.objects.create(person=w.p1, held_on=date(2025, 5, 1), vision="v")
    Conversation.objects.create(person=w.p2, held_on=date(2025, 4, 30), vision="v")
    early = Conversation.objects.create(person=w.p3, held_on=date(2025, 1, 1), vision="v")
    Strength.objects.create(person=w.p3, conversation=early, kind=code("strength_kind", "skill"),
                            description="Mends bikes")
    Conversation.objects.create(person=w.p3, held_on=date(2025, 6, 15), vision="v")
    Conversation.objects.create(person=w.px, held_on=date(2025, 4, 5), vision="v")

    SharedAgreement.objects.create(person=w.person_a, agreed_on=date(2025, 4, 1))
    SharedAgreement.objects.create(person=w.p1, agreed_on=date(2025, 5, 1))
    SharedAgreement.objects.create(person=w.p2, agreed_on=date(2025, 7, 5))

    activity(date(2025, 4, 12), "individual", person=w.p1)
    activity(date(2025, 4, 30), "community", person=w.p2)
    activity(date(2025, 6, 15), "system", person=w.p3)
    activity(date(2025, 5, 20), "community", group=w.group_a, coordinator=ca)
    activity(date(2025, 5, 20), "community", person=w.px)
    GroupSupport.objects.create(group=w.group_b, kind=code("group_support", "venue"),
                                given_on=date(2025, 5, 2))
    group_c = CommunityGroup.objects.create(ward=c, name="Cwmbach Choir",
                                            type=code("group_type", "arts_crafts"),
                                            is_new=True, started_on=date(2025, 5, 1))
    GroupSupport.objects.create(group=group_c, kind=code("group_support", "venue"), given_on=date(2025, 5, 2))
    CommunityGroup.objects.create(ward=b, name="Brookside Walkers", type=code("group_type", "walking_sport"),
                                  is_new=True, started_on=date(2025, 4, 20))
    CommunityGroup.objects.create(ward=b, name="Brookside Knit", type=code("group_type", "arts_crafts"),
                                  is_new=True, started_on=date(2025, 3, 1))

    Ripple.objects.create(person=w.p1, observed_on=date(2025, 5, 15), ripple=code("ripple", "volunteering"))
    Ripple.objects.create(person=w.p1, observed_on=date(2025, 6, 1), ripple=code("ripple", "running_group"))
    Ripple.objects.create(person=w.p2, observed_on=date(2025, 7, 2), ripple=code("ripple", "volunteering"))

    for where in (a, b, c):
        Signposting.objects.create(ward=where, recorded_on=date(2025, 5, 1),
                                   route=code("introduction_route", "gp"),
                                   lives_in="Elsewhere", signposted_to="Their own council")
    Signposting.objects.create(ward=a, recorded_on=date(2025, 7, 1), route=code("introduction_route", "gp"),
                               lives_in="Elsewhere", signposted_to="Their own council")
    # An inactive Coordinator shares no caseload.
    gone = make_user("coord_gone", Role.COORDINATOR, w.north, [a])
    gone.is_active = False
    gone.save()
    return w


def figures(w):
    return {f.key: f for f in measure(w.north.wards.all(), Q.start, Q.end)}


def test_each_measure_on_hand_built_records(site):
    from django.utils import translation

    translation.activate("en")
    f = figures(site)
    # Citizenship: P-5 was referred back as unsuitable in the quarter. P-7's was before it and
    # P-X's is in the other council.
    assert f["turned_away"].numerator == 1
    assert f["turned_away"].met is False
    # Natural authority: five introductions in the quarter (P-1 self, P-2 family, P-3 GP,
    # P-4 police, P-5 GP): 2 of 5 by the person or family.
    assert (f["own_introduction"].numerator, f["own_introduction"].denominator) == (2, 5)
    assert f["own_introduction"].text(exact=True) == "40% (2 of 5)"
    # Relationships: days to the first conversation on or after the introduction: P-1 2 Apr →
    # 12 Apr = 10; P-2 10 Apr → 30 Apr = 20; P-3 1 May → 15 Jun = 45 (its January conversation
    # came before the introduction). P-4 and P-5 had none. Median of 10, 20, 45 = 20.
    assert (f["time_to_conversation"].numerator, f["time_to_conversation"].value) == (3, 20)
    # Level 2 open on 30 June: the world's Aled and Bethan, P-1, P-2, P-3, and P-6 (ended 15 July)
    # = 6, shared by 2 active Coordinators (the inactive one does not count) = 3 each.
    assert (f["caseload"].numerator, f["caseload"].denominator, f["caseload"].value) == (6, 2, 3)
    assert f["caseload"].met is False
    # Lifelong learning: P-1, P-2 and P-3 had a conversation in the quarter; only P-1's recorded a
    # strength (P-3's was on the January conversation).
    assert (f["strengths_recorded"].numerator, f["strengths_recorded"].denominator) == (1, 3)
    # Information: P-4 at Level 1; two signpostings in wards A and B in the quarter (C's and
    # July's not).
    assert f["information_given"].numerator == 1
    assert f["signposted"].numerator == 2
    # Choice and control: Level 2 open at some time in the quarter: Aled, Bethan, P-1, P-2, P-3,
    # P-5 (ended 10 May), P-6, P-8 (ended 1 June), P-9 (ended 1 April) = 9; P-7 ended in March.
    # With an agreement by 30 June: Aled (1 Apr) and P-1 (1 May); P-2's is in July. 2 of 9.
    assert (f["shared_agreement"].numerator, f["shared_agreement"].denominator) == (2, 9)
    # Community: four activities in the quarter in wards A and B (P-1 individual, P-2 community,
    # P-3 system, the lunch club's community work); P-X's is in ward C.
    assert (f["community_level"].numerator, f["community_level"].denominator) == (2, 4)
    assert (f["system_level"].numerator, f["system_level"].denominator) == (1, 4)
    assert f["system_level"].text(exact=True) == "25% (1 of 4)"
    # Groups supported: the men's shed (venue found) and the lunch club (community work) = 2;
    # the choir is in ward C. Started: Brookside Walkers (20 April); the knitting group began
    # in March.
    assert f["groups_supported"].numerator == 2
    assert f["groups_started"].numerator == 1
    # Contribution: P-1 has two ripples in the quarter, one person; P-2's is in July.
    assert f["ripples"].numerator == 1
    # Complementary: Level 2 ended in the quarter: P-5 (5 days = 0.16 months), P-8 (365 days =
    # 11.99 months), P-9 (90 days = 2.96 months). Median 2.96, shown as 3 months.
    assert f["months_alongside"].numerator == 3
    assert f["months_alongside"].value == pytest.approx(90 / (365.25 / 12))
    assert f["months_alongside"].text(exact=True) == "3 months (of 3)"
    # Endings in the quarter: P-5 (initial contact), P-8 (planned), P-9 (after a first meeting):
    # 2 of 3 without a planned ending.
    assert (f["unplanned_endings"].numerator, f["unplanned_endings"].denominator) == (2, 3)


def test_suppressed_for_readers_outside_the_team(site):
    from django.utils import translation

    translation.activate("en")  # another test in this process may have left Welsh active
    f = figures(site)
    assert f["own_introduction"].text(exact=False) == "– (<5 of 5)"
    assert f["time_to_conversation"].text(exact=False) == "fewer than 5: not shown"
    assert f["caseload"].text(exact=False) == "3 people"
    assert f["turned_away"].text(exact=False) == "<5"


def _answers(rating=3, **text):
    data = {"based_on": text.pop("based_on", 0)}
    for p in PRINCIPLES:
        data[f"{p.key}-rating"] = rating
        data[f"{p.key}-evidence"] = text.get("evidence", f"Evidence for {p.key}")
        data[f"{p.key}-actions"] = text.get("actions", "")
    return data


def test_manager_writes_versions_and_signs_off(site, login):
    client = login(site.manager)
    url = reverse("fidelity_edit") + f"?quarter={Q.code}"
    page = client.get(url)
    assert page.status_code == 200
    missing = client.post(url, {**_answers(), "citizenship-rating": ""})
    assert "Choose a rating for this principle" in missing.content.decode()
    assert not SelfReview.objects.exists()

    response = client.post(url, _answers(rating=2))
    assert response.status_code == 302
    first = SelfReview.objects.get()
    assert (first.version, first.signed_off_at) == (1, None)
    assert first.judgements.count() == 10
    # The measures it was judged on are kept with it.
    assert {d["key"]: d["numerator"] for d in first.measures}["turned_away"] == 1

    # A second version on top of the first; a stale form (based on none) is refused, text kept.
    stale = client.post(url, _answers(rating=4, evidence="My late edit"))
    assert "was saved by" in stale.content.decode() and "My late edit" in stale.content.decode()
    assert SelfReview.objects.count() == 1
    client.post(url, _answers(rating=3, based_on=1))
    assert list(SelfReview.objects.values_list("version", flat=True).order_by("version")) == [1, 2]
    assert SelfReview.objects.get(version=1).judgements.first().rating == 2  # kept as it was

    sign = reverse("fidelity_sign_off") + f"?quarter={Q.code}"
    client.post(sign, {"version": "1"})  # not the latest: nothing signed
    assert not SelfReview.objects.filter(signed_off_at__isnull=False).exists()
    client.post(sign, {"version": "2"})
    signed = SelfReview.objects.get(version=2)
    assert signed.signed_off_by == site.manager and signed.signed_off_at
    actions = list(AuditEvent.objects.filter(detail__what__startswith="fidelity").order_by("pk").values_list(
        "detail__what", "detail__version"))
    assert actions == [("fidelity_review", 1), ("fidelity_review", 2), ("fidelity_review_sign_off", 2)]

    review = client.get(reverse("fidelity_review") + f"?quarter={Q.code}&version=1").content.decode()
    assert "Version" in review and "2 – Developing" in review


def test_report_shows_the_signed_off_review(site, login):
    from alongside.reports.writing import render_html

    client = login(site.manager)
    client.post(reverse("fidelity_edit") + f"?quarter={Q.code}",
                _answers(rating=3, actions="Meet the GP surgery"))
    unsigned = render_html("site", site.north, Q, "en")
    assert "No self-review against the ten principles has been signed off" in unsigned
    client.post(reverse("fidelity_sign_off") + f"?quarter={Q.code}", {"version": "1"})
    html = render_html("site", site.north, Q, "en")
    assert "rated 3 (Established)" in html and "Meet the GP surgery" in html
    assert "Natural authority" in html
    welsh = render_html("site", site.north, Q, "cy")
    assert "Ffyddlondeb" in welsh


def test_analyst_compares_sites_with_small_numbers_suppressed(site, login):
    page = login(site.analyst).get(reverse("fidelity_compare") + f"?quarter={Q.code}").content.decode()
    # Only Lowmere shares with the Network.
    assert "Lowmere Council" in page and "Glasmoor Council" not in page
    assert "40%" not in page  # 2 of 5 is a small count: no share
    assert "&lt;5" in page


def test_nobody_reaches_another_councils_review(site, login):
    SelfReview.objects.create(council=site.south, quarter=Q.code, version=1, measures=[])
    # A manager writes only their own council's review, whatever the request says.
    client = login(site.manager)
    client.post(reverse("fidelity_edit") + f"?quarter={Q.code}&council={site.south.pk}", _answers())
    assert SelfReview.objects.filter(council=site.north).count() == 1
    assert SelfReview.objects.filter(council=site.south).count() == 1
    client.post(reverse("fidelity_sign_off") + f"?quarter={Q.code}&council={site.south.pk}", {"version": "1"})
    assert SelfReview.objects.get(council=site.south).signed_off_at is None
    for user in (site.coordinator_a, site.commissioner, site.analyst, site.admin):
        c = login(user)
        assert c.get(reverse("fidelity_edit") + f"?quarter={Q.code}").status_code == 403
        sign = reverse("fidelity_sign_off") + f"?quarter={Q.code}"
        assert c.post(sign, {"version": "1"}).status_code == 403
    assert login(site.coordinator_a).get(reverse("fidelity_compare")).status_code == 403
    # A commissioner compares only their own council.
    page = login(site.commissioner).get(reverse("fidelity_compare") + f"?quarter={Q.code}").content.decode()
    assert "Lowmere Council" in page and "Glasmoor Council" not in page
    assert login(site.manager).get(reverse("fidelity_review") + "?quarter=2025/26-Q9").status_code == 404


def test_each_figure_opens_the_records_it_counts_within_scope(site, login):
    url = reverse("fidelity_records") + f"?quarter={Q.code}&measure="
    north = login(site.manager)
    page = north.get(url + "turned_away").content.decode()
    assert "P-5" in page and "P-7" not in page and "P-X" not in page
    page = north.get(url + "time_to_conversation").content.decode()
    assert all(ref in page for ref in ("P-1", "P-2", "P-3")) and "P-4" not in page
    assert "Brookside Walkers" in north.get(url + "groups_started").content.decode()
    assert north.get(url + "no_such_measure").status_code == 404
    # Glasmoor's manager, asking for the same measure, sees Glasmoor's records only.
    south = login(site.manager_south).get(url + "turned_away").content.decode()
    assert "P-X" in south and "P-5" not in south
    for user in (site.coordinator_a, site.commissioner, site.analyst):
        assert login(user).get(url + "turned_away").status_code == 403
