"""Take the README's screenshots from a running demo: python scripts/screenshots.py [URL]."""

import re
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

URL = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def sign_in(page, username):
    page.goto(f"{URL}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("alongside-demo")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", level=1).wait_for()
    second_factor(page, "Code from your authenticator app", "Continue")
    page.wait_for_load_state("networkidle")


def second_factor(page, label: str, button: str) -> None:
    """The demo (ALONGSIDE_DEMO=1, as scripts/start runs it) shows the current code. A code is
    good once: if this user signed in within its 30 s, wait for the next one."""
    for attempt in range(2):
        if "/two-factor/" not in page.url:
            return
        if attempt:
            time.sleep(31 - time.time() % 30)
            page.goto(page.url)
        code = page.locator("main strong").filter(has_text=re.compile(r"^\d{6}$")).first.inner_text()
        page.get_by_label(label).fill(code)
        page.get_by_role("button", name=button).click()
        page.get_by_role("heading", level=1).wait_for()


def welsh_pages(browser) -> None:
    """The main pages in Welsh on a 390 px phone, as a Coordinator and a manager use them."""
    phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone.context.add_cookies([{"name": "django_language", "value": "cy", "url": URL}])
    sign_in_cy(phone, "coordinator")
    phone.screenshot(path=OUT / "cy-caseload-phone.png")
    phone.locator("table a").first.click()
    phone.wait_for_load_state("networkidle")
    phone.screenshot(path=OUT / "cy-person-phone.png")
    phone.get_by_role("button", name="Cofnodi gweithgaredd").click()
    phone.wait_for_load_state("networkidle")
    phone.screenshot(path=OUT / "cy-activity-phone.png")
    phone.goto(f"{URL}/community/")
    phone.screenshot(path=OUT / "cy-community-phone.png")
    phone.context.clear_cookies()
    phone.context.add_cookies([{"name": "django_language", "value": "cy", "url": URL}])
    sign_in_cy(phone, "manager")
    for name, path in (("quality", "/quality/"), ("evidence", "/evidence/"),
                       ("economics", "/evidence/economics/")):
        phone.goto(f"{URL}{path}")
        phone.wait_for_load_state("networkidle")
        phone.screenshot(path=OUT / f"cy-{name}-phone.png")
    phone.close()


def sign_in_cy(page, username):
    page.goto(f"{URL}/sign-in/")
    page.get_by_label("Enw defnyddiwr").fill(username)
    page.get_by_label("Cyfrinair").fill("alongside-demo")
    page.get_by_role("button", name="Mewngofnodi").click()
    page.get_by_role("heading", level=1).wait_for()
    second_factor(page, "Cod o’ch ap dilysu", "Parhau")
    page.wait_for_load_state("networkidle")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 800})
        page.goto(f"{URL}/sign-in/")
        page.screenshot(path=OUT / "sign-in.png")
        sign_in(page, "coordinator")
        page.screenshot(path=OUT / "caseload.png")
        page.locator("table a").first.click()
        page.get_by_role("heading", name="Journey").wait_for()
        page.screenshot(path=OUT / "person.png", full_page=True)
        page.goto(f"{URL}/community/")
        page.screenshot(path=OUT / "community-map.png")
        page.locator("#assets").scroll_into_view_if_needed()
        page.screenshot(path=OUT / "community-assets.png")
        page.context.clear_cookies()
        sign_in(page, "manager")
        page.screenshot(path=OUT / "manager-caseloads.png")
        page.goto(f"{URL}/quality/")
        page.screenshot(path=OUT / "data-quality.png")
        page.goto(f"{URL}/quality/to-fix/?record=person&field=ethnicity&period=all")
        page.screenshot(path=OUT / "data-quality-to-complete.png")
        page.goto(f"{URL}/logic-model/")
        page.screenshot(path=OUT / "logic-model.png")
        page.goto(f"{URL}/audit/")
        page.screenshot(path=OUT / "audit-trail.png")
        page.goto(f"{URL}/principles/")
        page.locator("#quarters a").nth(1).click()  # the quarter before last: signed off
        page.get_by_role("heading", name="Self-review against the ten principles").wait_for()
        page.screenshot(path=OUT / "fidelity-review.png")
        page.context.clear_cookies()
        sign_in(page, "commissioner")
        page.screenshot(path=OUT / "overview.png", full_page=True)
        page.context.clear_cookies()
        sign_in(page, "admin")
        page.screenshot(path=OUT / "configuration.png")
        page.context.clear_cookies()
        sign_in(page, "analyst")
        page.goto(f"{URL}/sites/")
        page.screenshot(path=OUT / "sites-compared.png")
        page.goto(f"{URL}/api/v1/docs")
        page.get_by_text("/api/v1/people").first.wait_for()
        page.screenshot(path=OUT / "api-docs.png")
        phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
        sign_in(phone, "coordinator")
        phone.screenshot(path=OUT / "caseload-phone.png")
        phone.locator("table a").first.click()
        phone.get_by_role("button", name="Record an activity").click()
        phone.get_by_role("heading", name="Record an activity").wait_for()
        phone.screenshot(path=OUT / "activity-phone.png")
        welsh_pages(browser)
        browser.close()
    print(f"saved to {OUT}")


if __name__ == "__main__":
    main()
