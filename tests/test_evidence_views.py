"""The evidence pages, checked against counts made independently from the records: the site-scale
demo, one ward, every figure recomputed here with plain ORM queries (not the page's code)."""

from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.db.models import Q

from alongside.accounts.models import User
from alongside.codes.lookup import code
from alongside.community.models import CommunityGroup
from alongside.journeys.models import Exit, Introduction
from alongside.people.models import Person
from alongside.places.models import Council, Ward
from tests.conftest import signed_in


class Tables(HTMLParser):
    """Rows of cell texts for every table with an id."""

    def __init__(self):
        super().__init__()
        self.tables, self.current, self.row, self.cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id"):
            self.current = self.tables.setdefault(attrs["id"], [])
        elif tag == "tr" and self.current is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.current = None
        elif tag == "tr" and self.row is not None and self.current is not None:
            self.current.append(self.row)
            self.row = None
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def tables(response) -> dict[str, list[list[str]]]:
    assert response.status_code == 200
    parser = Tables()
    parser.feed(response.content.decode())
    return parser.tables


def row(table, starts: str) -> list[str]:
    return next(r for r in table if r and r[0].startswith(starts))


def number(text: str) -> int:
    return int(text.replace(",", ""))


@pytest.fixture
def site(db):
    call_command("demo", scale="site", seed=11, stdout=open("/dev/null", "w"))
    ward = Ward.objects.order_by("ons_code").first()
    return ward, User.objects.get(username="manager")


def _level2(ward):
    return Person.objects.filter(ward=ward, engagements__level__code="L2").distinct()


def test_every_evidence_view_matches_counts_made_from_the_records(client, site):
    ward, manager = site
    signed_in(client, manager)
    where = f"?period=all&ward={ward.pk}"
    people = _level2(ward)
    n = people.count()
    assert n > 50  # a ward of the site scale: enough for every figure to have numbers

    # --- Figures 5, 7, 9 and 8 -------------------------------------------------------------
    t = tables(client.get(f"/evidence/patterns/{where}"))
    problem = {pa: people.filter(Q(introductions__reasons__code=pa) |
                                 Q(introductions__reasons__parent__code=pa)).distinct().count()
               for pa in ("PA1", "PA2", "PA3", "PA4")}
    codings = sum(problem.values())
    for pa, k in problem.items():
        cells = row(t["figure-5"], pa)
        assert number(cells[1]) == k
        assert cells[2].endswith(f"{100 * k / codings:.0f}%")
    a1 = people.filter(activities__activity__code="A1").distinct().count()
    assert number(row(t["figure-7"], "A1")[1]) == a1
    sto3 = people.filter(outcomes__outcome__code="STO3", outcomes__present=True).distinct().count()
    cells = row(t["figure-9"], "STO3")
    assert number(cells[1]) == sto3 and cells[2].endswith(f"{100 * sto3 / n:.0f}%")
    pa3 = Q(introductions__reasons__code="PA3") | Q(introductions__reasons__parent__code="PA3")
    both = people.filter(pa3).filter(activities__activity__code="A1").distinct().count()
    header = t["figure-8"][0]
    assert number(row(t["figure-8"], "PA3")[header.index("A1")]) == both
    mto2_a4 = people.filter(activities__activity__code="A4", outcomes__outcome__code="MTO2",
                            outcomes__present=True).distinct().count()
    assert number(row(t["figure-12"], "A4")[t["figure-12"][0].index("MTO2")]) == mto2_a4

    # --- The funnel ----------------------------------------------------------------------------
    t = tables(client.get(f"/evidence/funnel/{where}"))["funnel"]
    introduced = Introduction.objects.filter(ward=ward).count()
    early = Exit.objects.filter(engagement__introduction__ward=ward,
                                point__code__in=("initial_contact", "after_first_meeting"))
    statutory = early.filter(engagement__introduction__route__attrs__statutory=True).count()
    cells = row(t, "All introductions")
    # Columns: label, then count and share for introduced, contact, meeting, alongside, stopped.
    assert number(cells[1]) == introduced
    assert number(cells[7]) == introduced - early.count()
    assert number(cells[9]) == early.count()
    assert cells[10] == f"{100 * early.count() / introduced:.0f}%"
    page = client.get(f"/evidence/funnel/{where}").content.decode()
    assert f"Statutory services made <strong>{100 * statutory / early.count():.0f}%</strong>" in page

    # --- QCA: the case table and the truth table -------------------------------------------------
    query = (f"{where}&outcome=outcomes:STO1&conditions=activities:A1&conditions=activities:A4"
             "&incl_cut=0.8&n_cut=1")
    csv_rows = client.get(f"/evidence/qca/{query}&format=csv").content.decode().splitlines()
    assert csv_rows[0] == "case,A1,A4,STO1"
    expected = []
    for p in people.order_by("pk"):
        expected.append([int(p.activities.filter(activity__code="A1").exists()),
                         int(p.activities.filter(activity__code="A4").exists()),
                         int(p.outcomes.filter(outcome__code="STO1", present=True).exists())])
    assert [[int(v) for v in r.split(",")[1:]] for r in csv_rows[1:]] == expected
    t = tables(client.get(f"/evidence/qca/{query}"))["truth-table"]
    with_both = [e for e in expected if e[0] == 1 and e[1] == 1]
    tt_row = next(r for r in t[1:] if r[:2] == ["1", "1"])
    assert number(tt_row[3]) == len(with_both)
    assert tt_row[4] == f"{sum(e[2] for e in with_both) / len(with_both):.3f}"


