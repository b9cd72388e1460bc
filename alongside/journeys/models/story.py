from django.db import models

from alongside.codes.models import Code

from ._base import recorded_by


class Story(models.Model):
    """A structured story of a person's or group's journey, coded against the logic model."""

    ward = models.ForeignKey("places.Ward", on_delete=models.PROTECT, related_name="stories")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="stories")
    group = models.ForeignKey("community.CommunityGroup", null=True, blank=True,
                              on_delete=models.CASCADE, related_name="stories")
    title = models.CharField(max_length=200)
    written_on = models.DateField()
    before = models.TextField("Life before LAC")
    what_happened = models.TextField("What happened")
    what_changed = models.TextField("What changed")
    without_lac = models.TextField("What would likely have happened without LAC", blank=True)
    quotes = models.TextField(blank=True)
    codes = models.ManyToManyField(Code, blank=True, related_name="+",
                                   help_text="Problems, activities, outcomes and insulators")
    consent_to_share = models.BooleanField(default=False)
    recorded_by = recorded_by()

    class Meta:
        verbose_name_plural = "stories"
