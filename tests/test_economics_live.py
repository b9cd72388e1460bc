"""Economics from live records: the balance sheet, the SROI model and costed scenarios on the
Costs and value page, checked against hand calculations with the published unit costs."""

import re
from datetime import date
from decimal import Decimal

import pytest

from alongside.codes.lookup import code
from alongside.journeys.models import Insulator, ScenarioEvent, ServiceUseChange, Story
from alongside.places.models import ProgrammeCost
from tests.conftest import make_person, signed_in

URL = "/evidence/economics/"
YEAR = "2025/26"  # 1 April 2025 to 31 March 2026
ON = date(2025, 6, 1)
# Unit costs as published (PSSRU Unit Costs of Health and Social Care 2024, 2023/24 prices):
AE = Decimal("273")  # A&E attendance, Table 6.1.1
GP = Decimal("45")  # GP consultation of 10 minutes incl. qualification costs, Table 9.4.2


@pytest.fixture
def costed(world):
    """North: 89,000 programme cost; 10 A&E attendances prevented and 20 GP consultations fewer."""
    ProgrammeCost.objects.create(council=world.north, year=YEAR, coordinator_fte=2, salary=30000,
                                 on_costs=25, management=5000, venues=1000, overheads=10,
                                 source="Budget report")
    ServiceUseChange.objects.create(person=world.person_a, service="ae_attendance", change="prevented",
                                    quantity=10, observed_on=ON, evidence="Says so")
    ServiceUseChange.objects.create(person=world.person_b, service="gp_consultation", change="reduced",
                                    quantity=20, observed_on=ON, evidence="Surgery confirmed")
    # Outside the year: not counted.
    ServiceUseChange.objects.create(person=world.person_a, service="ae_attendance", change="prevented",
                                    quantity=99, observed_on=date(2025, 3, 31), evidence="Earlier")
    return world


def page(client, **params):
    query = {"year": YEAR, **params}
    r = client.get(URL, query)
    assert r.status_code == 200, r.status_code
    return r.content.decode()


def test_programme_cost_from_the_saved_figures(client, costed):
    html = page(signed_in(client, costed.manager))
    # 2 × 30,000 × 1.25 = 75,000; management 5,000; venues 1,000; overheads 10% of (75,000 + 5,000)
    # = 8,000; total 89,000.
    assert "£89,000.00" in html
    # People supported in the year: Aled and Bethan (both active since 1 March 2025): 89,000 ÷ 2.
    assert "£44,500.00" in html
    # Ward residents: 9,000 + 11,000 = 20,000; 89,000 ÷ 20,000 = £4.45.
    assert "£4.45" in html


def test_balance_sheet_prices_the_recorded_changes(client, costed):
    r = signed_in(client, costed.manager).get(URL, {"year": YEAR, "format": "csv"})
    text = r.content.decode()
    ae = next(line for line in text.splitlines() if "A&E attendance" in line)
    # 10 prevented attendances (the 99 of March 2025 fall in the year before) × £273 = £2,730.
    assert ",10," in ae and "2730" in ae and "Prevented" in ae
    gp = next(line for line in text.splitlines() if "GP consultation" in line)
    assert ",20," in gp and "900" in gp and "Reduced" in gp


def test_sroi_with_every_assumption_set_by_hand(client, costed):
    signed_in(client, costed.manager)
    html = page(client, **{
        "ae_attendance.prevented-deadweight": "20", "ae_attendance.prevented-attribution": "25",
        "ae_attendance.prevented-duration": "2", "ae_attendance.prevented-drop_off": "50"})
    # A&E: year 1 = 10 × 273 × (1 − 0.20) × (1 − 0.25) = 1,638.00; year 2 = 1,638 × 0.5 = 819.00.
    # GP: year 1 = 20 × 45 = 900.00 (no deadweight, attribution, displacement; one year).
    # PV = (1,638 + 900) ÷ 1.035 + 819 ÷ 1.035² = 2,452.1739… + 764.5452… = 3,216.7191…
    pv = Decimal(2538) / Decimal("1.035") + Decimal(819) / Decimal("1.035") ** 2
    assert f"£{pv:,.2f}" == "£3,216.72"
    assert re.search(r'id="sroi-pv">£3,216.72<', html)
    # Ratio = 3,216.72 ÷ 89,000 = 0.036 → £0.04 for each £1; NPV = 3,216.72 − 89,000.
    assert re.search(r'id="sroi-ratio">£0.04 : £1<', html)
    assert "−£85,783.28" in html
    # Below break-even: every value would have to be 89,000 ÷ 3,216.72 = 27.7 times as large.
    assert "27.7 times as large" in html


