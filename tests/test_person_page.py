"""A person's page: the current cycle first and earlier cycles folded; nothing new can be
recorded for a person whose identifiers were erased."""

from datetime import date

from django.urls import reverse

from alongside.codes.lookup import code
from alongside.journeys.models import Activity, Trigger
from alongside.people.privacy import erase


def test_the_current_cycle_comes_first_and_earlier_ones_are_folded(world, login):
    person = world.person_a  # introduced 1 March 2025, a home visit that day (cycle 1)
    # A new pressure after a calm period of more than a year starts cycle 2.
    Trigger.objects.create(person=person, trigger=code("trigger", "health_issue"),
                           occurred_on=date(2026, 6, 1))
    Activity.objects.create(person=person, coordinator=world.coordinator_a, activity=code("activity", "A2"),
                            level=code("activity_level", "individual"), done_on=date(2026, 6, 3))
    page = login(world.coordinator_a).get(reverse("person", args=[person.reference])).content.decode()
    journey = page[page.index(">Journey<"):]
    current = journey.index('id="current-cycle"')
    folded = journey.index('class="govuk-details app-earlier-cycle"')
    assert current < folded
    assert "Cycle 2, since 1 Jun 2026 (current)" in journey
    assert "Cycle 1, Mar 2025 to Mar 2025: 2 records" in journey
    # The 2026 work is shown before the folded 2025 cycle.
    assert journey.index("3 Jun 2026") < folded < journey.index("1 Mar 2025")


def test_nothing_more_is_recorded_for_an_erased_person(world, login):
    erase(world.person_a, on=date(2026, 1, 5))
    client = login(world.coordinator_a)
    page = client.get(reverse("person", args=["P-AAAAAAA"])).content.decode()
    assert "Record an activity" not in page and "nothing more can be recorded" in page
    before = Activity.objects.count()
    ref = "P-AAAAAAA"
    for url in (reverse("record", args=[ref, "activity"]), reverse("conversation", args=[ref]),
                reverse("agreement", args=[ref]), reverse("exit", args=[ref]),
                reverse("reintroduction", args=[ref])):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("record", args=["P-AAAAAAA", "activity"]),
                       {"activity": code("activity", "A1").pk}).status_code == 404
    assert Activity.objects.count() == before
