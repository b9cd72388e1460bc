"""The configuration area's councils and wards, in the service's pages: an administrator adds
and changes them (a ward by hand or from a CSV refused by row), a manager reads their own."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alongside.audit.models import AuditEvent
from alongside.places.models import Council, Ward

pytestmark = pytest.mark.django_db


def _council(c, **extra):
    data = {"name": "Porthaven Council", "name_cy": "Cyngor Porthaven", "ons_code": "W06000099",
            "nation": "wales", "first_language": "cy"}
    data.update(extra)
    return c.post("/settings/councils/new/", data)


def test_a_new_administrator_is_walked_through_going_live(db, client):
    from alongside.accounts.models import Role

    from .conftest import make_user, signed_in

    signed_in(client, make_user("eira", Role.ADMINISTRATOR))
    steps = client.get("/settings/").content.decode()
    steps = steps[steps.index('id="steps"'):steps.index("</ol>")]
    assert steps.count("to do") == 4 and "done" not in steps
    _council(client)
    steps = client.get("/settings/").content.decode()
    steps = steps[steps.index('id="steps"'):steps.index("</ol>")]
    assert steps.count("done") == 1 and steps.count("to do") == 3


def test_an_administrator_adds_a_council_and_a_code_of_the_wrong_shape_is_refused(world, login):
    c = login(world.admin)
    body = _council(c, ons_code="W0600009").content.decode()
    assert "ONS code: E06, E07, E08, E09 or W06 and six digits, for example E06000052" in body
    assert not Council.objects.filter(name="Porthaven Council").exists()
    r = _council(c, ons_code="w06000099")
    porthaven = Council.objects.get(name="Porthaven Council")
    assert r.status_code == 302 and (porthaven.ons_code, porthaven.name_cy, porthaven.first_language) == (
        "W06000099", "Cyngor Porthaven", "cy")
    assert AuditEvent.objects.filter(action="create", detail__what="council").exists()
    assert "Porthaven Council" in c.get("/settings/").content.decode()


def test_wards_are_added_by_hand_or_from_a_csv_refused_by_row(world, login):
    c = login(world.admin)
    url = f"/settings/councils/{world.north.pk}/"
    r = c.post(url, {"add_ward": "1", "name": "Harbour", "ons_code": "E0590000", "population": "8000"})
    assert "Enter the ward" in r.content.decode() and not Ward.objects.filter(name="Harbour").exists()
    c.post(url, {"add_ward": "1", "name": "Harbour", "ons_code": "e05900010", "population": "8000"})
    assert Ward.objects.get(name="Harbour").ons_code == "E05900010"
    bad = ("code,name,population\nE05900011,Quay,7000\nX05900012,Hill,5000\nE05900011,Quay again,1\n"
           "E05900001,Ashley North,9000\nE05900013,,abc\n")
    r = c.post(url, {"upload": "1", "wards": SimpleUploadedFile("wards.csv", bad.encode())})
    body = r.content.decode()
    for problem in ("Row 3, code X05900012: not an ONS ward code (E05 or W05 and six digits)",
                    "Row 4, code E05900011: the same code as row 2",
                    "Row 5, code E05900001: already a ward in Alongside",
                    "Row 6: a name of 1 to 120 characters is needed",
                    "Row 6, population abc: a whole number is needed"):
        assert problem in body, problem
    assert not Ward.objects.filter(name="Quay").exists()  # nothing from a refused file
    good = "code,name,population\nE05900011,Quay,7000\nE05900012,Hill,5000\n"
    c.post(url, {"upload": "1", "wards": SimpleUploadedFile("wards.csv", good.encode())})
    assert set(Ward.objects.filter(council=world.north).values_list("name", flat=True)) == {
        "Ashley North", "Brookside", "Harbour", "Quay", "Hill"}
    assert AuditEvent.objects.filter(detail__what="wards").count() == 1


def test_a_manager_reads_their_own_council_and_nobody_else_changes_anything(world, login, client):
    c = login(world.manager)
    assert c.get("/settings/").url == f"/settings/councils/{world.north.pk}/"
    page = c.get(f"/settings/councils/{world.north.pk}/").content.decode()
    assert "Ashley North" in page and "Add a ward" not in page
    assert c.get(f"/settings/councils/{world.south.pk}/").status_code == 403
    r = c.post(f"/settings/councils/{world.north.pk}/",
               {"add_ward": "1", "name": "Sneaky", "ons_code": "E05900099", "population": "1"})
    assert r.status_code == 403 and not Ward.objects.filter(name="Sneaky").exists()
    assert c.get("/settings/councils/new/").status_code == 403
    for user in (world.coordinator_a, world.commissioner, world.analyst):
        assert login(user).get("/settings/").status_code == 403
    client.logout()
    assert client.get("/settings/").status_code == 302
