"""Merging a person recorded twice into one record, and undoing it (a manager's decision).

The duplicate is not deleted: its records move to the kept person, its reference becomes an
alias of the kept person, and it is marked merged, which takes it out of every list and count
(`Person.objects.current()`). What moved is written down row by row, so that an undo puts back
exactly those rows and restores the duplicate as it was.

Records are found from the models themselves (every foreign key to Person, in every installed
app), not from a list, so that a record added to the schema later moves too.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.apps import apps
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside import scoping
from alongside.accounts.models import Role, User
from alongside.audit.log import record
from alongside.audit.models import AuditEvent

from .models import Person, PersonAlias, PersonMerge

# Rows that point at a person but must not move: the audit trail's rows are sealed in its hash
# chain (a changed person_id would break it) and say who was looked at then; a merge record is
# the history of the merge itself.
NOT_MOVED = {"audit.AuditEvent", "people.PersonMerge"}
OPEN = ("active", "safe_waiting")


def not_found() -> str:
    # The same words whether the person does not exist or is outside the manager's council,
    # so that the answer does not tell which.
    return _("There is no person with that reference in your council")


class MergeRefused(Exception):
    """Why these two records may not be merged (or the merge undone), in the reader's words."""


def links_to(target: type[models.Model], leaving_out: frozenset[str] | set[str] = frozenset()
             ) -> Iterator[tuple[type[models.Model], models.ForeignKey]]:
    """(model, field) for every foreign key to `target` in every installed model, many-to-many
    tables included (their through model holds the key), but the models labelled in
    `leaving_out`: found from the models, so a record added to the schema later is found too."""
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label in leaving_out or model._meta.proxy:
            continue
        for f in model._meta.concrete_fields:
            if (f.many_to_one or f.one_to_one) and f.related_model is target:
                yield model, f


def person_links() -> Iterator[tuple[type[models.Model], models.ForeignKey]]:
    """(model, field) for every foreign key to Person whose rows move with the person."""
    return links_to(Person, NOT_MOVED)


def _key(model: type[models.Model], field: models.Field) -> str:
    return f"{model._meta.label}.{field.name}"


def _unique_sets(model: type[models.Model], field: models.Field) -> list[list[str]]:
    """The other fields that, with `field`, must be unique: moving a row could break them."""
    sets = [list(s) for s in model._meta.unique_together]
    sets += [list(c.fields) for c in model._meta.constraints
             if isinstance(c, models.UniqueConstraint) and c.fields]
    return [[n for n in s if n != field.name] for s in sets if field.name in s]


def _clash(kept: Person, duplicate: Person) -> str | None:
    """A record the kept person may hold only once and the duplicate holds too. Conditions on a
    unique constraint are not read: refusing is the safe side of not knowing."""
    for model, f in person_links():
        rows = model._base_manager.filter(**{f.name: duplicate})
        if not rows.exists():
            continue
        theirs = model._base_manager.filter(**{f.name: kept})
        name = str(model._meta.verbose_name)
        if f.unique and theirs.exists():
            return name
        for others in _unique_sets(model, f):
            if not others:
                if theirs.exists():
                    return name
                continue
            if set(rows.values_list(*others)) & set(theirs.values_list(*others)):
                return name
    return None


def _open_levels(person: Person) -> set[str]:
    return set(person.engagements.filter(status__code__in=OPEN).values_list("level__code", flat=True))


def refusal(kept: Person, duplicate: Person, user: User) -> str | None:
    """Why `user` may not merge `duplicate` into `kept`; None when they may."""
    if user.role != Role.MANAGER:
        return _("Only a manager can merge records.")
    if kept.pk == duplicate.pk:
        return _("Enter the reference of a different person: this is the record you are merging into")
    # Both within the manager's council, as scoping decides it; never across councils. Merged
    # records count here (scoping.people leaves them out) so that the next check can name them.
    if scoping.scoped(user, Person.objects.filter(pk__in=[kept.pk, duplicate.pk])).count() != 2 \
            or kept.ward.council_id != duplicate.ward.council_id:
        return not_found()
    if kept.merged_at or duplicate.merged_at:
        return _("One of these records is already merged into another")
    if kept.erased_on or duplicate.erased_on:
        return _("One of these records has had its identifiers erased: an erased record cannot be merged")
    mine, theirs = _open_levels(kept), _open_levels(duplicate)
    # Two open engagements at the same level are the same support recorded twice: the journeys
    # are combined. At different levels, which one is right is the Coordinator's call.
    if mine and theirs and mine != theirs:
        # (Safe waiting is still open: the person may come back at that level.)
        return _("Both people have an open engagement, at different levels. Close one of them "
                 "first, so that the merged record has one current level.")
    if clash := _clash(kept, duplicate):
        return _("Both records have a %(record)s, which a person can have only once") % {"record": clash}
    return None


