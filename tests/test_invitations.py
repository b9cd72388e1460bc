"""People who use Alongside: invited by e-mail through a real SMTP server on loopback, the link
used once before it expires; deactivated, reactivated, second factor reset; a manager within
their own council only; every change audited."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from alongside.accounts.models import Invitation, Role, User
from alongside.audit.models import AuditEvent

from .conftest import PASSWORD
from .test_password_reset import _wait_for, mail  # noqa: F401 - the SMTP fixture

pytestmark = pytest.mark.django_db
GOOD = "lantern quarry pebble"


def _invite(c, world, **extra):
    data = {"first_name": "Nia", "last_name": "Lloyd", "email": "nia.lloyd@lowmere.example",
            "role": "coordinator", "council": world.north.pk, "wards": [world.ward_a.pk]}
    data.update(extra)
    return c.post("/settings/people/", data)


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/invitation/[^/\s]+/)", message.get_payload(decode=True).decode())[1]


def test_an_invited_coordinator_chooses_a_username_and_password_once(world, login, client, mail, settings):  # noqa: F811
    settings.ALONGSIDE_BASE_URL = "https://alongside.lowmere.example"
    r = _invite(login(world.admin), world)
    assert r.status_code == 302
    [message] = _wait_for(mail, 1)
    assert message["To"] == "nia.lloyd@lowmere.example"
    link = _link(message)
    inv = Invitation.objects.get()
    assert link.split("/")[2] not in inv.token_hash  # only a hash of the token is kept
    client.logout()
    page = client.get(link)
    assert page.status_code == 200 and "Nia, choose the username and password" in page.content.decode()
    body = client.post(link, {"username": "nia", "password": GOOD, "again": GOOD + "!"}).content.decode()
    assert "The two passwords are not the same" in body and not User.objects.filter(username="nia").exists()
    r = client.post(link, {"username": "nia", "password": GOOD, "again": GOOD})
    assert r.status_code == 302
    nia = User.objects.get(username="nia")
    assert (nia.role, nia.council, list(nia.wards.all()), nia.email) == (
        Role.COORDINATOR, world.north, [world.ward_a], "nia.lloyd@lowmere.example")
    assert AuditEvent.objects.filter(user=nia, detail__what="account").exists()
    # The link works once.
    again = client.get(link)
    assert again.status_code == 410 and "used already" in again.content.decode()
    assert client.get("/invitation/not-a-real-token/").status_code == 404


def test_an_expired_invitation_is_refused(world, login, client, mail):  # noqa: F811
    _invite(login(world.admin), world)
    link = _link(_wait_for(mail, 1)[0])
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client.logout()
    r = client.post(link, {"username": "nia", "password": GOOD, "again": GOOD})
    assert r.status_code == 410 and "expired" in r.content.decode()
    assert not User.objects.filter(username="nia").exists()


def test_a_manager_invites_only_into_their_own_council(world, login, mail):  # noqa: F811
    c = login(world.manager)
    body = _invite(c, world, role="analyst").content.decode()
    assert "Select a valid choice" in body  # an analyst is an administrator's to invite
    body = _invite(c, world, wards=[world.ward_c.pk]).content.decode()
    assert "Select a valid choice" in body  # another council's ward is not among the choices
    assert _invite(c, world).status_code == 302
    assert Invitation.objects.get().council == world.north
    for user in (world.coordinator_a, world.commissioner, world.analyst):
        assert _invite(login(user), world, email="x@lowmere.example").status_code == 403


def test_deactivate_reactivate_and_reset_the_second_factor(world, login, client):
    TOTPDevice.objects.create(user=world.coordinator_a, name="phone", confirmed=True)
    c = login(world.manager)
    base = f"/settings/people/{world.coordinator_a.pk}"
    assert "Coord_A Tester" in c.get("/settings/people/").content.decode()
    c.post(f"{base}/reset-factor/")
    assert not TOTPDevice.objects.filter(user=world.coordinator_a).exists()
    c.post(f"{base}/deactivate/")
    world.coordinator_a.refresh_from_db()
    assert not world.coordinator_a.is_active
    client.logout()
    r = client.post("/sign-in/", {"username": "coord_a", "password": PASSWORD})
    assert "_auth_user_id" not in client.session  # a deactivated account cannot sign in
    c = login(world.manager)
    c.post(f"{base}/reactivate/")
    world.coordinator_a.refresh_from_db()
    assert world.coordinator_a.is_active
    assert AuditEvent.objects.filter(detail__what="account").count() == 3
    # Another council's account, and an administrator's, are not the manager's to change.
    assert c.post(f"/settings/people/{world.coordinator_c.pk}/deactivate/").status_code == 404
    assert c.post(f"/settings/people/{world.admin.pk}/deactivate/").status_code == 404
    assert r.status_code in (200, 302)
    # Refusing one's own deactivation is a problem, not "Done".
    own = c.post(f"/settings/people/{world.manager.pk}/deactivate/", follow=True).content.decode()
    assert "You cannot deactivate your own account" in own and "There is a problem" in own
