"""Undoing a whole import: exactly the records it created go, for as long as nothing has been
recorded on top of them.

An import of people created, for each, the person, one introduction (with its reasons), one
engagement, at most one exit and one consent record, and the council's ID for them
(`LegacyKey`, which names the import). If any of those people has anything else now (an
activity, a conversation, a second introduction, a merge…), the import is part of the record
and is not undone: the officer is told how many people and what. Otherwise their records are
deleted; the person rows stay, blank and counted nowhere (`removed_at`), only because the audit
trail names them and its entries are sealed in its hash chain.

An import of a contact log created activities (each with its `LegacyContact`), one of a list
of community groups created groups (`LegacyGroup`); undoing it deletes them, a group only while
nothing (an activity, a connection, support given) points at it.
"""

from __future__ import annotations

from django.db import models, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import Role, User
from alongside.audit.models import AuditEvent
from alongside.community.models import CommunityGroup
from alongside.journeys.models import Activity, Engagement, Exit, Introduction
from alongside.operations.models import Job
from alongside.people.held_labels import RECORDS
from alongside.people.merging import links_to, person_links
from alongside.people.models import ConsentRecord, Person

from .models import LegacyContact, LegacyGroup, LegacyKey

# What an import makes for each person, and so may be there without anything on top of it.
MADE = {"journeys.Introduction": 1, "journeys.Engagement": 1, "journeys.Exit": 1,
        "people.ConsentRecord": 1, "dataset.LegacyKey": 1}


def undoable(job: Job) -> bool:
    return (job.kind == Job.Kind.IMPORT and job.status == Job.Status.DONE
            and bool(job.summary.get("written")) and not job.summary.get("undone"))


def refusal(job: Job, user: User) -> str | None:
    """Why `user` may not undo this import now; None when they may."""
    if user.role not in (Role.MANAGER, Role.ADMINISTRATOR):
        return _("Only a manager or an administrator can undo an import.")
    if user.role == Role.MANAGER and job.council_id != user.council_id:
        return _("Only a manager of the council it was for can undo this import.")
    if not undoable(job):
        return _("Only an import that wrote records, and is not undone already, can be undone.")
    people = Person.objects.filter(legacy_keys__import_job=job)
    if people.exclude(merged_at=None).exists() or people.exclude(removed_at=None).exists():
        return _("Some of these people have been merged since: undo the merge first.")
    on_top: list[str] = []
    for model, f in person_links():
        label = model._meta.label
        rows = model._base_manager.filter(**{f"{f.name}__in": people})
        if label in MADE:
            # More than the import made (a second introduction), or saved after it ended (an
            # exit recorded since, for someone imported without one).
            over = rows.values(f.name).annotate(n=Count("pk")).filter(n__gt=MADE[label]).count()
            if not over and job.finished_at and any(x.name == "recorded_at" for x in model._meta.fields):
                over = rows.filter(recorded_at__gt=job.finished_at).values(f.name).distinct().count()
        else:
            over = rows.values(f.name).distinct().count()
        if over:
            on_top.append(_("%(n)s people with %(kind)s") % {"n": over, "kind": _kind(model)})
    # Anything pointing at a group but the import's own record of it.
    for model, f in links_to(CommunityGroup, {LegacyGroup._meta.label}):
        over = model._base_manager.filter(**{f"{f.name}__in": _groups(job)}).values(f.name).distinct().count()
        if over:
            on_top.append(_("%(n)s groups with %(kind)s") % {"n": over, "kind": _kind(model)})
    if on_top:
        return _("Records have been added since the import, so it is part of the record now and "
                 "cannot be undone: %(what)s.") % {"what": "; ".join(sorted(on_top))}
    return None


def _kind(model) -> str:
    return str(RECORDS.get(model._meta.label, model._meta.verbose_name_plural)).lower()


def _groups(job: Job):
    return CommunityGroup.objects.filter(pk__in=LegacyGroup.objects.filter(import_job=job).values("group_id"))


@transaction.atomic
def undo(job: Job, user: User) -> dict[str, int]:
    """Remove what the import created; returns how many of each kind. Raises ValueError with
    the reason when it may not be undone (nothing changed)."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if why := refusal(job, user):
        raise ValueError(why)
    ids = list(Person.objects.filter(legacy_keys__import_job=job).values_list("pk", flat=True))
    contacts = Activity.objects.filter(pk__in=LegacyContact.objects.filter(import_job=job)
                                       .values("activity_id"))
    removed = {
        "groups": _groups(job).delete()[1].get("community.CommunityGroup", 0),
        "activities": contacts.delete()[1].get("journeys.Activity", 0),
        "people": len(ids),
        "introductions": Introduction.objects.filter(person_id__in=ids).count(),
        "exits": Exit.objects.filter(person_id__in=ids).count(),
    }
    Exit.objects.filter(person_id__in=ids).delete()
    Engagement.objects.filter(person_id__in=ids).delete()
    Introduction.objects.filter(person_id__in=ids).delete()
    ConsentRecord.objects.filter(person_id__in=ids).delete()
    LegacyKey.objects.filter(import_job=job).delete()
    now = timezone.now()
    Person.objects.filter(pk__in=ids).update(
        given_name="", family_name="", birth_month=None, postcode="", phone="", removed_at=now,
        version=models.F("version") + 1)
    AuditEvent.objects.bulk_create([
        AuditEvent(user=user, username=user.username, role=user.role, action=AuditEvent.Action.REMOVE,
                   person_id=pk, path=f"import:{job.options.get('file', '')}", detail={"job": job.pk})
        for pk in ids] or [
        AuditEvent(user=user, username=user.username, role=user.role, action=AuditEvent.Action.REMOVE,
                   path=f"import:{job.options.get('file', '')}",
                   detail={"job": job.pk, "activities": removed["activities"]})])
    by = user.get_full_name() or user.username
    job.summary = {**job.summary, "undone": {"at": now.isoformat(), "by": by, **removed}}
    job.save(update_fields=["summary"])
    return removed