@transaction.atomic
def merge(kept: Person, duplicate: Person, user: User, request: HttpRequest | None = None) -> PersonMerge:
    """Move every record of `duplicate` to `kept`, keep the duplicate's reference as an alias
    and mark it merged; audited on both people. Raises MergeRefused, changing nothing."""
    # Locked and read again, so that two managers merging the same records at once cannot both
    # pass the checks on what they read before.
    kept, duplicate = (Person.objects.select_for_update().select_related("ward").get(pk=p.pk)
                       for p in (kept, duplicate))
    if why := refusal(kept, duplicate, user):
        raise MergeRefused(why)
    moved: dict[str, list[int]] = {}
    for model, f in person_links():
        rows = model._base_manager.filter(**{f.name: duplicate})
        ids = list(rows.values_list("pk", flat=True))
        if ids:
            rows.update(**{f.name: kept})
            moved[_key(model, f)] = ids
    now = timezone.now()
    done = PersonMerge.objects.create(kept=kept, duplicate=duplicate, merged_by=user, merged_at=now,
                                      moved=moved)
    PersonAlias.objects.create(reference=duplicate.reference, person=kept, merge=done)
    Person.objects.filter(pk=duplicate.pk).update(merged_at=now)
    counts = moved_counts(done)
    record(request, AuditEvent.Action.MERGE, kept, user=user, merge=done.pk,
           duplicate=duplicate.reference, moved=counts)
    record(request, AuditEvent.Action.MERGE, duplicate, user=user, merge=done.pk, into=kept.reference)
    return done


def moved_counts(done: PersonMerge) -> dict[str, int]:
    """How many records of each kind moved ("journeys.Activity": 3)."""
    counts: dict[str, int] = {}
    for key, ids in done.moved.items():
        label = key.rsplit(".", 1)[0]
        counts[label] = counts.get(label, 0) + len(ids)
    return counts


def undo_refusal(done: PersonMerge, user: User) -> str | None:
    if user.role != Role.MANAGER:
        return _("Only a manager can undo a merge.")
    if scoping.scoped(user, Person.objects.filter(pk__in=[done.kept_id, done.duplicate_id])).count() != 2:
        return _("Only a manager of this council can undo this merge.")
    if done.undone_at:
        return _("This merge was already undone.")
    if done.kept.merged_at:
        return _("The kept record has since been merged into another: undo that merge first.")
    if done.kept.erased_on or done.duplicate.erased_on:
        return _("The identifiers were erased since the merge: it can no longer be undone.")
    return None


@transaction.atomic
def undo(done: PersonMerge, user: User, request: HttpRequest | None = None) -> dict[str, int]:
    """Move back exactly the rows the merge moved, drop the alias and restore the duplicate.
    Rows since deleted stay deleted; rows recorded for the kept person since stay with them.
    Returns how many records of each kind went back."""
    done = PersonMerge.objects.select_for_update().select_related("kept", "duplicate").get(pk=done.pk)
    if why := undo_refusal(done, user):
        raise MergeRefused(why)
    kept, duplicate = done.kept, done.duplicate
    back: dict[str, int] = {}
    for key, ids in done.moved.items():
        label, field = key.rsplit(".", 1)
        model = apps.get_model(label)
        n = model._base_manager.filter(pk__in=ids, **{field: kept}).update(**{field: duplicate})
        if n:
            back[label] = back.get(label, 0) + n
    PersonAlias.objects.filter(merge=done).delete()
    Person.objects.filter(pk=duplicate.pk).update(merged_at=None)
    done.undone_at, done.undone_by = timezone.now(), user
    done.save(update_fields=["undone_at", "undone_by"])
    record(request, AuditEvent.Action.UNMERGE, kept, user=user, merge=done.pk,
           duplicate=duplicate.reference, moved_back=back)
    record(request, AuditEvent.Action.UNMERGE, duplicate, user=user, merge=done.pk, out_of=kept.reference)
    return back


def alias_of(user: User, reference: str) -> Person | None:
    """The person an old reference was merged into, if the user may see them."""
    alias = (PersonAlias.objects.filter(reference=reference, person__in=scoping.people(user))
             .select_related("person").first())
    return alias.person if alias else None
