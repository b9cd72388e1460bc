from django.conf import settings
from django.db import models


def recorded_by(**kwargs) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", **kwargs,
    )


def person_fk(related_name: str, **kwargs) -> models.ForeignKey:
    return models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name=related_name, **kwargs
    )