def test_the_model_flows_end_in_the_outcomes_counted_from_the_records(client, site):
    ward, manager = site
    signed_in(client, manager)
    people = _level2(ward)
    in_control = people.filter(Q(outcomes__outcome__code="IC") | Q(outcomes__outcome__code__startswith="IC."),
                               outcomes__present=True).distinct().count()
    page = client.get(f"/evidence/model/?period=all&ward={ward.pk}").content.decode()
    assert f"In control of own life ({in_control})" in page
    assert f"How the {people.count():,} people" in page
    community = people.filter(activities__level__code="community").distinct().count()
    page = client.get(f"/evidence/model/?period=all&ward={ward.pk}&level=community").content.decode()
    assert f"How the {community:,} people" in page


def test_the_model_flows_of_people_connected_to_one_group(client, site):
    ward, manager = site
    signed_in(client, manager)
    people = _level2(ward)
    connected = people.filter(connections__group__isnull=False)
    group = connected.values_list("connections__group", flat=True).first()
    n = people.filter(connections__group=group).distinct().count()
    assert 0 < n < people.count()
    page = client.get(f"/evidence/model/?period=all&ward={ward.pk}&group={group}").content.decode()
    assert f"How the {n:,} people" in page
    # A group of another council is not offered and does not filter.
    elsewhere = Council.objects.create(name="Elsewhere Council", ons_code="E06999999", nation="england")
    ward_there = Ward.objects.create(council=elsewhere, name="There", ons_code="E05999999", population=1)
    other = CommunityGroup.objects.create(ward=ward_there, name="Far Club",
                                          type=code("group_type", "lunch_club"))
    page = client.get(f"/evidence/model/?period=all&ward={ward.pk}&group={other.pk}").content.decode()
    assert f"How the {people.count():,} people" in page and "Far Club" not in page


def test_costs_and_value_and_the_quarterly_report_match_the_records(client, site):
    """The balance sheet, programme cost per person and SROI on the site demo, and the quarterly
    report's headline, recounted here from the records (a council's year, one quarter)."""
    from datetime import date
    from decimal import Decimal

    from django.db.models import Sum

    from alongside.journeys.models import Engagement, ServiceUseChange
    from alongside.places.models import ProgrammeCost
    from alongside.reports import figures
    from alongside.reports.writing import render_html

    ward, manager = site
    council = ward.council
    signed_in(client, manager)
    start, end = date(2025, 4, 1), date(2026, 3, 31)
    r = client.get("/evidence/economics/", {"year": "2025/26", "format": "csv"})
    lines = r.content.decode().splitlines()
    ae = ServiceUseChange.objects.filter(person__ward__council=council, observed_on__range=(start, end),
                                         service="ae_attendance", change="prevented")
    quantity = ae.aggregate(n=Sum("quantity"))["n"]
    assert quantity > 0
    line = next(x for x in lines if "Prevented: A&E attendance" in x)
    # Natural units and £ at the PSSRU 2024 unit cost of an A&E attendance, £273.
    assert f",{int(quantity)},attendances," in line and f",NHS,{int(quantity) * 273}," in line

    # Programme cost per person supported: saved cost ÷ people with support in the year.
    pc = ProgrammeCost.objects.get(council=council, year="2025/26")
    staff = pc.coordinator_fte * pc.salary * (1 + pc.on_costs / 100)
    total = staff + pc.management + pc.venues + (staff + pc.management) * pc.overheads / 100
    supported = (Engagement.objects.filter(person__ward__council=council, started_on__lte=end)
                 .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
                 .values("person").distinct().count())
    html = client.get("/evidence/economics/", {"year": "2025/26"}).content.decode()
    assert f"£{total:,.2f}" in html and f"£{total / supported:,.2f}" in html

    # The SROI ratio: with no assumptions changed, each outcome is quantity × unit cost for one
    # year, discounted once at 3.5%, over the programme cost.
    costs = {"ae_attendance": 273, "gp_consultation": 45, "ambulance_see_and_convey": 459,
             "mental_health_crisis_contact": 338, "home_care_hour": 27}
    benefits = (ServiceUseChange.objects.filter(person__ward__council=council,
                                                observed_on__range=(start, end),
                                                change__in=("prevented", "deferred", "reduced"),
                                                service__in=costs)
                .values("service").annotate(n=Sum("quantity")))
    pv = sum(Decimal(costs[b["service"]]) * b["n"] for b in benefits) / Decimal("1.035")
    assert f'id="sroi-pv">£{pv:,.2f}<' in html
    assert f'id="sroi-ratio">£{pv / total:.2f} : £1<' in html

    # The quarterly report's headline for July–September 2026.
    q = figures.quarter("2026/27-Q2")
    report = render_html("site", council, q, "en")
    intros = Introduction.objects.filter(ward__council=council, introduced_on__range=(q.start, q.end)).count()
    # A report for a committee gives counts to the nearest 5 (207 → 205)
    assert intros >= 5
    shown = 5 * round(intros / 5)
    assert f'<th scope="row">Introductions received</th><td class="n">{shown:,}</td>' in report


