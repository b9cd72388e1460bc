from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from alongside import scoping
from alongside.accounts.models import Role
from alongside.audit.log import record
from alongside.codes.lookup import attach_codes, code_by_pk, list_codes
from alongside.codes.models import Code
from alongside.dataset.comparison import engagements_by_level
from alongside.evidence.disclosure import share_text, suppress
from alongside.journeys.distance import person_changes
from alongside.journeys.models import Introduction, Measurement
from alongside.journeys.timeline import cycles, level_labels, timeline
from alongside.operations import replica
from alongside.people.merging import alias_of

from .merges import merged_records
from .navigation import items as nav_items


def _render(request, template, context):
    context["nav"] = nav_items(request)
    return render(request, template, context)


@login_required
def home(request):
    if request.user.role in (Role.COORDINATOR, Role.MANAGER):
        return redirect("caseload")
    if request.user.role == Role.ADMINISTRATOR:
        return redirect("settings")
    return redirect("overview")


PERSON_CODES = ("age_band", "gender", "ethnicity", "long_term_condition", "relationship_to_services")


def journey_cycles(events: list) -> list[dict]:
    """The journey cycle by cycle, the current (latest) first: a busy person's page opens on
    what is happening now, with earlier cycles folded away."""
    by_cycle: dict[int, list] = {}
    for e in events:
        by_cycle.setdefault(e.cycle, []).append(e)
    return [{"number": n, "events": by_cycle[n], "records": len(by_cycle[n]), "start": by_cycle[n][0].on,
             "end": by_cycle[n][-1].on, "current": i == 0}
            for i, n in enumerate(sorted(by_cycle, reverse=True))]


@login_required
def person(request, reference):
    try:
        person = scoping.person_or_404(request.user, reference, related=("ward", "coordinator"))
    except Http404:
        # An old reference, from a record since merged into another: the person it is now,
        # if the user may see them (alias_of is scoped), else the same 404.
        if (kept := alias_of(request.user, reference)) is None:
            raise
        return redirect("person", kept.reference)
    attach_codes([person], PERSON_CODES)
    record(request, "view", person)
    level = request.GET.get("level", "")
    journey = timeline(person)  # fetches the journey's records once; the lists below reuse them
    events = [e for e in journey if e.level == level] if level else journey
    plan = _last(person.agreements.all())
    return _render(request, "front/person.html", {
        "person": person,
        "consent": next(iter(attach_codes(person.consents.all()[:1])), None),  # the latest
        "engagement": _last(person.engagements.all()),
        "vision": _last(person.conversations.all()),
        "strengths": attach_codes(person.strengths.all()),
        "plan": plan,
        "next_review": next_review(plan),
        "events": events,
        "journey_cycles": journey_cycles(events),
        "cycles": cycles(journey),
        "contexts": attach_codes(person.contexts.all()),
        "model_levels": list(level_labels().items()),
        "changes": person_changes(person),
        "follow_up_due": follow_up_due(person, next_review(plan)),
        "level": level,
        "may_erase": request.user.role == Role.MANAGER,
        "merged": merged_records(person),
        "levels": [("", _("All levels"))] + [
            (c.code, c.local_label) for c in list_codes("activity_level")
        ],
    })


def _last(records):
    records = list(records)
    return records[-1] if records else None


def follow_up_due(person, review_on) -> bool:
    """Ask again at the review: a baseline was answered, a review is due within a fortnight (or
    overdue) and nothing has been asked for FOLLOW_UP_DAYS."""
    if review_on is None or review_on > date.today() + timedelta(days=14):
        return False
    taken = list(person.measurements.all())
    if not any(m.status == Measurement.Status.ANSWERED for m in taken):
        return False
    return max(m.taken_on for m in taken) < date.today() - timedelta(days=FOLLOW_UP_DAYS)


FOLLOW_UP_DAYS = 60


def next_review(plan):
    if plan is None:
        return None
    reviews = list(plan.reviews.all())
    return reviews[-1].next_review_on if reviews else plan.next_review_on


@login_required
@replica.reads
def overview(request):
    """Aggregates only: counts per council, small numbers suppressed, no person visible."""
    wards = scoping.aggregate_wards(request.user)
    councils = []
    for council in scoping.aggregate_councils(request.user):
        council_wards = wards.filter(council=council)
        by_level: dict[str, int] = {}
        for r in engagements_by_level(council_wards):
            by_level[r["code"]] = by_level.get(r["code"], 0) + r["n"]
        routes = (
            Introduction.objects.filter(ward__in=council_wards)
            .values("route").annotate(n=Count("id")).order_by("-n")
        )
        total_intros = sum(r["n"] for r in routes)
        councils.append({
            "council": council,
            "wards": council_wards.count(),
            "people": suppress(scoping.people_count(council_wards)),
            "levels": [
                (c.local_label, suppress(by_level.get(c.code, 0)))
                for c in Code.objects.filter(list="level_of_support")
            ],
            "routes": [
                (str(code_by_pk(r["route"])), suppress(r["n"]),
                 share_text(r["n"], total_intros) if r["n"] >= 5 else "")
                for r in routes
            ],
        })
    return _render(request, "front/overview.html", {"councils": councils})
