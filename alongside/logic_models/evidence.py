"""How much the records support each link of a logic model: of the people who had the
source (a problem at introduction, an activity, an earlier outcome), how many later had the
target. Counts only, from the same codes the Coordinators record in.

Two grouped queries per link — each person's first date with the source and last date with
the target — and a comparison in Python: one scan each, quick at network scale, where a
correlated subquery per person was not.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import F, Max, Min, Q, QuerySet

from alongside.codes.models import Code
from alongside.journeys.models import Activity, Insulator, Introduction, Outcome
from alongside.places.models import Ward

from .models import Link


@dataclass(frozen=True)
class LinkEvidence:
    supported: int | None  # people with the source who later had the target; None: not countable
    of: int | None  # people with the source
    basis: str  # what was counted, in words

    @property
    def countable(self) -> bool:
        return self.supported is not None


NOT_COUNTABLE = LinkEvidence(None, None, "not measured from the records (no code on both ends)")


def _ids(code: Code) -> list[int]:
    """The code and every finer code under it (PA3 covers PA3.mental_health)."""
    return [code.pk, *Code.objects.filter(parent=code).values_list("pk", flat=True)]


def _records(code: Code, wards: QuerySet[Ward]):
    """(queryset of this code's records in the wards, its date field)."""
    ids = _ids(code)
    if code.list == "activity":
        qs = Activity.objects.filter(Q(activity_id__in=ids) | Q(kind_id__in=ids))
        field = "done_on"
    elif code.list == "outcome":
        qs, field = Outcome.objects.filter(outcome_id__in=ids, present=True), "observed_on"
    elif code.list == "insulator":
        qs, field = Insulator.objects.filter(insulator_id__in=ids), "observed_on"
    elif code.list == "problem":
        qs, field = Introduction.objects.filter(reasons__in=ids), "introduced_on"
    else:
        raise ValueError(code.list)
    return qs.filter(person__ward__in=wards), field


def evidence_by_council(a: Code, b: Code, wards: QuerySet[Ward]) -> dict[int, LinkEvidence]:
    """For each council: people with `a`, and of them those with `b` on or after their first `a`."""
    src, src_date = _records(a, wards)
    dst, dst_date = _records(b, wards)
    first: dict[int, tuple[int, date]] = {
        r["person"]: (r["council"], r["first"]) for r in
        src.values("person", council=F("person__ward__council_id")).annotate(first=Min(src_date))}
    last = dict(dst.filter(person__in=list(first) if len(first) < 5000 else src.values("person"))
                .values("person").annotate(last=Max(dst_date)).values_list("person", "last"))
    of: dict[int, int] = defaultdict(int)
    supported: dict[int, int] = defaultdict(int)
    for person, (council, on) in first.items():
        of[council] += 1
        if person in last and last[person] >= on:
            supported[council] += 1
    basis = f"people with {a.code} who later had {b.code}"
    return {c: LinkEvidence(supported[c], of[c], basis) for c in of}


def link_evidence(link: Link, wards: QuerySet[Ward]) -> LinkEvidence:
    a, b = link.source.code, link.target.code
    if a is None or b is None or b.list == "problem":
        return NOT_COUNTABLE
    per = evidence_by_council(a, b, wards).values()
    return LinkEvidence(sum(e.supported for e in per), sum(e.of for e in per),
                        f"people with {a.code} who later had {b.code}")
