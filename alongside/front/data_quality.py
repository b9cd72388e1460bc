"""The data-quality page: how complete the minimum dataset is, field by field, and for each
Coordinator, ward and month — so a manager can see where recording slips before the evidence does."""


from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.translation import gettext as _

from alongside import scoping
from alongside.dataset.quality import all_rows, quality
from alongside.dataset.spec import dataset_spec
from alongside.dataset.to_fix import fixable, records_to_fix
from alongside.operations import replica

from .pages import chosen_period, query_id, render_page

PERIODS = {"12": 365, "3": 91, "all": None}
BREAKDOWN_RECORDS = ("person", "introduction", "activity", "exit")


def _chosen(request):
    """The wards (all the user's, or the one asked for) and the period the page covers."""
    scoping.require_identifiable(request.user)
    wards = scoping.wards(request.user)
    ward_id = request.GET.get("ward")
    if ward_id:
        wards = wards.filter(pk=query_id(ward_id)) if query_id(ward_id) else wards.none()
        if not wards.exists():
            raise Http404("No such ward in your site.")
    period, since = chosen_period(request, PERIODS, "12")
    return wards, ward_id, period, since


@login_required
@replica.reads
def data_quality(request):
    wards, ward_id, period, since = _chosen(request)
    counted = all_rows(wards, since)  # counted once; every table below is scored from these rows
    overall = {name: (scores[0] if scores else None)
               for name, scores in quality(wards, (), rows=counted).items()}
    breakdowns = []
    for by, title, column in (("coordinator", _("By Coordinator"), _("Coordinator")),
                              ("ward", _("By ward"), _("Ward")), ("month", _("Over time"), _("Month"))):
        per = quality(wards, (by,), records=BREAKDOWN_RECORDS, rows=counted)
        groups = sorted({s.group[0] for scores in per.values() for s in scores},
                        key=lambda g: (g is None, str(g)))
        rows = []
        for g in groups:
            cells = []
            for name in BREAKDOWN_RECORDS:
                match = next((s for s in per[name] if s.group[0] == g), None)
                cells.append(match)
            rows.append({"group": g if g is not None else _("Not dated"), "cells": cells})
        breakdowns.append({"by": by, "title": title, "column": column, "rows": rows})
    return render_page(request, "front/data_quality.html", {
        "overall": overall, "breakdowns": breakdowns,
        "breakdown_titles": [_(dataset_spec().records[n].title) for n in BREAKDOWN_RECORDS],
        "wards": scoping.wards(request.user), "ward_id": ward_id or "", "period": period,
        "periods": [("12", _("Last 12 months")), ("3", _("Last 3 months")), ("all", _("All time"))],
    })


@login_required
@replica.reads
def to_fix(request):
    """The records counted as missing one field, to open and complete."""
    wards, ward_id, period, since = _chosen(request)
    record, field = request.GET.get("record", ""), request.GET.get("field", "")
    if not fixable(record, field):
        raise Http404("No such field in the minimum dataset.")
    spec = dataset_spec().records[record]
    total, rows = records_to_fix(request.user, wards, record, field, since)
    return render_page(request, "front/data_quality_fix.html", {
        "record_title": _(spec.title),
        "field_label": _(next(f.label for f in spec.fields if f.field == field)),
        "person_field": record == "person", "total": total, "rows": rows,
        "back_query": request.GET.urlencode(),
    })
