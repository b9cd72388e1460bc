"""Caseloads: a Coordinator's people, and a manager's view of every Coordinator in the site.

The optimum Level 2 caseload is 50–60 people (DOMAIN.md). "Reviews due" and "not in
touch for N weeks" are the two lists a Coordinator works from at the start of a week.
"""

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from alongside import scoping
from alongside.accounts.models import Role, User
from alongside.codes.lookup import catalogue
from alongside.journeys.models import Activity, Engagement, Review, SharedAgreement

from .pages import query_id, render_page

OPTIMUM_CASELOAD = (50, 60)
REVIEW_WINDOW_DAYS = 14
QUIET_WEEKS = 6

STATUS_CODES = {
    "open": ["active", "safe_waiting"],
    "active": ["active"],
    "safe_waiting": ["safe_waiting"],
    "closed": ["closed"],
    "all": None,
}
SEARCH_WORDS = 4


def annotated(people):
    """Each person's current level and status (code ids: joining the code table inside the
    subquery costs more than the subquery), last contact and next review date."""
    contact = Activity.objects.filter(person=OuterRef("pk")).order_by("-done_on")
    latest = Engagement.objects.filter(person=OuterRef("pk")).order_by("-started_on", "-id")
    last_review = Review.objects.filter(agreement=OuterRef("pk")).order_by("-reviewed_on", "-id")
    plan = (SharedAgreement.objects.filter(person=OuterRef("pk")).order_by("-agreed_on", "-id")
            .annotate(due=Coalesce(Subquery(last_review.values("next_review_on")[:1]),
                                   "next_review_on")))
    return people.annotate(
        current_level=Subquery(latest.values("level_id")[:1]),
        current_status=Subquery(latest.values("status_id")[:1]),
        review_due=Subquery(plan.values("due")[:1]),
        last_contact=Subquery(contact.values("done_on")[:1]),
    )


def reviews_due(people, today: date):
    """Of `annotated` people, those whose review is due within REVIEW_WINDOW_DAYS or overdue."""
    return people.filter(review_due__lte=today + timedelta(days=REVIEW_WINDOW_DAYS))


def not_in_touch(people, today: date, weeks: int = QUIET_WEEKS):
    """Of `annotated` people, those with no activity for `weeks` weeks (or none yet)."""
    return people.filter(Q(last_contact__lt=today - timedelta(weeks=weeks)) | Q(last_contact__isnull=True))


class Codes:
    """The levels of support and engagement statuses, to filter by id and show by label."""

    def __init__(self):
        self.by_id = {c.pk: c for c in catalogue().values()
                      if c.list in ("level_of_support", "engagement_status")}

    def ids(self, list_name: str, codes) -> list[int]:
        return [pk for pk, c in self.by_id.items() if c.list == list_name and c.code in codes]

    def level(self, *codes) -> list[int]:
        return self.ids("level_of_support", codes)

    def status(self, *codes) -> list[int]:
        return self.ids("engagement_status", codes)

    def label(self, people) -> list:
        """The page's people with level_code, status_code and status_label to show."""
        people = list(people)
        for p in people:
            level, status = self.by_id.get(p.current_level), self.by_id.get(p.current_status)
            p.level_code = level.code if level else None
            p.status_code = status.code if status else None
            p.status_label = status.local_label if status else None
        return people


