from django.db import models

from alongside.codes.models import Code, coded

from ._base import person_fk, recorded_at, recorded_by


class Introduction(models.Model):
    """How a person came to LAC. A person may be introduced more than once over the years."""

    person = person_fk("introductions")
    ward = models.ForeignKey("places.Ward", on_delete=models.PROTECT, related_name="+")
    introduced_on = models.DateField()
    route = coded("introduction_route")
    introducing_organisation = models.CharField(max_length=160, blank=True)
    level_requested = coded("level_of_support")
    reasons = models.ManyToManyField(
        Code, through="IntroductionReason", related_name="+", blank=True
    )
    recorded_by = recorded_by()
    recorded_at = recorded_at()

    class Meta:
        ordering = ["introduced_on", "id"]
        indexes = [models.Index(fields=["person", "introduced_on"])]


class IntroductionReason(models.Model):
    """A reason for an introduction, coded to PA1–PA4 or a finer reason beneath one."""

    introduction = models.ForeignKey(Introduction, on_delete=models.CASCADE)
    reason = coded("problem")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["introduction", "reason"], name="reason_once")
        ]


class Signposting(models.Model):
    """An introduction for someone who lives outside the Coordinator's area: where they
    were signposted, recorded without creating a person, so demand is still counted."""

    ward = models.ForeignKey("places.Ward", on_delete=models.PROTECT, related_name="+",
                             help_text="The ward of the Coordinator who took the introduction.")
    recorded_on = models.DateField()
    route = coded("introduction_route")
    introducing_organisation = models.CharField(max_length=160, blank=True)
    lives_in = models.CharField(max_length=160, help_text="Where the person lives, e.g. a town.")
    signposted_to = models.CharField(max_length=200)
    reason = coded("problem", null=True, blank=True)
    recorded_by = recorded_by()

    class Meta:
        ordering = ["-recorded_on", "-id"]
