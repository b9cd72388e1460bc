"""The unit cost reference table and the price index that moves a cost between price years.

Each row carries its provenance (source, table, price year) so any monetised figure can be
traced back to where its price came from.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .model_file import EconomicsError, Reader

DATA = Path(__file__).parent / "data"
UNIT_COSTS = DATA / "unit_costs.csv"
PRICE_INDEX = DATA / "price_index.csv"

SECTORS = {
    "nhs": "NHS",
    "local_authority": "Local authority, incl. adult social care",
    "housing": "Housing",
    "benefits": "Benefit payments",
    "police_justice": "Police and justice",
    "fire": "Fire and rescue",
    "third_sector": "Third sector",
    "employment": "Employment",
    "education": "Education",
}
@dataclass(frozen=True)
class UnitCost:
    key: str
    item: str
    sector: str
    unit: str
    cost: Decimal
    price_year: str
    source: str
    table: str
    checked: bool
    # Welsh names for Welsh pages (optional columns item_cy, unit_cy, units_cy).
    item_cy: str = ""
    unit_cy: str = ""
    units_cy: str = ""

    @property
    def citation(self) -> str:
        return f"{self.source}, {self.table} ({self.price_year} prices)"

    @property
    def units(self) -> str:
        """The unit counted more than once: attendances, hours, bed days (every unit so far
        takes an s)."""
        return f"{self.unit}s"


def _rows(path: Path):
    with path.open(newline="", encoding="utf-8-sig") as f:
        lines = [(n, line) for n, line in enumerate(f, start=1) if not line.startswith("#")]
    reader = csv.DictReader([line for _, line in lines])
    for (n, _), row in zip(lines[1:], reader, strict=False):
        yield n, row


def load_unit_costs(path: str | Path | None = None) -> dict[str, UnitCost]:
    """Every row, keyed; EconomicsError listing each row without a source, table or price year."""
    path = Path(path) if path else UNIT_COSTS
    if not path.exists():
        raise EconomicsError("no such file", str(path))
    problems: list[str] = []
    costs: dict[str, UnitCost] = {}
    for n, row in _rows(path):
        r = Reader(row, f"row {n}", problems)
        key = r.text("key")
        year = r.price_year()
        sector = r.choice("sector", SECTORS)
        cost = r.number("cost", minimum=Decimal("0.01"))
        if key in costs:
            r.problem(f"the key {key!r} is used twice", "key")
        entry = dict(item=r.text("item"), unit=r.text("unit"), source=r.text("source"),
                     table=r.text("table"), checked=r.text("checked", False).lower() in {"yes", "true"},
                     item_cy=r.text("item_cy", False), unit_cy=r.text("unit_cy", False),
                     units_cy=r.text("units_cy", False))
        if key and cost is not None and not problems:
            costs[key] = UnitCost(key=key, sector=sector, cost=cost, price_year=year, **entry)
    if problems:
        raise EconomicsError(problems, str(path))
    return costs


class PriceIndex:
    """Index values by financial year; cost_in(to) = cost × index[to] / index[from]."""

    def __init__(self, values: dict[str, Decimal], source: str = ""):
        self.values = values
        self.source = source

    @classmethod
    def load(cls, path: str | Path | None = None) -> PriceIndex:
        path = Path(path) if path else PRICE_INDEX
        if not path.exists():
            raise EconomicsError("no such file", str(path))
        problems: list[str] = []
        values: dict[str, Decimal] = {}
        sources = set()
        for n, row in _rows(path):
            r = Reader(row, f"row {n}", problems)
            year = r.price_year("year")
            value = r.number("index", minimum=Decimal("0.000001"))
            sources.add(r.text("source"))
            if year in values:
                r.problem(f"{year} is listed twice", "year")
            if value is not None and year:
                values[year] = value
        if problems:
            raise EconomicsError(problems, str(path))
        return cls(values, "; ".join(sorted(s for s in sources if s)))

    def convert(self, amount: Decimal, from_year: str, to_year: str) -> Decimal:
        if from_year == to_year:
            return amount
        missing = [y for y in (from_year, to_year) if y not in self.values]
        if missing:
            raise EconomicsError(
                f"cannot move a {from_year} cost to {to_year} prices: the price index has no "
                f"{' or '.join(missing)}. Add the year from HM Treasury's GDP deflators to the index "
                f"file (--price-index), or state the model at {from_year} prices.")
        return amount * self.values[to_year] / self.values[from_year]


@dataclass(frozen=True)
class PricedCost:
    """A unit cost expressed at a model's price year, remembering how it got there."""

    unit_cost: UnitCost
    cost: Decimal
    price_year: str

    @property
    def citation(self) -> str:
        moved = "" if self.price_year == self.unit_cost.price_year else \
            f", moved to {self.price_year} prices with the price index"
        return self.unit_cost.citation + moved


def price(key: str, price_year: str, costs: dict[str, UnitCost], index: PriceIndex) -> PricedCost:
    if key not in costs:
        raise EconomicsError(f"no unit cost called {key!r} (known: {', '.join(sorted(costs))})")
    uc = costs[key]
    return PricedCost(uc, index.convert(uc.cost, uc.price_year, price_year), price_year)


class Pricer:
    """Prices unit-cost keys at one model's price year; reads the tables once, and only if asked."""

    def __init__(self, price_year: str, unit_costs: dict[str, UnitCost] | None = None,
                 index: PriceIndex | None = None):
        self.price_year = price_year
        self.unit_costs = unit_costs
        self.index = index

    def __call__(self, reader: Reader, key: str) -> PricedCost | None:
        """The priced cost, or None with the reason noted against the row's unit_cost field."""
        if not self.price_year:
            return None  # already reported against price_year
        try:
            if self.unit_costs is None:
                self.unit_costs = load_unit_costs()
            if self.index is None:
                self.index = PriceIndex.load()
            return price(key, self.price_year, self.unit_costs, self.index)
        except EconomicsError as e:
            reader.problem(str(e), "unit_cost")
            return None
