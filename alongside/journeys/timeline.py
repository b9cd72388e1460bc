"""A person's journey as one dated list, showing its cycles.

A journey is cyclical (the strengths-based model): calm periods end with a new
trigger or a new introduction. A gap of CALM_DAYS with nothing recorded,
followed by a trigger or introduction, starts a new cycle.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext as _

from alongside.codes.language import page_language
from alongside.codes.lookup import attach_codes
from alongside.economics import prices
from alongside.evidence.distance.scoring import measures
from alongside.evidence.economics.money import plain

from .models import Connection, Introduction, SharedAgreement

CALM_DAYS = 90

# Everything a journey is made of, one query each (a list's name, and what to fetch with its
# records). The person page reuses the same lists (current engagement, latest conversation and
# plan, measurements) instead of asking again. Codes come from the code catalogue afterwards,
# not from a join in each query.
JOURNEY = {
    "introductions": Introduction.objects.prefetch_related("reasons"),
    "engagements": None,
    "triggers": None,
    "conversations": None,
    "agreements": SharedAgreement.objects.prefetch_related("actions", "reviews"),
    "activities": None,
    "connections": Connection.objects.select_related("group", "asset"),
    "outcomes": None,
    "measurements": None,
    "insulators": None,
    "service_use_changes": None,
    "ripples": None,
    "exits": None,
}


def load_journey(person):
    """Fetch the person's whole journey once (prefetched lists already there are kept)."""
    prefetch_related_objects([person], *(Prefetch(name, qs) for name, qs in JOURNEY.items()))
    for name in JOURNEY:
        attach_codes(getattr(person, name).all())  # a list with no coded field is left as it is
    return person


@dataclass
class Event:
    on: date
    kind: str
    title: str
    detail: str = ""
    level: str | None = None
    new_cycle: bool = False
    cycle: int = 1
    code: str = ""  # the code recorded (trigger, activity A1–A7, outcome, insulator)
    label: str = ""  # its label
    present: bool = True  # False for an outcome recorded as "not yet"
    seq: int = 0  # the record's id: the order of saving within a kind
    at: datetime | None = None  # when it was saved


DAY_ORDER = {"introduction": 0, "waiting": 2, "exit": 3}
LAST = datetime.max.replace(tzinfo=UTC)


def _events(person) -> list[Event]:
    load_journey(person)
    ev: list[Event] = []

    def add(record, event: Event) -> None:
        event.at, event.seq = getattr(record, "recorded_at", None), record.pk
        ev.append(event)

    for i in person.introductions.all():
        reasons = ", ".join(r.code.split(".")[0] + " " + r.local_label for r in i.reasons.all())
        add(i, Event(i.introduced_on, "introduction",
                        _("Introduced by %(route)s") % {"route": i.route.local_label},
                        f"{i.level_requested.local_label}. {reasons}".strip()))
    for e in person.engagements.all():
        if e.waiting_since:
            ev.append(Event(e.waiting_since, "waiting", _("Safe waiting: dormant, not closed"),
                            at=e.waiting_recorded_at, seq=e.pk))
    for t in person.triggers.all():
        add(t, Event(t.occurred_on, "trigger", _("Trigger: %s") % t.trigger.local_label, t.note,
                        t.trigger.attrs.get("level"), code=t.trigger.code, label=t.trigger.local_label))
    for c in person.conversations.all():
        add(c, Event(c.held_on, "conversation", _("Good-life conversation"), c.vision))
    for a in person.agreements.all():
        add(a, Event(a.agreed_on, "agreement", _("Shared agreement made")))
        for r in a.reviews.all():
            add(r, Event(r.reviewed_on, "review", _("Review"), r.what_changed))
    for a in person.activities.all():
        label = a.kind.local_label if a.kind else a.activity.local_label
        minutes = _(" (%d min)") % a.minutes if a.minutes else ""
        add(a, Event(a.done_on, "activity", f"{a.activity.code} {label}{minutes}", a.note,
                        a.level.code, code=a.activity.code, label=label))
    for c in person.connections.all():
        to = (c.group.name if c.group else c.asset.name if c.asset else
              c.service.local_label if c.service else c.other_person)
        add(c, Event(c.made_on, "connection", _("Connected to %s") % to, level="community"))
    for o in person.outcomes.all():
        prefix = "" if o.present else _("Not yet: ")
        add(o, Event(o.observed_on, "outcome", f"{prefix}{o.outcome.code} {o.outcome.local_label}",
                        o.evidence, code=o.outcome.code, label=o.outcome.local_label, present=o.present))
    catalogue = measures(page_language())
    for m in person.measurements.all():
        measure = catalogue.get(m.measure)
        if measure is None:
            continue
        if m.status != "answered":
            add(m, Event(m.taken_on, "measure", _("%(measure)s: %(status)s") % {
                "measure": measure.name, "status": m.get_status_display()}))
            continue
        scores = measure.scores(m.answers)
        detail = ", ".join(f"{i.label} {scores[i.key]}" for i in measure.reported if i.key in scores)
        add(m, Event(m.taken_on, "measure", measure.name, detail))
    for i in person.insulators.all():
        add(i, Event(i.observed_on, "insulator", _("Insulator: %s") % i.insulator.local_label,
                        i.evidence, i.insulator.attrs.get("level"), code=i.insulator.code,
                        label=i.insulator.local_label))
    for s in person.service_use_changes.all():
        uc = prices.table().get(s.service)
        add(s, Event(s.observed_on, "service_use",
                        _("Use of %(service)s: %(change)s") % {
                            "service": prices.item_name(uc) if uc else s.service,
                            "change": s.get_change_display().lower()},
                        f"{plain(s.quantity)} {prices.units_name(uc) if uc else ''}. {s.evidence}".strip(),
                        "system"))
    for r in person.ripples.all():
        add(r, Event(r.observed_on, "ripple", _("Ripple: %s") % r.ripple.local_label, r.evidence,
                        "community"))
    for x in person.exits.all():
        why = f" {x.response.local_label}." if x.response else ""
        add(x, Event(x.exited_on, "exit", _("Exit: %s") % x.outcome.local_label,
                        f"{x.point.local_label}.{why} {x.note}".strip()))
    return ev


