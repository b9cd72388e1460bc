"""The records behind a data-quality "missing" count: which ones to open and complete.

The list is drawn with the very filter the count is (`quality._sources`), so the number a
manager sees on the data-quality page and the length of the list agree to the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from alongside.accounts.models import User
from alongside.places.models import Ward
from alongside.scoping import people, scoped

from .quality import _sources

LIMIT = 200  # a page a manager can work down; the total is always said

# Each record: what links it to a person or a place on the map, and the date that places it.
LINKS = {
    "person": ("self", "first_intro"),
    "introduction": ("person", "introduced_on"),
    "engagement": ("person", "started_on"),
    "activity": ("person", "done_on"),
    "exit": ("person", "exited_on"),
    "outcome": ("person", "observed_on"),
    "insulator": ("person", "observed_on"),
    "community_group": ("group", "started_on"),
    "community_asset": ("asset", "noted_on"),
}


@dataclass
class ToFix:
    kind: str  # "person", "group" or "asset": what the link opens
    key: str | int  # a person's reference, or a group's or asset's id
    name: str
    ward: str
    on: date | None


def fixable(record: str, field: str) -> bool:
    return record in LINKS and field in _sources(Ward.objects.none(), None)[record][2]


def records_to_fix(user: User, wards: QuerySet[Ward], record: str, field: str,
                   since: date | None = None, limit: int = LIMIT) -> tuple[int, list[ToFix]]:
    """How many `record`s in `wards` (since `since`) have nothing in `field`, and the first
    `limit` of them, most recent first, each only if the user may see its person."""
    source, _groups, states = _sources(wards, since)[record]
    missing = states[field][0]
    parts = [q for q, _by in source] if isinstance(source, list) else [source]
    found = [q.filter(missing) for q in parts]
    total = sum(q.count() for q in found)
    link, dated = LINKS[record]
    rows: list[ToFix] = []
    for q in found:
        if link == "self":
            q = scoped(user, q).select_related("ward")
        elif link == "person":
            # Through the scoping layer as well as the wards: a record of someone the user
            # may not see is left out of the list, never shown (group work has no person).
            if record == "activity":
                q = (q.filter(person__in=people(user)) | q.filter(person__isnull=True)
                     ).select_related("person__ward", "group__ward")
            else:
                q = q.filter(person__in=people(user)).select_related("person__ward")
        else:
            q = scoped(user, q).select_related("ward")
        for r in q.order_by(f"-{dated}", "-pk")[:limit]:
            rows.append(_row(link, r, dated))
    rows.sort(key=lambda t: t.on or date.min, reverse=True)  # undated last
    return total, rows[:limit]


def _row(link: str, r, dated: str) -> ToFix:
    on = getattr(r, dated, None)
    if link == "self":
        return ToFix("person", r.reference, str(r), r.ward.name, on)
    if link == "person":
        if r.person_id is None:  # community work with a group
            return ToFix("group", r.group_id, r.group.name, r.group.ward.name, on)
        return ToFix("person", r.person.reference, str(r.person), r.person.ward.name, on)
    return ToFix(link, r.pk, r.name, r.ward.name, on)
