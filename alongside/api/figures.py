"""Aggregates any role may read for the wards it may count: wards, code lists, the completeness
of the minimum dataset, the sites' figures, and the pseudonymised research export. Counts
under 5 are shown as "<5" to every role that does not see identifiable records."""


import csv
from datetime import date, timedelta

from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema

from alongside.accounts.models import Role
from alongside.audit.log import record
from alongside.codes.models import Code
from alongside.dataset import export
from alongside.dataset.comparison import cached_compare
from alongside.dataset.quality import quality
from alongside.evidence.disclosure import SMALL_NUMBER_THRESHOLD, suppress

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
                "records": suppress(s.records) if small else s.records,
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
                hidden = not exact and 0 < n < SMALL_NUMBER_THRESHOLD
                measures.append(MeasureOut(
                    section=s.title, measure=m.label, council=c,
                    count=suppress(n) if hidden else n,
                    share_percent=None if hidden or not total else round(100 * n / total, 1)))
    return SiteFigures(councils=councils, period=period, suppressed=not exact, measures=measures)


class ExportIn(Schema):
    key: str = Field(..., min_length=32, description="The council's pseudonymisation key "
                     "(as made by 'alongside pseudonym_key'); used for this export, never stored")


EXPORTERS = (Role.MANAGER, Role.ANALYST)


@router.post("/exports/research/{table}", summary="Pseudonymised minimum-dataset table as CSV",
             response={200: str},
             openapi_extra={"responses": {200: {"description": "CSV", "content": {
                 "text/csv": {"schema": {"type": "string"}}}}}})
def research_export(request: HttpRequest, table: str, body: ExportIn):
    if request.user.role not in EXPORTERS:
        raise Problem(403, "Only managers (their council) and Network analysts (sharing councils) "
                           "may export.")
    if table not in export.TABLES:
        raise Problem(404, f"No table '{table}'. Tables: {', '.join(export.TABLES)}.")
    # A manager's aggregate wards are their council's; an analyst's, the sharing councils'.
    header, total, rows = export.rows(table, scope.aggregate_wards(request), body.key.encode())
    record(request, "export", None, what=f"research:{table}", rows=total, via="api")

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())
    stream = (writer.writerow(r) for r in _prepend(header, rows))
    response = StreamingHttpResponse(stream, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{table}.csv"'
    response["X-Row-Count"] = str(total)
    return response


def _prepend(first, rest):
    yield first
    yield from rest
