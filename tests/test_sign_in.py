"""Signing in: password, second factor (TOTP), lock-out, idle expiry, security headers and the
production settings' deploy check."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .conftest import PASSWORD


def _code(device: TOTPDevice, later: int = 0) -> str:
    """The code an authenticator app shows, made from RFC 6238 (django-otp's TOTP), `later`
    steps ahead (the server accepts one step either side)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.drift = later
    return f"{totp.token():06d}"


def _password(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


def test_a_coordinator_gives_a_code_after_the_password_before_any_record(world, client):
    device = TOTPDevice.objects.create(user=world.coordinator_a, name="phone", confirmed=True)
    response = _password(client, world.coordinator_a)
    assert response.status_code == 302
    # Every page, including a person's record and the API docs' neighbours, waits for the code.
    for url in ("/caseload/", "/people/P-AAAAAAA/", "/people/P-AAAAAAA/everything-held/"):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/two-factor/?next=")
    # The page asked for comes back whole afterwards, query string and all.
    r = client.get("/caseload/?weeks=6&level=L2")
    assert r["Location"] == "/two-factor/?next=/caseload/%3Fweeks%3D6%26level%3DL2"
    ok = client.post("/two-factor/?next=/caseload/", {"code": _code(device)})
    assert ok.status_code == 302 and ok["Location"] == "/caseload/"
    assert client.get("/people/P-AAAAAAA/").status_code == 200


def test_a_wrong_code_is_refused_and_the_next_try_must_wait(world, client):
    device = TOTPDevice.objects.create(user=world.coordinator_a, name="phone", confirmed=True)
    _password(client, world.coordinator_a)
    right = _code(device)
    wrong = client.post("/two-factor/", {"code": "000000" if right != "000000" else "111111"})
    assert "That code is wrong or has been used" in wrong.content.decode()
    # Even the right code is refused straight after a wrong one: guessing is slowed down.
    too_soon = client.post("/two-factor/", {"code": right})
    assert too_soon.status_code == 200 and "Too many wrong codes. Wait" in too_soon.content.decode()
    assert client.get("/caseload/").status_code == 302
    letters = client.post("/two-factor/", {"code": "12ab56"})
    assert "Enter the 6 digits shown in your authenticator app" in letters.content.decode()


def test_a_code_cannot_be_used_twice(world, client):
    device = TOTPDevice.objects.create(user=world.manager, name="phone", confirmed=True)
    code = _code(device)
    _password(client, world.manager)
    assert client.post("/two-factor/", {"code": code}).status_code == 302
    client.post(reverse("logout"))
    _password(client, world.manager)
    again = client.post("/two-factor/", {"code": code})
    assert "That code is wrong or has been used" in again.content.decode()


def test_first_sign_in_sets_up_the_authenticator_from_the_key_shown(world, client):
    _password(client, world.coordinator_b)
    page = client.get("/caseload/", follow=True)
    assert page.redirect_chain[-1][0].startswith("/two-factor/set-up/")
    html = page.content.decode()
    assert "<svg" in html                                   # the QR code
    key = re.search(r'<code class="app-key">([A-Z2-7 ]+)</code>', html).group(1).replace(" ", "")
    device = TOTPDevice.objects.get(user=world.coordinator_b)
    assert not device.confirmed
    # What the person's app does with the key typed in: base32-decode it and make a code.
    import base64
    assert base64.b32decode(key + "=" * (-len(key) % 8)) == device.bin_key
    done = client.post("/two-factor/set-up/?next=/caseload/", {"code": _code(device)})
    assert done["Location"] == "/caseload/"
    device.refresh_from_db()
    assert device.confirmed


def test_commissioners_and_analysts_see_no_records_and_need_no_second_factor(world, client):
    _password(client, world.commissioner)
    assert client.get("/overview/").status_code == 200


def test_five_wrong_passwords_lock_the_account_for_a_while(world, client):
    for _ in range(5):
        client.post(reverse("login"), {"username": "coord_a", "password": "not-the-password"})
    locked = _password(client, world.coordinator_a)          # now even the right password
    assert locked.status_code == 429
    assert "Too many attempts to sign in" in locked.content.decode()
    # Another account from the same office is not locked.
    assert _password(client, world.coordinator_b).status_code == 302


def test_nobody_elsewhere_can_lock_a_coordinator_out(world, client):
    """Issue 29, 9: five requests from anywhere locked any account for 15 minutes."""
    from django.test import Client

    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        attacker.post(reverse("login"), {"username": "coord_a", "password": "not-the-password"})
    assert attacker.post(reverse("login"), {"username": "coord_a", "password": PASSWORD}).status_code == 429
    office = Client(REMOTE_ADDR="198.51.100.20")
    assert office.post(reverse("login"), {"username": "coord_a", "password": PASSWORD}).status_code == 302


def test_one_address_trying_many_accounts_is_paused(world, client, settings):
    from django.core.cache import cache
    from django.test import Client

    cache.clear()
    settings.ALONGSIDE_SIGN_IN_ADDRESS_LIMIT = 12
    spray = Client(REMOTE_ADDR="203.0.113.10")
    for i in range(12):  # 4 accounts × 3 tries: no account reaches its own lock-out
        spray.post(reverse("login"), {"username": f"user{i % 4}", "password": "guess"})
    paused = spray.post(reverse("login"), {"username": "coord_b", "password": PASSWORD})
    assert paused.status_code == 429 and "from your network" in paused.content.decode()
    elsewhere = Client(REMOTE_ADDR="198.51.100.21")
    assert elsewhere.post(reverse("login"), {"username": "coord_b", "password": PASSWORD}).status_code == 302


def test_sessions_end_after_30_idle_minutes_and_are_written_at_most_once_a_minute(world, login):
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from alongside.accounts.idle import SEEN

    client = login(world.coordinator_a)
    key = client.session.session_key
    assert django_settings.SESSION_COOKIE_AGE == 30 * 60

    def writes() -> int:
        with CaptureQueriesContext(connection) as q:
            assert client.get("/caseload/").status_code == 200
        return sum(x["sql"].startswith("UPDATE") and "django_session" in x["sql"]
                   for x in q.captured_queries)

    # First page: the expiry is pushed to 30 minutes from now.
    assert writes() == 1
    expiry = Session.objects.get(session_key=key).expire_date
    assert abs((expiry - timezone.now()).total_seconds() - 30 * 60) < 5
    # Pages within the minute do not write the session again.
    assert writes() == 0 and writes() == 0
    # A page more than a minute after the last write pushes the expiry on again.
    session = client.session
    session[SEEN] -= 61
    session.save()
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timezone.timedelta(minutes=5))
    assert writes() == 1
    assert Session.objects.get(session_key=key).expire_date > timezone.now() + timezone.timedelta(minutes=29)
    # Past its expiry, the session is gone: back to the sign-in page.
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    r = client.get("/caseload/")
    assert r.status_code == 302 and r["Location"].startswith(reverse("login"))


def test_pages_carry_a_content_security_policy_and_the_inline_scripts_its_nonce(world, login):
    response = login(world.coordinator_a).get("/caseload/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy and "object-src 'none'" in policy
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    scripts = re.findall(r"<script([^>]*)>", response.content.decode())
    inline = [s for s in scripts if "src=" not in s]
    assert inline and all(f'nonce="{nonce}"' in s for s in inline)
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


KEY = "k3y-" + "x7Qp9vLm2s" * 6      # long and varied enough for Django's check; a test value only
HOST = "alongside.example.gov.uk"


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    env = {**os.environ, "ALONGSIDE_HTTPS": "1", "ALONGSIDE_DEBUG": "0",
           "ALONGSIDE_SECRET_KEY": KEY, "ALONGSIDE_ALLOWED_HOSTS": HOST, "ALONGSIDE_DATA_DIR": str(tmp_path)}
    env.pop("ALONGSIDE_DEMO", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)   # set for the browser tests, never in production
    result = subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
                            env={**env, "DJANGO_SETTINGS_MODULE": "alongside.config.settings"},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_demo_switch_is_refused_in_production(tmp_path):
    env = {**os.environ, "ALONGSIDE_HTTPS": "1", "ALONGSIDE_DEMO": "1", "ALONGSIDE_DATA_DIR": str(tmp_path),
           "ALONGSIDE_SECRET_KEY": KEY, "ALONGSIDE_ALLOWED_HOSTS": HOST,
           "DJANGO_SETTINGS_MODULE": "alongside.config.settings"}
    result = subprocess.run([sys.executable, "-m", "django", "check", "--deploy"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "ALONGSIDE_DEMO" in result.stderr


@pytest.mark.parametrize("field", ["username", "password"])
def test_the_sign_in_form_refuses_an_oversized_post(world, client, field):
    big = {"username": "coord_a", "password": PASSWORD}
    big[field] = "x" * (3 * 1024 * 1024)
    assert client.post(reverse("login"), big).status_code == 400


@pytest.mark.parametrize("production, why", [
    ({"ALONGSIDE_HTTPS": "1"}, "ALONGSIDE_HTTPS=1"),
    ({"ALONGSIDE_ALLOWED_HOSTS": HOST}, "host names beyond loopback"),
    ({"SERVER_SOFTWARE": "gunicorn/23.0.0"}, "served by gunicorn"),
])
def test_demo_mode_will_not_start_under_any_production_setting(tmp_path, production, why):
    """Not only `check --deploy`: the settings themselves refuse, so no server starts at all."""
    env = {**os.environ, "ALONGSIDE_DEMO": "1", "ALONGSIDE_DATA_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "alongside.config.settings", **production}
    result = subprocess.run([sys.executable, "-m", "django", "check"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and why in result.stderr
    env = {k: v for k, v in env.items() if k not in production}
    assert subprocess.run([sys.executable, "-m", "django", "check"], env=env, capture_output=True,
                          timeout=120).returncode == 0  # the local demo itself still starts


def test_demo_mode_will_not_start_in_gunicorn(tmp_path):
    env = {**os.environ, "ALONGSIDE_DEMO": "1", "ALONGSIDE_DATA_DIR": str(tmp_path)}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    result = subprocess.run([str(gunicorn), "--check-config", "alongside.config.wsgi"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "served by gunicorn" in result.stdout + result.stderr


def test_the_session_gets_a_new_id_when_the_second_factor_is_accepted(world, client):
    device = TOTPDevice.objects.create(user=world.coordinator_a, name="phone", confirmed=True)
    _password(client, world.coordinator_a)
    before = client.cookies["sessionid"].value
    client.post("/two-factor/", {"code": _code(device)})
    after = client.cookies["sessionid"].value
    assert after != before
    # The id seen before the code was given opens nothing now.
    from django.test import Client

    old = Client()
    old.cookies["sessionid"] = before
    assert old.get("/people/P-AAAAAAA/").status_code == 302
    assert client.get("/people/P-AAAAAAA/").status_code == 200


def test_one_code_opens_one_of_six_sessions_trying_it_at_once(world, transactional_db):
    """Six sessions past the password, each sending the same code at the same moment."""
    import threading

    from django.db import connection
    from django.test import Client

    device = TOTPDevice.objects.create(user=world.coordinator_a, name="phone", confirmed=True)
    clients = [Client() for _ in range(6)]
    for c in clients:
        _password(c, world.coordinator_a)
    code, start, answers = _code(device), threading.Barrier(6), []

    def send(c):
        try:
            start.wait(timeout=30)
            answers.append(c.post("/two-factor/?next=/caseload/", {"code": code}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(answers) == [200] * 5 + [302]  # one accepted (a redirect), five refused


def test_a_person_changes_their_own_password_and_stays_signed_in(world, login):
    from alongside.audit.models import AuditEvent

    client = login(world.coordinator_a)
    page = client.get("/account/password/")
    assert page.status_code == 200 and "Your password now" in page.content.decode()
    new = "harbour kettle violet"
    wrong = client.post("/account/password/", {"old_password": "not-it", "new_password1": new,
                                                "new_password2": new})
    assert wrong.status_code == 200 and "There is a problem" in wrong.content.decode()
    short = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": "short",
                                                "new_password2": "short"})
    assert short.status_code == 200
    done = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": new,
                                               "new_password2": new})
    assert done.status_code == 302
    world.coordinator_a.refresh_from_db()
    assert world.coordinator_a.check_password(new)
    assert client.get("/caseload/").status_code == 200  # still signed in, second factor and all
    assert AuditEvent.objects.filter(username="coord_a", detail__what="own password").count() == 1
