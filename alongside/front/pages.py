"""Rendering shared by every page: the navigation for the user's role."""

from datetime import date, timedelta

from django.shortcuts import render

from .navigation import items as nav_items


def render_page(request, template: str, context: dict):
    context["nav"] = nav_items(request)
    return render(request, template, context)


def chosen_period(request, periods: dict[str, int | None], default: str) -> tuple[str, date | None]:
    """The ?period= a page offers (its key, and the first day it covers; None: all time)."""
    period = request.GET.get("period", default)
    if period not in periods:
        period = default
    return period, date.today() - timedelta(days=periods[period]) if periods[period] else None


def query_id(value: str | None) -> int | None:
    """A record id from the query string, or None for anything that is not one: letters, "²"
    (a digit to str.isdigit, not to int), or a number past the database's 64-bit ids."""
    if not value or not value.isascii() or not value.isdigit() or len(value) > 18:
        return None
    return int(value)