def test_a_wrong_assumption_is_named_and_nothing_is_worked_out(client, costed):
    html = page(signed_in(client, costed.manager), **{"ae_attendance.prevented-deadweight": "150",
                                                      "gp_consultation.reduced-duration": "two"})
    assert "Prevented: A&amp;E attendance – deadweight: Enter a percentage from 0 to 100" in html
    assert "Fewer: GP consultation, 10 minutes (including qualification costs) – duration: " \
           "Enter a number" in html
    assert 'id="sroi-ratio"' not in html


def test_a_percentage_typed_as_a_fraction_is_asked_about(client, costed):
    signed_in(client, costed.manager)
    html = page(client, **{"ae_attendance.prevented-deadweight": "0.2"})
    assert "deadweight: 0.2 would mean 0.2%: enter 20 for 20%, or 0.2% if you mean less than one " \
           "per cent" in html
    assert 'id="sroi-ratio"' not in html
    # With its sign it is taken as written: A&E year 1 = 10 × 273 × (1 − 0.002) = 2,724.54;
    # GP 20 × 45 = 900; PV = 3,624.54 ÷ 1.035 = 3,501.97.
    html = page(client, **{"ae_attendance.prevented-deadweight": "0.2%"})
    assert 'id="sroi-pv">£3,501.97<' in html


def test_no_programme_cost_no_ratio(client, costed):
    ProgrammeCost.objects.all().delete()
    html = page(signed_in(client, costed.manager))
    assert "Enter the programme cost for 2025/26 to set the investment." in html
    assert 'id="sroi-ratio"' not in html


def test_manager_enters_the_programme_cost_and_others_cannot(client, world):
    signed_in(client, world.manager)
    data = {"coordinator_fte": "1.5", "salary": "32000", "on_costs": "30", "management": "0",
            "venues": "0", "overheads": "0", "source": "Budget"}
    r = client.post(f"{URL}?council={world.north.pk}&year={YEAR}", {**data, "on_costs": "130"})
    assert r.status_code == 200 and "Enter a percentage from 0 to 100" in r.content.decode()
    assert not ProgrammeCost.objects.exists()
    r = client.post(f"{URL}?council={world.north.pk}&year={YEAR}", data)
    assert r.status_code == 302
    saved = ProgrammeCost.objects.get(council=world.north, year=YEAR)
    assert saved.coordinator_fte == Decimal("1.5") and saved.updated_by == world.manager
    assert "£62,400.00" in page(client)  # 1.5 × 32,000 × 1.30

    client.logout()
    signed_in(client, world.analyst)
    r = client.post(f"{URL}?council={world.north.pk}&year={YEAR}", {**data, "salary": "1"})
    assert r.status_code == 403
    assert ProgrammeCost.objects.get().salary == 32000


def test_scoping_and_roles(client, costed):
    # A manager asking for another council gets their own.
    html = page(signed_in(client, costed.manager_south), council=costed.north.pk)
    assert "Glasmoor Council" in html and "£89,000.00" not in html
    client.logout()
    for user in (costed.coordinator_a, costed.admin):
        signed_in(client, user)
        assert client.get(URL).status_code == 403
        client.logout()


def test_small_numbers_hidden_from_commissioners(client, costed):
    for person in (costed.person_a, costed.person_b):
        Insulator.objects.create(person=person, insulator=code("insulator", "confidence"), observed_on=ON)
    manager_html = page(signed_in(client, costed.manager))
    assert "Confidence and independence" in manager_html
    client.logout()
    html = page(signed_in(client, costed.commissioner))
    # Two people: fewer than five. The rows are still there, as "<5" with no £ (their value
    # would give the count back), and the page says so rather than hiding them.
    import re
    rows = re.findall(r"<tr class=\"govuk-table__row\">.*?</tr>", html, re.S)
    confidence = next(r for r in rows if "Confidence and independence" in r)
    assert "&lt;5" in confidence and "£" not in confidence and "fewer than 5: not valued" in confidence
    ae = next(r for r in rows if "A&amp;E attendance" in r and "&lt;5" in r)
    assert "273" not in ae and "10 " not in ae
    assert ("are about fewer than 5 people or groups: they are shown as &lt;5 and left out of the "
            "£ totals") in html
    # The SROI says what suppression hides instead of "none recorded".
    assert "2 kinds of service-use change were recorded in 2025/26, each for fewer than 5 people" in html
    assert "No service-use change that can be priced was recorded" not in html


