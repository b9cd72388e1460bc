from django.conf import settings
from django.db import models

from alongside.codes.models import coded

from ._base import recorded_at


class Activity(models.Model):
    """A piece of walking-alongside work, with a person or (community level) for a group."""

    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="activities"
    )
    group = models.ForeignKey(
        "community.CommunityGroup", null=True, blank=True, on_delete=models.CASCADE,
        related_name="activities",
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    activity = coded("activity", help_text="A1–A7")
    kind = coded("activity", null=True, blank=True, help_text="Finer type, e.g. home visit")
    level = coded("activity_level")
    done_on = models.DateField()
    minutes = models.PositiveIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)
    recorded_at = recorded_at()

    class Meta:
        ordering = ["done_on", "id"]
        verbose_name_plural = "activities"
        indexes = [models.Index(fields=["person", "done_on"])]