def mark_cycles(events: list[Event]) -> list[Event]:
    """Sort by date and number the cycles; `events` must hold the whole journey."""
    # Records carry a day, not a time: one day's records in the order they were saved
    # (`at`), an introduction first. Records saved before times were kept all have the time of
    # that upgrade: among them safe waiting and an exit end the day, the rest by id.
    events.sort(key=lambda e: (e.on, e.kind != "introduction", e.at or LAST, DAY_ORDER.get(e.kind, 1),
                               e.seq))
    cycle, last = 1, None
    for e in events:
        if last is not None and e.kind in ("trigger", "introduction") and (e.on - last).days >= CALM_DAYS:
            cycle += 1
            e.new_cycle = True
        e.cycle = cycle
        last = e.on
    return events


def timeline(person, level: str | None = None) -> list[Event]:
    events = mark_cycles(_events(person))
    if level:
        events = [e for e in events if e.level == level]
    return events


LEVELS = ("individual", "community", "system")


def level_labels() -> dict[str, str]:
    """The three levels of the model, named in the user's language."""
    return {"individual": _("Individual"), "community": _("Community"), "system": _("System")}


@dataclass
class Cycle:
    """One turn of the strengths-based model: triggers, the activities that answered them and
    the insulators built, each at the three levels, and the outcomes seen."""

    number: int
    start: date
    end: date
    triggers: dict[str, list[str]]
    activities: dict[str, dict[str, int]]  # level → activity code → times
    insulators: dict[str, list[str]]
    outcomes: list[str]


def cycles(events: list[Event]) -> list[Cycle]:
    """The cycles of a whole journey (events from `timeline(person)`, unfiltered)."""
    out: dict[int, Cycle] = {}
    for e in events:
        c = out.get(e.cycle)
        if c is None:
            c = out[e.cycle] = Cycle(e.cycle, e.on, e.on, {lv: [] for lv in LEVELS},
                                     {lv: {} for lv in LEVELS}, {lv: [] for lv in LEVELS}, [])
        c.end = e.on
        level = e.level if e.level in LEVELS else "individual"
        if e.kind == "trigger":
            c.triggers[level].append(e.label)
        elif e.kind == "activity":
            c.activities[level][e.code] = c.activities[level].get(e.code, 0) + 1
        elif e.kind == "insulator":
            if e.label not in c.insulators[level]:
                c.insulators[level].append(e.label)
        elif e.kind == "outcome" and e.present:
            if e.code not in c.outcomes:
                c.outcomes.append(e.code)
    return [out[k] for k in sorted(out)]
