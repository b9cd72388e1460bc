from django.db import models

from alongside.codes.models import coded

from ._base import recorded_at, recorded_by


class Observed(models.Model):
    """Something seen to change, dated, with who saw it and the evidence (a quote, an observation)."""

    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="%(class)ss")
    observed_on = models.DateField()
    evidence = models.TextField(blank=True)
    recorded_by = recorded_by()
    recorded_at = recorded_at()

    class Meta:
        abstract = True
        ordering = ["observed_on", "id"]


class Outcome(Observed):
    """STO1–5, MTO1–6, "in control of own life and decisions" and its dimensions, or the
    community outcome (then for a group)."""

    outcome = coded("outcome")
    present = models.BooleanField(default=True)
    group = models.ForeignKey("community.CommunityGroup", null=True, blank=True,
                              on_delete=models.CASCADE, related_name="outcomes")


class Insulator(Observed):
    """Something built against future triggers; its level comes from the code."""

    insulator = coded("insulator")


class Ripple(Observed):
    """A person contributing back: volunteering, running a group, leadership."""

    ripple = coded("ripple")
    group = models.ForeignKey("community.CommunityGroup", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="ripples")
