from django.db import models

from alongside.codes.models import coded

from ._base import person_fk, recorded_at, recorded_by


class Context(models.Model):
    """The underlying context of a life: not a problem to solve, but what shapes the journey."""

    person = person_fk("contexts")
    context = coded("context")
    noted_on = models.DateField()
    recorded_by = recorded_by()
    recorded_at = recorded_at()


class Trigger(models.Model):
    """A pressure that prompted (or re-prompted) support; its level comes from the code."""

    person = person_fk("triggers")
    trigger = coded("trigger")
    occurred_on = models.DateField()
    note = models.TextField(blank=True)
    recorded_by = recorded_by()
    recorded_at = recorded_at()

    class Meta:
        ordering = ["occurred_on", "id"]
