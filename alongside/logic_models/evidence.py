"""How much the records support each link of a logic model: of the people who had the
source (a problem at introduction, an activity, an earlier outcome), how many later had the
target. Counts only, from the same codes the Coordinators record in."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from alongside.codes.models import Code
from alongside.journeys.models import Activity, Insulator, Introduction, Outcome
from alongside.people.models import Person
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


def _matching(code: Code, model, field: str, kind_field: str | None = None) -> Q:
    """Records carrying the code itself, or a finer code under it (PA3 matches PA3.mental_health)."""
    q = Q(**{field: code}) | Q(**{f"{field}__parent": code})
    if kind_field:
        q |= Q(**{kind_field: code})
    return q


def _dated(code: Code):
    """(model, date field, filter) for records of this code, for 'had it, and when first'."""
    if code.list == "activity":
        return Activity, "done_on", _matching(code, Activity, "activity", "kind")
    if code.list == "outcome":
        return Outcome, "observed_on", Q(outcome=code, present=True)
    if code.list == "insulator":
        return Insulator, "observed_on", Q(insulator=code)
    if code.list == "problem":
        return Introduction, "introduced_on", Q(reasons=code) | Q(reasons__parent=code)
    raise ValueError(code.list)


def link_evidence(link: Link, wards: QuerySet[Ward]) -> LinkEvidence:
    a, b = link.source.code, link.target.code
    if a is None or b is None or b.list == "problem":
        return LinkEvidence(None, None, "not measured from the records (no code on both ends)")
    src_model, src_date, src_q = _dated(a)
    dst_model, dst_date, dst_q = _dated(b)
    first = (src_model.objects.filter(src_q, person=OuterRef("pk")).order_by(src_date)
             .values(src_date)[:1])
    people = (Person.objects.filter(ward__in=wards).annotate(first=Subquery(first))
              .filter(first__isnull=False))
    later = dst_model.objects.filter(dst_q, person=OuterRef("pk"), **{f"{dst_date}__gte": OuterRef("first")})
    of = people.count()
    supported = people.filter(Exists(later)).count()
    return LinkEvidence(supported, of, f"people with {a.code} who later had {b.code}")
