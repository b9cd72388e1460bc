"""The unit cost table and price index as the app uses them: read once per process, and a
plain answer when a recorded service cannot be priced at the year asked for."""

from __future__ import annotations

from collections import Counter
from functools import cache

from alongside.evidence.economics.model_file import EconomicsError
from alongside.evidence.economics.unit_costs import SECTORS, PriceIndex, UnitCost, load_unit_costs, price


@cache
def table() -> dict[str, UnitCost]:
    return load_unit_costs()


@cache
def index() -> PriceIndex:
    return PriceIndex.load()


@cache
def table_year() -> str:
    """The price year most rows of the table are at: money is shown there unless the price index
    can move it (Alongside ships the index without figures; a council adds the deflators)."""
    return Counter(u.price_year for u in table().values()).most_common(1)[0][0]


def service_choices() -> list:
    """The table's services for a choice field, grouped by sector, each with its unit."""
    sectors: dict[str, list[tuple[str, str]]] = {}
    for uc in table().values():
        sectors.setdefault(SECTORS.get(uc.sector, uc.sector), []).append(
            (uc.key, f"{uc.item} (per {uc.unit})"))
    return [("", ""), *sectors.items()]


def price_years() -> list[str]:
    """Years money can be shown at: the table's own year and any the index covers."""
    return sorted({table_year(), *index().values}, reverse=True)


def unit_cost(key: str, price_year: str) -> tuple[UnitCost | None, str]:
    """The row, and why it cannot be priced at price_year ("" when it can)."""
    uc = table().get(key)
    if uc is None:
        return None, f"{key!r} is not in the unit cost table"
    try:
        price(key, price_year, table(), index())
    except EconomicsError as e:
        return uc, str(e)
    return uc, ""
