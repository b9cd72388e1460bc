"""A manager with no mapping file builds one in real Chromium at 1024 px: sends the spreadsheet,
checks the suggested columns and values, names the mapping and sees the check-only import;
every page checked with axe."""

import pytest

from alongside.accounts.models import Role
from alongside.dataset.models import SavedMapping
from alongside.operations.models import Job
from alongside.places.models import Council
from alongside.synthetic.management.commands.legacy_demo import ensure_sites

from .conftest import do_queued_work, make_user
from .test_browser import CHROMIUM, accessible, browser, sign_in  # noqa: F401 - browser: a fixture
from .test_mapping_builder import write_sheet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desk(browser):  # noqa: F811 - the fixture imported above
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    refused = []
    pg.on("console", lambda m: refused.append(f"{pg.url}: {m.text}")
          if "Content Security Policy" in m.text else None)
    yield pg
    context.close()
    assert refused == []


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
