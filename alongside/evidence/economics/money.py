"""Pounds: exact decimals inside, rounded to the penny only when shown."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")


def to_penny(amount: Decimal) -> Decimal:
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def pounds(amount: Decimal | int | float) -> str:
    """£1,234.56, or −£12.00 for a negative amount."""
    value = to_penny(Decimal(str(amount)))
    sign = "−" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


def ratio(value: Decimal | None) -> str:
    """An SROI ratio as councils quote it: £4.10 of value for each £1."""
    return "not defined (no investment)" if value is None else f"£{to_penny(value):,.2f} : £1"


def plain(amount: Decimal) -> str:
    """A quantity as a person writes it: 3 rather than 3.00, 2.5 rather than 2.50."""
    return str(amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount.normalize())
