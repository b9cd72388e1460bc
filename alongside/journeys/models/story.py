from django.conf import settings
from django.db import models

from alongside.codes.language import language_field
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
    # A story goes into the council's reports only once a manager has read it for anything
    # that would identify the person (issue 29): consent alone is not enough.
    checked_for_reports_on = models.DateField(null=True, blank=True)
    checked_for_reports_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                               on_delete=models.SET_NULL, related_name="+")
    written_in = language_field(help_text="The language the story was written in, kept as written.")
    recorded_by = recorded_by()

    class Meta:
        verbose_name_plural = "stories"


class ScenarioEvent(models.Model):
    """One service event in a story's costed scenario: what happened with LAC, or what would
    likely have happened without it (the "case conference" method of Derby and Haringey)."""

    PATHWAYS = [("with_lac", "With LAC"), ("without_lac", "Without LAC")]

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="scenario_events")
    pathway = models.CharField(max_length=12, choices=PATHWAYS)
    month = models.PositiveSmallIntegerField(help_text="Months after the introduction")
    service = models.CharField(max_length=60, help_text="A key of the unit cost table")
    quantity = models.DecimalField(max_digits=9, decimal_places=2, default=1)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["pathway", "month", "id"]
