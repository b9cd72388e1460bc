from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Local Area Coordinator")
    MANAGER = "manager", _("Senior Coordinator or LAC manager")
    COMMISSIONER = "commissioner", _("Commissioner or finance")
    ANALYST = "analyst", _("Network analyst or researcher")
    ADMINISTRATOR = "administrator", _("Administrator")


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.COORDINATOR)
    council = models.ForeignKey(
        "places.Council", null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    wards = models.ManyToManyField("places.Ward", blank=True, related_name="coordinators")

    @property
    def sees_identifiable_records(self) -> bool:
        return self.role in (Role.COORDINATOR, Role.MANAGER)
