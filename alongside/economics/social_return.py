"""The programme cost and the SROI model of one council's year, pre-filled from the records.

The quantities come from recorded service-use changes (prevented, deferred or fewer uses of a
service with a row in the unit cost table); the investment is the council's programme cost.
Deadweight, attribution, displacement, drop-off and duration are judgements, not records: they
start at the values given here and the page lets anyone change every one of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from alongside.evidence.economics.money import plain
from alongside.evidence.economics.programme import ProgrammeCost
from alongside.evidence.economics.sroi import ASSUMPTIONS
from alongside.places.models import ProgrammeCost as SavedProgrammeCost

from . import prices
from .balance_sheet import CHANGE_NAMES, CHANGE_WORDS, COST_NAMES

BENEFITS = ("prevented", "deferred", "reduced")  # increased use is a cost, not a return


@dataclass(frozen=True)
class Settings:
    """The judgements behind one outcome: percentages 0–100 and a duration in years."""

    deadweight: Decimal = Decimal(0)
    displacement: Decimal = Decimal(0)
    attribution: Decimal = Decimal(0)
    drop_off: Decimal = Decimal(0)
    duration: int = 1


def programme_cost(saved: SavedProgrammeCost | None, counts: dict) -> ProgrammeCost | None:
    """The saved programme cost with the people counts of the records, or None if not entered."""
    if saved is None:
        return None
    return ProgrammeCost(
        site=saved.council.name, year=saved.year, coordinator_fte=saved.coordinator_fte, salary=saved.salary,
        on_costs=saved.on_costs, management=saved.management, venues=saved.venues,
        overheads=saved.overheads, other=(), people_supported=counts["people_supported"],
        level2_people=counts["level2_people"], ward_residents=counts["ward_residents"])


def lac_service_line(programme: ProgrammeCost, source: str) -> dict:
    """The balance sheet's cost of the LAC service (system level), from a programme cost."""
    return {"level": "system", "category": "lac_service",
            "description": _("%(what)s (%(fte)s FTE Coordinators, management, venues, overheads)") % {
                "what": COST_NAMES["lac_service"], "fte": programme.coordinator_fte},
            "amount": str(programme.total), "source": source}


def outcome_rows(counts: dict, price_year: str) -> list[dict]:
    """One SROI outcome per recorded (service, change) that is a benefit and can be priced."""
    rows = []
    for key, change, quantity, people in counts["service_use"]:
        if change not in BENEFITS:
            continue
        uc, why = prices.unit_cost(key, price_year)
        rows.append({"key": f"{key}.{change}", "service": key, "change": change,
                     "stakeholder": prices.sector_name(uc.sector) if uc else "",
                     "outcome": f"{CHANGE_WORDS[change]}: {prices.item_name(uc) if uc else key}",
                     "indicator": _("%(units)s recorded as %(change)s for %(n)s people") % {
                         "units": prices.units_name(uc) if uc else _("uses"),
                         "change": str(CHANGE_NAMES[change]).lower(), "n": people},
                     "quantity": quantity, "people": people, "unpriced": why})
    return rows


def sroi_data(name: str, price_year: str, investment: Decimal, investor: str, rows: list[dict],
              settings: dict[str, Settings], discount_rate: Decimal | None = None) -> dict:
    """The mapping `read_model` takes (the same shape as a model file, so it can be saved as
    YAML and run with `alongside sroi`)."""
    outcomes = []
    for r in rows:
        if r["unpriced"]:
            continue
        s = settings.get(r["key"], Settings())
        outcomes.append({"stakeholder": r["stakeholder"], "outcome": r["outcome"],
                         "indicator": r["indicator"], "quantity": plain(r["quantity"]),
                         "unit_cost": r["service"], "duration": s.duration,
                         # With the sign: the page has already asked about any value below 1
                         # (read_model would take a bare 0.5 for a fraction).
                         **{a: f"{plain(getattr(s, a))}%" for a in ASSUMPTIONS}})
    data = {"name": name, "price_year": price_year,
            "inputs": [{"stakeholder": investor, "description": _("Local Area Coordination programme"),
                        "amount": str(investment)}],
            "outcomes": outcomes}
    if discount_rate is not None:
        data["discount_rate"] = f"{plain(discount_rate)}%"
    return data
