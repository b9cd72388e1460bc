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


class Invitation(models.Model):
    """An invitation by e-mail to use Alongside, in a role, for a council and wards: a link that
    works once and expires. Only a hash of its token is kept, so the table cannot be used to
    accept anyone's invitation."""

    email = models.EmailField()
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices)
    council = models.ForeignKey("places.Council", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")
    wards = models.ManyToManyField("places.Ward", blank=True, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
