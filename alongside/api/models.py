from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A bearer token for one user or one integration (an account of its own).

    Only a SHA-256 digest is stored: the token is shown once, when made. A token acts as its
    user, through the same scoping, and may be narrowed to one council and to reading only.
    """

    name = models.CharField(max_length=100, help_text="What uses it, e.g. 'front door system'.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens")
    council = models.ForeignKey("places.Council", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+", help_text="Limits the token to this council.")
    can_write = models.BooleanField(default=False)
    prefix = models.CharField(max_length=12, help_text="The first characters, to tell tokens apart.")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # After this the token no longer works; none: until revoked.
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        # The throttle keys its counters on str(request.auth): one bucket per token.
        return f"token:{self.pk}"


class IdempotentRequest(models.Model):
    """A POST made with an Idempotency-Key, and the answer it got, so a retry gets the same
    answer instead of a second record."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and body.")
    status = models.PositiveSmallIntegerField(default=0)
    body = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once")]
