"""Each person walked alongside at Level 2, as a case: the codes their records hold.

The study coded 90 stories by hand against its logic model (problems PA1–4, activities A1–7,
outcomes STO1–5 and MTO1–6) to draw Figures 5–12, and built its QCA case table the same way.
Here the same sets come straight from the records, for any period and any wards, including the
people who stopped early (the study's QCA counted them too). One grouped query per kind of
record: a few queries whatever the number of people.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from alongside.codes.models import Code
from alongside.places.models import Ward

from .funnel import EARLY
from .models import Activity, Context, Engagement, Exit, Insulator, Introduction, Outcome, Trigger

EMPTY: frozenset[str] = frozenset()


@dataclass(slots=True)
class Case:
    """One person's codes. A network holds some 200,000 of these at once, so the code sets are
    frozen and shared between cases that have the same ones (there are few combinations), and
    the class has slots: the whole network's cases take tens of megabytes, not hundreds."""

    person: int
    council: str
    ward: str
    problems: frozenset[str] = EMPTY  # PA1–PA4
    reasons: frozenset[str] = EMPTY  # the finer reasons, e.g. PA3.mental_health
    activities: frozenset[str] = EMPTY  # A1–A7
    activity_levels: frozenset[str] = EMPTY  # individual, community, system
    outcomes: frozenset[str] = EMPTY  # STO, MTO, IC (and its dimensions)
    insulators: frozenset[str] = EMPTY
    contexts: frozenset[str] = EMPTY
    triggers: frozenset[str] = EMPTY
    relationship: str | None = None
    stopped_early: bool = False  # left at first contact or after the first meeting

    def codes(self, kind: str) -> frozenset[str]:
        return getattr(self, kind)


def cases(wards: QuerySet[Ward], since: date | None = None, until: date | None = None) -> list[Case]:
    """People whose Level 2 support started in the period, in these wards."""
    l2 = Engagement.objects.filter(person__ward__in=wards, level__code="L2")
    if since:
        l2 = l2.filter(started_on__gte=since)
    if until:
        l2 = l2.filter(started_on__lte=until)
    shared: dict = {}

    def one(value):
        """The one copy of an equal string or code set."""
        return shared.setdefault(value, value)

    found: dict[int, Case] = {}
    for pid, council, ward, relationship in (
            l2.values_list("person_id", "person__ward__council__name", "person__ward__name",
                           "person__relationship_type__code").distinct()):
        found.setdefault(pid, Case(pid, one(council), one(ward), relationship=relationship))
    people = l2.values("person_id")

    code_of = dict(Code.objects.values_list("pk", "code"))

    def per_person(rows):
        """(person, set of values) from rows streamed in person order: one set in memory at
        a time, never a set for every person at once."""
        current, values = None, set()
        for pid, value in rows:
            if pid != current:
                if values and current in found:
                    yield current, values
                current, values = pid, set()
            if value:
                values.add(value)
        if values and current in found:
            yield current, values

    def add(qs, kinds: dict[str, str]) -> None:
        """kinds: the Case field each column fills. Several columns of one table are read in
        one pass (activities: their heading and their level)."""
        # Code ids, decoded here: joining the code table for every one of millions of rows
        # doubled the time.
        rows = (qs.filter(person__in=people).values_list("person_id", *kinds.values())
                .distinct().order_by("person_id"))
        for pid, values in per_person((r[0], r[1:]) for r in rows.iterator(chunk_size=20_000)):
            for i, kind in enumerate(kinds):
                got = frozenset(code_of[v[i]] for v in values if v[i])
                if got:
                    setattr(found[pid], kind, one(got))

    parent_of = dict(Code.objects.filter(list="problem").values_list("pk", "parent_id"))
    reasons = (Introduction.reasons.through.objects.filter(introduction__person__in=people)
               .values_list("introduction__person_id", "reason_id").distinct()
               .order_by("introduction__person_id"))
    for pid, given in per_person(reasons.iterator(chunk_size=20_000)):
        tops = {parent_of.get(r) or r for r in given}
        found[pid].problems = one(frozenset(code_of[t] for t in tops))
        finer = frozenset(code_of[r] for r in given if parent_of.get(r))
        if finer:
            found[pid].reasons = one(finer)
    add(Activity.objects.all(), {"activities": "activity_id", "activity_levels": "level_id"})
    add(Outcome.objects.filter(present=True), {"outcomes": "outcome_id"})
    add(Insulator.objects.all(), {"insulators": "insulator_id"})
    add(Context.objects.all(), {"contexts": "context_id"})
    add(Trigger.objects.all(), {"triggers": "trigger_id"})
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
