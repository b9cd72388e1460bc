from django.db import models

from alongside.codes.language import language_field
from alongside.codes.models import coded

from ._base import person_fk, recorded_at, recorded_by


class Conversation(models.Model):
    """A good-life conversation: the vision in the person's own words and the three questions."""

    person = person_fk("conversations")
    held_on = models.DateField()
    vision = models.TextField("What a good life looks like, in their words")
    own_gifts = models.TextField(
        "What can you do using your gifts, skills and experiences?", blank=True
    )
    friends_family_community = models.TextField(
        "What can your friends, family and community do to help?", blank=True
    )
    services_funding = models.TextField("What role is there for services and funding?", blank=True)
    written_in = language_field(help_text="The language the conversation was written down in.")
    recorded_by = recorded_by()
    recorded_at = recorded_at()

    class Meta:
        ordering = ["held_on", "id"]


class Strength(models.Model):
    """A gift, skill or strength: recorded as a first-class item, not a free-text aside."""

    person = person_fk("strengths")
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="strengths"
    )
    kind = coded("strength_kind")
    description = models.CharField(max_length=200)


class SharedAgreement(models.Model):
    """The plan agreed between the person and the Coordinator."""

    person = person_fk("agreements")
    agreed_on = models.DateField()
    next_review_on = models.DateField(null=True, blank=True)
    recorded_by = recorded_by()
    recorded_at = recorded_at()

    class Meta:
        ordering = ["agreed_on", "id"]


class AgreementAction(models.Model):
    agreement = models.ForeignKey(SharedAgreement, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    who = models.CharField(max_length=80, help_text="The person, family, the Coordinator, a service…")
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)


class Review(models.Model):
    agreement = models.ForeignKey(SharedAgreement, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    what_changed = models.TextField()
    next_review_on = models.DateField(null=True, blank=True)
    recorded_by = recorded_by()
    recorded_at = recorded_at()

    class Meta:
        ordering = ["reviewed_on", "id"]
