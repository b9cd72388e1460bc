from django.db import models
from django.utils.translation import gettext_lazy as _

from ._base import recorded_at, recorded_by


class Measurement(models.Model):
    """One asking of a light outcome measure (ONS4, ONS loneliness): the answers, or that the
    person declined, or that the Coordinator judged it not the moment. Never required."""

    class Status(models.TextChoices):
        ANSWERED = "answered", _("Answered")
        DECLINED = "declined", _("Declined")
        NOT_NOW = "not_now", _("Not appropriate now")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="measurements")
    measure = models.CharField(max_length=40, help_text="A key of evidence/distance/measures.yaml.")
    taken_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices)
    answers = models.JSONField(default=dict, blank=True)
    recorded_by = recorded_by()
    recorded_at = recorded_at()

    class Meta:
        ordering = ["taken_on", "id"]
        indexes = [models.Index(fields=["measure", "status"])]
