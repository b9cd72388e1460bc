"""Identifiable records: people and their journeys, groups and stories. Coordinators and
managers only, each through the scoping layer; every person returned leaves an audit row."""

from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from alongside.audit.log import record, record_many
from alongside.community.models import CommunityGroup
from alongside.journeys.models import (
    Activity,
    Connection,
    Engagement,
    Insulator,
    Introduction,
    Outcome,
    Story,
)
from alongside.people.models import Person

from . import scope
from .problems import Problem
from .schemas import (
    ActivityOut,
    ConnectionOut,
    EngagementOut,
    GroupOut,
    InsulatorOut,
    IntroductionOut,
    OutcomeOut,
    PersonOut,
    StoryOut,
)

router = Router(tags=["records"])


# Beyond any real table (and below the databases' 64-bit limit, which an offset of 10^25 broke
# with a server error found by schemathesis).
MAX_OFFSET = 10**12


class Page(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, description="1 to 1000")
        offset: int = Field(0, description=f"0 to {MAX_OFFSET:,}")

    def paginate_queryset(self, queryset, pagination, request, **params):
        # Bounds checked here rather than in the schema so a bad value gets a problem document
        # naming the field, like every other bad input.
        errors = []
        if not 1 <= pagination.limit <= 1000:
            errors.append({"field": "query.limit", "message": "must be from 1 to 1000"})
        if not 0 <= pagination.offset <= MAX_OFFSET:
            errors.append({"field": "query.offset", "message": f"must be from 0 to {MAX_OFFSET:,}"})
        if errors:
            raise Problem(422, "Paging is out of range.", "/api/v1/problems/invalid", errors)
        page = {"items": list(queryset[pagination.offset:pagination.offset + pagination.limit]),
                "count": queryset.count()}
        _audit(request, page["items"])
        return page


def _audit(request: HttpRequest, items: list) -> None:
    """One 'view' row per person on the page, as the person page writes for one."""
    people = {}
    for item in items:
        p = item if isinstance(item, Person) else getattr(item, "person", None)
        if p is not None:
            people[p.pk] = p
    if people:
        record_many(request, "view", list(people.values()), via="api")


# Engagements, activities and outcomes belong to a person or (community level) to a group.
PERSON_OR_GROUP = ("person__ward", "group__ward")


class Dated(Schema):
    ward: str | None = None
    since: date | None = None
    until: date | None = None


def _dated(qs: QuerySet, f: Dated, date_field: str, *ward_paths: str) -> QuerySet:
    if f.ward:
        either = Q()
        for path in ward_paths:
            either |= Q(**{f"{path}__ons_code": f.ward})
        qs = qs.filter(either)
    if f.since:
        qs = qs.filter(**{f"{date_field}__gte": f.since})
    if f.until:
        qs = qs.filter(**{f"{date_field}__lte": f.until})
    return qs


CODES = ("age_band", "gender", "ethnicity", "long_term_condition", "relationship_to_services",
         "relationship_type")


class PeopleFilter(Schema):
    ward: str | None = None
    updated_since: datetime | None = None


@router.get("/people", response=list[PersonOut], summary="People in the token's wards")
@paginate(Page)
def people(request: HttpRequest, filters: Query[PeopleFilter]):
    qs = scope.scoped(request, Person.objects.current().select_related("ward", "coordinator", *CODES))
    if filters.ward:
        qs = qs.filter(ward__ons_code=filters.ward)
    if filters.updated_since:
        qs = qs.filter(updated_at__gte=filters.updated_since)
    return qs.order_by("id")


@router.get("/people/{reference}", response=PersonOut, summary="One person")
def person(request: HttpRequest, reference: str):
    p = scope.person(request, reference)
    record(request, "view", p, via="api")
    return Person.objects.select_related("ward", "coordinator", *CODES).get(pk=p.pk)


@router.get("/introductions", response=list[IntroductionOut], summary="Introductions")
@paginate(Page)
def introductions(request: HttpRequest, filters: Query[Dated]):
    qs = scope.scoped(request, Introduction.objects.select_related(
        "person", "ward", "route", "level_requested").prefetch_related("reasons"))
    return _dated(qs, filters, "introduced_on", "ward").order_by("id")


@router.get("/engagements", response=list[EngagementOut], summary="Periods of support")
@paginate(Page)
def engagements(request: HttpRequest, filters: Query[Dated]):
    qs = scope.scoped(request, Engagement.objects.select_related("person", "level", "status"),
                      PERSON_OR_GROUP)
    return _dated(qs, filters, "started_on", *PERSON_OR_GROUP).order_by("id")


@router.get("/activities", response=list[ActivityOut], summary="Activities at the three levels")
@paginate(Page)
def activities(request: HttpRequest, filters: Query[Dated]):
    qs = scope.scoped(request, Activity.objects.select_related("person", "activity", "kind", "level"),
                      PERSON_OR_GROUP)
    return _dated(qs, filters, "done_on", *PERSON_OR_GROUP).order_by("id")


@router.get("/connections", response=list[ConnectionOut], summary="Connections made")
@paginate(Page)
def connections(request: HttpRequest, filters: Query[Dated]):
    qs = scope.scoped(request, Connection.objects.select_related("person", "kind", "service"),
                      "person__ward")
    return _dated(qs, filters, "made_on", "person__ward").order_by("id")


@router.get("/outcomes", response=list[OutcomeOut], summary="Outcomes seen")
@paginate(Page)
def outcomes(request: HttpRequest, filters: Query[Dated]):
    qs = scope.scoped(request, Outcome.objects.select_related("person", "outcome"), PERSON_OR_GROUP)
    return _dated(qs, filters, "observed_on", *PERSON_OR_GROUP).order_by("id")


@router.get("/insulators", response=list[InsulatorOut], summary="Insulators built")
@paginate(Page)
def insulators(request: HttpRequest, filters: Query[Dated]):
    qs = scope.scoped(request, Insulator.objects.select_related("person", "insulator"), "person__ward")
    return _dated(qs, filters, "observed_on", "person__ward").order_by("id")


@router.get("/groups", response=list[GroupOut], summary="Community groups on the map")
@paginate(Page)
def groups(request: HttpRequest, filters: Query[Dated]):
    qs = scope.scoped(request, CommunityGroup.objects.select_related("ward", "type"))
    return _dated(qs, filters, "started_on", "ward").order_by("id")


@router.get("/stories", response=list[StoryOut], summary="Stories")
@paginate(Page)
def stories(request: HttpRequest, filters: Query[Dated]):
    qs = scope.scoped(request, Story.objects.select_related("ward", "person").prefetch_related("codes"))
    return _dated(qs, filters, "written_on", "ward").order_by("id")