@login_required
def caseload(request):
    scoping.require_identifiable(request.user)
    user = request.user
    today = date.today()
    search = " ".join(request.GET.get("q", "").split()[:SEARCH_WORDS])[:80]
    # A search looks for someone whatever their status, unless a status is chosen too.
    status = request.GET.get("status", "all" if search else "open")
    if status not in STATUS_CODES:
        status = "open"
    show = request.GET.get("show", "")
    try:
        weeks = max(1, min(52, int(request.GET.get("weeks", QUIET_WEEKS))))
    except ValueError:
        weeks = QUIET_WEEKS
    codes = Codes()
    people = annotated(scoping.people(user)).select_related("ward", "coordinator")
    if search:
        # Across the user's wards (a colleague's people too, for cover), never beyond them:
        # scoping.people above already decided which people can be found at all.
        for word in search.split():
            people = people.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word)
                                   | Q(reference__icontains=word))
    elif user.role == Role.COORDINATOR:
        people = people.filter(coordinator=user)
    if user.role != Role.COORDINATOR and request.GET.get("coordinator"):
        people = people.filter(coordinator_id=query_id(request.GET["coordinator"]))
    if STATUS_CODES[status] is not None:
        people = people.filter(current_status__in=codes.status(*STATUS_CODES[status]))
    if show == "reviews":
        people = reviews_due(people, today)
    elif show == "quiet":
        people = not_in_touch(people, today, weeks)
    # new introductions (no contact yet) first: they are waiting for a first visit
    people = people.order_by(F("last_contact").desc(nulls_first=True), "family_name")
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    page.object_list = codes.label(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render_page(request, "front/caseload.html", {
        "page": page,
        "query": query.urlencode(),
        "status": status,
        "search": search,
        "show": show,
        "weeks": weeks,
        "today": today,
        "statuses": [
            ("open", _("Open")), ("active", _("Active")),
            ("safe_waiting", _("Safe waiting")), ("closed", _("Closed")), ("all", _("All")),
        ],
        "walking_alongside": annotated(scoping.people(user).filter(coordinator=user))
        .filter(current_level__in=codes.level("L2"), current_status__in=codes.status("active"))
        .count() if user.role == Role.COORDINATOR else None,
        "optimum": OPTIMUM_CASELOAD,
        "is_manager": user.role == Role.MANAGER,
        "coordinators": coordinator_summary(user, today, codes) if user.role == Role.MANAGER
        else None,
    })


def coordinator_summary(user, today: date, codes: Codes) -> list[dict]:
    """One row per Coordinator in the manager's site: how full, how overdue, how quiet."""
    active = Q(current_status__in=codes.status("active"))
    rows = (annotated(scoping.people(user))
            .filter(current_status__in=codes.status(*STATUS_CODES["open"]))
            .values("coordinator")
            .annotate(
                level2=Count("id", filter=active & Q(current_level__in=codes.level("L2"))),
                level1=Count("id", filter=active & Q(current_level__in=codes.level("L1"))),
                waiting=Count("id", filter=Q(current_status__in=codes.status("safe_waiting"))),
                reviews=Count("id", filter=Q(
                    review_due__lte=today + timedelta(days=REVIEW_WINDOW_DAYS))),
                quiet=Count("id", filter=Q(last_contact__lt=today - timedelta(weeks=QUIET_WEEKS))
                            | Q(last_contact__isnull=True)),
            ))
    by_id = {r["coordinator"]: r for r in rows}
    coordinators = (User.objects.filter(role=Role.COORDINATOR, wards__in=scoping.wards(user),
                                       is_active=True).distinct().prefetch_related("wards")
                    .order_by("last_name", "first_name"))
    summary = []
    low, high = OPTIMUM_CASELOAD
    for c in coordinators:
        r = by_id.get(c.pk, {})
        level2 = r.get("level2", 0)
        summary.append({
            "coordinator": c, "wards": ", ".join(w.name for w in c.wards.all()),
            "level2": level2, "level1": r.get("level1", 0), "waiting": r.get("waiting", 0),
            "reviews": r.get("reviews", 0), "quiet": r.get("quiet", 0),
            "band": "over" if level2 > high else ("under" if level2 < low else "within"),
        })
    if None in by_id:
        r = by_id[None]
        summary.append({"coordinator": None, "wards": "", "level2": r["level2"],
                        "level1": r["level1"], "waiting": r["waiting"], "reviews": r["reviews"],
                        "quiet": r["quiet"], "band": ""})
    return summary
