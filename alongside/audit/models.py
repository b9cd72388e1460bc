from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """Who looked at or exported whose record, and when."""

    class Action(models.TextChoices):
        VIEW = "view"
        EXPORT = "export"
        CREATE = "create"
        UPDATE = "update"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Copied so that the trail survives the user or the person being removed.
    username = models.CharField(max_length=150)
    role = models.CharField(max_length=20)
    action = models.CharField(max_length=10, choices=Action.choices)
    person = models.ForeignKey(
        "people.Person", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    person_reference = models.CharField(max_length=12, blank=True, db_index=True)
    path = models.CharField(max_length=300)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
