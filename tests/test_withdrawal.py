"""Erasure and withdrawn consent reach the stored reports (issue 29, 2): a shared story went
word for word into a commissioner's stored report and stayed there after the person's consent
became "refused" and after "Erase identifiers"; subject access did not list it."""

from datetime import date

import pytest

from alongside.codes.lookup import code
from alongside.journeys.models import Story
from alongside.reports import writing
from alongside.reports.models import Report

from .conftest import do_queued_work, signed_in

TOLD = "Aled found the allotment group on Tanner Street"


@pytest.fixture
def told(world):
    story = Story.objects.create(ward=world.ward_a, person=world.person_a, title="The allotment",
                                 written_on=date(2025, 7, 1), before="Alone at home.",
                                 what_happened="Met people.", what_changed=TOLD, consent_to_share=True)
    return story


def _report(world) -> Report:
    report = Report.objects.create(kind="site", council=world.north, period="2025/26-Q2", language="en")
    return writing.write(report)


def test_a_story_goes_in_a_report_only_once_a_manager_has_checked_it(client, world, told):
    first = _report(world)
    assert first.status == Report.Status.DONE and TOLD not in first.html and first.story is None
    signed_in(client, world.coordinator_a)
    assert client.post(f"/stories/{told.pk}/", {"checked_for_reports": "1"}).status_code == 403
    signed_in(client, world.manager)
    assert client.post(f"/stories/{told.pk}/", {"checked_for_reports": "1"}).status_code == 302
    second = _report(world)
    assert TOLD in second.html and second.story == told


def _checked(story, world):
    Story.objects.filter(pk=story.pk).update(checked_for_reports_on=date(2025, 7, 2),
                                             checked_for_reports_by=world.manager)


def test_withdrawn_consent_empties_the_stored_report_and_it_is_written_again_without_the_story(
        client, world, told):
    _checked(told, world)
    report = _report(world)
    assert TOLD in report.html and report.pdf
    signed_in(client, world.coordinator_a)
    held = client.get(f"/people/{world.person_a.reference}/everything-held/").content.decode()
    assert "Reports that tell your story" in held and "2025/26-Q2" in held
    r = client.post(f"/people/{world.person_a.reference}/consent/", {
        "status": code("consent_status", "withdrawn").pk, "lawful_basis": code("lawful_basis", "6.1.e").pk,
        "recorded_on": "2025-08-01"})
    assert r.status_code == 302
    report.refresh_from_db()
    # At once, before any worker runs: nothing of the story is stored.
    assert report.html == "" and report.pdf is None and report.status == Report.Status.QUEUED
    do_queued_work()
    report.refresh_from_db()
    assert report.status == Report.Status.DONE and report.html and TOLD not in report.html
    assert report.story is None
    assert "Reports that tell your story" not in client.get(
        f"/people/{world.person_a.reference}/everything-held/").content.decode()


def test_erasure_reaches_the_stored_report(client, world, told):
    from alongside.people.privacy import erase

    _checked(told, world)
    report = _report(world)
    assert TOLD in report.html
    done = erase(world.person_a)
    assert done["reports.Report"] == 1
    report.refresh_from_db()
    assert TOLD not in report.html and report.pdf is None
    do_queued_work()
    report.refresh_from_db()
    assert report.status == Report.Status.DONE and TOLD not in report.html
    assert "allotment" not in report.html.lower()


def test_queueing_again_is_only_for_the_reports_that_told_the_story(world, told):
    _checked(told, world)
    telling = _report(world)
    other = Report.objects.create(kind="site", council=world.south, period="2025/26-Q2", language="en")
    writing.write(other)
    from alongside.reports.withdrawal import write_again_without

    assert write_again_without(world.person_b) == 0
    assert write_again_without(world.person_a) == 1
    other.refresh_from_db()
    assert other.status == Report.Status.DONE and other.html
    telling.refresh_from_db()
    assert telling.status == Report.Status.QUEUED
