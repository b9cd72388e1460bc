"""Aggregates any role may read for the wards it may count: wards, code lists, the completeness
of the minimum dataset and the sites' figures. Every role that does not see identifiable records
gets counts as the pages show them: rounded to the nearest 5, and "<5" for 1–4. No row-level
records leave through the API: the LAC Network's pseudonymised research export is made on the
council's own server (the worker, or `alongside export --research`) with the council's own key."""


from datetime import date, timedelta

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from alongside.codes.models import Code
from alongside.dataset.comparison import cached_compare
from alongside.dataset.quality import quality
from alongside.evidence.disclosure import SMALL_NUMBER_THRESHOLD, share_percent, shown

from . import scope
from .problems import Problem
from .schemas import CodeOut, FieldQuality, MeasureOut, RecordQuality, SiteFigures, WardOut

router = Router(tags=["figures"])
PERIODS = {"12": 365, "all": None}


def _since(period: str) -> date | None:
    if period not in PERIODS:
        raise Problem(422, "Unknown period.", "/api/v1/problems/invalid",
                      [{"field": "query.period", "message": "must be '12' (months) or 'all'"}])
    days = PERIODS[period]
    return timezone.localdate() - timedelta(days=days) if days else None


def _exact(request: HttpRequest) -> bool:
    return request.user.sees_identifiable_records


@router.get("/wards", response=list[WardOut], summary="Wards the token may count")
def wards(request: HttpRequest):
    return list(scope.aggregate_wards(request).select_related("council"))


@router.get("/codes/{list_name}", response=list[CodeOut], summary="One code list of the minimum dataset")
def codes(request: HttpRequest, list_name: str):
    found = list(Code.objects.filter(list=list_name, active=True).select_related("parent"))
    if not found:
        names = sorted(set(Code.objects.values_list("list", flat=True)))
        raise Problem(404, f"No code list '{list_name}'. Lists: {', '.join(names)}.")
    return found


@router.get("/figures/minimum-dataset", response=list[RecordQuality],
            summary="Completeness of the minimum dataset, per council and record type")
def minimum_dataset(request: HttpRequest, period: str = "all"):
    since = _since(period)
    exact = _exact(request)
    out = []
    for name, scores in quality(scope.aggregate_wards(request), ("council",), since).items():
        for s in scores:
            small = not exact and 0 < s.records < SMALL_NUMBER_THRESHOLD

            def pct(v, small=small):
                return None if small or v is None else round(v, 1)

            out.append({
                "council": s.group[0], "record": name,
                "records": shown(s.records, exact),
                "complete_percent": pct(s.complete_percent),
                "mandatory_percent": pct(s.mandatory_percent),
                "fields": [FieldQuality(field=f.spec.field, mandatory=f.spec.mandatory,
                                        recorded_percent=pct(f.percent("recorded")),
                                        unknown_percent=pct(f.percent("unknown")),
                                        missing_percent=pct(f.percent("missing")))
                           for f in s.ordered()]})
    return out


@router.get("/figures/sites", response=SiteFigures,
            summary="The sites-compared figures: routes, reasons, levels, funnel, outcomes, activity mix")
def sites(request: HttpRequest, period: str = "all"):
    since = _since(period)
    (councils, sections, _extra), _counted_at = cached_compare(scope.aggregate_wards(request), period, since)
    exact = _exact(request)
    measures = []
    for s in sections:
        for m in s.measures:
            for c in councils:
                n, total = m.counts.get(c, 0), m.totals.get(c, 0)
                share = share_percent(n, total, exact)
                measures.append(MeasureOut(
                    section=s.title, measure=m.label, council=c, count=shown(n, exact),
                    share_percent=None if share is None else round(share, 1)))
    return SiteFigures(councils=councils, period=period, suppressed=not exact, measures=measures)
