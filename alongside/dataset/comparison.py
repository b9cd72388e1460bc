"""Sites side by side: the same measures for every council a user may see in aggregate,
with each site's completeness next to its figures. Counts only — never a person — and
every count from 1 to 4 is suppressed, and the rest rounded to the nearest 5, before it leaves
this module."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, F, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_noop as N_

from alongside.accounts.models import Role, User
from alongside.caching import cached
from alongside.codes.models import Code
from alongside.evidence.disclosure import count_text, share_text
from alongside.journeys.funnel import EARLY, route_groups
from alongside.journeys.models import Activity, Engagement, Exit, Insulator, Introduction, Outcome
from alongside.places.models import Council, Ward

from .quality import count_rows, quality


@dataclass
class Measure:
    """One row of the comparison: a label and, per council, a count and its share."""

    label: str
    counts: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)

    def cell(self, council: str) -> tuple[str, str]:
        n = self.counts.get(council, 0)
        total = self.totals.get(council, 0)
        # Sites are compared outside any one team: counts as a commissioner sees them.
        return count_text(n), share_text(n, total)


@dataclass
class Section:
    title: str
    measures: list[Measure]
    note: str = ""


def _split(rows, council_key: str, label_key: str, labels: dict[str, str]) -> list[Measure]:
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    totals: dict[str, int] = defaultdict(int)
    for r in rows:
        counts[r[label_key]][r[council_key]] = counts[r[label_key]].get(r[council_key], 0) + r["n"]
        totals[r[council_key]] += r["n"]
    return [Measure(label, counts.get(code, {}), dict(totals)) for code, label in labels.items()]


def _labels(list_name: str, top_only: bool = False) -> dict[str, str]:
    qs = Code.objects.filter(list=list_name)
    if top_only:
        qs = qs.filter(parent__isnull=True)
    return {c.code: f"{c.code} {c.local_label}" if list_name in ("problem", "activity") else c.local_label
            for c in qs}


def engagements_by_level(wards: QuerySet[Ward], since: date | None = None) -> list[dict]:
    """Rows of {"council", "code", "n"}: engagements by level of support, a person's in their
    ward's council and a group's (community level) in the group's. The Overview, Sites compared
    and the API all count levels here."""
    people = Engagement.objects.filter(person__ward__in=wards)
    groups = Engagement.objects.filter(group__ward__in=wards, person__isnull=True)
    if since:
        people, groups = people.filter(started_on__gte=since), groups.filter(started_on__gte=since)
    # Two queries: an OR across the person's and the group's ward stops PostgreSQL using either.
    code = F("level__code")
    return [*people.values(council=F("person__ward__council__name"), code=code).annotate(n=Count("pk")),
            *groups.values(council=F("group__ward__council__name"), code=code).annotate(n=Count("pk"))]


def compare(wards: QuerySet[Ward], since: date | None = None) -> tuple[list[str], list[Section], dict]:
    """Council names, the sections of measures, and each council's completeness."""
    councils = list(Council.objects.filter(wards__in=wards).distinct().values_list("name", flat=True))
    intro = Introduction.objects.filter(ward__in=wards)
    eng = Engagement.objects.filter(person__ward__in=wards)
    if since:
        intro = intro.filter(introduced_on__gte=since)
        eng = eng.filter(started_on__gte=since)
    c_intro, c_person = "ward__council__name", "person__ward__council__name"
    sections = []

    groups = {"community": N_("Community, family, self"), "voluntary": N_("Voluntary sector"), "housing":
              N_("Housing association"), "statutory": N_("Statutory services"), "other": N_("Other")}
    route_group = route_groups()
    rows = [{"c": r[c_intro], "g": route_group.get(r["route__code"], "other"), "n": r["n"]}
            for r in intro.values(c_intro, "route__code").annotate(n=Count("pk"))]
    sections.append(Section(N_("Introductions by route"), _split(rows, "c", "g", groups)))

    reason_rows = (Introduction.reasons.through.objects.filter(introduction__in=intro)
                   .annotate(top=Coalesce(F("reason__parent__code"), F("reason__code")),
                             c=F("introduction__ward__council__name"))
                   .values("c", "top").annotate(n=Count("introduction", distinct=True)))
    per_intro = {r[c_intro]: r["n"] for r in intro.values(c_intro).annotate(n=Count("pk"))}
    reasons = _split(reason_rows, "c", "top", _labels("problem", top_only=True))
    for m in reasons:
        m.totals = per_intro  # share of introductions: one introduction can give several reasons
    sections.append(Section(N_("Reasons for introduction"), reasons,
                            N_("Share of introductions; one introduction can give several reasons.")))

    sections.append(Section(N_("Level of support"), _split(engagements_by_level(wards, since), "council",
                                                       "code", _labels("level_of_support"))))

    open_l2 = eng.filter(level__code="L2", status__code__in=("active", "safe_waiting"))
    coordinators = {r["council__name"]: r["n"] for r in User.objects.filter(
        role=Role.COORDINATOR, is_active=True, wards__in=wards).values("council__name")
        .annotate(n=Count("pk", distinct=True))}
    l2 = {r[c_person]: r["n"] for r in open_l2.values(c_person).annotate(n=Count("pk"))}
    # An average over fewer than 5 people could give a person away, like any small count.
    caseload = {c: (N_("<5 people") if 0 < l2.get(c, 0) < 5 else
                    f"{round(l2.get(c, 0) / coordinators[c])}" if coordinators.get(c) else "–")
                for c in councils}

    exits = Exit.objects.filter(engagement__in=eng)
    funnel = [Measure(N_("Introduced"), dict(per_intro))]
    funnel.append(Measure(N_("Did not engage (left at first contact or after the first meeting)"),
                          {r[c_person]: r["n"] for r in exits.filter(point__code__in=EARLY)
                           .values(c_person).annotate(n=Count("pk"))}))
    funnel.append(Measure(N_("Planned ending"), {r[c_person]: r["n"] for r in exits.filter(
        point__code="planned_ending").values(c_person).annotate(n=Count("pk"))}))
    funnel.append(Measure(N_("Still walking alongside or in safe waiting"), {
        r[c_person]: r["n"] for r in eng.filter(status__code__in=("active", "safe_waiting"))
        .values(c_person).annotate(n=Count("pk"))}))
    for m in funnel:
        m.totals = funnel[0].counts
    sections.append(Section(N_("Non-engagement funnel"), funnel, N_("Share of introductions.")))

    l2_people = {r[c_person]: r["n"] for r in eng.filter(level__code="L2").values(c_person)
                 .annotate(n=Count("person", distinct=True))}
    people = eng.filter(level__code="L2").values("person")
    with_outcome = Outcome.objects.filter(person__in=people, present=True).values(c_person) \
        .annotate(n=Count("person", distinct=True))
    with_insulator = Insulator.objects.filter(person__in=people).values(c_person) \
        .annotate(n=Count("person", distinct=True))
    sections.append(Section(N_("Outcomes and insulators (Level 2 people)"), [
        Measure(N_("With an outcome recorded"), {r[c_person]: r["n"] for r in with_outcome}, l2_people),
        Measure(N_("With an insulator recorded"), {r[c_person]: r["n"] for r in with_insulator}, l2_people),
    ], N_("Share of people walked alongside at Level 2.")))

    # A person's activities and a group's, counted apart: two inner joins scan faster than one
    # query joining both ways.
    with_person = Activity.objects.filter(person__ward__in=wards)
    with_group = Activity.objects.filter(group__ward__in=wards, person__isnull=True)
    if since:
        with_person = with_person.filter(done_on__gte=since)
        with_group = with_group.filter(done_on__gte=since)
    rows = [*with_person.values(c=F("person__ward__council__name"), code=F("activity__code"))
            .annotate(n=Count("pk")),
            *with_group.values(c=F("group__ward__council__name"), code=F("activity__code"))
            .annotate(n=Count("pk"))]
    rows = [{"c": r["c"], "activity__code": r["code"], "n": r["n"]} for r in rows]
    sections.append(Section(N_("Activity mix"), _split(rows, "c", "activity__code",
                                                   _labels("activity", top_only=True))))

    rows = {"person": count_rows("person", wards, since, groups=("council",))}
    completeness = {s.group[0]: s for s in quality(wards, ("council",), rows=rows)["person"]}
    return councils, sections, {"caseload": caseload, "completeness": completeness}


def cached_compare(wards: QuerySet[Ward], period: str, since: date | None) -> tuple[tuple, datetime]:
    """`compare` and when it was counted, shared by the sites-compared page and the API.

    Network-wide counts scan millions of rows (about 10 s on 20 councils); they are not needed
    to the second, so each set of sites is counted at most every ten minutes.
    """
    # The labels are in the page's language, so each language is counted and kept apart.
    return cached("compare", [period, get_language(), *wards.values_list("pk", flat=True)],
                  lambda: (compare(wards, since), timezone.now()))
