"""The unit cost table and price index as the app uses them: read once per process, and a
plain answer when a recorded service cannot be priced at the year asked for."""

from __future__ import annotations

from collections import Counter
from functools import cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from alongside.codes.language import page_language
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


def _welsh() -> bool:
    return page_language() == "cy"


def item_name(uc: UnitCost) -> str:
    """The service's name in the page's language (the table's Welsh column on a Welsh page)."""
    return uc.item_cy if _welsh() and uc.item_cy else uc.item


def unit_name(uc: UnitCost) -> str:
    return uc.unit_cy if _welsh() and uc.unit_cy else uc.unit


def units_name(uc: UnitCost) -> str:
    return uc.units_cy if _welsh() and uc.units_cy else uc.units


def sector_name(key: str) -> str:
    return str(SECTOR_NAMES.get(key) or SECTORS.get(key, key))


# The library's sector names, named here so they are in the Welsh catalogue.
SECTOR_NAMES = {"nhs": _l("NHS"), "local_authority": _l("Local authority, incl. adult social care"),
                "housing": _l("Housing"), "benefits": _l("Benefit payments"),
                "police_justice": _l("Police and justice"), "fire": _l("Fire and rescue"),
                "third_sector": _l("Third sector"), "employment": _l("Employment"),
                "education": _l("Education")}


def service_choices() -> list:
    """The table's services for a choice field, grouped by sector, each with its unit."""
    sectors: dict[str, list[tuple[str, str]]] = {}
    for uc in table().values():
        sectors.setdefault(sector_name(uc.sector), []).append(
            (uc.key, _("%(item)s (per %(unit)s)") % {"item": item_name(uc), "unit": unit_name(uc)}))
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
