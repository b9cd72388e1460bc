"""A person's rights over what is held about them: to see it all (subject access) and to have
it erased, by request or by the council's retention rule.

Erasure removes identifiers and free text but keeps the coded, anonymous facts (age band,
ward, activities, outcomes, dates), so that the counts the evidence is built on do not change
when someone asks to be forgotten. The pseudonymous reference stays: with nothing left to tie
it to a name it identifies no one, and the audit trail still shows who looked at the record.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import models, transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from . import held_labels
from .models import Person

# Free text written about a person, model by model (app_label.Model: fields). Text may name
# them or others; all of it goes on erasure. A test fails when a model linked to a person gains
# a text field that is not listed here or in KEPT_TEXT.
FREE_TEXT = {
    "people.ConsentRecord": ["note"],
    "journeys.Activity": ["note"],
    "journeys.Connection": ["other_person"],
    "journeys.Trigger": ["note"],
    "journeys.Exit": ["note"],
    "journeys.Conversation": ["vision", "own_gifts", "friends_family_community", "services_funding"],
    "journeys.Strength": ["description"],
    "journeys.AgreementAction": ["description", "who"],
    "journeys.Review": ["what_changed"],
    "journeys.Outcome": ["evidence"],
    "journeys.Insulator": ["evidence"],
    "journeys.Ripple": ["evidence"],
    "journeys.ServiceUseChange": ["evidence"],
    "journeys.Story": ["title", "before", "what_happened", "what_changed", "without_lac", "quotes"],
    "journeys.ScenarioEvent": ["note"],
    # An individual's skill offered: its name and description may say who they are.
    "community.CommunityAsset": ["name", "offers", "where", "contact"],
}
# Text that describes services, not the person: kept.
KEPT_TEXT = {
    "journeys.Introduction": ["introducing_organisation"],
    "journeys.Measurement": ["measure"],
    "journeys.ServiceUseChange": ["service"],
    "journeys.ScenarioEvent": ["service"],
    "dataset.LegacyKey": ["system", "key"],
    # An old reference, as pseudonymous as the one it was merged into.
    "people.PersonAlias": ["reference"],
    "audit.AuditEvent": ["username", "role", "person_reference", "path", "previous_hash", "hash"],
}
ERASED = "[erased]"


def linked_records(person: Person) -> list[tuple[str, QuerySet]]:
    """Every kind of record about the person, directly or through one of their records
    (an agreement's actions, a story's scenario), as (app_label.Model, queryset)."""
    found = []
    for rel in Person._meta.related_objects:
        model = rel.related_model
        if model._meta.label == "audit.AuditEvent":
            continue
        qs = model._default_manager.filter(**{rel.field.name: person})
        found.append((model._meta.label, qs))
        for inner in model._meta.related_objects:
            if inner.related_model is Person or inner.related_model._meta.auto_created:
                continue
            # A report telling a story is a document, not a record about the person: erasure
            # and withdrawn consent write it again (reports/withdrawal.py), subject access lists it.
            if inner.related_model._meta.label == "reports.Report":
                continue
            # A record that names a person of its own is found above, when it is this
            # person's; reached through another (say an asset this person offers), it is
            # someone else's (their connection to it) or this person's again.
            if any(f.is_relation and f.related_model is Person
                   for f in inner.related_model._meta.concrete_fields):
                continue
            if isinstance(inner.field, models.ForeignKey):
                found.append((inner.related_model._meta.label,
                              inner.related_model._default_manager.filter(**{f"{inner.field.name}__in": qs})))
    return found


@transaction.atomic
def erase(person: Person, on: date | None = None) -> dict[str, int]:
    """Remove the person's identifiers and every piece of free text about them.

    Returns how many records of each kind were blanked. Keys to other council systems are
    deleted: they would re-identify the person from the outside.
    """
    on = on or date.today()
    blanked: dict[str, int] = {}
    for label, qs in linked_records(person):
        if label == "dataset.LegacyKey":
            blanked[label] = qs.delete()[0]
            continue
        fields = FREE_TEXT.get(label)
        if not fields:
            continue
        model = qs.model
        values = {f: ERASED if not model._meta.get_field(f).blank else "" for f in fields}
        n = qs.update(**values)
        if n:
            blanked[label] = n
    Person.objects.filter(pk=person.pk).update(
        given_name="", family_name="", birth_month=None, postcode="", phone="", erased_on=on,
        version=models.F("version") + 1)
    person.refresh_from_db()
    from alongside.reports.withdrawal import write_again_without

    if n := write_again_without(person):
        blanked["reports.Report"] = n
    # A record merged into this one still holds the name it was recorded under (kept for an
    # undo): it goes too, and the merge can no longer be undone.
    from .models import PersonMerge

    for merged in PersonMerge.objects.filter(kept=person, undone_at__isnull=True,
                                             duplicate__erased_on__isnull=True).select_related("duplicate"):
        erase(merged.duplicate, on)
        blanked["people.Person"] = blanked.get("people.Person", 0) + 1
    return blanked


def due_for_erasure(years: int, today: date | None = None) -> QuerySet[Person]:
    """People whose support ended at least `years` years ago, and who have not been introduced
    again since: the retention rule "close + N years"."""
    today = today or date.today()
    try:
        cutoff = today.replace(year=today.year - years)
    except ValueError:    # 29 February
        cutoff = today.replace(year=today.year - years, day=28)
    return (Person.objects.filter(erased_on__isnull=True)
            .annotate(open=Count("engagements", filter=Q(engagements__ended_on__isnull=True)),
                      last_end=Max("engagements__ended_on"),
                      last_introduced=Max("introductions__introduced_on"))
            .filter(open=0)
            .filter(Q(last_end__lte=cutoff) | Q(last_end__isnull=True, last_introduced__lte=cutoff))
            .exclude(last_introduced__gt=cutoff))


def _shown(obj: models.Model, f: models.Field) -> Any:
    value = getattr(obj, f.name)
    if value is None:
        return None
    if f.is_relation:
        if hasattr(value, "local_label"):           # a code, in the reader's language
            return value.local_label
        if hasattr(value, "get_full_name"):         # a member of staff
            return value.get_full_name() or value.get_username()
        if getattr(value, "reference", None):
            return value.reference
        if type(value).__str__ is models.Model.__str__:  # a record with no name of its own
            return f"{_record_name(type(value))} {value.pk}"
        return str(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, date):
        return value.isoformat()
    if f.choices:
        return getattr(obj, f"get_{f.name}_display")()
    return value


def _field_name(f: models.Field) -> str:
    return str(held_labels.FIELDS.get(f.name) or capfirst(f.verbose_name))


def _record_name(model: type[models.Model]) -> str:
    return str(held_labels.RECORDS.get(model._meta.label) or capfirst(model._meta.verbose_name_plural))


def _row(obj: models.Model, skip: set[str]) -> dict[str, Any]:
    return {_field_name(f): _shown(obj, f) for f in obj._meta.concrete_fields
            if f.name not in skip and f.name != "id"}


def subject_access(person: Person) -> dict[str, Any]:
    """Everything held about one person, in plain words, for a subject access request."""
    from alongside.audit.models import AuditEvent

    sections = []
    for label, qs in linked_records(person):
        model = qs.model
        skip = {f.name for f in model._meta.concrete_fields if f.is_relation
                and f.related_model in (Person,)}
        rows = []
        for obj in qs.order_by("pk"):
            row = _row(obj, skip)
            for m2m in model._meta.many_to_many:
                row[_field_name(m2m)] = [getattr(c, "local_label", str(c))
                                         for c in getattr(obj, m2m.name).all()]
            rows.append(row)
        if rows:
            sections.append({"record": _record_name(model), "model": label, "rows": rows})
    from alongside.accounts.models import Role

    roles = dict(Role.choices)
    seen_by = [{"when": e.at.isoformat(timespec="seconds"), "who": e.username,
                "role": str(roles.get(e.role, e.role)), "what": e.get_action_display()}
               for e in AuditEvent.objects.filter(person_reference=person.reference).order_by("id")]
    about = _row(person, {"version"})
    from alongside.reports.models import Report

    # Stored documents that tell something about them: the reports telling their story.
    documents = [{"what": str(r.get_kind_display()), "period": r.period, "language": r.language,
                  "written": r.finished_at.isoformat(timespec="seconds") if r.finished_at else ""}
                 for r in Report.objects.filter(story__person=person).order_by("pk")]
    return {"reference": person.reference, "ward": person.ward.name, "council": person.ward.council.name,
            "about": about, "records": sections, "documents": documents, "seen_by": seen_by}


def apply_retention(years: int, today: date | None = None, dry_run: bool = False,
                    each: Callable[[Person], None] | None = None,
                    asked_by: tuple[str, str] = ("retention", "command")) -> dict[str, int]:
    """Erase everyone the retention rule has reached (or, on a dry run, only count them), each
    erasure with its audit entry in one transaction, so a stop part-way leaves whole erasures
    and the rest still due. Returns how many people per council."""
    from alongside.audit.models import AuditEvent

    due = list(due_for_erasure(years, today).select_related("ward__council").order_by("reference"))
    by_council: dict[str, int] = {}
    for p in due:
        if not dry_run:
            with transaction.atomic():
                erase(p, on=today)
                AuditEvent.objects.create(
                    username=asked_by[0], role=asked_by[1], action=AuditEvent.Action.ERASE, person=p,
                    person_reference=p.reference, path="command:retention",
                    detail={"reason": "retention", "years": years})
        by_council[p.ward.council.name] = by_council.get(p.ward.council.name, 0) + 1
        if each:
            each(p)
    return by_council
