from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone


def recorded_by(**kwargs) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", **kwargs,
    )


def recorded_at() -> models.DateTimeField:
    """When the record was saved: records carry the day something happened, not its time, so
    this orders one day's records as they were made. The database's own default too, for rows
    written in bulk by SQL (the synthetic loader, COPY)."""
    return models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)


def person_fk(related_name: str, **kwargs) -> models.ForeignKey:
    return models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name=related_name, **kwargs
    )
