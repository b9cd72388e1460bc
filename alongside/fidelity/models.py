from django.conf import settings
from django.db import models

from .principles import PRINCIPLES, RATINGS


class SelfReview(models.Model):
    """One version of a site's self-review for a quarter. Saving the review again writes a new
    version; none is changed or deleted, so what was signed off can always be read as it was."""

    council = models.ForeignKey("places.Council", on_delete=models.PROTECT, related_name="self_reviews")
    quarter = models.CharField(max_length=10, help_text="A financial quarter, e.g. 2026/27-Q2.")
    version = models.PositiveIntegerField()
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)
    # The measures as they stood when this version was written: the judgement was made on these,
    # and records added later must not change what a signed-off review shows.
    measures = models.JSONField(default=list)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    signed_off_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["council", "quarter", "-version"]
        constraints = [models.UniqueConstraint(fields=["council", "quarter", "version"],
                                               name="self_review_version_once")]

    def __str__(self) -> str:
        return f"{self.council} {self.quarter} v{self.version}"


class Judgement(models.Model):
    """The site's own rating of one principle, with its evidence and what it will do next."""

    review = models.ForeignKey(SelfReview, on_delete=models.CASCADE, related_name="judgements")
    principle = models.CharField(max_length=30, choices=[(p.key, p.name) for p in PRINCIPLES])
    rating = models.PositiveSmallIntegerField(choices=RATINGS)
    evidence = models.TextField(blank=True)
    actions = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "principle"],
                                               name="one_judgement_per_principle")]
