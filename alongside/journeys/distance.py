"""Distance travelled from the recorded measurements: each person's baseline and latest
answers, paired change per ward or site, and who was never asked (so selection shows)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet

from alongside.codes.language import page_language
from alongside.evidence.distance.change import Change, paired_change
from alongside.evidence.distance.scoring import Measure, measures
from alongside.places.models import Ward

from .models import Engagement, Measurement


@dataclass
class PersonChange:
    measure: Measure
    baseline: tuple[date, dict] | None = None
    latest: tuple[date, dict] | None = None
    declined: int = 0
    not_now: int = 0

    @property
    def rows(self) -> list[tuple[str, int | None, int | None]]:
        """(label, baseline score, latest score) for each reported score."""
        b = self.baseline[1] if self.baseline else {}
        latest = self.latest[1] if self.latest else {}
        return [(i.label, b.get(i.key), latest.get(i.key)) for i in self.measure.reported]


def person_changes(person) -> list[PersonChange]:
    out = {key: PersonChange(m) for key, m in measures(page_language()).items()}
    for m in person.measurements.all():
        pc = out.get(m.measure)
        if pc is None:
            continue
        if m.status == Measurement.Status.DECLINED:
            pc.declined += 1
        elif m.status == Measurement.Status.NOT_NOW:
            pc.not_now += 1
        else:
            scores = pc.measure.scores(m.answers)
            if not scores:
                continue
            if pc.baseline is None:
                pc.baseline = (m.taken_on, scores)
            elif m.taken_on > pc.baseline[0]:
                pc.latest = (m.taken_on, scores)
    return list(out.values())


@dataclass
class GroupChange:
    group: str
    measure: Measure
    changes: dict[str, Change] = field(default_factory=dict)
    level2: int = 0
    answered: int = 0
    declined_only: int = 0
    never_asked: int = 0


def group_changes(wards: QuerySet[Ward], by: str = "council") -> list[GroupChange]:
    """For each council (or ward) and measure: paired change of every reported score, and how many
    Level 2 people answered, only declined or were never asked."""
    path = {"council": "person__ward__council__name", "ward": "person__ward__name"}[by]
    rows = (Measurement.objects.filter(person__ward__in=wards)
            .values_list(path, "person_id", "measure", "status", "taken_on", "answers")
            .order_by("person_id", "taken_on", "id"))
    first: dict[tuple, tuple] = {}
    last: dict[tuple, tuple] = {}
    statuses: dict[tuple, set] = defaultdict(set)
    catalogue = measures(page_language())
    for group, person, key, status, on, answers in rows:
        if key not in catalogue:
            continue
        statuses[(group, key, person)].add(status)
        if status != Measurement.Status.ANSWERED:
            continue
        scores = catalogue[key].scores(answers)
        if not scores:
            continue
        k = (group, key, person)
        if k not in first:
            first[k] = (on, scores)
        elif on > first[k][0]:
            last[k] = (on, scores)
    level2 = defaultdict(set)
    for group, person in (Engagement.objects.filter(person__ward__in=wards, level__code="L2")
                          .values_list(path, "person_id").distinct()):
        level2[group].add(person)
    # Indexed by (group, measure) once, rather than scanning every person for every group.
    asked: dict[tuple, dict] = defaultdict(dict)
    for (g, key, person), seen in statuses.items():
        asked[(g, key)][person] = seen
    followed: dict[tuple, list] = defaultdict(list)
    for (g, key, person), after in last.items():
        followed[(g, key)].append((first[(g, key, person)][1], after[1]))
    groups = sorted(set(level2) | {g for g, _, _ in statuses})
    out = []
    for g in groups:
        for key, m in catalogue.items():
            gc = GroupChange(g, m, level2=len(level2.get(g, ())))
            people = asked.get((g, key), {})
            gc.answered = sum(1 for seen in people.values() if Measurement.Status.ANSWERED in seen)
            gc.declined_only = len(people) - gc.answered
            gc.never_asked = len(level2.get(g, set()) - set(people))
            for item in m.reported:
                pairs = [(before[item.key], after[item.key]) for before, after in followed[(g, key)]]
                gc.changes[item.key] = paired_change(pairs, item.better)
            out.append(gc)
    return out
