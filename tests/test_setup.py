"""First run: `alongside setup` makes the first administrator on an empty database, and only
there; they sign in and are sent to set up their second factor, then to Configuration."""

import pytest
from django.core.management import CommandError, call_command

from alongside.accounts.models import Role, User
from alongside.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
GOOD = "lantern quarry pebble"


def test_the_first_administrator_is_made_once_with_a_strong_password(monkeypatch, client, capsys):
    monkeypatch.setenv("ALONGSIDE_SETUP_PASSWORD", "password")
    with pytest.raises(CommandError, match="not strong enough"):
        call_command("setup", "--username", "eira")
    assert not User.objects.exists()
    monkeypatch.setenv("ALONGSIDE_SETUP_PASSWORD", GOOD)
    call_command("setup", "--username", "eira", "--email", "eira@porthaven.example", "--name", "Eira Hughes")
    assert "eira is Alongside's first administrator" in capsys.readouterr().out
    eira = User.objects.get()
    assert (eira.role, eira.email, eira.get_full_name(), eira.check_password(GOOD)) == (
        Role.ADMINISTRATOR, "eira@porthaven.example", "Eira Hughes", True)
    assert AuditEvent.objects.filter(path="setup", user=eira).count() == 1
    with pytest.raises(CommandError, match=r"already set up \(1 accounts\)"):
        call_command("setup", "--username", "someone")
    # Signing in asks for a second factor before anything else.
    client.post("/sign-in/", {"username": "eira", "password": GOOD})
    r = client.get("/", follow=True)
    assert "/two-factor/" in r.redirect_chain[-1][0]


def test_two_different_passwords_create_nothing(monkeypatch):
    monkeypatch.delenv("ALONGSIDE_SETUP_PASSWORD", raising=False)
    answers = iter([GOOD, GOOD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="not the same"):
        call_command("setup", "--username", "eira")
    assert not User.objects.exists()
