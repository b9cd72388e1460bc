from django.db import models

from alongside.codes.models import coded

from ._base import recorded_at, recorded_by


class Exit(models.Model):
    """How an engagement ended, coded as the study coded non-engagement."""

    engagement = models.OneToOneField(
        "journeys.Engagement", on_delete=models.CASCADE, related_name="exit"
    )
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="exits")
    exited_on = models.DateField()
    point = coded("exit_point")
    response = coded("exit_response", null=True, blank=True, help_text="Mainly for non-engagement.")
    outcome = coded("exit_outcome")
    note = models.TextField(blank=True)
    recorded_by = recorded_by()
    recorded_at = recorded_at()
