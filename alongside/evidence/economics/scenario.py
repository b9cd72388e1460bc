"""Costed real-life scenarios: what happened with LAC against what would likely have happened
without it, each a list of dated service events (the "case conference" method of Derby and
Haringey). The difference, discounted, is the cost avoided (or added) by walking alongside.

Timing: an event `month` months after the introduction falls in year month // 12; year 0 is not
discounted, later years at the model's rate (Green Book 3.5% unless stated).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from . import discounting
from .model_file import Reader, load_file
from .money import pounds
from .unit_costs import PriceIndex, Pricer, UnitCost

PATHWAYS = {"with_lac": "With LAC (what happened)",
            "without_lac": "Without LAC (what would likely have happened)"}


@dataclass(frozen=True)
class Event:
    month: int
    description: str
    quantity: Decimal
    unit_cost: Decimal
    trace: str

    @property
    def cost(self) -> Decimal:
        return self.quantity * self.unit_cost

    def present_cost(self, rate: Decimal | None) -> Decimal:
        return self.cost * discounting.factor(self.month // 12, rate)


@dataclass
class Scenario:
    name: str
    price_year: str
    assumptions: list[str]
    pathways: dict[str, list[Event]]
    discount_rate: Decimal | None = None

    def total(self, pathway: str, discounted: bool = True) -> Decimal:
        return sum(((e.present_cost(self.discount_rate) if discounted else e.cost)
                    for e in self.pathways[pathway]), Decimal(0))

    @property
    def difference(self) -> Decimal:
        """Discounted cost without LAC minus with LAC: positive means cost avoided."""
        return self.total("without_lac") - self.total("with_lac")

    def to_dict(self) -> dict:
        return {
            "name": self.name, "price_year": self.price_year, "assumptions": self.assumptions,
            "discount_rate": "Green Book 3.5%" if self.discount_rate is None else str(self.discount_rate),
            "pathways": {p: {"events": [{"month": e.month, "description": e.description,
                                         "quantity": str(e.quantity), "unit_cost": str(e.unit_cost),
                                         "cost": str(e.cost),
                                         "present_cost": str(e.present_cost(self.discount_rate)),
                                         "trace": e.trace} for e in evs],
                             "total": str(self.total(p, False)), "present_total": str(self.total(p))}
                         for p, evs in self.pathways.items()},
            "difference": str(self.difference),
        }

    def to_text(self) -> str:
        lines = [f"{self.name} ({self.price_year} prices)", ""]
        for p, title in PATHWAYS.items():
            lines.append(title)
            for e in self.pathways[p]:
                lines.append(f"  month {e.month:>3}  {e.description:<44} {pounds(e.cost):>12}  "
                             f"discounted {pounds(e.present_cost(self.discount_rate)):>12}")
            lines.append(f"  {'total':<54} {pounds(self.total(p, False)):>12}  "
                         f"discounted {pounds(self.total(p)):>12}")
            lines.append("")
        verb = "avoided" if self.difference >= 0 else "added"
        lines.append(f"Cost {verb} with LAC (discounted): {pounds(abs(self.difference))}")
        if self.assumptions:
            lines += ["", "Assumptions:"] + [f"  - {a}" for a in self.assumptions]
        return "\n".join(lines)


def read_scenario(data: dict, source: str | None = None, unit_costs: dict[str, UnitCost] | None = None,
                  index: PriceIndex | None = None) -> Scenario:
    problems: list[str] = []
    r = Reader(data, "", problems)
    name, price_year = r.text("name"), r.price_year()
    pricer = Pricer(price_year, unit_costs, index)
    rate = r.percent("discount_rate", default=None)
    assumptions = [str(a) for a in r.items("assumptions")]
    pathways: dict[str, list[Event]] = {}
    for p in PATHWAYS:
        events = []
        for i, item in enumerate(r.items(p)):
            er = Reader(item, f"{p}[{i + 1}]", problems)
            month = er.whole("month", default=0, maximum=600, unit=" months (50 years)") or 0
            description = er.text("description")
            quantity = er.number("quantity", required=False, default=Decimal(1))
            cost = er.number("cost", required=False)
            key = er.text("unit_cost", required=False)
            trace = er.text("source", required=False)
            if key and cost is not None:
                er.problem("give either cost (with source) or unit_cost, not both", "cost")
            elif key:
                if pc := pricer(er, key):
                    cost, trace = pc.cost, pc.citation
            elif not key and cost is None:
                er.problem("is required (a cost in £, or unit_cost naming a row of the table)", "cost")
            elif not key and not trace:
                er.problem("is required: say where this cost comes from", "source")
            er.no_unknown_fields()
            events.append(Event(month, description, quantity or Decimal(0), cost or Decimal(0), trace))
        pathways[p] = sorted(events, key=lambda e: e.month)
    r.no_unknown_fields()
    r.finish(source)
    return Scenario(name, price_year, assumptions, pathways, rate)


def load_scenario(path: str | Path, unit_costs: dict[str, UnitCost] | None = None,
                  index: PriceIndex | None = None) -> Scenario:
    return read_scenario(load_file(path), str(path), unit_costs, index)
