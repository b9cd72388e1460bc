"""A data officer (a manager) with no mapping file does the whole import in real Chromium at
1024 px: sends the spreadsheet, builds the mapping from the suggested columns and values, sees
the check; sends a copy with a wrong row and sees it refused by row and column; fixes it,
imports it with its progress, finds it in the history with its SHA-256, and undoes it. Every
page checked with axe."""

import hashlib

import pytest

from alongside.accounts.models import Role
from alongside.dataset.models import SavedMapping
from alongside.operations.models import Job
from alongside.people.models import Person
from alongside.places.models import Council
from alongside.synthetic.management.commands.legacy_demo import ensure_sites

from .conftest import do_queued_work, make_user
from .test_browser import CHROMIUM, accessible, browser, new_page, sign_in  # noqa: F401 - browser: a fixture
from .test_mapping_builder import HEADER, ROWS, write_sheet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desk(browser):  # noqa: F811 - the fixture imported above
    yield from new_page(browser, viewport={"width": 1024, "height": 768})


def test_a_manager_builds_a_mapping_and_sees_the_check(live_server, desk, settings, tmp_path):
    assert CHROMIUM
    settings.ALONGSIDE_WORK_DIR = tmp_path / "work"
    ensure_sites()
    make_user("manager_ashvale", Role.MANAGER, Council.objects.get(name="Ashvale Council"))
    sheet = write_sheet(tmp_path / "ashvale-2025.csv")
    page = desk
    sign_in(page, live_server, "manager_ashvale")
    page.goto(f"{live_server.url}/imports/")
    page.get_by_label("The spreadsheet").set_input_files(str(sheet))
    page.get_by_label("Or use a mapping kept in Alongside").select_option("build")
    accessible(page, "mapping-imports")
    page.get_by_role("button", name="Send the files").click()

    page.get_by_role("heading", name="Which column holds each field").wait_for()
    assert page.get_by_label("Given name").input_value() == "Forename"
    assert page.get_by_label("Date of birth").input_value() == "DOB"
    accessible(page, "mapping-columns")
    # A required field left without a column: an error on the page.
    page.get_by_label("Ward", exact=True).select_option("")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("alert").filter(has_text="There is a problem").wait_for()
    accessible(page, "mapping-columns-error")
    page.get_by_label("Ward", exact=True).select_option("Area")
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("heading", name="What each value means").wait_for()
    assert page.get_by_label("GP Surgery").input_value() == "gp"
    assert page.get_by_label("Ashvale Town").input_value() == "E05800101"
    page.get_by_label("Long term").select_option("L2")
    page.get_by_label("Short term").select_option("L1")
    page.get_by_label("Isolation").select_option("PA1.loneliness")
    page.get_by_label("Housing").select_option("PA4.housing")
    accessible(page, "mapping-values")
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("heading", name="Name and save the mapping").wait_for()
    accessible(page, "mapping-save")
    page.get_by_label("Name of the mapping").fill("Referrals spreadsheet")
    page.get_by_role("button", name="Save the mapping and check the spreadsheet").click()
    page.wait_for_url("**/work/*/")
    assert SavedMapping.objects.get().name == "Referrals spreadsheet"
    do_queued_work()
    assert Job.objects.get().status == Job.Status.DONE
    page.reload()
    page.get_by_text("Would import 4 people").first.wait_for()
    accessible(page, "mapping-dry-run")

    # The same spreadsheet next month, with a wrong row: born after the referral.
    wrong = [list(r) for r in ROWS]
    wrong[1][3] = "13/11/2025"
    sheet = write_sheet(tmp_path / "ashvale-2025.csv", wrong, HEADER)
    page.goto(f"{live_server.url}/imports/")
    page.get_by_label("The spreadsheet").set_input_files(str(sheet))
    page.get_by_label("Or use a mapping kept in Alongside").select_option(label="Referrals spreadsheet")
    page.get_by_role("button", name="Send the files").click()
    page.wait_for_url("**/work/*/")
    do_queued_work()
    page.reload()
    page.get_by_text("born after the introduction").first.wait_for()
    assert "ashvale-2025.csv, row 3, column 'DOB', value '2025-11-13': born after the introduction " \
           "(2025-05-14): check both dates" in page.inner_text("#job-problems")
    accessible(page, "import-refused")
    assert Person.objects.count() == 0

    # Fixed, and imported for real: the progress first, then what was written.
    sheet = write_sheet(tmp_path / "ashvale-2025.csv")
    page.goto(f"{live_server.url}/imports/")
    page.get_by_label("The spreadsheet").set_input_files(str(sheet))
    page.get_by_label("Or use a mapping kept in Alongside").select_option(label="Referrals spreadsheet")
    page.get_by_label("Check only: write nothing").uncheck()
    page.get_by_role("button", name="Send the files").click()
    page.wait_for_url("**/work/*/")
    assert page.locator("progress").count() == 1  # waiting for the worker, with its progress bar
    do_queued_work()
    page.reload()
    page.get_by_text("Imported 4 people").first.wait_for()
    assert hashlib.sha256(sheet.read_bytes()).hexdigest() in page.inner_text("main")
    accessible(page, "import-done")
    assert Person.objects.count() == 4

    # In the history, and undone from its page.
    page.goto(f"{live_server.url}/imports/")
    page.locator("#jobs a", has_text="ashvale-2025.csv").first.wait_for()
    assert page.locator("#jobs tr", has_text="check only").count() == 2  # the two checks, and the import
    page.locator("#jobs a", has_text="ashvale-2025.csv").first.click()
    page.get_by_role("button", name="Undo this import").click()
    page.get_by_text("Import undone: 4 people and 0 activities removed.").wait_for()
    accessible(page, "import-undone")
    assert Person.objects.current().count() == 0
