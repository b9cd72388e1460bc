from datetime import date, timedelta

from django.urls import reverse

from alongside.codes.lookup import code
from alongside.journeys.models import Activity, Trigger
from alongside.journeys.timeline import CALM_DAYS, Event, mark_cycles


def ev(on, kind="activity"):
    return Event(on=on, kind=kind, title=kind)


def test_a_trigger_after_a_calm_period_starts_a_new_cycle():
    d = date(2025, 1, 1)
    events = mark_cycles([
        ev(d, "introduction"), ev(d + timedelta(days=10)),
        ev(d + timedelta(days=10 + CALM_DAYS), "trigger"),  # exactly CALM_DAYS later: new cycle
        ev(d + timedelta(days=11 + CALM_DAYS)),
    ])
    assert [e.cycle for e in events] == [1, 1, 2, 2]
    assert [e.new_cycle for e in events] == [False, False, True, False]


def test_a_trigger_inside_busy_support_does_not_start_a_cycle():
    d = date(2025, 1, 1)
    events = mark_cycles([ev(d, "introduction"), ev(d + timedelta(days=30), "trigger"),
                          ev(d + timedelta(days=CALM_DAYS + 29))])
    assert [e.cycle for e in events] == [1, 1, 1]


def test_an_activity_after_a_long_gap_is_not_a_new_cycle():
    d = date(2025, 1, 1)
    assert [e.cycle for e in mark_cycles([ev(d), ev(d + timedelta(days=400))])] == [1, 1]


def test_person_page_shows_the_journey_in_date_order_and_filters_by_level(world, login):
    p = world.person_a
    Trigger.objects.create(person=p, trigger=code("trigger", "isolation"),
                           occurred_on=date(2025, 2, 20))
    Activity.objects.create(person=p, coordinator=world.coordinator_a,
                            activity=code("activity", "A3"), kind=code("activity", "advocacy"),
                            level=code("activity_level", "system"), done_on=date(2025, 4, 2))
    client = login(world.coordinator_a)
    page = client.get(reverse("person", args=[p.reference])).content.decode()
    assert page.index("Social isolation") < page.index("Home visit") < page.index("Advocacy")
    system_only = client.get(reverse("person", args=[p.reference]) + "?level=system").content.decode()
    assert "Advocacy" in system_only and "Home visit" not in system_only
