"""Sites compared side by side, for the Network analyst (every consenting site), a commissioner
or a manager (their own council): counts only, small numbers suppressed."""

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from alongside import scoping
from alongside.accounts.models import Role
from alongside.dataset.comparison import compare

from .pages import render_page

PERIODS = {"12": 365, "all": None}
COMPARERS = (Role.MANAGER, Role.COMMISSIONER, Role.ANALYST)


@login_required
def comparison(request):
    wards = scoping.aggregate_wards(request.user)
    if request.user.role not in COMPARERS or not wards.exists():
        raise PermissionDenied("No sites to compare for this role.")
    period = request.GET.get("period", "all")
    if period not in PERIODS:
        period = "all"
    since = date.today() - timedelta(days=PERIODS[period]) if PERIODS[period] else None
    councils, sections, extra = compare(wards, since)
    rows = [{"title": s.title, "note": s.note,
             "measures": [{"label": m.label, "cells": [m.cell(c) for c in councils]} for m in s.measures]}
            for s in sections]
    return render_page(request, "front/comparison.html", {
        "councils": councils, "sections": rows, "period": period, "span": 2 * len(councils) + 1,
        "caseload": [extra["caseload"].get(c, 0) for c in councils],
        "completeness": [extra["completeness"].get(c) for c in councils],
        "periods": [("all", _("All time")), ("12", _("Last 12 months"))],
    })
