"""The weekly e-mail to each Coordinator, sent through a real SMTP server on loopback: the
caseload page's own two lists, as references and counts only, never a name."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command

from alongside.codes.lookup import code
from alongside.journeys.models import Activity, SharedAgreement
from alongside.operations.models import Job

from .conftest import do_queued_work, make_person
from .test_password_reset import _wait_for, mail  # noqa: F401 - mail: the SMTP fixture

pytestmark = pytest.mark.django_db
TODAY = date.today()


def _body(message) -> str:
    return message.get_payload(decode=True).decode()


def test_each_coordinator_is_sent_references_and_counts_only(world, mail, settings):  # noqa: F811
    settings.ALONGSIDE_BASE_URL = "https://alongside.lowmere.example"
    world.coordinator_a.email = "coord.a@lowmere.example"
    world.coordinator_a.save()
    # Aled (P-AAAAAAA): last seen on 1 March 2025, so not in touch; his review is due in 3 days.
    SharedAgreement.objects.create(person=world.person_a, agreed_on=TODAY - timedelta(days=60),
                                   next_review_on=TODAY + timedelta(days=3))
    # Dewi: seen last week, review a month away: on neither list.
    dewi = make_person("P-DDDDDDD", world.ward_a, world.coordinator_a, "Dewi")
    Activity.objects.create(person=dewi, coordinator=world.coordinator_a, activity=code("activity", "A1"),
                            level=code("activity_level", "individual"), done_on=TODAY - timedelta(days=7))
    SharedAgreement.objects.create(person=dewi, agreed_on=TODAY, next_review_on=TODAY + timedelta(days=30))
    call_command("digest")  # queued for the worker
    job = Job.objects.get(kind=Job.Kind.DIGEST)
    do_queued_work()
    job.refresh_from_db()
    # coord_b has no address and coord_c none either: one e-mail, to coord_a.
    assert job.status == Job.Status.DONE and job.summary["sent"] == 1
    [message] = _wait_for(mail, 1)
    assert message["To"] == "coord.a@lowmere.example"
    assert message["Subject"] == "Alongside: 1 review due and 1 person not in touch"
    body = _body(message)
    assert "  P-AAAAAAA  https://alongside.lowmere.example/people/P-AAAAAAA/" in body
    assert body.count("P-AAAAAAA") == 4  # on both lists, each a reference and a link
    assert "P-DDDDDDD" not in body
    for identifying in ("Aled", "Dewi", "Example", "Ashley"):
        assert identifying not in body, identifying  # e-mail leaves the council


def test_nobody_with_nothing_due_is_e_mailed(world, mail):  # noqa: F811
    world.coordinator_a.email = "coord.a@lowmere.example"
    world.coordinator_a.save()
    Activity.objects.create(person=world.person_a, coordinator=world.coordinator_a,
                            activity=code("activity", "A1"), level=code("activity_level", "individual"),
                            done_on=TODAY)
    call_command("digest", "--now")
    assert mail.messages == []


def test_a_welsh_first_council_s_coordinator_is_written_to_in_welsh(world, mail):  # noqa: F811
    world.north.first_language = "cy"
    world.north.save()
    world.coordinator_a.email = "coord.a@lowmere.example"
    world.coordinator_a.save()
    call_command("digest", "--now")
    [message] = _wait_for(mail, 1)
    from email.header import decode_header, make_header

    assert str(make_header(decode_header(message["Subject"]))) == (
        "Alongside: 0 adolygiad i’w gynnal a 1 person heb gysylltiad")
    assert "Dim cysylltiad ers 6 wythnos neu fwy (1):" in _body(message)
    assert "not in touch" not in _body(message).lower()
