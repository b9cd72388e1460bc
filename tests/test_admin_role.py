"""Administration within its role (issue 29, 6): the Django admin shows no authenticator key
and sets no password, so an administrator cannot sign in as a practitioner; every change made
there is in the audit chain."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from alongside.accounts.models import Role, User
from alongside.audit.models import AuditEvent

from .conftest import signed_in


def _staff(world):
    User.objects.filter(pk=world.admin.pk).update(is_staff=True, is_superuser=True)
    world.admin.refresh_from_db()
    return world.admin


def test_no_admin_page_shows_an_authenticator_key_or_sets_a_password(client, world):
    admin = _staff(world)
    coordinator = world.coordinator_a
    device = TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    signed_in(client, admin)
    index = client.get("/admin/").content.decode()
    assert "totpdevice" not in index.lower()
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").status_code == 404
    page = client.get(f"/admin/accounts/user/{coordinator.pk}/change/").content.decode()
    assert device.key not in page and 'name="password' not in page and "/password/" not in page
    assert client.get(f"/admin/accounts/user/{coordinator.pk}/password/").status_code in (302, 404)
    before = coordinator.password
    r = client.post(f"/admin/accounts/user/{coordinator.pk}/password/",
                    {"password1": "a-new-password-123", "password2": "a-new-password-123"})
    assert r.status_code in (302, 404)
    coordinator.refresh_from_db()
    assert coordinator.password == before


def test_a_new_account_made_in_the_admin_has_no_password_anyone_knows(client, world):
    admin = _staff(world)
    signed_in(client, admin)
    r = client.post("/admin/accounts/user/add/", {
        "username": "newcoord", "first_name": "New", "last_name": "Coordinator", "email": "",
        "role": Role.COORDINATOR, "council": world.north.pk})
    assert r.status_code == 302, r.content.decode()[:2000]
    made = User.objects.get(username="newcoord")
    assert not made.has_usable_password()


def test_admin_changes_are_in_the_audit_chain(client, world):
    admin = _staff(world)
    coordinator = world.coordinator_a
    TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    signed_in(client, admin)
    r = client.post("/admin/accounts/user/", {"action": "remove_second_factor",
                                              "_selected_action": [coordinator.pk]})
    assert r.status_code == 302
    assert not TOTPDevice.objects.filter(user=coordinator, name="phone").exists()
    entry = AuditEvent.objects.filter(username=admin.username, detail__via="admin").get()
    assert entry.action == "update" and entry.detail["what"] == "accounts.user"
    assert "second factor" in entry.detail["change"]
    # A user is deactivated, never deleted (the chain names them).
    assert client.get(f"/admin/accounts/user/{coordinator.pk}/delete/").status_code == 403
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "audit trail intact" in out.getvalue()
