"""Making, checking and revoking API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from alongside.accounts.models import User
from alongside.places.models import Council

from .models import ApiToken

PREFIX = "als_"
# Writing last_used_at on every request would turn each read into a write.
TOUCH_EVERY = timedelta(minutes=1)


def digest(token: str) -> str:
    # The token has 256 random bits, so a plain hash cannot be reversed by guessing.
    return hashlib.sha256(token.encode()).hexdigest()


def make(user: User, name: str, council: Council | None = None,
         can_write: bool = False, expires_at=None) -> tuple[ApiToken, str]:
    """A new token and its secret, which is shown once and never stored."""
    if council is not None and user.council_id and council.pk != user.council_id:
        raise ValueError(f"{user.username} works for another council than {council.name}")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(name=name, user=user, council=council, can_write=can_write,
                                    prefix=secret[:10], digest=digest(secret), expires_at=expires_at)
    return token, secret


def revoke(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


class BearerToken(HttpBearer):
    """`Authorization: Bearer als_…`: a live token of an active user, or 401."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = (ApiToken.objects.select_related("user", "council")
                 .filter(digest=digest(token), revoked_at__isnull=True, user__is_active=True).first())
        now = timezone.now()
        if found is None or (found.expires_at is not None and found.expires_at <= now):
            return None
        if found.last_used_at is None or now - found.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
            found.last_used_at = now
        # Scoping and the audit trail read request.user, as they do for the pages.
        request.user = found.user
        return found
