"""A manager merges a person recorded twice, on a 390 × 844 phone, in real Chromium: the other
reference, both records side by side, the merge, and its undo; every page checked with axe."""

import pytest

from alongside.journeys.models import Activity
from alongside.people.models import Person, PersonMerge

from .conftest import make_person
from .test_browser import CHROMIUM, accessible, browser, phone, sign_in  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



def test_a_manager_merges_two_records_of_one_person_and_undoes_it(world, live_server, phone):
    assert CHROMIUM
    duplicate = make_person("P-DDDDDDD", world.ward_a, world.coordinator_a, "Aled")
    page = phone
    sign_in(page, live_server, "manager_north")
    page.goto(f"{live_server.url}/people/P-AAAAAAA/")
    page.get_by_role("link", name="Merge with another record").click()
    page.get_by_role("heading", name="Merge with another record").wait_for()
    accessible(page, "merge-phone")

    # A reference that is not in the council: a clear error, nothing changed.
    page.get_by_label("Reference of the other record").fill("P-CCCCCCC")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("alert").filter(has_text="There is a problem").wait_for()
    assert "There is no person with that reference in your council" in page.content()
    accessible(page, "merge-error-phone")

    page.get_by_label("Reference of the other record").fill("P-DDDDDDD")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check the records before merging").wait_for()
    table = page.locator("#merge-records").inner_text()
    assert table.index("Kept") < table.index("Merged into it")
    assert table.index("P-AAAAAAA") < table.index("P-DDDDDDD")
    assert not PersonMerge.objects.exists()
    accessible(page, "merge-check-phone")

    page.get_by_role("button", name="Merge the records").click()
    page.get_by_role("heading", name="Aled Example").wait_for()
    assert page.url.endswith("/people/P-AAAAAAA/")
    assert "P-DDDDDDD is merged into this record" in page.get_by_role("alert").inner_text()
    page.get_by_role("heading", name="Merged records").wait_for()
    accessible(page, "merged-person-phone")
    assert Activity.objects.filter(person=world.person_a).count() == 2
    assert Person.objects.get(pk=duplicate.pk).merged_at is not None

    # The old reference finds the kept person.
    page.goto(f"{live_server.url}/people/P-DDDDDDD/")
    page.get_by_role("heading", name="Merged records").wait_for()
    assert page.url.endswith("/people/P-AAAAAAA/")

    page.get_by_role("button", name="Undo merge").click()
    page.get_by_role("alert").filter(has_text="Merge undone").wait_for()
    accessible(page, "merge-undone-phone")
    assert page.get_by_role("heading", name="Merged records").count() == 0
    assert Activity.objects.filter(person=duplicate).count() == 1
    assert Person.objects.get(pk=duplicate.pk).merged_at is None