def test_cases_share_equal_code_sets_so_a_network_fits_in_memory(site):
    """A network's 200,000 cases once took 636 MB, most of it a set object per kind per case;
    equal sets are now one object, and a case has no per-instance dict."""
    from alongside.journeys.cases import cases

    found = cases(Ward.objects.all())
    assert len(found) > 50
    assert not hasattr(found[0], "__dict__")
    for kind in ("activities", "activity_levels", "problems", "outcomes"):
        sets = [c.codes(kind) for c in found]
        distinct_values = {frozenset(s) for s in sets}
        assert len({id(s) for s in sets}) == len(distinct_values), kind
    # and each is still the person's codes: the activity headings match the records
    person = found[0].person
    recorded = set(Person.objects.get(pk=person).activities.values_list("activity__code", flat=True))
    assert found[0].activities == frozenset(recorded)


def test_qca_takes_multi_value_conditions_and_directional_expectations(client, site):
    """KINDS (how many of A1-A7 a person's activities cover, banded 0: one or none, 1: two or
    three, 2: four or more) is counted here from the records by plain ORM queries."""
    ward, manager = site
    signed_in(client, manager)
    people = _level2(ward)

    def kinds(p):
        n = p.activities.values("activity__code").distinct().count()
        return 0 if n <= 1 else 1 if n <= 3 else 2

    expected = [[kinds(p), int(p.activities.filter(activity__code="A1").exists()),
                 int(p.outcomes.filter(outcome__code="STO1", present=True).exists())]
                for p in people.order_by("pk")]
    query = (f"?period=all&ward={ward.pk}&outcome=outcomes:STO1&conditions=breadth:kinds"
             "&conditions=activities:A1&incl_cut=0.8&n_cut=1")
    csv_rows = client.get(f"{query}&format=csv".join(["/evidence/qca/", ""])).content.decode().splitlines()
    assert csv_rows[0] == "case,KINDS,A1,STO1"
    assert [[int(v) for v in r.split(",")[1:]] for r in csv_rows[1:]] == expected
    assert {e[0] for e in expected} == {0, 1, 2}  # the demo ward has every band

    # the truth table has a row per observed KINDS x A1 combination, counted as above
    t = tables(client.get(f"/evidence/qca/{query}"))["truth-table"]
    for values in {(e[0], e[1]) for e in expected}:
        tt_row = next(r for r in t[1:] if r[:2] == [str(values[0]), str(values[1])])
        assert number(tt_row[3]) == sum(1 for e in expected if (e[0], e[1]) == values)

    page = client.get(f"/evidence/qca/{query}&dir_exp=KINDS%5B1%2C2%5D%2C+A1").content.decode()
    assert "Intermediate solution" in page
    assert "<code>KINDS[2]</code> four or more" in page
    assert "From C1P1" in page or "all conditions minimise away" in page \
        or "no positive configurations" in page

    wrong = client.get(f"/evidence/qca/{query}&dir_exp=FOO").content.decode()
    assert "&#x27;FOO&#x27; is not one of the conditions (KINDS, A1)" in wrong
    assert "Intermediate solution" not in wrong
    plain = client.get(f"/evidence/qca/{query}&dir_exp=KINDS").content.decode()
    assert "KINDS is multi-value; write the expected value in square brackets" in plain