def test_costed_scenario_of_a_story(client, world):
    story = Story.objects.create(ward=world.ward_a, person=world.person_a, title="Home again",
                                 written_on=ON, before="b", what_happened="w", what_changed="c",
                                 consent_to_share=True)
    for pathway, month, service, quantity in (
            ("with_lac", 1, "gp_consultation", 2), ("without_lac", 3, "ae_attendance", 1),
            ("without_lac", 14, "home_care_hour", 100)):
        ScenarioEvent.objects.create(story=story, pathway=pathway, month=month, service=service,
                                     quantity=quantity)
    # With: 2 × 45 = 90 in year 0 (not discounted).
    # Without: 273 in year 0, plus 100 × 27 = 2,700 in year 1 (month 14) ÷ 1.035 = 2,608.70;
    # total 2,881.70. Avoided: 2,881.70 − 90 = 2,791.70.
    assert f"{Decimal(2700) / Decimal('1.035'):.2f}" == "2608.70"
    signed_in(client, world.coordinator_a)
    html = client.get(f"/stories/{story.pk}/").content.decode()
    assert "£2,881.70" in html and "Cost avoided with LAC: £2,791.70" in html
    client.logout()
    html = page(signed_in(client, world.commissioner))
    assert "Home again" in html and "£2,791.70 avoided" in html
    assert f"/stories/{story.pk}/" not in html  # no link to a person's story for commissioners
    client.logout()
    # Another council's Coordinator cannot open the story or its scenario.
    signed_in(client, world.coordinator_c)
    assert client.get(f"/stories/{story.pk}/").status_code == 404
    assert client.get(f"/stories/{story.pk}/scenario/").status_code == 404


def test_coordinator_records_a_service_use_change(client, world):
    signed_in(client, world.coordinator_a)
    url = f"/people/{world.person_a.reference}/record/service-use/"
    r = client.post(url, {"service": "ae_attendance", "change": "prevented", "quantity": "-1",
                          "evidence": "", "observed_on": "2025-06-01"})
    assert r.status_code == 200 and not ServiceUseChange.objects.exists()
    r = client.post(url, {"service": "ae_attendance", "change": "prevented", "quantity": "2",
                          "evidence": "No night-time visits since the plan", "observed_on": "2025-06-01"})
    assert r.status_code == 302
    change = ServiceUseChange.objects.get()
    assert change.quantity == 2 and change.recorded_by == world.coordinator_a
    timeline = client.get(f"/people/{world.person_a.reference}/").content.decode()
    assert "Use of A&amp;E attendance: prevented" in timeline
    # Not for a person in another ward.
    assert client.get(f"/people/{world.person_c.reference}/record/service-use/").status_code == 404


def test_scenario_entered_on_the_page(client, world):
    story = Story.objects.create(ward=world.ward_a, person=world.person_a, title="Home again",
                                 written_on=ON, before="b", what_happened="w", what_changed="c")
    signed_in(client, world.coordinator_a)
    url = f"/stories/{story.pk}/scenario/"
    form = {"event-TOTAL_FORMS": "3", "event-INITIAL_FORMS": "0", "event-MIN_NUM_FORMS": "0",
            "event-MAX_NUM_FORMS": "1000",
            "event-0-pathway": "without_lac", "event-0-month": "2", "event-0-service": "ae_attendance",
            "event-0-quantity": "2", "event-0-note": "Night visits",
            # the untouched rows, as a browser sends them (the quantity's starting value)
            "event-1-quantity": "1", "event-2-quantity": "1"}
    assert client.post(url, form).status_code == 302
    e = ScenarioEvent.objects.get()
    assert (e.pathway, e.month, e.quantity) == ("without_lac", 2, 2)
    html = client.get(f"/stories/{story.pk}/").content.decode()
    assert "List at least one service event with LAC and one without it" in html
    form.update({"event-INITIAL_FORMS": "1", "event-0-id": str(e.pk), "event-1-pathway": "with_lac",
                 "event-1-month": "0", "event-1-service": "gp_consultation", "event-1-quantity": "1"})
    assert client.post(url, form).status_code == 302
    html = client.get(f"/stories/{story.pk}/").content.decode()
    # Without: 2 × 273 = 546; with: 1 × 45; both in year 0 (not discounted): 501 avoided.
    assert "£546.00" in html and "Cost avoided with LAC: £501.00" in html
    with_lac = ScenarioEvent.objects.get(pathway="with_lac")
    form.update({"event-INITIAL_FORMS": "2", "event-0-DELETE": "on", "event-0-id": str(with_lac.pk),
                 "event-1-id": str(e.pk), "event-1-pathway": "without_lac", "event-1-month": "2",
                 "event-1-service": "ae_attendance", "event-1-quantity": "2"})
    assert client.post(url, form).status_code == 302
    assert list(ScenarioEvent.objects.values_list("pathway", flat=True)) == ["without_lac"]


def test_person_made_for_the_year_is_counted(world):
    # make_person starts engagements on 1 March 2025; one started after the year is not counted.
    from alongside.economics.balance_sheet import record_counts

    make_person("P-DDDDDDD", world.ward_a, world.coordinator_a, "Dai", started=date(2026, 5, 1))
    assert record_counts(world.north, YEAR)["people_supported"] == 2
