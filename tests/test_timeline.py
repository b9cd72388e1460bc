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


def test_on_one_day_safe_waiting_and_the_exit_come_after_that_days_work():
    d = date(2025, 3, 4)
    events = mark_cycles([
        Event(d, "exit", "exit"), Event(d, "waiting", "waiting"),
        Event(d, "activity", "second visit", seq=9), Event(d - timedelta(days=1), "activity", "before"),
        Event(d, "activity", "first call", seq=4), Event(d, "introduction", "introduced"),
        Event(d + timedelta(days=1), "activity", "after", seq=1),
    ])
    assert [e.title for e in events] == ["before", "introduced", "first call", "second visit",
                                         "waiting", "exit", "after"]


def test_on_one_day_records_come_in_the_order_they_were_saved():
    from datetime import UTC, datetime

    d = date(2025, 3, 4)

    def at(hour):
        return datetime(2025, 3, 4, hour, tzinfo=UTC)

    # Safe waiting saved at 10:00, then a call at 11:00 that brought them back; the
    # introduction (saved last, at 12:00) still opens the day.
    events = mark_cycles([
        Event(d, "activity", "call that brought them back", at=at(11), seq=2),
        Event(d, "waiting", "waiting", at=at(10), seq=7),
        Event(d, "introduction", "introduced", at=at(12), seq=9),
        Event(d, "activity", "visit", at=at(9), seq=5),
    ])
    assert [e.title for e in events] == ["introduced", "visit", "waiting", "call that brought them back"]


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


def test_the_person_page_sums_up_each_cycle_in_the_strengths_based_model(world, login):
    from alongside.journeys.models import Context, Insulator, Outcome
    from alongside.journeys.timeline import cycles, timeline

    p = world.person_a  # introduced 1 Mar 2025 with one A1 home visit (conftest)
    Context.objects.create(person=p, context=code("context", "ageing"), noted_on=date(2025, 3, 1))
    Trigger.objects.create(person=p, trigger=code("trigger", "isolation"), occurred_on=date(2025, 3, 1))
    Activity.objects.create(person=p, activity=code("activity", "A1"),
                            level=code("activity_level", "individual"), done_on=date(2025, 3, 8))
    Insulator.objects.create(person=p, insulator=code("insulator", "networks"), observed_on=date(2025, 4, 1))
    Outcome.objects.create(person=p, outcome=code("outcome", "STO3"), observed_on=date(2025, 4, 1))
    Outcome.objects.create(person=p, outcome=code("outcome", "MTO2"), present=False,
                           observed_on=date(2025, 4, 1))
    # A new pressure after a calm period (CALM_DAYS), answered at the system level.
    Trigger.objects.create(person=p, trigger=code("trigger", "cannot_navigate"), occurred_on=date(2025, 9, 1))
    Activity.objects.create(person=p, activity=code("activity", "A3"), level=code("activity_level", "system"),
                            done_on=date(2025, 9, 2))
    one, two = cycles(timeline(p))
    assert one.triggers["community"] == ["Social isolation"]
    assert one.activities["individual"] == {"A1": 2}  # the conftest visit and this one
    assert one.insulators["community"] == ["Engagement and support networks"]
    assert one.outcomes == ["STO3"]  # MTO2 was "not yet"
    assert two.triggers["system"] == ["Can't navigate the system"] and two.activities["system"] == {"A3": 1}
    assert (two.start, two.end) == (date(2025, 9, 1), date(2025, 9, 2))
    page = login(world.coordinator_a).get(reverse("person", args=[p.reference])).content.decode()
    assert "Cycle 2, Sep 2025 to Sep 2025" in page and "Ageing and transition into older age" in page
