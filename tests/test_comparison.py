"""Sites side by side: who may see which councils, small numbers suppressed, no person named,
and three imported legacy councils landing in one comparison."""

from datetime import date

import pytest

from alongside.dataset.importer import import_file
from alongside.people.models import Person
from alongside.synthetic.legacy import write_all
from alongside.synthetic.management.commands.legacy_demo import ensure_sites

pytestmark = pytest.mark.django_db


def test_roles_see_the_councils_they_may_compare(world, login):
    analyst = login(world.analyst).get("/sites/").content.decode()
    assert "Lowmere Council" in analyst and "Glasmoor Council" not in analyst  # Glasmoor does not share
    commissioner = login(world.commissioner).get("/sites/").content.decode()
    assert "Lowmere Council" in commissioner and "Glasmoor Council" not in commissioner
    assert "Lowmere Council" in login(world.manager).get("/sites/").content.decode()
    for user in (world.coordinator_a, world.admin):
        assert login(user).get("/sites/").status_code == 403


def test_small_numbers_are_suppressed_and_nobody_is_named(world, login):
    page = login(world.analyst).get("/sites/").content.decode()
    # Lowmere has two people: every non-zero count is 1 or 2.
    assert "&lt;5" in page
    assert ">1<" not in page and ">2<" not in page
    for person in Person.objects.all():
        assert person.given_name not in page and person.reference not in page


def test_three_imported_legacy_councils_are_compared_side_by_side(world, login, tmp_path):
    ensure_sites()
    for sheet, mapping in write_all(tmp_path, 30, seed=5):
        assert import_file(sheet, mapping, dry_run=False, today=date(2026, 11, 1)).written
    page = login(world.analyst).get("/sites/").content.decode()
    for council in ("Ashvale Council", "Brynmor County Borough Council", "Calder Vale Council",
                    "Lowmere Council"):
        assert council in page
    # 30 introductions each: shown as counts with their shares.
    assert page.count(">30<") >= 3 and ">100%<" in page
    assert "Complete records" in page and "Mandatory fields filled" in page
