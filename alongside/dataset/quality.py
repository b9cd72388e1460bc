"""Completeness counted in the database: one grouped query per kind of record, whose rows the
Django-free scorer (alongside.evidence.quality) adds up for any grouping.

Counting in SQL keeps it quick at network scale (millions of activities): no record is
loaded into Python, only one row of counts per ward, Coordinator and month.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import TruncMonth

from alongside.accounts.models import User
from alongside.codes.models import Code
from alongside.community.models import CommunityAsset, CommunityGroup
from alongside.evidence.quality.completeness import RecordScore, score
from alongside.journeys.models import Activity, Engagement, Exit, Insulator, Introduction, Outcome
from alongside.people.models import ConsentRecord, Person
from alongside.places.models import Council, Ward

from .spec import dataset_spec

GROUPS = ("council", "ward", "coordinator", "month")


def _by(ward: str, coordinator: str) -> dict:
    """Group by ids, named afterwards: grouping by joined names made PostgreSQL hash-join
    a year of the whole network's activities (0.9 s for one site) instead of walking the
    site's people by index (0.09 s)."""
    return {"council": F(f"{ward}__council_id"), "ward": F(f"{ward}_id"),
            "coordinator": F(f"{coordinator}_id")}


def _unknown_ids() -> dict[str, list[int]]:
    """Each code list's "not known" codes, from one query for all the lists."""
    found: dict[str, list[int]] = {}
    for c in Code.objects.all():
        if c.is_unknown:
            found.setdefault(c.list, []).append(c.pk)
    return found


def _blank(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{field: ""})


