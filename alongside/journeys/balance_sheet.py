"""The cost consequence balance sheet and programme cost from live records.

Counts what was recorded for a council in a financial year (distinct people or groups, never
their details) and hands them to the Django-free economics library with the costs a finance
officer supplies. Each figure says which records it counts, so it can be traced back.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, Sum

from alongside.codes.models import Code
from alongside.community.models import CommunityGroup, GroupSupport
from alongside.evidence.economics.ccf import BalanceSheet, read_balance_sheet
from alongside.evidence.economics.model_file import check_price_year
from alongside.journeys.models import Connection, Engagement, Insulator, Outcome, Ripple
from alongside.places.models import Council

INSULATOR_DOMAINS = {
    "individual": "Independence, confidence, safety and stability",
    "community": "Relationships, connections, access to community resources",
    "system": "Improved access to the right support",
}


def financial_year(text: str) -> tuple[date, date]:
    """2023/24 → 1 April 2023 to 31 March 2024."""
    if why := check_price_year(text):
        raise ValueError(why)
    start = int(text[:4])
    return date(start, 4, 1), date(start + 1, 3, 31)


def record_counts(council: Council, year: str) -> dict:
    """People and groups with each kind of change recorded in the year, for one council."""
    start, end = financial_year(year)
    wards = council.wards.all()
    people = Q(person__ward__in=wards)
    in_year = Q(observed_on__range=(start, end))
    counts: dict = {"insulators": [], "outcomes": []}
    for code in Code.objects.filter(list="insulator").order_by("position"):
        n = (Insulator.objects.filter(people, in_year, insulator=code)
             .values("person").distinct().count())
        counts["insulators"].append((code, n))
    for code in Code.objects.filter(list="outcome").order_by("position"):
        n = (Outcome.objects.filter(people, in_year, outcome=code, present=True)
             .values("person").distinct().count())
        counts["outcomes"].append((code, n))
    counts["connected_to_groups"] = (
        Connection.objects.filter(people, made_on__range=(start, end), group__isnull=False)
        .values("person").distinct().count())
    counts["groups_supported"] = (
        GroupSupport.objects.filter(group__ward__in=wards, given_on__range=(start, end))
        .values("group").distinct().count())
    counts["groups_started"] = CommunityGroup.objects.filter(
        ward__in=wards, is_new=True, started_on__range=(start, end)).count()
    counts["ripples"] = (Ripple.objects.filter(people, in_year).values("person").distinct().count())
    supported = Engagement.objects.filter(people, started_on__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start))
    counts["people_supported"] = supported.values("person").distinct().count()
    counts["level2_people"] = supported.filter(level__code="L2").values("person").distinct().count()
    counts["ward_residents"] = wards.aggregate(n=Sum("population"))["n"] or 0
    return counts


def balance_sheet_data(council: Council, year: str, costs: list[dict] | None = None) -> dict:
    """The mapping `read_balance_sheet` takes: recorded consequences plus the costs given."""
    c = record_counts(council, year)
    where = f"{council.name}, {year}"
    consequences = []
    for code, n in c["insulators"]:
        if n:
            level = code.attrs.get("level", "individual")
            consequences.append({
                "level": level, "domain": INSULATOR_DOMAINS.get(level, "Insulators"),
                "description": f"People with the insulator “{code.label}”", "count": n,
                "evidence": f"{n} people with an insulator record {code.code} ({where})"})
    for code, n in c["outcomes"]:
        if n:
            consequences.append({
                "level": "individual", "domain": "Outcomes of the logic model",
                "description": f"{code.code} {code.label}", "count": n,
                "evidence": f"{n} people with an outcome record {code.code} ({where})"})
    for key, level, domain, description, unit, evidence in (
        ("connected_to_groups", "individual", "Relationships, connections, access to community resources",
         "People connected to a community group", "people", "connection records to a group"),
        ("groups_supported", "community", "Groups and local businesses sustained",
         "Community groups given support", "groups", "groups with a support record"),
        ("groups_started", "community", "Social capital",
         "New community groups started with LAC support", "groups", "new groups on the community map"),
        ("ripples", "community", "Sustainable support networks",
         "People who went on to volunteer, run a group or lead", "people", "people with a ripple record"),
    ):
        if c[key]:
            consequences.append({"level": level, "domain": domain, "description": description,
                                 "count": c[key], "unit": unit,
                                 "evidence": f"{c[key]} {evidence} ({where})"})
    return {"name": f"{council.name} Local Area Coordination {year}", "price_year": year,
            "costs": costs or [], "consequences": consequences}


def balance_sheet(council: Council, year: str, costs: list[dict] | None = None) -> BalanceSheet:
    return read_balance_sheet(balance_sheet_data(council, year, costs), f"{council.name} records")
