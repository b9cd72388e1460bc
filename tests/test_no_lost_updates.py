"""Two Coordinators editing the same record: the second save is refused, with a merge."""

import threading
import time
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from alongside.community.models import CommunityGroup
from alongside.people.models import Person

from .conftest import signed_in
from .forms_in_pages import form_values


def _open(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return form_values(response.content.decode())


def _post(client, url, data):
    return client.post(url, data)


@pytest.fixture
def two_sessions(world):
    # Coordinator A and the manager both see person A: two browsers, two sessions.
    first, second = Client(), Client()
    signed_in(first, world.coordinator_a)
    signed_in(second, world.manager)
    return first, second


def test_the_second_save_of_the_same_field_is_refused_and_both_values_shown(world, two_sessions):
    first, second = two_sessions
    url = reverse("person_details", args=[world.person_a.reference])
    mine, theirs = _open(first, url), _open(second, url)
    mine["phone"] = ["01632 960001"]
    theirs["phone"] = ["01632 960999"]
    assert _post(first, url, mine).status_code == 302
    refused = _post(second, url, theirs)
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Not saved: someone else changed this record" in page
    assert "coord_a saved a change" in page
    assert "01632 960001" in page and "01632 960999" in page       # both values, side by side
    person = Person.objects.get(pk=world.person_a.pk)
    assert person.phone == "01632 960001" and person.version == 2   # the first save stands

    # Saving the merge form again (the manager keeps their own number) now succeeds.
    merged = form_values(page)
    assert merged["version"] == ["2"]
    assert _post(second, url, merged).status_code == 302
    assert Person.objects.get(pk=world.person_a.pk).phone == "01632 960999"


def test_changes_to_different_fields_are_merged_not_lost(world, two_sessions):
    first, second = two_sessions
    # A birth month stored mid-month (as imported data can be) is shown to the month: neither
    # edit touches it, so the merge must not call it a change of theirs.
    Person.objects.filter(pk=world.person_a.pk).update(birth_month=date(1958, 3, 15))
    url = reverse("person_details", args=[world.person_a.reference])
    mine, theirs = _open(first, url), _open(second, url)
    mine["postcode"] = ["ZZ9 9ZZ"]
    theirs["phone"] = ["01632 960123"]
    _post(first, url, mine)
    page = _post(second, url, theirs).content.decode()
    assert "Taken from their change: Postcode." in page and "Enter a valid date" not in page
    merged = form_values(page)
    assert merged["postcode"] == ["ZZ9 9ZZ"] and merged["phone"] == ["01632 960123"]
    _post(second, url, merged)
    person = Person.objects.get(pk=world.person_a.pk)
    assert (person.postcode, person.phone, person.version) == ("ZZ9 9ZZ", "01632 960123", 3)


def test_a_group_edited_twice_at_once_keeps_the_first_save(world, login):
    first = Client()
    signed_in(first, world.coordinator_a)
    second = Client()
    signed_in(second, world.manager)
    url = reverse("group_edit", args=[world.group_a.pk])
    mine, theirs = _open(first, url), _open(second, url)
    mine["when"] = ["Fridays 1pm"]
    theirs["when"] = ["Mondays 10am"]
    assert _post(first, url, mine).status_code == 302
    assert "Not saved" in _post(second, url, theirs).content.decode()
    assert CommunityGroup.objects.get(pk=world.group_a.pk).when == "Fridays 1pm"


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_instant_one_wins_one_is_refused(world):
    """Both requests run at once in their own threads and database connections."""
    url = reverse("person_details", args=[world.person_a.reference])
    clients = []
    for user, phone in ((world.coordinator_a, "01632 960111"), (world.manager, "01632 960222")):
        c = Client()
        signed_in(c, user)
        data = _open(c, url)
        data["phone"] = [phone]
        clients.append((c, data))
    start = threading.Barrier(2)
    statuses = []

    def save(c, data):
        try:
            start.wait()
            statuses.append(_post(c, url, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=pair) for pair in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(statuses) == [200, 302]          # one saved (redirect), one refused (the form again)
    assert Person.objects.get(pk=world.person_a.pk).version == 2


@pytest.mark.django_db(transaction=True)
def test_closing_and_safe_waiting_at_the_same_instant_never_leave_an_exit_on_a_waiting_engagement(world):
    """Issue 29, 9: 4 of 21 simultaneous close / safe-waiting pairs left an exit on an engagement
    still waiting. Both requests here have read the engagement before either writes (they meet
    at a barrier in the form's validation), the interleaving that lost the close."""
    from unittest import mock

    from alongside.codes.lookup import code
    from alongside.front.exits import ExitForm
    from alongside.journeys.models import Engagement, Exit

    url = reverse("exit", args=[world.person_a.reference])
    today = date.today().isoformat()
    close = {"choice": "exit", "on": today, "point": code("exit_point", "planned_ending").pk,
             "response": code("exit_response", "goals_met").pk,
             "outcome": code("exit_outcome", "planned_close").pk}
    wait = {"choice": "safe_waiting", "on": today}
    clients = []
    for user, data in ((world.coordinator_a, close), (world.manager, wait)):
        c = Client()
        signed_in(c, user)
        clients.append((c, data))
    both_read = threading.Barrier(2, timeout=30)
    valid = ExitForm.is_valid

    def meet_then_validate(self):
        both_read.wait()
        if self.data.get("choice") == "safe_waiting":
            time.sleep(0.5)  # the close writes first: the order that lost it
        return valid(self)

    statuses = []

    def post(c, data):
        try:
            statuses.append(c.post(url, data).status_code)
        finally:
            connection.close()

    with mock.patch.object(ExitForm, "is_valid", meet_then_validate):
        threads = [threading.Thread(target=post, args=pair) for pair in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert statuses == [302, 302]
    engagement = Engagement.objects.get(person=world.person_a)
    exits = Exit.objects.filter(person=world.person_a).count()
    # The close stands, with its exit; the pause, made from a page read before it, changed nothing.
    assert (engagement.status.code, exits) == ("closed", 1)
