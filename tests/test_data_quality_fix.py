"""Data quality lists the records behind each "missing" count, with links, scoped as always."""

import re
from datetime import date

import pytest

from alongside.codes.lookup import code
from alongside.journeys.models import Activity
from alongside.people.models import Person

pytestmark = pytest.mark.django_db


def _missing_link(body: str, record: str, field: str) -> int:
    """The count on the data-quality page's "N to complete" link for one field."""
    found = re.search(rf'record={record}&amp;field={field}&amp;period=all">(\d+) to complete', body)
    return int(found.group(1)) if found else 0


def test_the_list_behind_a_missing_count_has_exactly_the_records_counted(world, login):
    # The world: Aled (Ashley North) and Bethan (Brookside) in Lowmere, Ceri in Glasmoor, none
    # with an ethnic group. Give Bethan one; add Dewi in Ashley North with none: Aled and Dewi
    # are the two of Lowmere to complete.
    world.person_b.ethnicity = code("ethnicity", "W1")
    world.person_b.save()
    Person.objects.create(reference="P-DDDDDDD", ward=world.ward_a, coordinator=world.coordinator_a,
                          given_name="Dewi", family_name="Example")
    c = login(world.manager)
    quality = c.get("/quality/?period=all").content.decode()
    assert _missing_link(quality, "person", "ethnicity") == 2
    body = c.get("/quality/to-fix/?record=person&field=ethnicity&period=all").content.decode()
    assert "2 records have nothing in this field." in body
    assert 'href="/people/P-AAAAAAA/details/"' in body and 'href="/people/P-DDDDDDD/details/"' in body
    assert "P-BBBBBBB" not in body and "P-CCCCCCC" not in body  # recorded; another council
    # An ethnic group "not stated" is complete: it leaves the list and the count.
    world.person_a.ethnicity = code("ethnicity", "Z")
    world.person_a.save()
    body = c.get("/quality/to-fix/?record=person&field=ethnicity&period=all").content.decode()
    assert "1 record has nothing in this field." in body and "P-AAAAAAA" not in body


def test_activities_without_minutes_link_to_the_person_or_the_group(world, login):
    # Each world person has one home visit of 60 minutes. Add two without minutes in
    # Ashley North (one with Aled, one community work with the lunch club) and one in Brookside.
    a1 = code("activity", "A1")
    for person, group in ((world.person_a, None), (None, world.group_a), (world.person_b, None)):
        Activity.objects.create(person=person, group=group, coordinator=world.coordinator_a,
                                activity=a1, level=code("activity_level", "community"),
                                done_on=date(2026, 1, 5))
    manager = login(world.manager).get("/quality/to-fix/?record=activity&field=minutes&period=all")
    body = manager.content.decode()
    assert "3 records have nothing in this field." in body
    assert 'href="/people/P-AAAAAAA/"' in body and 'href="/people/P-BBBBBBB/"' in body
    assert f'href="/community/groups/{world.group_a.pk}/"' in body


def test_a_coordinator_sees_only_their_wards_records_and_others_are_refused(world, login, client):
    Person.objects.create(reference="P-DDDDDDD", ward=world.ward_b, coordinator=world.coordinator_b,
                          given_name="Dewi", family_name="Example")
    c = login(world.coordinator_a)
    body = c.get("/quality/to-fix/?record=person&field=ethnicity&period=all").content.decode()
    assert "1 record has nothing in this field." in body and "P-AAAAAAA" in body
    assert "P-DDDDDDD" not in body and "P-BBBBBBB" not in body
    # Another ward by its id, a field that is not in the dataset, a made-up record: not found.
    assert c.get(f"/quality/to-fix/?record=person&field=ethnicity&ward={world.ward_b.pk}").status_code == 404
    assert c.get("/quality/to-fix/?record=person&field=given_name").status_code == 404
    assert c.get("/quality/to-fix/?record=people&field=ethnicity").status_code == 404
    # Roles that see no identifiable records, and nobody signed in.
    for user in (world.commissioner, world.analyst):
        assert login(user).get("/quality/to-fix/?record=person&field=ethnicity").status_code == 403
    client.logout()
    assert client.get("/quality/to-fix/?record=person&field=ethnicity").status_code == 302
