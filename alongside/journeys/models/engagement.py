from django.conf import settings
from django.db import models

from alongside.codes.models import coded


class Engagement(models.Model):
    """A period of support at one level, with a person or (community level) with a group."""

    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="engagements"
    )
    group = models.ForeignKey(
        "community.CommunityGroup", null=True, blank=True, on_delete=models.CASCADE,
        related_name="engagements",
    )
    introduction = models.ForeignKey(
        "journeys.Introduction", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    level = coded("level_of_support")
    status = coded("engagement_status")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    waiting_since = models.DateField(
        null=True, blank=True, help_text="When safe waiting began: dormant, not closed."
    )
    # When safe waiting was recorded, to place it among that day's records (journeys/timeline.py).
    waiting_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, group__isnull=True)
                | models.Q(person__isnull=True, group__isnull=False),
                name="engagement_person_xor_group",
            )
        ]
        indexes = [models.Index(fields=["person", "started_on"])]
