"""The measures of fidelity a site's records already hold, worked out for one quarter.

Each measure names the principle it speaks to, says in words which records it counts, and keeps
its counts (numerator, denominator), so a page can show it exactly to the team and suppressed to
anyone else, and a signed-off review can keep the figures it was judged on.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from statistics import median

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import ngettext

from alongside.accounts.models import Role, User
from alongside.community.models import CommunityGroup, GroupSupport
from alongside.evidence.disclosure import count_text, is_small, share_text
from alongside.journeys.models import (
    Activity,
    Conversation,
    Engagement,
    Exit,
    Introduction,
    Ripple,
    SharedAgreement,
    Signposting,
    Strength,
)
from alongside.places.models import Ward

# The optimum Level 2 caseload for a full-time Coordinator, as Sites compared states it (the
# Network's own range, 50–65 people and their families, reaches a little higher).
CASELOAD = (50, 60)
# Routes by which a person asks for themselves: the person, or family and friends on their behalf.
OWN_ROUTES = ("self", "family_friend")
DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class Definition:
    key: str
    principle: str
    label: object
    counts: object  # which records, in words
    unit: str  # count, share, median_days, median_months, per_coordinator
    target: object = ""


DEFINITIONS = [
    Definition("turned_away", "citizenship",
               _l("Introductions turned away for a reason other than where the person lives"),
               _l("Endings in the quarter coded “referred back as unsuitable”. People who live "
                  "outside the area are signposted, and counted under Information."),
               "count", _l("no one turned away")),
    Definition("time_to_conversation", "relationships",
               _l("Days from introduction to the first good-life conversation (median)"),
               _l("Introductions in the quarter followed by a good-life conversation, counting "
                  "days to the first conversation held on or after the introduction."),
               "median_days"),
    Definition("caseload", "relationships",
               _l("Level 2 caseload per Coordinator at the quarter’s end"),
               _l("People walked alongside at Level 2 whose engagement was open on the quarter’s "
                  "last day, divided by the site’s active Coordinators."),
               "per_coordinator", _l("50 to 60 people")),
    Definition("own_introduction", "natural_authority",
               _l("Introductions by the person themselves or their family and friends"),
               _l("Introductions in the quarter whose route is “the person themselves” or “family "
                  "or friend”, as a share of all introductions in the quarter."),
               "share"),
    Definition("strengths_recorded", "lifelong_learning",
               _l("Good-life conversations that recorded the person’s gifts, skills or strengths"),
               _l("People with a good-life conversation in the quarter, and those of them with at "
                  "least one gift, skill or strength recorded."),
               "share"),
    Definition("information_given", "information",
               _l("People given information and signposting (Level 1)"),
               _l("Level 1 engagements begun in the quarter."), "count"),
    Definition("signposted", "information",
               _l("People from outside the area signposted elsewhere"),
               _l("Signposting records in the quarter."), "count"),
    Definition("shared_agreement", "choice_and_control",
               _l("People walked alongside who have a shared agreement"),
               _l("People with a Level 2 engagement open at some time in the quarter, and those of "
                  "them with a shared agreement made by the quarter’s end."),
               "share"),
    Definition("community_level", "community",
               _l("Activities at community level"),
               _l("Activities in the quarter recorded at community level, as a share of all "
                  "activities in the quarter."), "share"),
    Definition("groups_supported", "community",
               _l("Community groups supported"),
               _l("Groups given support in the quarter, or with community-level work recorded "
                  "with them."), "count"),
    Definition("groups_started", "community",
               _l("Community groups started with LAC support"),
               _l("Groups marked “started with LAC support” whose start date is in the quarter."),
               "count"),
    Definition("ripples", "contribution",
               _l("People giving back to their community (ripples)"),
               _l("People with a ripple recorded in the quarter: volunteering, running a group or "
                  "community leadership."), "count"),
    Definition("system_level", "working_together",
               _l("Activities at system level"),
               _l("Activities in the quarter recorded at system level, as a share of all "
                  "activities in the quarter."), "share"),
    Definition("months_alongside", "complementary_services",
               _l("Months walked alongside (median, for engagements that ended)"),
               _l("Level 2 engagements that ended in the quarter, counting months from start to "
                  "end."), "median_months"),
    Definition("unplanned_endings", "complementary_services",
               _l("Endings without a planned ending"),
               _l("Endings in the quarter whose point is not “planned ending”, as a share of all "
                  "endings in the quarter."), "share"),
]
BY_KEY = {d.key: d for d in DEFINITIONS}


@dataclass(frozen=True)
class Figure:
    """One measure's result. numerator is the count (or, for a median, how many values it is the
    median of); denominator the total a share is of (or the Coordinators a caseload is shared by)."""

    key: str
    numerator: int
    denominator: int | None = None
    value: float | None = None

    @property
    def definition(self) -> Definition:
        return BY_KEY[self.key]

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> Figure:
        return cls(d["key"], d["numerator"], d.get("denominator"), d.get("value"))

    def text(self, exact: bool) -> str:
        """As the reader may see it: exact to the team, suppressed and rounded to anyone else."""
        unit, n, d = self.definition.unit, self.numerator, self.denominator
        if unit == "count":
            return count_text(n, exact)
        if unit == "share":
            if not d:
                return _("none in the quarter")
            return _("%(share)s (%(n)s of %(d)s)") % {
                "share": share_text(n, d, exact), "n": count_text(n, exact), "d": count_text(d, exact)}
        if unit in ("median_days", "median_months"):
            if not n:
                return _("none in the quarter")
            # A median of fewer than 5 values is nearly one person's own figure.
            if not exact and is_small(n):
                return _("fewer than 5: not shown")
            v = round(self.value)
            said = (ngettext("%(v)s day", "%(v)s days", v) if unit == "median_days"
                    else ngettext("%(v)s month", "%(v)s months", v)) % {"v": v}
            return _("%(value)s (of %(n)s)") % {"value": said, "n": count_text(n, exact)}
        if unit == "per_coordinator":
            if not d:
                return _("no active Coordinator")
            if not exact and is_small(n):
                return _("<5 people")
            return _("%(v)s people") % {"v": round(self.value)}
        raise ValueError(unit)

    @property
    def met(self) -> bool | None:
        """Whether a measure with a target meets it (None: no target, or nothing to judge)."""
        if self.key == "turned_away":
            return self.numerator == 0
        if self.key == "caseload" and self.denominator:
            return CASELOAD[0] <= self.value <= CASELOAD[1]
        return None


class _Records:
    """The records behind each measure for these wards between start and end (both days
    included): measure() counts them and behind() lists them, so the two cannot disagree."""

    def __init__(self, wards: QuerySet[Ward], start: date, end: date):
        self.wards, self.start, self.end = wards, start, end
        span = (start, end)
        self.intros = Introduction.objects.filter(ward__in=wards, introduced_on__range=span)
        self.exits = Exit.objects.filter(person__ward__in=wards, exited_on__range=span)
        self.l2 = Engagement.objects.filter(person__ward__in=wards, level__code="L2")
        # A person's activity belongs to the person's ward; a group's (no person) to the group's.
        self.activities = Activity.objects.filter(
            Q(person__ward__in=wards) | Q(person__isnull=True, group__ward__in=wards), done_on__range=span)
        self.talked = (Conversation.objects.filter(person__ward__in=wards, held_on__range=span)
                       .values("person"))

    def turned_away(self):
        return self.exits.filter(outcome__code="referred_back_unsuitable")

    def waits(self) -> list[tuple[int, int]]:
        """(person id, days from an introduction in the quarter to the first conversation on or
        after it), one per introduction that has had one."""
        conversations: dict[int, list[date]] = {}
        for person, held in Conversation.objects.filter(person__in=self.intros.values("person")) \
                .values_list("person", "held_on"):
            conversations.setdefault(person, []).append(held)
        out = []
        for person, introduced in self.intros.values_list("person", "introduced_on"):
            after = [h for h in conversations.get(person, ()) if h >= introduced]
            if after:
                out.append((person, (min(after) - introduced).days))
        return out

    def open_at_end(self):
        return self.l2.filter(started_on__lte=self.end).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=self.end))

    def coordinators(self) -> int:
        return (User.objects.filter(role=Role.COORDINATOR, is_active=True, wards__in=self.wards)
                .distinct().count())

    def own_introduction(self):
        return self.intros.filter(route__code__in=OWN_ROUTES)

    def strengths(self):
        return Strength.objects.filter(person__in=self.talked,
                                       conversation__held_on__range=(self.start, self.end))

    def information_given(self):
        return Engagement.objects.filter(person__ward__in=self.wards, level__code="L1",
                                         started_on__range=(self.start, self.end))

    def walked(self):
        return self.l2.filter(started_on__lte=self.end).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=self.start))

    def agreed(self):
        return SharedAgreement.objects.filter(person__in=self.walked().values("person"),
                                              agreed_on__lte=self.end)

    def groups_supported(self) -> set[int]:
        supported = set(GroupSupport.objects.filter(group__ward__in=self.wards,
                                                    given_on__range=(self.start, self.end))
                        .values_list("group", flat=True))
        return supported | set(self.activities.filter(group__isnull=False, level__code="community")
                               .values_list("group", flat=True))

    def groups_started(self):
        return CommunityGroup.objects.filter(ward__in=self.wards, is_new=True,
                                             started_on__range=(self.start, self.end))

    def ripples(self):
        return Ripple.objects.filter(person__ward__in=self.wards, observed_on__range=(self.start, self.end))

    def ended(self):
        return self.l2.filter(ended_on__range=(self.start, self.end))

    def unplanned(self):
        return self.exits.exclude(point__code="planned_ending")


def _people(qs) -> int:
    return qs.values("person").distinct().count()


def measure(wards: QuerySet[Ward], start: date, end: date) -> list[Figure]:
    """Every measure, in DEFINITIONS' order, for the records of these wards between start and
    end (both days included)."""
    r = _Records(wards, start, end)
    out: dict[str, Figure] = {}
    out["turned_away"] = Figure("turned_away", r.turned_away().count())
    waits = [days for _p, days in r.waits()]
    out["time_to_conversation"] = Figure("time_to_conversation", len(waits), None,
                                         float(median(waits)) if waits else None)
    at_end, coordinators = _people(r.open_at_end()), r.coordinators()
    out["caseload"] = Figure("caseload", at_end, coordinators,
                             at_end / coordinators if coordinators else None)
    out["own_introduction"] = Figure("own_introduction", r.own_introduction().count(), r.intros.count())
    out["strengths_recorded"] = Figure("strengths_recorded", _people(r.strengths()),
                                       r.talked.distinct().count())
    out["information_given"] = Figure("information_given", r.information_given().count())
    out["signposted"] = Figure("signposted", Signposting.objects.filter(
        ward__in=wards, recorded_on__range=(start, end)).count())
    out["shared_agreement"] = Figure("shared_agreement", _people(r.agreed()), _people(r.walked()))
    total = r.activities.count()
    out["community_level"] = Figure("community_level", r.activities.filter(level__code="community").count(),
                                    total)
    out["groups_supported"] = Figure("groups_supported", len(r.groups_supported()))
    out["groups_started"] = Figure("groups_started", r.groups_started().count())
    out["ripples"] = Figure("ripples", _people(r.ripples()))
    out["system_level"] = Figure("system_level", r.activities.filter(level__code="system").count(), total)
    months = [(e - s).days / DAYS_PER_MONTH for s, e in r.ended().values_list("started_on", "ended_on")]
    out["months_alongside"] = Figure("months_alongside", len(months), None,
                                     float(median(months)) if months else None)
    out["unplanned_endings"] = Figure("unplanned_endings", r.unplanned().count(), r.exits.count())
    return [out[d.key] for d in DEFINITIONS]


LISTED = 50  # a page of references is enough to check a figure by; the count says the rest


def behind(wards: QuerySet[Ward], start: date, end: date, key: str) -> tuple[list[str], list[str], int]:
    """The records a measure counts, for the team to check it by: people's references and groups'
    names (each list cut at LISTED), and how many people there are in all. Only for a scoped
    user's own wards: the caller passes scoping.wards(user)."""
    r = _Records(wards, start, end)
    from alongside.people.models import Person

    people = {
        "turned_away": lambda: r.turned_away().values("person"),
        "time_to_conversation": lambda: [p for p, _d in r.waits()],
        "caseload": lambda: r.open_at_end().values("person"),
        "own_introduction": lambda: r.own_introduction().values("person"),
        "strengths_recorded": lambda: r.strengths().values("person"),
        "information_given": lambda: r.information_given().values("person"),
        "shared_agreement": lambda: r.agreed().values("person"),
        "community_level": lambda: r.activities.filter(level__code="community", person__isnull=False)
        .values("person"),
        "system_level": lambda: r.activities.filter(level__code="system", person__isnull=False)
        .values("person"),
        "ripples": lambda: r.ripples().values("person"),
        "months_alongside": lambda: r.ended().values("person"),
        "unplanned_endings": lambda: r.unplanned().values("person"),
    }
    groups = {
        "groups_supported": lambda: r.groups_supported(),
        "groups_started": lambda: r.groups_started().values("pk"),
        "community_level": lambda: r.activities.filter(level__code="community", person__isnull=True)
        .values("group"),
        "system_level": lambda: r.activities.filter(level__code="system", person__isnull=True)
        .values("group"),
    }
    if key not in BY_KEY:
        raise KeyError(key)
    refs: list[str] = []
    n = 0
    if key in people:
        chosen = Person.objects.filter(pk__in=people[key](), ward__in=wards).order_by("reference")
        n = chosen.count()
        refs = list(chosen.values_list("reference", flat=True)[:LISTED])
    names = (list(CommunityGroup.objects.filter(pk__in=groups[key](), ward__in=wards).order_by("name")
                  .values_list("name", flat=True)[:LISTED]) if key in groups else [])
    return refs, names, n


def by_principle(figures: list[Figure]) -> dict[str, list[Figure]]:
    grouped: dict[str, list[Figure]] = {}
    for f in figures:
        grouped.setdefault(f.definition.principle, []).append(f)
    return grouped
