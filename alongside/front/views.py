from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from alongside import scoping
from alongside.accounts.models import Role
from alongside.audit.log import record
from alongside.codes.models import Code
from alongside.evidence.disclosure import suppress
from alongside.journeys.models import Engagement, Introduction
from alongside.journeys.timeline import timeline

from .navigation import items as nav_items

OPTIMUM_CASELOAD = (50, 60)


def _render(request, template, context):
    context["nav"] = nav_items(request)
    return render(request, template, context)


@login_required
def home(request):
    if request.user.role in (Role.COORDINATOR, Role.MANAGER):
        return redirect("caseload")
    if request.user.role == Role.ADMINISTRATOR:
        return redirect("admin:index")
    return redirect("overview")


STATUS_CODES = {
    "open": ["active", "safe_waiting"],
    "active": ["active"],
    "safe_waiting": ["safe_waiting"],
    "closed": ["closed"],
}


@login_required
def caseload(request):
    scoping.require_identifiable(request.user)
    status = request.GET.get("status", "open")
    if status not in STATUS_CODES:
        status = "open"
    latest = Engagement.objects.filter(person=OuterRef("pk")).order_by("-started_on", "-id")
    people = (
        scoping.people(request.user)
        .annotate(
            level_code=Subquery(latest.values("level__code")[:1]),
            level_label=Subquery(latest.values("level__label")[:1]),
            status_code=Subquery(latest.values("status__code")[:1]),
            status_label=Subquery(latest.values("status__label")[:1]),
            last_contact=Max("activities__done_on"),
        )
        .select_related("ward", "coordinator")
    )
    people = people.filter(status_code__in=STATUS_CODES[status])
    if request.user.role == Role.COORDINATOR:
        people = people.filter(coordinator=request.user)
    people = people.order_by("-last_contact", "family_name")
    walking_alongside = people.filter(level_code="L2", status_code="active").count()
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return _render(request, "front/caseload.html", {
        "page": page,
        "status": status,
        "statuses": [
            ("open", _("Open")), ("active", _("Active")),
            ("safe_waiting", _("Safe waiting")), ("closed", _("Closed")),
        ],
        "walking_alongside": walking_alongside,
        "optimum": OPTIMUM_CASELOAD,
        "is_manager": request.user.role == Role.MANAGER,
    })


@login_required
def person(request, reference):
    person = scoping.person_or_404(request.user, reference)
    record(request, "view", person)
    level = request.GET.get("level", "")
    events = timeline(person, level=level or None)
    return _render(request, "front/person.html", {
        "person": person,
        "consent": person.consents.select_related("status", "lawful_basis").first(),
        "events": events,
        "level": level,
        "levels": [("", _("All levels"))] + [
            (c.code, c.label) for c in Code.objects.filter(list="activity_level")
        ],
    })


@login_required
def overview(request):
    """Aggregates only: counts per council, small numbers suppressed, no person visible."""
    wards = scoping.aggregate_wards(request.user)
    councils = []
    for council in scoping.aggregate_councils(request.user):
        council_wards = wards.filter(council=council)
        by_level = dict(
            Engagement.objects.filter(
                Q(person__ward__in=council_wards) | Q(group__ward__in=council_wards)
            ).values_list("level__code").annotate(n=Count("id")).values_list("level__code", "n")
        )
        routes = (
            Introduction.objects.filter(ward__in=council_wards)
            .values("route__label").annotate(n=Count("id")).order_by("-n")
        )
        total_intros = sum(r["n"] for r in routes)
        councils.append({
            "council": council,
            "wards": council_wards.count(),
            "people": suppress(scoping.people_count(council_wards)),
            "levels": [
                (c.label, suppress(by_level.get(c.code, 0)))
                for c in Code.objects.filter(list="level_of_support")
            ],
            "routes": [
                (r["route__label"], suppress(r["n"]),
                 f"{100 * r['n'] / total_intros:.0f}%" if r["n"] >= 5 else "")
                for r in routes
            ],
        })
    return _render(request, "front/overview.html", {"councils": councils})
