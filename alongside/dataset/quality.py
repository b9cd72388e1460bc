"""Completeness counted in the database: one grouped query per kind of record, whose rows the
Django-free scorer (alongside.evidence.quality) adds up for any grouping.

Counting in SQL keeps it quick at network scale (millions of activities): no record is
loaded into Python, only one row of counts per ward, Coordinator and month.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat, TruncMonth

from alongside.codes.models import Code
from alongside.evidence.quality.completeness import RecordScore, score
from alongside.journeys.models import Activity, Engagement, Exit, Insulator, Introduction, Outcome
from alongside.people.models import ConsentRecord, Person
from alongside.places.models import Ward

from .spec import dataset_spec

GROUPS = ("council", "ward", "coordinator", "month")


def _name(prefix: str):
    return Coalesce(Concat(F(f"{prefix}__first_name"), Value(" "), F(f"{prefix}__last_name")),
                    Value("No Coordinator"))


def _unknown_ids(list_name: str) -> list[int]:
    return [c.pk for c in Code.objects.filter(list=list_name) if c.is_unknown]


def _blank(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{field: ""})


def _sources(wards: QuerySet[Ward], since: date | None, need_month: bool = True,
             until: date | None = None) -> dict:
    """For each record: (queryset, group expressions, {field: (missing Q, unknown Q, applicable Q)})."""
    def when(path: str):
        q = Q(**{f"{path}__gte": since}) if since else Q()
        return q & Q(**{f"{path}__lte": until}) if until else q

    def coded(field: str, list_name: str):
        return Q(**{f"{field}__isnull": True}), Q(**{f"{field}__in": _unknown_ids(list_name)}), None

    # The status id, not its code: joining the code list inside a per-person subquery cost
    # seconds at network scale.
    latest_consent = (ConsentRecord.objects.filter(person=OuterRef("pk"))
                      .order_by("-recorded_on", "-pk").values("status_id")[:1])
    not_asked = Code.objects.filter(list="consent_status", code="not_asked").values_list("pk", flat=True)
    first_intro = (Introduction.objects.filter(person=OuterRef("pk"))
                   .order_by("introduced_on").values("introduced_on")[:1])
    people = Person.objects.filter(ward__in=wards).annotate(consent_code=Subquery(latest_consent))
    if since or until or need_month:
        people = people.annotate(first_intro=Subquery(first_intro))
    if since or until:
        people = people.filter(when("first_intro"))
    has_reason = Exists(Introduction.reasons.through.objects.filter(introduction=OuterRef("pk")))
    person_groups = {"council": F("ward__council__name"), "ward": F("ward__name"),
                     "coordinator": _name("coordinator")}
    return {
        "person": (people, {**person_groups, "month": TruncMonth("first_intro")}, {
            "coordinator": (Q(coordinator__isnull=True), None, None),
            "age_band": coded("age_band", "age_band"),
            "gender": coded("gender", "gender"),
            "ethnicity": coded("ethnicity", "ethnicity"),
            "long_term_condition": coded("long_term_condition", "yes_no_unknown"),
            "relationship_to_services": coded("relationship_to_services", "relationship_to_services"),
            "consent": (Q(consent_code__isnull=True), Q(consent_code__in=list(not_asked)), None),
            "birth_month": (Q(birth_month__isnull=True), None, None),
        }),
        "introduction": (
            Introduction.objects.filter(ward__in=wards).filter(when("introduced_on"))
            .annotate(has_reason=has_reason),
            {"council": F("ward__council__name"), "ward": F("ward__name"),
             "coordinator": _name("person__coordinator"), "month": TruncMonth("introduced_on")}, {
                "route": coded("route", "introduction_route"),
                "reasons": (Q(has_reason=False), None, None),
                "level_requested": coded("level_requested", "level_of_support"),
                "introducing_organisation": (_blank("introducing_organisation"), None, None),
            }),
        "engagement": (
            Engagement.objects.filter(person__ward__in=wards).filter(when("started_on")),
            {"council": F("person__ward__council__name"), "ward": F("person__ward__name"),
             "coordinator": _name("coordinator"), "month": TruncMonth("started_on")}, {
                "ended_on": (Q(status__code="closed", ended_on__isnull=True), None,
                             Q(status__code="closed")),
            }),
        # In two parts, summed: an OR across the person's and the group's ward stops
        # PostgreSQL using either (0.8 s for a site's year of activities, 0.3 s in parts).
        "activity": (
            [Activity.objects.filter(person__ward__in=wards).filter(when("done_on")),
             Activity.objects.filter(group__ward__in=wards).exclude(person__ward__in=wards)
             .filter(when("done_on"))],
            {"council": Coalesce(F("person__ward__council__name"), F("group__ward__council__name")),
             "ward": Coalesce(F("person__ward__name"), F("group__ward__name")),
             "coordinator": _name("coordinator"), "month": TruncMonth("done_on")}, {
                "minutes": (Q(minutes__isnull=True), None, None),
                "kind": (Q(kind__isnull=True), None, None),
            }),
        "exit": (
            Exit.objects.filter(person__ward__in=wards).filter(when("exited_on")),
            {"council": F("person__ward__council__name"), "ward": F("person__ward__name"),
             "coordinator": _name("person__coordinator"), "month": TruncMonth("exited_on")}, {
                "response": (Q(response__isnull=True), None, None),
            }),
        "outcome": (
            Outcome.objects.filter(person__ward__in=wards).filter(when("observed_on")),
            {"council": F("person__ward__council__name"), "ward": F("person__ward__name"),
             "coordinator": _name("person__coordinator"), "month": TruncMonth("observed_on")}, {
                "evidence": (_blank("evidence"), None, None),
            }),
        "insulator": (
            Insulator.objects.filter(person__ward__in=wards).filter(when("observed_on")),
            {"council": F("person__ward__council__name"), "ward": F("person__ward__name"),
             "coordinator": _name("person__coordinator"), "month": TruncMonth("observed_on")}, {
                "evidence": (_blank("evidence"), None, None),
            }),
    }


def count_rows(record: str, wards: QuerySet[Ward], since: date | None = None,
               groups: tuple[str, ...] = GROUPS, until: date | None = None) -> list[dict]:
    """Rows of counts by council, ward, Coordinator and month, in the scorer's shape.

    Fields the database itself requires (dates, codes with NOT NULL) are never missing and
    need no count; the specification still lists them so the document is whole.
    """
    qs, expressions, states = _sources(wards, since, "month" in groups, until)[record]
    # Only the groupings asked for: grouping by month or Coordinator costs a join or a subquery.
    groups = {k: v for k, v in expressions.items() if k in groups}
    spec = dataset_spec().records[record]
    # Every join here is many-to-one, so rows are never repeated and a plain count is exact.
    agg = {"records": Count("pk")}
    any_missing = Q(pk__in=[])
    for f in spec.fields:
        if f.field not in states:
            continue
        missing, unknown, applicable = states[f.field]
        agg[f"{f.field}_missing"] = Count("pk", filter=missing)
        if unknown is not None:
            agg[f"{f.field}_unknown"] = Count("pk", filter=unknown)
        if applicable is not None:
            agg[f"{f.field}_applicable"] = Count("pk", filter=applicable)
        if f.mandatory:
            any_missing |= missing
    agg["complete"] = Count("pk", filter=~any_missing)
    parts = qs if isinstance(qs, list) else [qs]
    if not groups:
        # values() with no fields would group by every column: one aggregate row instead.
        rows = [q.aggregate(**agg) for q in parts if q.exists()]
        return [_row({}, _summed(rows))] if rows else []
    keys = [f"g_{k}" for k in groups]
    summed: dict[tuple, list[dict]] = {}
    for q in parts:
        for r in q.annotate(**{f"g_{k}": v for k, v in groups.items()}).values(*keys).annotate(**agg):
            summed.setdefault(tuple(r[k] for k in keys), []).append(r)
    out = []
    for key in sorted(summed, key=lambda k: [(v is None, v) for v in k]):
        row = dict(zip(groups, key, strict=True))
        if row.get("month") is not None and hasattr(row["month"], "strftime"):
            row["month"] = row["month"].strftime("%Y-%m")
        out.append(_row(row, _summed(summed[key])))
    return out


def _summed(rows: list[dict]) -> dict:
    """One group's counts from the parts of a record counted separately."""
    return {k: sum(r[k] for r in rows) for k in rows[0] if not k.startswith("g_")}


def _row(row: dict, counts: dict) -> dict:
    """The scorer's shape: records, complete, and "<field>.<state>" counts."""
    row["records"], row["complete"] = counts["records"], counts["complete"]
    for key, value in counts.items():
        for state in ("missing", "unknown", "applicable"):
            if key.endswith(f"_{state}"):
                row[f"{key[: -len(state) - 1]}.{state}"] = value
    return row


def all_rows(wards: QuerySet[Ward], since: date | None = None,
             records: tuple[str, ...] | None = None, groups: tuple[str, ...] = GROUPS,
             until: date | None = None) -> dict[str, list[dict]]:
    """Count rows of each record once; any grouping is then scored from them without the database."""
    return {name: count_rows(name, wards, since, groups, until)
            for name in records or tuple(dataset_spec().records)}


def quality(wards: QuerySet[Ward], by: tuple[str, ...] = (), since: date | None = None,
            records: tuple[str, ...] | None = None,
            rows: dict[str, list[dict]] | None = None) -> dict[str, list[RecordScore]]:
    spec = dataset_spec()
    rows = rows if rows is not None else all_rows(wards, since, records)
    names = records or tuple(rows)
    return {name: score(rows[name], spec.records[name], by) for name in names}
