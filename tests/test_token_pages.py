"""API tokens made in the configuration area: shown once, scoped, expiring, revoked at once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from alongside.api.models import ApiToken
from alongside.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _make(c, world, **extra):
    data = {"name": "front door", "user": world.coordinator_a.pk, "can_write": "0", "expires": "30"}
    data.update(extra)
    return c.post("/settings/tokens/", data)


def test_a_token_is_shown_once_works_until_it_expires_and_stops_when_revoked(world, login, client):
    c = login(world.manager)
    page = _make(c, world).content.decode()
    token = ApiToken.objects.get()
    secret = page.split('<code class="app-break">')[1].split("</code>")[0]
    assert secret.startswith("als_") and secret[:10] == token.prefix and secret not in token.digest
    assert (token.user, token.council, token.can_write) == (world.coordinator_a, world.north, False)
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    assert secret not in c.get("/settings/tokens/").content.decode()  # shown once
    client.logout()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get("/api/v1/people", **auth).status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/people", **auth).status_code == 401
    ApiToken.objects.update(expires_at=None)
    assert client.get("/api/v1/people", **auth).status_code == 200
    c = login(world.manager)
    c.post(f"/settings/tokens/{token.pk}/revoke/")
    client.logout()
    assert client.get("/api/v1/people", **auth).status_code == 401
    assert AuditEvent.objects.filter(detail__what="api token").count() == 2


def test_a_manager_makes_tokens_only_for_their_own_councils_accounts(world, login):
    c = login(world.manager)
    body = _make(c, world, user=world.coordinator_c.pk).content.decode()
    assert "Select a valid choice" in body and not ApiToken.objects.exists()
    other = ApiToken.objects.create(name="theirs", user=world.coordinator_c, prefix="als_x", digest="x" * 64)
    assert c.post(f"/settings/tokens/{other.pk}/revoke/").status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None and "theirs" not in c.get("/settings/tokens/").content.decode()
    for user in (world.coordinator_a, world.commissioner, world.analyst):
        assert login(user).get("/settings/tokens/").status_code == 403
