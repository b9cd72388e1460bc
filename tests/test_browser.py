"""Real Chromium, headless, through Playwright: sign in and walk the first pages,
checking each with axe-core (WCAG 2.2 AA rules) and saving a screenshot to look at."""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from .conftest import PASSWORD

# Playwright's sync API keeps an event loop running in the test thread; Django's guard
# against ORM calls from async code would then refuse the test database set-up.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("ALONGSIDE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = Path(os.environ.get("ALONGSIDE_SCREENSHOTS", "test-artifacts/screenshots"))
AXE_RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                     "wcag22aa", "best-practice"]}}


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/system-packages)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


def accessible(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)
    results = Axe().run(page, options=AXE_RULES)
    assert results.violations_count == 0, results.generate_report()


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_coordinator_signs_in_sees_their_people_and_opens_a_journey(world, live_server, page):
    page.goto(live_server.url + "/")
    assert "/sign-in/" in page.url
    accessible(page, "sign-in")

    sign_in(page, live_server, "coord_a")
    page.get_by_role("heading", name="Your people").wait_for()
    table = page.get_by_role("table")
    assert "Aled Example" in table.inner_text()
    assert "Bethan" not in page.content()
    accessible(page, "caseload")

    page.get_by_role("link", name="Aled Example").click()
    page.get_by_role("heading", name="Aled Example").wait_for()
    assert "Home visit" in page.get_by_role("list").filter(has_text="Home visit").inner_text()
    accessible(page, "person")


def test_a_wrong_password_gets_a_clear_message(world, live_server, page):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("coord_a")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text().startswith("There is a problem")
    accessible(page, "sign-in-error")


def test_commissioner_overview_is_accessible_and_anonymous(world, live_server, page):
    sign_in(page, live_server, "commissioner_north")
    page.get_by_role("heading", name="Overview").wait_for()
    assert "Aled" not in page.content()
    accessible(page, "overview")


def test_caseload_fits_a_phone_screen(world, live_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    pg = context.new_page()
    sign_in(pg, live_server, "coord_a")
    pg.get_by_role("heading", name="Your people").wait_for()
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=SHOTS / "caseload-phone.png", full_page=True)
    overflow = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than a 390px phone"
    context.close()
