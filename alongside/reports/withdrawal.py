"""Erasure and withdrawn consent reach the stored reports (issue 29, 2).

A report keeps the story it tells (Report.story). When the person the story is about is erased,
or their consent becomes refused or withdrawn, every stored report telling it loses its HTML and
PDF at once, in the same transaction, and is queued to be written again; the new one tells
another story, or none."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from alongside.operations import work

from .models import Report

WITHDRAWN = {"refused", "withdrawn"}


def reports_telling(person) -> list[Report]:
    return list(Report.objects.filter(story__person=person).select_related("council", "story"))


def write_again_without(person) -> int:
    """Empty and re-queue every report telling a story about `person`; how many."""
    with transaction.atomic():
        found = reports_telling(person)
        for report in found:
            Report.objects.filter(pk=report.pk).update(
                html="", pdf=None, story=None, status=Report.Status.QUEUED, progress=0, step="",
                error="", finished_at=None, attempts=0)
            report.refresh_from_db()
            work.queue(report)
    return len(found)


@receiver(post_save, sender="people.ConsentRecord", dispatch_uid="alongside-consent-reaches-reports")
def consent_changed(sender, instance, created: bool, **kwargs) -> None:
    if created and instance.status.code in WITHDRAWN:
        write_again_without(instance.person)
