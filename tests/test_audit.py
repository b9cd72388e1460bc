from django.urls import reverse

from alongside.audit.models import AuditEvent


def test_viewing_a_person_writes_one_audit_row(world, login):
    client = login(world.coordinator_a)
    client.get(reverse("person", args=[world.person_a.reference]))
    events = list(AuditEvent.objects.all())
    assert len(events) == 1
    event = events[0]
    assert (event.username, event.role, event.action) == ("coord_a", "coordinator", "view")
    assert event.person == world.person_a
    assert event.person_reference == "P-AAAAAAA"
    assert event.path == reverse("person", args=["P-AAAAAAA"])


def test_each_view_is_a_separate_row(world, login):
    client = login(world.manager)
    for ref in ("P-AAAAAAA", "P-BBBBBBB", "P-AAAAAAA"):
        client.get(reverse("person", args=[ref]))
    assert list(AuditEvent.objects.order_by("id").values_list("person_reference", flat=True)) == [
        "P-AAAAAAA", "P-BBBBBBB", "P-AAAAAAA"]


def test_a_refused_view_records_nothing_about_the_person(world, login):
    login(world.coordinator_a).get(reverse("person", args=[world.person_c.reference]))
    assert not AuditEvent.objects.filter(person=world.person_c).exists()


def test_the_trail_survives_the_person_being_deleted(world, login):
    login(world.coordinator_a).get(reverse("person", args=[world.person_a.reference]))
    world.person_a.delete()
    event = AuditEvent.objects.get()
    assert event.person is None and event.person_reference == "P-AAAAAAA"
