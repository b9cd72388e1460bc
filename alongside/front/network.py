"""Sites compared side by side, for the Network analyst (every consenting site), a commissioner
or a manager (their own council): counts only, small numbers suppressed."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _

from alongside import scoping
from alongside.accounts.models import Role
from alongside.dataset.comparison import cached_compare
from alongside.evidence import cells
from alongside.operations import replica

from .pages import chosen_period, render_page
from .templatetags.quality import pct

PERIODS = {"12": 365, "all": None}
COMPARERS = (Role.MANAGER, Role.COMMISSIONER, Role.ANALYST)


@login_required
@replica.reads
def comparison(request):
    wards = scoping.aggregate_wards(request.user)
    if request.user.role not in COMPARERS or not wards.exists():
        raise PermissionDenied("No sites to compare for this role.")
    period, since = chosen_period(request, PERIODS, "all")
    (councils, sections, extra), counted_at = cached_compare(wards, period, since)
    if request.GET.get("format") == "csv":
        return _csv(councils, sections, extra)
    # The titles and labels are kept in English (the API and the CSV give them so); the page
    # shows them in its own language.
    rows = [{"title": _(s.title), "note": _(s.note) if s.note else "",
             "measures": [{"label": _(m.label), "cells": [m.cell(c) for c in councils]} for m in s.measures]}
            for s in sections]
    return render_page(request, "front/comparison.html", {
        "councils": councils, "sections": rows, "period": period, "span": 2 * len(councils) + 1,
        "counted_at": counted_at,
        "caseload": [_(v) if isinstance(v := extra["caseload"].get(c, 0), str) and v else v
                     for c in councils],
        "completeness": [extra["completeness"].get(c) for c in councils],
        "periods": [("all", _("All time")), ("12", _("Last 12 months"))],
    })


def _csv(councils, sections, extra) -> HttpResponse:
    """The same table as the page, counts already suppressed, for a commissioner's own analysis."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sites-compared.csv"'
    # Council names and code labels are typed by people: no cell may open as a formula.
    w = cells.writer(response)
    w.writerow(["section", "measure", *[f"{c} {what}" for c in councils for what in ("count", "share")]])
    w.writerow(["Completeness", "Complete person records",
                *[v for c in councils for v in (_pct(extra["completeness"].get(c)), "")]])
    w.writerow(["Caseload", "Level 2 caseload per Coordinator",
                *[v for c in councils for v in (extra["caseload"].get(c, "–"), "")]])
    for s in sections:
        for m in s.measures:
            w.writerow([s.title, m.label, *[v for c in councils for v in m.cell(c)]])
    return response


def _pct(score) -> str:
    return pct(None if score is None else score.complete_percent)
