"""The non-engagement funnel: introductions → first contact → first meeting → walking
alongside, by who made the introduction, with where and why people stopped.

The multi-site study found 65% of non-engagement came from statutory introductions; this
counts the same from the records, for any period and wards. A stage is reached unless the
engagement that came of the introduction ended before it: "unable to engage at all" before
first contact, any other ending during initial contact before a first meeting, an ending
after the first meeting before walking alongside.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, QuerySet

from alongside.codes.models import Code
from alongside.places.models import Ward

from .models import Exit, Introduction

GROUPS = ("community", "voluntary", "housing", "statutory", "other")
STAGES = ("introduced", "first_contact", "first_meeting", "walking_alongside")
EARLY = ("initial_contact", "after_first_meeting")  # the exit points that count as non-engagement


def route_groups() -> dict[str, str]:
    """Each introduction route's group (statutory, voluntary, …), from the code list."""
    return {c.code: c.attrs.get("group", "other") for c in Code.objects.filter(list="introduction_route")}


@dataclass
class Funnel:
    introduced: int = 0
    never_engaged: int = 0  # at initial contact, unable to engage at all
    at_contact: int = 0  # any ending during initial contact (never_engaged included)
    after_meeting: int = 0
    reasons: dict[str, dict[str, int]] = field(
        default_factory=lambda: {p: defaultdict(int) for p in EARLY})  # point → response → n

    @property
    def stages(self) -> dict[str, int]:
        return {"introduced": self.introduced,
                "first_contact": self.introduced - self.never_engaged,
                "first_meeting": self.introduced - self.at_contact,
                "walking_alongside": self.introduced - self.at_contact - self.after_meeting}

    @property
    def stopped_early(self) -> int:
        return self.at_contact + self.after_meeting


def funnel(wards: QuerySet[Ward], since: date | None = None,
           until: date | None = None) -> dict[str, Funnel]:
    """One funnel per introduction route group, and "all"."""
    intros = Introduction.objects.filter(ward__in=wards)
    if since:
        intros = intros.filter(introduced_on__gte=since)
    if until:
        intros = intros.filter(introduced_on__lte=until)
    group_of = route_groups()
    out = {g: Funnel() for g in ("all", *GROUPS)}
    for r in intros.values("route__code").annotate(n=Count("pk")):
        for g in ("all", group_of.get(r["route__code"], "other")):
            out[g].introduced += r["n"]
    exits = (Exit.objects.filter(engagement__introduction__in=intros, point__code__in=EARLY)
             .values("engagement__introduction__route__code", "point__code", "response__code")
             .annotate(n=Count("pk")))
    for r in exits:
        point, response, n = r["point__code"], r["response__code"] or "not_recorded", r["n"]
        for g in ("all", group_of.get(r["engagement__introduction__route__code"], "other")):
            f = out[g]
            f.reasons[point][response] += n
            if point == "initial_contact":
                f.at_contact += n
                if response == "never_engaged":
                    f.never_engaged += n
            else:
                f.after_meeting += n
    return out
