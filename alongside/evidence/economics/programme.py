"""What a LAC programme costs a site for a year, and per person, per Level 2 person and per resident.

The multi-site study could not cost delivery because nobody recorded staffing and overheads
alongside activity; this puts both in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .model_file import Reader, load_file


@dataclass(frozen=True)
class ProgrammeCost:
    site: str
    year: str
    coordinator_fte: Decimal
    salary: Decimal
    on_costs: Decimal  # % of salary: employer's National Insurance and pension
    management: Decimal
    venues: Decimal
    overheads: Decimal  # % of staff costs (Coordinators and management)
    other: tuple[tuple[str, Decimal], ...]
    people_supported: int
    level2_people: int
    ward_residents: int

    @property
    def coordinators(self) -> Decimal:
        return self.coordinator_fte * self.salary * (1 + self.on_costs / 100)

    @property
    def overhead_amount(self) -> Decimal:
        return (self.coordinators + self.management) * self.overheads / 100

    @property
    def total(self) -> Decimal:
        return (self.coordinators + self.management + self.venues + self.overhead_amount
                + sum((a for _, a in self.other), Decimal(0)))

    def per(self, count: int) -> Decimal | None:
        return self.total / count if count else None

    def to_dict(self) -> dict:
        def s(v):
            return None if v is None else str(v)
        return {"site": self.site, "year": self.year, "coordinators": str(self.coordinators),
                "management": str(self.management), "venues": str(self.venues),
                "overheads": str(self.overhead_amount),
                "other": [{"description": d, "amount": str(a)} for d, a in self.other],
                "total": str(self.total),
                "per_person_supported": s(self.per(self.people_supported)),
                "per_level2_person": s(self.per(self.level2_people)),
                "per_ward_resident": s(self.per(self.ward_residents))}


def read_programme(data: dict, source: str | None = None) -> ProgrammeCost:
    problems: list[str] = []
    r = Reader(data, "", problems)
    site, year = r.text("site"), r.price_year("year")
    c = Reader(data.get("coordinators") if isinstance(data, dict) else None, "coordinators", problems)
    r.used.add("coordinators")
    fte = c.number("fte")
    salary = c.number("salary")
    on_costs = c.percent("on_costs")
    c.no_unknown_fields()
    other = []
    for i, item in enumerate(r.items("other", required=False)):
        o = Reader(item, f"other[{i + 1}]", problems)
        other.append((o.text("description"), o.number("amount") or Decimal(0)))
        o.no_unknown_fields()
    cost = ProgrammeCost(
        site=site, year=year, coordinator_fte=fte or Decimal(0), salary=salary or Decimal(0),
        on_costs=on_costs, management=r.number("management", False, Decimal(0)),
        venues=r.number("venues", False, Decimal(0)),
        overheads=r.number("overheads", False, Decimal(0), maximum=Decimal(100), unit="%"),
        other=tuple(other), people_supported=r.whole("people_supported", default=0) or 0,
        level2_people=r.whole("level2_people", default=0) or 0,
        ward_residents=r.whole("ward_residents", default=0) or 0)
    r.no_unknown_fields()
    r.finish(source)
    return cost


def load_programme(path: str | Path) -> ProgrammeCost:
    return read_programme(load_file(path), str(path))
