from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alongside.operations.models import TrackedWork


class Report(TrackedWork):
    """A report asked for, built in the background (a network's year takes a while) and kept, so
    the same figures can be opened again as a web page or a PDF."""

    class Kind(models.TextChoices):
        SITE = "site", _("Quarterly site report")
        NETWORK = "network", _("Annual Network report")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    council = models.ForeignKey("places.Council", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="reports", help_text="Empty for the Network report")
    period = models.CharField(max_length=12, help_text="2026/27-Q2 (a quarter) or 2025/26 (a year)")
    language = models.CharField(max_length=2, choices=[("en", "English"), ("cy", "Cymraeg")])
    html = models.TextField(blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    seconds = models.FloatField(null=True, blank=True, help_text="Time taken to write it")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    # The story the report tells, so that it is written again without it when the person is
    # erased or withdraws consent (reports/withdrawal.py), and named in their subject access.
    story = models.ForeignKey("journeys.Story", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="reports")

    class Meta:
        ordering = ["-requested_at"]

    def work(self, progress) -> dict:
        from .writing import build

        return build(self, progress)
