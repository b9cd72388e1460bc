from django.db import models

from alongside.codes.models import coded

from ._base import person_fk, recorded_at, recorded_by


class Connection(models.Model):
    """A connection made: to a community group, a community asset, another person, or a
    service."""

    person = person_fk("connections")
    kind = coded("connection_kind")
    group = models.ForeignKey(
        "community.CommunityGroup", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="connections",
    )
    asset = models.ForeignKey(
        "community.CommunityAsset", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="connections",
    )
    service = coded("service", null=True, blank=True)
    other_person = models.CharField(max_length=160, blank=True)
    made_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    recorded_by = recorded_by()
    recorded_at = recorded_at()
