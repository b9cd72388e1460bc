"""Each person walked alongside at Level 2, as a case: the codes their records hold.

The study coded 90 stories by hand against its logic model (problems PA1–4, activities A1–7,
outcomes STO1–5 and MTO1–6) to draw Figures 5–12, and built its QCA case table the same way.
Here the same sets come straight from the records, for any period and any wards, including the
people who stopped early (the study's QCA counted them too). One grouped query per kind of
record: a few queries whatever the number of people.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet

from alongside.codes.models import Code
from alongside.places.models import Ward

from .funnel import EARLY
from .models import Activity, Context, Engagement, Exit, Insulator, Introduction, Outcome, Trigger


@dataclass
class Case:
    person: int
    council: str
    ward: str
    problems: set[str] = field(default_factory=set)  # PA1–PA4
    reasons: set[str] = field(default_factory=set)  # the finer reasons, e.g. PA3.mental_health
    activities: set[str] = field(default_factory=set)  # A1–A7
    activity_levels: set[str] = field(default_factory=set)  # individual, community, system
    outcomes: set[str] = field(default_factory=set)  # STO, MTO, IC (and its dimensions)
    insulators: set[str] = field(default_factory=set)
    contexts: set[str] = field(default_factory=set)
    triggers: set[str] = field(default_factory=set)
    relationship: str | None = None
    stopped_early: bool = False  # left at first contact or after the first meeting

    def codes(self, kind: str) -> set[str]:
        return getattr(self, kind)


def cases(wards: QuerySet[Ward], since: date | None = None, until: date | None = None) -> list[Case]:
    """People whose Level 2 support started in the period, in these wards."""
    l2 = Engagement.objects.filter(person__ward__in=wards, level__code="L2")
    if since:
        l2 = l2.filter(started_on__gte=since)
    if until:
        l2 = l2.filter(started_on__lte=until)
    found: dict[int, Case] = {}
    for pid, council, ward, relationship in (
            l2.values_list("person_id", "person__ward__council__name", "person__ward__name",
                           "person__relationship_type__code").distinct()):
        found.setdefault(pid, Case(pid, council, ward, relationship=relationship))
    people = l2.values("person_id")

    code_of = dict(Code.objects.values_list("pk", "code"))

    def add(qs, kind: str, column: str) -> None:
        # Code ids, decoded here: joining the code table for every one of millions of rows
        # doubled the time. Streamed, so the rows are never all in memory at once.
        rows = qs.filter(person__in=people).values_list("person_id", column).distinct()
        for pid, value in rows.iterator(chunk_size=20_000):
            if pid in found and value:
                found[pid].codes(kind).add(code_of[value])

    parent_of = dict(Code.objects.filter(list="problem").values_list("pk", "parent_id"))
    reasons = Introduction.reasons.through.objects.filter(introduction__person__in=people)
    for pid, reason in (reasons.values_list("introduction__person_id", "reason_id").distinct()
                        .iterator(chunk_size=20_000)):
        if pid in found:
            top = parent_of.get(reason) or reason
            found[pid].problems.add(code_of[top])
            if top != reason:
                found[pid].reasons.add(code_of[reason])
    add(Activity.objects.all(), "activities", "activity_id")
    add(Activity.objects.all(), "activity_levels", "level_id")
    add(Outcome.objects.filter(present=True), "outcomes", "outcome_id")
    add(Insulator.objects.all(), "insulators", "insulator_id")
    add(Context.objects.all(), "contexts", "context_id")
    add(Trigger.objects.all(), "triggers", "trigger_id")
    for pid in (Exit.objects.filter(person__in=people, point__code__in=EARLY)
                .values_list("person_id", flat=True)):
        if pid in found:
            found[pid].stopped_early = True
    return sorted(found.values(), key=lambda c: c.person)


def by_council(found: list[Case]) -> dict[str, list[Case]]:
    out: dict[str, list[Case]] = defaultdict(list)
    for c in found:
        out[c.council].append(c)
    return dict(sorted(out.items()))