def _sources(wards: QuerySet[Ward], since: date | None, need_month: bool = True,
             until: date | None = None) -> dict:
    """For each record: (queryset, group expressions, {field: (missing Q, unknown Q, applicable Q)})."""
    def when(path: str):
        q = Q(**{f"{path}__gte": since}) if since else Q()
        return q & Q(**{f"{path}__lte": until}) if until else q

    unknown = _unknown_ids()

    def coded(field: str, list_name: str):
        ids = unknown.get(list_name)
        # A list with no "not known" code has no unknown state. `field__in=[]` would not do for
        # one: Django finds it can match nothing and skips the whole aggregate, so every count of
        # the record, its total included, came back 0.
        return Q(**{f"{field}__isnull": True}), (Q(**{f"{field}__in": ids}) if ids else None), None

    # The status id, not its code: joining the code list inside a per-person subquery cost
    # seconds at network scale.
    latest_consent = (ConsentRecord.objects.filter(person=OuterRef("pk"))
                      .order_by("-recorded_on", "-pk").values("status_id")[:1])
    not_asked = Code.objects.filter(list="consent_status", code="not_asked").values_list("pk", flat=True)
    first_intro = (Introduction.objects.filter(person=OuterRef("pk"))
                   .order_by("introduced_on").values("introduced_on")[:1])
    people = (Person.objects.current().filter(ward__in=wards)
              .annotate(consent_code=Subquery(latest_consent)))
    if since or until or need_month:
        people = people.annotate(first_intro=Subquery(first_intro))
    if since or until:
        people = people.filter(when("first_intro"))
    has_reason = Exists(Introduction.reasons.through.objects.filter(introduction=OuterRef("pk")))
    has_group = Exists(CommunityAsset.groups.through.objects.filter(communityasset=OuterRef("pk")))
    # Groups and assets stand on the map rather than happen in a period: scored as the map is
    # now, whatever the period, and by the Coordinator who noted an asset (a group has none).
    community = {"council": F("ward__council_id"), "ward": F("ward_id")}
    return {
        "person": (people, {**_by("ward", "coordinator"), "month": TruncMonth("first_intro")}, {
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
            {**_by("ward", "person__coordinator"), "month": TruncMonth("introduced_on")}, {
                "route": coded("route", "introduction_route"),
                "reasons": (Q(has_reason=False), None, None),
                "level_requested": coded("level_requested", "level_of_support"),
                "introducing_organisation": (_blank("introducing_organisation"), None, None),
            }),
        "engagement": (
            Engagement.objects.filter(person__ward__in=wards).filter(when("started_on")),
            {**_by("person__ward", "coordinator"), "month": TruncMonth("started_on")}, {
                "ended_on": (Q(status__code="closed", ended_on__isnull=True), None,
                             Q(status__code="closed")),
            }),
        # In two parts, summed: an OR across the person's and the group's ward stops
        # PostgreSQL using either (0.8 s for a site's year of activities, 0.3 s in parts).
        "activity": (
            [(Activity.objects.filter(person__ward__in=wards).filter(when("done_on")),
              _by("person__ward", "coordinator")),
             (Activity.objects.filter(group__ward__in=wards).exclude(person__ward__in=wards)
              .filter(when("done_on")), _by("group__ward", "coordinator"))],
            {"month": TruncMonth("done_on")}, {
                "minutes": (Q(minutes__isnull=True), None, None),
                "kind": (Q(kind__isnull=True), None, None),
            }),
        "exit": (
            Exit.objects.filter(person__ward__in=wards).filter(when("exited_on")),
            {**_by("person__ward", "person__coordinator"), "month": TruncMonth("exited_on")}, {
                "response": (Q(response__isnull=True), None, None),
            }),
        "outcome": (
            Outcome.objects.filter(person__ward__in=wards).filter(when("observed_on")),
            {**_by("person__ward", "person__coordinator"), "month": TruncMonth("observed_on")}, {
                "evidence": (_blank("evidence"), None, None),
            }),
        "insulator": (
            Insulator.objects.filter(person__ward__in=wards).filter(when("observed_on")),
            {**_by("person__ward", "person__coordinator"), "month": TruncMonth("observed_on")}, {
                "evidence": (_blank("evidence"), None, None),
            }),
        "community_group": (
            CommunityGroup.objects.filter(ward__in=wards),
            {**community, "coordinator": Value(None, output_field=IntegerField()),
             "month": TruncMonth("started_on")}, {
                "started_on": (Q(started_on__isnull=True), None, None),
                "offers": (_blank("offers"), None, None),
                "needs": (_blank("needs"), None, None),
            }),
        "community_asset": (
            CommunityAsset.objects.filter(ward__in=wards).annotate(has_group=has_group),
            {**community, "coordinator": F("recorded_by_id"), "month": TruncMonth("noted_on")}, {
                "offers": (_blank("offers"), None, None),
                "offered_by": (Q(kind__code="individual_skill", offered_by__isnull=True), None,
                               Q(kind__code="individual_skill")),
                "groups": (Q(has_group=False), None, None),
            }),
    }


def count_rows(record: str, wards: QuerySet[Ward], since: date | None = None,
               groups: tuple[str, ...] = GROUPS, until: date | None = None) -> list[dict]:
    """Rows of counts by council, ward, Coordinator and month, in the scorer's shape.

    Fields the database itself requires (dates, codes with NOT NULL) are never missing and
    need no count; the specification still lists them so the document is whole.
    """
    counted = _count(record, _sources(wards, since, "month" in groups, until)[record], groups)
    return _named(groups, counted, _names(groups, counted))


def _count(record: str, source: tuple, groups: tuple[str, ...]) -> list[dict]:
    """One record's counts, by ids (or the one aggregate row with no groups, already final)."""
    qs, expressions, states = source
    parts = qs if isinstance(qs, list) else [(qs, {})]
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
    if not groups:
        # values() with no fields would group by every column: one aggregate row instead.
        rows = [q.aggregate(**agg) for q, _ in parts if q.exists()]
        return [_row({}, _summed(rows))] if rows else []
    keys = [f"g_{k}" for k in groups]
    counted = []
    for q, by in parts:
        chosen = {f"g_{k}": v for k, v in {**expressions, **by}.items() if k in groups}
        counted += q.annotate(**chosen).values(*keys).annotate(**agg)
    return counted


def _named(groups: tuple[str, ...], counted: list[dict], names: dict) -> list[dict]:
    """Counts by ids as the scorer's rows by name, in order."""
    if not groups:
        return counted
    # Rows are keyed by name, so a name shared by two ids (say two councils' "Castle" wards
    # counted by ward alone) is one row, as it reads on the page.
    summed: dict[tuple, list[dict]] = {}
    for r in counted:
        summed.setdefault(tuple(names[k](r[f"g_{k}"]) for k in groups), []).append(r)
    out = []
    for key in sorted(summed, key=lambda k: [(v is None, v) for v in k]):
        row = dict(zip(groups, key, strict=True))
        if row.get("month") is not None and hasattr(row["month"], "strftime"):
            row["month"] = row["month"].strftime("%Y-%m")
        out.append(_row(row, _summed(summed[key])))
    return out


def _names(groups: tuple[str, ...], counted: list[dict]):
    """For each grouping, a function from the id counted to the name shown."""
    def ids(k: str) -> set:
        return {r[f"g_{k}"] for r in counted} - {None}

    names = {}
    if "council" in groups:
        councils = dict(Council.objects.filter(pk__in=ids("council")).values_list("pk", "name"))
        names["council"] = councils.get
    if "ward" in groups:
        wards = dict(Ward.objects.filter(pk__in=ids("ward")).values_list("pk", "name"))
        names["ward"] = wards.get
    if "coordinator" in groups:
        coordinators = {u.pk: u.get_full_name() or u.get_username()
                        for u in User.objects.filter(pk__in=ids("coordinator"))}
        names["coordinator"] = lambda pk: coordinators.get(pk, "No Coordinator")
    if "month" in groups:
        names["month"] = lambda month: month
    return names


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
    sources = _sources(wards, since, "month" in groups, until)
    counted = {name: _count(name, sources[name], groups)
               for name in records or tuple(dataset_spec().records)}
    # Named once for every record: the same wards and Coordinators recur in each.
    names = _names(groups, [r for rows in counted.values() for r in rows])
    return {name: _named(groups, rows, names) for name, rows in counted.items()}


def quality(wards: QuerySet[Ward], by: tuple[str, ...] = (), since: date | None = None,
            records: tuple[str, ...] | None = None,
            rows: dict[str, list[dict]] | None = None) -> dict[str, list[RecordScore]]:
    spec = dataset_spec()
    rows = rows if rows is not None else all_rows(wards, since, records)
    names = records or tuple(rows)
    return {name: score(rows[name], spec.records[name], by) for name in names}
