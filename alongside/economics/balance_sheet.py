"""The cost consequence balance sheet and programme cost from live records.

Counts what was recorded for a council in a financial year (distinct people or groups, never
their details) and hands them to the Django-free economics library with the costs a finance
officer supplies. Each figure says which records it counts, so it can be traced back.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count, Q, Sum

from alongside.codes.models import Code
from alongside.community.models import CommunityGroup, GroupSupport
from alongside.evidence.economics.ccf import BalanceSheet, read_balance_sheet
from alongside.evidence.economics.model_file import check_price_year
from alongside.evidence.economics.money import plain
from alongside.journeys.models import (
    Connection,
    Engagement,
    Insulator,
    Outcome,
    Ripple,
    ServiceUseChange,
)
from alongside.places.models import Council

from . import prices

INSULATOR_DOMAINS = {
    "individual": "Independence, confidence, safety and stability",
    "community": "Relationships, connections, access to community resources",
    "system": "Improved access to the right support",
}


CHANGE_WORDS = {"prevented": "Prevented", "deferred": "Deferred", "reduced": "Fewer",
                "increased": "More"}


def financial_year(text: str) -> tuple[date, date]:
    """2023/24 → 1 April 2023 to 31 March 2024."""
    if why := check_price_year(text):
        raise ValueError(why)
    start = int(text[:4])
    return date(start, 4, 1), date(start + 1, 3, 31)


def record_counts(council: Council, year: str) -> dict:
    """People and groups with each kind of change recorded in the year, for one council."""
    return counts_by_council(council.wards.all(), year)[council.pk]


def _empty(codes: dict[str, list[Code]]) -> dict:
    return {"insulators": [(c, 0) for c in codes["insulator"]],
            "outcomes": [(c, 0) for c in codes["outcome"]],
            "connected_to_groups": 0, "groups_supported": 0, "groups_started": 0, "ripples": 0,
            "people_supported": 0, "level2_people": 0, "ward_residents": 0, "service_use": []}


def counts_by_council(wards, year: str) -> dict[int, dict]:
    """record_counts for every council of these wards at once: each query groups by council,
    so a network's balance sheets cost the same dozen scans as one site's."""
    start, end = financial_year(year)
    people = Q(person__ward__in=wards)
    in_year = Q(observed_on__range=(start, end))
    by = "person__ward__council_id"
    codes = {name: list(Code.objects.filter(list=name).order_by("position"))
             for name in ("insulator", "outcome")}
    # Every council of the wards has an entry, even with nothing recorded in the year.
    out: dict[int, dict] = {c: _empty(codes) for c in set(wards.values_list("council_id", flat=True))}

    def grouped(qs, key: str, count: str, extra: str | None = None):
        fields = [key] + ([extra] if extra else [])
        return qs.values(*fields).annotate(n=Count(count, distinct=True))

    for key, qs, field, name in (
        ("insulators", Insulator.objects.filter(people, in_year), "insulator_id", "insulator"),
        ("outcomes", Outcome.objects.filter(people, in_year, present=True), "outcome_id", "outcome"),
    ):
        n = defaultdict(dict)
        for r in grouped(qs, by, "person", field):
            n[r[by]][r[field]] = r["n"]
        for council, per_code in n.items():
            out[council][key] = [(c, per_code.get(c.pk, 0)) for c in codes[name]]
    simple = (
        ("connected_to_groups", Connection.objects.filter(people, made_on__range=(start, end),
                                                          group__isnull=False), by, "person"),
        ("groups_supported", GroupSupport.objects.filter(group__ward__in=wards, given_on__range=(start, end)),
         "group__ward__council_id", "group"),
        ("groups_started", CommunityGroup.objects.filter(ward__in=wards, is_new=True,
                                                         started_on__range=(start, end)),
         "ward__council_id", "pk"),
        ("ripples", Ripple.objects.filter(people, in_year), by, "person"),
    )
    supported = Engagement.objects.filter(people, started_on__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start))
    simple += (("people_supported", supported, by, "person"),
               ("level2_people", supported.filter(level__code="L2"), by, "person"))
    for key, qs, key_field, count in simple:
        for r in grouped(qs, key_field, count):
            out[r[key_field]][key] = r["n"]
    changes = (ServiceUseChange.objects.filter(people, in_year)
               .values(by, "service", "change")
               .annotate(quantity=Sum("quantity"), people=Count("person", distinct=True))
               .order_by(by, "service", "change"))
    for r in changes:
        out[r[by]]["service_use"].append((r["service"], r["change"], r["quantity"], r["people"]))
    for r in wards.values("council_id").annotate(n=Sum("population")):
        out[r["council_id"]]["ward_residents"] = r["n"] or 0
    return out


def balance_sheet_data(council: Council, year: str, costs: list[dict] | None = None,
                       counts: dict | None = None, price_year: str | None = None,
                       hide_below: int = 0) -> dict:
    """The mapping `read_balance_sheet` takes: recorded consequences plus the costs given.
    `counts` (from counts_by_council) saves counting again when many councils are wanted.
    Money is at `price_year` (by default the unit cost table's own year). Rows about fewer than
    `hide_below` people or groups (but more than none) are left out, for roles that must not
    see small numbers; then `hidden` in the answer says how many (take it out before reading)."""
    c = counts or record_counts(council, year)
    hidden = 0

    def small(n) -> bool:
        nonlocal hidden
        if 0 < n < hide_below:
            hidden += 1
            return True
        return False

    price_year = price_year or prices.table_year()
    where = f"{council.name}, {year}"
    consequences = []
    for key, change, quantity, people in c["service_use"]:
        if small(people):
            continue
        uc, why = prices.unit_cost(key, price_year)
        item = uc.item if uc else key
        row = {"level": "system", "domain": "Change in other service use",
               "description": f"{CHANGE_WORDS[change]}: {item}", "count": plain(quantity),
               "unit": uc.units if uc else "events", "change": change,
               "evidence": f"{people} people with a service-use record {key} ({where})"}
        if why:
            row["evidence"] += f"; not priced: {why}"
        else:
            row["unit_cost"] = key
        consequences.append(row)
    for code, n in c["insulators"]:
        if n and not small(n):
            level = code.attrs.get("level", "individual")
            consequences.append({
                "level": level, "domain": INSULATOR_DOMAINS.get(level, "Insulators"),
                "description": f"People with the insulator “{code.label}”", "count": n,
                "evidence": f"{n} people with an insulator record {code.code} ({where})"})
    for code, n in c["outcomes"]:
        if n and not small(n):
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
        if c[key] and not small(c[key]):
            consequences.append({"level": level, "domain": domain, "description": description,
                                 "count": c[key], "unit": unit,
                                 "evidence": f"{c[key]} {evidence} ({where})"})
    return {"name": f"{council.name} Local Area Coordination {year}", "price_year": price_year,
            "costs": costs or [], "consequences": consequences, **({"hidden": hidden} if hide_below else {})}


def balance_sheet(council: Council, year: str, costs: list[dict] | None = None,
                  price_year: str | None = None) -> BalanceSheet:
    data = balance_sheet_data(council, year, costs, price_year=price_year)
    return read_balance_sheet(data, f"{council.name} records", prices.table(), prices.index())
