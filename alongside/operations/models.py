from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerBeat(models.Model):
    """A worker process saying it is alive, every few seconds. One that goes quiet has stopped
    (killed, restarted, its machine gone): what it was doing is found and dealt with."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)


class TrackedWork(models.Model):
    """Work done in the background that a person waits for: how far it has got, what went
    wrong, and which try this is. Reports and jobs both carry it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Could not be written")

    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=120, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True, db_index=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def waiting(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    def discard_partial(self) -> None:
        """Remove anything a stopped try left half-made. Rows are safe already (each task
        writes its result in one transaction); files need this."""


class Job(TrackedWork):
    """An export, an import or the retention rule, asked for in the browser and done by a
    worker; the result is a file to download or a summary to read."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("Export of the minimum dataset")
        IMPORT = "import", _("Import of earlier records")
        RETENTION = "retention", _("Retention rule")
        RESEARCH = "research", _("Research export for the LAC Network")
        DIGEST = "digest", _("Weekly e-mail to Coordinators")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    council = models.ForeignKey("places.Council", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    options = models.JSONField(default=dict, blank=True)
    file_name = models.CharField(max_length=200, blank=True, help_text="The result, in the work folder")
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def work(self, progress) -> dict:
        # Each kind's work lives with the records it reads; imported here to keep apps loading.
        from alongside.dataset.jobs import export_work, import_work
        from alongside.front.digest import digest_work
        from alongside.people.jobs import retention_work

        return {self.Kind.EXPORT: export_work, self.Kind.RESEARCH: export_work,
                self.Kind.IMPORT: import_work, self.Kind.RETENTION: retention_work,
                self.Kind.DIGEST: digest_work}[self.kind](self, progress)

    def discard_partial(self) -> None:
        from .files import discard_partial

        discard_partial(self)
