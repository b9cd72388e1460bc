"""The audit trail: who looked at, changed or exported whose record, and when.

Each row carries a SHA-256 hash of its own content and of the row before it, so that
altering or deleting a row in the database breaks the chain at that point
(`alongside.audit.chain.verify`). Rows are chained as they are written, by `save` and by
`bulk_create` alike, so every writer (views, API, importer, export command) is covered.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import chain


class AuditEventManager(models.Manager):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if not objs:
            return objs
        with chain.appending() as previous:
            for event in objs:
                previous = event.seal(previous)
            return super().bulk_create(objs, *args, **kwargs)


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        EXPORT = "export", _("Exported")
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        ERASE = "erase", _("Erased")
        MERGE = "merge", _("Merged")
        UNMERGE = "unmerge", _("Merge undone")
        REMOVE = "remove", _("Removed: import undone")

    # A default rather than auto_now_add: the time is part of the hash, so it must be known
    # before the row is written.
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # PROTECT: the ids are in the hash, so people using Alongside are deactivated, never deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # Copied so that the trail survives the user or the person being removed.
    username = models.CharField(max_length=150)
    role = models.CharField(max_length=20)
    action = models.CharField(max_length=10, choices=Action.choices)
    person = models.ForeignKey(
        "people.Person", null=True, on_delete=models.PROTECT, related_name="+"
    )
    person_reference = models.CharField(max_length=12, blank=True, db_index=True)
    path = models.CharField(max_length=300)
    detail = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    objects = AuditEventManager()

    class Meta:
        ordering = ["-at", "-id"]

    def save(self, *args, **kwargs):
        if self._state.adding and not self.hash:
            with chain.appending() as previous:
                self.seal(previous)
                return super().save(*args, **kwargs)
        return super().save(*args, **kwargs)

    def content(self) -> dict:
        """What the hash covers: every column but the id (given by the database after the hash
        is made; the chain's order covers it) and the hashes themselves."""
        return {"at": self.at.isoformat(), "user_id": self.user_id, "username": self.username,
                "role": self.role, "action": self.action, "person_id": self.person_id,
                "person_reference": self.person_reference, "path": self.path, "detail": self.detail}

    def seal(self, previous: str) -> str:
        self.previous_hash = previous
        self.hash = chain.digest(previous, self.content())
        return self.hash
