"""Dates are typed into the GOV.UK date input (day, month, year), today's date by default."""

from datetime import date, timedelta

import pytest

from alongside.codes.lookup import code
from alongside.journeys.models import Activity

pytestmark = pytest.mark.django_db
URL = "/people/P-AAAAAAA/record/trigger/"


def _post(c, **parts):
    return c.post(URL, {"trigger": code("trigger", "stress_anxiety").pk, **parts})


def test_the_date_is_three_labelled_boxes_holding_today(world, login):
    body = login(world.coordinator_a).get(URL).content.decode()
    today = date.today()
    for part, value in (("day", today.day), ("month", today.month), ("year", today.year)):
        assert f'name="occurred_on_{part}" type="text" inputmode="numeric" value="{value}"' in body
    assert 'class="govuk-date-input"' in body and "For example, 27 3 2026" in body


def test_day_month_and_year_make_the_date_and_a_date_that_is_not_one_is_refused(world, login):
    c = login(world.coordinator_a)
    assert _post(c, occurred_on_day="3", occurred_on_month="02", occurred_on_year="2026").status_code == 302
    assert world.person_a.triggers.get().occurred_on == date(2026, 2, 3)
    for day, month, year in (("31", "2", "2026"), ("3", "13", "2026"), ("3", "2", "26"),
                             ("3", "", "2026"), ("3rd", "2", "2026")):
        body = _post(c, occurred_on_day=day, occurred_on_month=month, occurred_on_year=year).content.decode()
        assert "Enter a real date, for example 27 3 2026" in body, (day, month, year)
        assert "govuk-input--error" in body
    body = _post(c, occurred_on_day="", occurred_on_month="", occurred_on_year="").content.decode()
    assert "This field is required." in body
    tomorrow = date.today() + timedelta(days=1)
    body = _post(c, occurred_on_day=str(tomorrow.day), occurred_on_month=str(tomorrow.month),
                 occurred_on_year=str(tomorrow.year)).content.decode()
    assert "Enter a date that is today or in the past" in body
    assert world.person_a.triggers.count() == 1  # nothing refused was written


def test_a_whole_iso_date_is_still_read(world, login):
    c = login(world.coordinator_a)
    r = c.post("/people/P-AAAAAAA/record/activity/", {"kind": code("activity", "home_visit").pk,
                                                      "done_on": "2026-01-05"})
    assert r.status_code == 302
    assert Activity.objects.latest("id").done_on == date(2026, 1, 5)
