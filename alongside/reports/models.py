from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    """A report asked for, built in the background (a network's year takes a while) and kept, so
    the same figures can be opened again as a web page or a PDF."""

    class Kind(models.TextChoices):
        SITE = "site", _("Quarterly site report")
        NETWORK = "network", _("Annual Network report")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Could not be written")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    council = models.ForeignKey("places.Council", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="reports", help_text="Empty for the Network report")
    period = models.CharField(max_length=12, help_text="2026/27-Q2 (a quarter) or 2025/26 (a year)")
    language = models.CharField(max_length=2, choices=[("en", "English"), ("cy", "Cymraeg")])
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=120, blank=True)
    html = models.TextField(blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    error = models.TextField(blank=True)
    seconds = models.FloatField(null=True, blank=True, help_text="Time taken to write it")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
