"""Discount factors: HM Treasury Green Book rates unless a model states its own."""

from __future__ import annotations

from decimal import Decimal

# Green Book: 3.5% a year for years 0–30, 3.0% for years 31–75 (the declining schedule).
GREEN_BOOK = ((30, Decimal("3.5")), (75, Decimal("3.0")))


def factor(year: int, rate: Decimal | None = None) -> Decimal:
    """What £1 in `year` is worth now. Year 0 is not discounted.

    With `rate` (a percentage) one rate applies to every year; without it the Green Book
    schedule applies, each year discounted at the rate in force that year.
    """
    if year < 0:
        raise ValueError("a year cannot be before the start")
    if rate is not None:
        return 1 / (1 + rate / 100) ** year
    f = Decimal(1)
    for t in range(1, year + 1):
        r = next((r for last, r in GREEN_BOOK if t <= last), GREEN_BOOK[-1][1])
        f /= 1 + r / 100
    return f
