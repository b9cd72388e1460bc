"""A forgotten password, reset from an e-mailed link (issue 29, 9), through a real SMTP server on
loopback (aiosmtpd): Django's SMTP backend sends, the server receives, the test reads the link out
of the message as the person would."""

import re
import socket
import time

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message as MessageHandler

from alongside.audit.models import AuditEvent

from .conftest import PASSWORD

NEW = "harbour kettle violet"


class Inbox(MessageHandler):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


@pytest.fixture
def mail(settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    settings.EMAIL_TIMEOUT = 10
    yield inbox
    server.stop()


def _wait_for(inbox, n, seconds=10):
    deadline = time.monotonic() + seconds
    while len(inbox.messages) < n and time.monotonic() < deadline:
        time.sleep(0.05)
    return inbox.messages


def _link(message) -> str:
    body = message.get_payload(decode=True).decode() if not message.is_multipart() else \
        message.get_payload(0).get_payload(decode=True).decode()
    return re.search(r"https?://[^/\s]+(/sign-in/reset/\S+/)", body)[1]


def test_a_coordinator_resets_a_forgotten_password_from_the_e_mailed_link(world, client, mail):
    world.coordinator_a.email = "aled.coordinator@lowmere.example"
    world.coordinator_a.save()
    page = client.get("/sign-in/")
    assert 'href="/sign-in/forgotten/"' in page.content.decode()
    asked = client.post("/sign-in/forgotten/", {"email": "Aled.Coordinator@lowmere.example"})
    assert asked.status_code == 302 and asked["Location"] == "/sign-in/forgotten/sent/"
    (message,) = _wait_for(mail, 1)
    assert message["To"] == "aled.coordinator@lowmere.example"
    assert message["Subject"] == "Reset your Alongside password"
    link = _link(message)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    short = client.post(set_url, {"new_password1": "short", "new_password2": "short"})
    assert short.status_code == 200 and "There is a problem" in short.content.decode()
    done = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == "/sign-in/reset/done/"
    world.coordinator_a.refresh_from_db()
    assert world.coordinator_a.check_password(NEW) and not world.coordinator_a.check_password(PASSWORD)
    # Nobody is signed in by the link: the caseload asks for a sign-in, then the second factor.
    assert client.get("/caseload/")["Location"].startswith("/sign-in/")
    signed = client.post("/sign-in/", {"username": "coord_a", "password": NEW})
    assert signed.status_code == 302
    assert "/two-factor/" in client.get("/caseload/")["Location"]
    # The link works once.
    again = client.get(link, follow=True)
    assert "This link no longer works" in again.content.decode()
    events = AuditEvent.objects.filter(user=world.coordinator_a)
    assert events.filter(detail__what="password reset e-mail").count() == 1
    assert events.filter(detail__what="own password, from an e-mailed link").count() == 1


def test_an_unknown_address_is_told_the_same_and_sent_nothing(world, client, mail):
    world.coordinator_a.email = "aled.coordinator@lowmere.example"
    world.coordinator_a.save()
    unknown = client.post("/sign-in/forgotten/", {"email": "someone@elsewhere.example"}, follow=True)
    known = client.post("/sign-in/forgotten/", {"email": "aled.coordinator@lowmere.example"}, follow=True)
    page = "If that address belongs to an account in Alongside"
    assert page in unknown.content.decode() and page in known.content.decode()
    messages = _wait_for(mail, 1)
    time.sleep(0.3)  # time for a second message, if one were (wrongly) sent
    assert [m["To"] for m in messages] == ["aled.coordinator@lowmere.example"]
    bad = client.post("/sign-in/forgotten/", {"email": "not an address"})
    assert bad.status_code == 200 and "Enter an e-mail address in the right form" in bad.content.decode()


def test_no_flood_of_reset_e_mails_and_none_for_an_account_not_yet_given_a_password(world, client, mail,
                                                                                    settings):
    world.coordinator_a.email = "aled.coordinator@lowmere.example"
    world.coordinator_a.save()
    for _ in range(settings.ALONGSIDE_RESET_EMAILS_PER_HOUR + 3):
        client.post("/sign-in/forgotten/", {"email": "aled.coordinator@lowmere.example"})
    _wait_for(mail, settings.ALONGSIDE_RESET_EMAILS_PER_HOUR)
    time.sleep(0.3)
    assert len(mail.messages) == settings.ALONGSIDE_RESET_EMAILS_PER_HOUR
    # An account made in the admin has no usable password until it is set up: no link for it.
    world.coordinator_b.email = "bethan.coordinator@lowmere.example"
    world.coordinator_b.set_unusable_password()
    world.coordinator_b.save()
    client.post("/sign-in/forgotten/", {"email": "bethan.coordinator@lowmere.example"})
    time.sleep(0.3)
    assert all(m["To"] != "bethan.coordinator@lowmere.example" for m in mail.messages)
