from django.db import models
from django.utils.translation import gettext_lazy as _

from ._base import person_fk, recorded_at, recorded_by

CHANGES = [
    ("prevented", _("Prevented")),
    ("deferred", _("Deferred")),
    ("reduced", _("Reduced")),
    ("increased", _("Increased")),
]


class ServiceUseChange(models.Model):
    """A change in a person's use of another service that a Coordinator has good reason to record:
    an A&E attendance that did not happen, fewer GP appointments, a move into care put off, or
    more use of a service they had missed out on. The service is a row of the unit cost table,
    so the balance sheet and the SROI model can put a price on it; the evidence says why."""

    person = person_fk("service_use_changes")
    service = models.CharField(max_length=60, help_text="A key of the unit cost table")
    change = models.CharField(max_length=10, choices=CHANGES)
    quantity = models.DecimalField(max_digits=9, decimal_places=2)
    observed_on = models.DateField()
    evidence = models.TextField()
    recorded_by = recorded_by()
    recorded_at = recorded_at()

    class Meta:
        ordering = ["observed_on", "id"]
        indexes = [models.Index(fields=["person", "observed_on"])]
