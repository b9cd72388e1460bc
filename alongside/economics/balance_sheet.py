"""The cost consequence balance sheet and programme cost from live records.

Counts what was recorded for a council in a financial year (distinct people or groups, never
their details) and hands them to the Django-free economics library with the costs a finance
officer supplies. Each figure says which records it counts, so it can be traced back.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import pgettext_lazy

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

# The sheet's words are in the language of the page or report it is made for (the command line
# makes it in English).
INSULATOR_DOMAINS = {
    "individual": _l("Independence, confidence, safety and stability"),
    "community": _l("Relationships, connections, access to community resources"),
    "system": _l("Improved access to the right support"),
}


# The library's words for the sheet (evidence/economics/ccf.py), named here so they are in the
# Welsh catalogue; the keys are the library's.
LEVEL_NAMES = {"individual": _l("Individual – in control of own life and decisions"),
               "community": _l("Community – community-led change"),
               "system": _l("System – from crisis to prevention")}
CHANGE_NAMES = {"increased": _l("Increased"), "reduced": _l("Reduced"), "deferred": _l("Deferred"),
                "prevented": _l("Prevented")}
COST_NAMES = {"lac_service": _l("The LAC service"),
              "dependence_on_lac": _l("Dependence on LAC support"),
              "out_of_pocket": _l("Out-of-pocket expenses"),
              "other_service_use": _l("Change in other service use"),
              "duplication": _l("Duplication of provision")}

# Units as they follow a number ("12 people"; in Welsh "12 o bobl").
UNITS = {"people": pgettext_lazy("after a number", "people"),
         "groups": pgettext_lazy("after a number", "groups"),
         "events": pgettext_lazy("after a number", "events")}

CHANGE_WORDS = {"prevented": _l("Prevented"), "deferred": _l("Deferred"), "reduced": _l("Fewer"),
                "increased": _l("More")}


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
    `hide_below` people or groups (but more than none), for roles that must not see small
    numbers, are kept out of the sheet and its totals and listed under `hidden` (level and
    description only; take it out before reading), so a page can show them as "<5"."""
    c = counts or record_counts(council, year)
    hidden: list[dict] = []

    def small(n, level: str, description: str) -> bool:
        if 0 < n < hide_below:
            hidden.append({"level": level, "description": str(description)})
            return True
        return False

    price_year = price_year or prices.table_year()
    where = f"{council.name}, {year}"
    consequences = []
    for key, change, quantity, people in c["service_use"]:
        uc, why = prices.unit_cost(key, price_year)
        item = prices.item_name(uc) if uc else key
        if small(people, "system", f"{CHANGE_WORDS[change]}: {item}"):
            continue
        row = {"level": "system", "domain": _("Change in other service use"),
               "description": f"{CHANGE_WORDS[change]}: {item}", "count": plain(quantity),
               "unit": prices.units_name(uc) if uc else str(UNITS["events"]), "change": change,
               "evidence": _("%(n)s people with a service-use record %(key)s (%(where)s)") % {
                   "n": people, "key": key, "where": where}}
        if why:
            row["evidence"] += "; " + _("not priced: %(why)s") % {"why": why}
        else:
            row["unit_cost"] = key
        consequences.append(row)
    for code, n in c["insulators"]:
        level = code.attrs.get("level", "individual")
        description = _("People with the insulator “%(label)s”") % {"label": code.local_label}
        if n and not small(n, level, description):
            consequences.append({
                "level": level, "domain": str(INSULATOR_DOMAINS.get(level, _("Insulators"))),
                "description": description,
                "count": n, "evidence": _("%(n)s people with an insulator record %(code)s (%(where)s)") % {
                    "n": n, "code": code.code, "where": where}})
    for code, n in c["outcomes"]:
        if n and not small(n, "individual", f"{code.code} {code.local_label}"):
            consequences.append({
                "level": "individual", "domain": _("Outcomes of the logic model"),
                "description": f"{code.code} {code.local_label}", "count": n,
                "evidence": _("%(n)s people with an outcome record %(code)s (%(where)s)") % {
                    "n": n, "code": code.code, "where": where}})
    for key, level, domain, description, unit, evidence in (
        ("connected_to_groups", "individual", _("Relationships, connections, access to community resources"),
         _("People connected to a community group"), str(UNITS["people"]),
         _("%(n)s connection records to a group (%(where)s)")),
        ("groups_supported", "community", _("Groups and local businesses sustained"),
         _("Community groups given support"), str(UNITS["groups"]),
         _("%(n)s groups with a support record (%(where)s)")),
        ("groups_started", "community", _("Social capital"),
         _("New community groups started with LAC support"), str(UNITS["groups"]),
         _("%(n)s new groups on the community map (%(where)s)")),
        ("ripples", "community", _("Sustainable support networks"),
         _("People who went on to volunteer, run a group or lead"), str(UNITS["people"]),
         _("%(n)s people with a ripple record (%(where)s)")),
    ):
        if c[key] and not small(c[key], level, description):
            consequences.append({"level": level, "domain": domain, "description": description,
                                 "count": c[key], "unit": unit,
                                 "evidence": evidence % {"n": c[key], "where": where}})
    name = _("%(council)s Local Area Coordination %(year)s") % {"council": council.name, "year": year}
    return {"name": name, "price_year": price_year,
            "costs": costs or [], "consequences": consequences, **({"hidden": hidden} if hide_below else {})}


def balance_sheet(council: Council, year: str, costs: list[dict] | None = None,
                  price_year: str | None = None) -> BalanceSheet:
    data = balance_sheet_data(council, year, costs, price_year=price_year)
    return read_balance_sheet(data, f"{council.name} records", prices.table(), prices.index())
