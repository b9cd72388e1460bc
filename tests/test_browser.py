"""Real Chromium, headless, through Playwright: sign in and walk the first pages,
checking each with axe-core (WCAG 2.2 AA rules) and saving a screenshot to look at."""

import os
import re
from datetime import date
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import sync_playwright

from alongside.accounts.models import User
from alongside.accounts.two_factor import code_now
from alongside.journeys.models import Activity

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


def new_page(browser, **context):
    """A page in a context of its own that fails the test on anything the Content-Security-Policy
    blocks (a page that breaks in a real browser)."""
    ctx = browser.new_context(**context)
    pg = ctx.new_page()
    pg.set_default_timeout(10_000)
    refused = []
    pg.on("console", lambda m: refused.append(f"{pg.url}: {m.text}")
          if "Content Security Policy" in m.text else None)
    yield pg
    ctx.close()
    assert refused == []


@pytest.fixture
def page(browser):
    yield from new_page(browser, viewport={"width": 1024, "height": 768})


@pytest.fixture
def phone(browser):
    """A 390 × 844 touch phone."""
    yield from new_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)


def accessible(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)
    results = Axe().run(page, options=AXE_RULES)
    assert results.violations_count == 0, results.generate_report()


def authenticator_code(username: str) -> str:
    """What the user's authenticator app shows now (a device is made on first use)."""
    device, _ = TOTPDevice.objects.get_or_create(user=User.objects.get(username=username),
                                                 defaults={"name": "phone", "confirmed": True})
    return code_now(device)


def sign_in(page, live_server, username):
    code = authenticator_code(username)
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/two-factor/" in page.url:
        page.get_by_label("Code from your authenticator app").fill(code)
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()


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


def test_a_forgotten_password_is_reset_from_the_e_mailed_link(world, live_server, page):
    import re

    from django.core import mail

    world.coordinator_a.email = "aled.coordinator@lowmere.example"
    world.coordinator_a.save()
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_role("heading", name="Reset your password").wait_for()
    page.get_by_role("button", name="Send the link").click()
    assert "Enter your work e-mail address" in page.get_by_role("alert").inner_text()
    accessible(page, "password-reset-error")
    page.get_by_label("Your work e-mail address").fill("aled.coordinator@lowmere.example")
    page.get_by_role("button", name="Send the link").click()
    page.get_by_role("heading", name="Check your e-mail").wait_for()
    accessible(page, "password-reset-sent")
    (message,) = mail.outbox
    path = re.search(r"https?://[^/\s]+(/sign-in/reset/\S+/)", message.body)[1]
    page.goto(f"{live_server.url}{path}")
    page.get_by_role("heading", name="Choose a new password").wait_for()
    accessible(page, "password-reset-set")
    page.get_by_label("New password", exact=True).fill("harbour kettle violet")
    page.get_by_label("New password again").fill("harbour kettle violet")
    page.get_by_role("button", name="Set the password").click()
    page.get_by_role("heading", name="Your password has been changed").wait_for()
    accessible(page, "password-reset-done")


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


def test_a_coordinator_walks_alongside_from_introduction_to_exit(world, live_server, page):
    """The whole recording flow in a real browser, each page checked with axe; then the
    manager finds the person and their journey."""
    sign_in(page, live_server, "coord_a")
    page.get_by_role("button", name="Record an introduction").click()
    page.get_by_role("heading", name="Record an introduction").wait_for()
    accessible(page, "introduction-new")
    page.get_by_role("button", name="Save introduction").click()  # nothing filled in
    page.get_by_role("alert").filter(has_text="There is a problem").wait_for()
    accessible(page, "introduction-errors")

    page.get_by_label("First name").fill("Dylan")
    page.get_by_label("Last name").fill("Rees")
    page.get_by_label("Who made the introduction?").select_option(label=(
        "GP or primary care (incl. social prescribing link worker)"))
    page.get_by_label("PA1 Social isolation").check()
    page.get_by_label("Level 2 – walking alongside").check()
    page.get_by_label("Month of birth").fill("1951-06")
    page.get_by_label("Gender").select_option(label="Not stated")
    page.get_by_label("Ethnic group").select_option(label="Not stated")
    page.get_by_label("Long-term condition").select_option(label="Yes")
    page.get_by_label("Relationship to services").select_option(label="Not known")
    page.get_by_role("button", name="Save introduction").click()
    page.get_by_role("heading", name="Dylan Rees").wait_for()
    assert "Introduction recorded for Dylan Rees" in page.content()
    accessible(page, "person-new")
    reference = page.url.rstrip("/").rsplit("/", 1)[1]

    page.get_by_role("link", name="Good-life conversation").click()
    page.get_by_label("What does a good life look like, in their words?").fill(
        "To sing in a choir again and have people to talk to")
    page.get_by_label("What can you do using your gifts, skills and experiences?").fill(
        "I used to teach piano")
    page.locator("#id_strength-0-kind").select_option(label="Skill")
    page.locator("#id_strength-0-description").fill("Plays the piano")
    accessible(page, "conversation")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Good-life conversation saved").wait_for()

    page.get_by_role("link", name="Shared agreement").click()
    fill_date(page, "Next review", date(2099, 1, 31))
    page.locator("#id_action-0-description").fill("Visit the community choir together")
    page.locator("#id_action-0-who").fill("Dylan and Coordinator")
    accessible(page, "agreement")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Shared agreement saved").wait_for()

    # the quick activity: one tap on the type, the minutes, save (date and level default)
    page.get_by_role("button", name="Record an activity").click()
    accessible(page, "activity")
    page.get_by_label("Home visit").check()
    page.get_by_label("Minutes, including travel").fill("45")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved").first.wait_for()

    page.get_by_role("link", name="Connection").click()
    page.get_by_label("A community group").check()
    page.get_by_label("Community group", exact=True).select_option(label="Ashley Lunch Club")
    accessible(page, "connection")
    page.get_by_role("button", name="Save").click()

    page.get_by_role("link", name="Outcome", exact=True).click()
    page.get_by_label("Outcome").select_option(
        label="STO1 Better able to use available skills, information and support")
    page.get_by_label("Evidence").fill("“I rang the choir myself this week”")
    accessible(page, "outcome")
    page.get_by_role("button", name="Save").click()

    page.get_by_role("link", name="Insulator").click()
    page.get_by_label("Engagement and support networks").check()
    page.get_by_label("Evidence").fill("Has two friends from the lunch club")
    accessible(page, "insulator")
    page.get_by_role("button", name="Save").click()

    page.get_by_role("link", name="Review", exact=True).click()
    page.get_by_label("Visit the community choir together (Dylan and Coordinator)").check()
    page.get_by_label("What has changed since the last review?").fill("Joined the choir")
    accessible(page, "review")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Review saved").wait_for()

    page.get_by_role("link", name="Close or pause").click()
    page.get_by_label("Close: walking alongside has ended").check()
    page.get_by_label("Where in the journey did it end?").select_option(label="Planned ending")
    page.get_by_label("Why did it end?").select_option(
        label="Vision and plan achieved; connected and independent")
    page.get_by_label("What happened next?").select_option(label="Closed by agreement")
    accessible(page, "close")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Walking alongside closed").wait_for()
    timeline = page.locator(".app-timeline").inner_text()
    for seen in ("Introduced by GP", "Good-life conversation", "Shared agreement made",
                 "A1 Home visit (45 min)", "Connected to Ashley Lunch Club", "STO1",
                 "Insulator: Engagement and support networks", "Review", "Exit: Closed by agreement"):
        assert seen in timeline, seen
    accessible(page, "person-journey")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "manager_north")
    page.get_by_role("heading", name="Caseloads in your site").wait_for()
    accessible(page, "caseload-manager")
    page.get_by_role("link", name="Closed").click()
    page.get_by_role("link", name="Dylan Rees").click()
    page.get_by_role("heading", name="Dylan Rees").wait_for()
    assert reference in page.url
    assert "Joined the choir" in page.locator(".app-timeline").inner_text()


def test_community_map_and_story_pages_are_accessible(world, live_server, page):
    sign_in(page, live_server, "coord_a")
    page.get_by_role("link", name="Community map").click()
    page.get_by_role("heading", name="Community map").wait_for()
    accessible(page, "community-map")
    page.get_by_role("link", name="Ashley Lunch Club").click()
    accessible(page, "group")
    page.get_by_role("button", name="Record support").click()
    page.get_by_label("Funding found").check()
    accessible(page, "group-support")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Support recorded").wait_for()
    page.get_by_role("button", name="Record community work").click()
    accessible(page, "group-work")
    page.goto(f"{live_server.url}/community/groups/new/")
    accessible(page, "group-new")
    page.goto(f"{live_server.url}/community/gaps/new/")
    accessible(page, "gap-new")
    page.goto(f"{live_server.url}/community/drop-ins/new/")
    accessible(page, "drop-in-new")
    page.goto(f"{live_server.url}/community/assets/new/")
    accessible(page, "asset-new")
    page.get_by_label("Name", exact=True).fill("Ashley community garden")
    page.get_by_label("Buildings and spaces").check()
    page.get_by_label("What it offers").fill("Raised beds anyone can use")
    page.get_by_label("Ashley Lunch Club").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Ashley community garden").wait_for()
    accessible(page, "asset")
    page.get_by_role("link", name="Back to the community map").click()
    page.get_by_role("link", name="Ashley community garden").wait_for()
    accessible(page, "community-map-assets")
    page.goto(f"{live_server.url}/people/P-AAAAAAA/")
    for what in ("trigger", "context", "ripple"):
        page.goto(f"{live_server.url}/people/P-AAAAAAA/record/{what}/")
        accessible(page, f"record-{what}")
    page.goto(f"{live_server.url}/people/P-AAAAAAA/introduction/")
    accessible(page, "reintroduction")
    page.goto(f"{live_server.url}/stories/new/?person=P-AAAAAAA")
    page.get_by_label("Title").fill("Singing again")
    page.get_by_label("Life before LAC").fill("Alone at home most days")
    page.get_by_label("What happened", exact=True).fill("Met the choir with the Coordinator")
    page.get_by_label("What changed").fill("Sings every week")
    page.get_by_label("PA1 Social isolation").check()
    accessible(page, "story-new")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Singing again").wait_for()
    accessible(page, "story")
    page.get_by_role("link", name="Back to stories").click()
    accessible(page, "stories")


def test_recording_an_activity_fits_a_phone_screen(world, live_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    pg = context.new_page()
    sign_in(pg, live_server, "coord_a")
    for path, name in (("/people/P-AAAAAAA/", "person-phone"),
                       ("/people/P-AAAAAAA/record/activity/", "activity-phone"),
                       ("/introductions/new/", "introduction-phone")):
        pg.goto(live_server.url + path)
        SHOTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=SHOTS / f"{name}.png", full_page=True)
        overflow = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than a 390px phone"
    context.close()


def test_an_activity_takes_three_taps_and_no_scrolling_on_a_phone(world, live_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    pg = context.new_page()
    sign_in(pg, live_server, "coord_a")
    pg.goto(f"{live_server.url}/people/P-AAAAAAA/record/activity/")
    accessible(pg, "activity-quick")
    taps = 0

    def tap(locator):
        nonlocal taps
        box = locator.bounding_box()
        # on the first screen, without scrolling: the whole control inside the 844 px
        assert box["y"] >= 0 and box["y"] + box["height"] <= 844, locator
        assert pg.evaluate("window.scrollY") == 0
        locator.tap()
        taps += 1

    tap(pg.get_by_label("Phone call or message"))
    tap(pg.get_by_label("Minutes, including travel"))
    pg.keyboard.type("20")
    tap(pg.get_by_role("button", name="Save"))
    pg.get_by_text("Saved").first.wait_for()
    assert taps == 3
    a = Activity.objects.latest("id")
    assert (a.person_id, a.kind.code, a.minutes, a.done_on) == (world.person_a.pk, "phone_call", 20,
                                                                 date.today())
    # The other types are one tap further, under "More types".
    pg.goto(f"{live_server.url}/people/P-AAAAAAA/record/activity/")
    assert not pg.get_by_label("Multi-agency meeting").is_visible()
    pg.get_by_text("More types").tap()
    assert pg.get_by_label("Multi-agency meeting").is_visible()
    accessible(pg, "activity-more-types")
    context.close()


def fill_date(page, legend: str, day) -> None:
    """Type a date into the GOV.UK date input whose legend is `legend`."""
    group = page.get_by_role("group", name=re.compile(f"^{re.escape(legend)}"))
    for part, value in (("Day", day.day), ("Month", day.month), ("Year", day.year)):
        group.get_by_label(part, exact=True).fill(str(value))


def test_the_data_quality_page_is_accessible_and_shows_missing_fields(world, live_server, page):
    sign_in(page, live_server, "manager_north")
    page.get_by_role("link", name="Data quality").click()
    page.get_by_role("heading", name="Data quality").wait_for()
    page.get_by_label("Period").select_option("all")
    page.get_by_role("button", name="Show").click()
    # The world's people have no ethnicity: 2 of 2 in Lowmere are missing it.
    row = page.locator("#person tr", has_text="Ethnic group")
    assert row.locator("td").nth(2).inner_text().startswith("100.0%")
    accessible(page, "data-quality")
    # and lists the two records to complete, each a link to where it is completed
    row.get_by_role("link", name=re.compile(r"^2 to complete\W+Ethnic group")).click()
    page.get_by_role("heading", name="Records to complete: Ethnic group").wait_for()
    accessible(page, "data-quality-to-complete")
    page.get_by_role("link", name="Aled Example").click()
    page.get_by_label("Ethnic group").select_option(label="Not stated")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Aled Example").wait_for()
    page.go_back()
    page.go_back()
    page.reload()
    assert "1 record has nothing in this field." in page.content()


def test_the_site_comparison_is_accessible(world, live_server, page):
    sign_in(page, live_server, "analyst")
    page.get_by_role("link", name="Sites compared").click()
    page.get_by_role("heading", name="Sites compared").wait_for()
    assert "Lowmere Council" in page.locator("#comparison thead").inner_text()
    accessible(page, "sites-compared")


def test_a_baseline_and_a_follow_up_show_the_change_on_the_timeline(world, live_server, page):
    from datetime import date, timedelta
    sign_in(page, live_server, "coord_a")
    page.goto(f"{live_server.url}/people/P-AAAAAAA/")
    page.get_by_role("link", name="Ask – Three-item UCLA loneliness scale").click()
    page.get_by_role("heading", name="Three-item UCLA loneliness scale").wait_for()
    accessible(page, "measure-ucla")
    fill_date(page, "Date", date.today() - timedelta(days=90))
    for question in ("lack companionship", "left out", "isolated from others"):
        page.get_by_role("group", name=re.compile(question)).get_by_label("Often").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved").wait_for()
    page.get_by_role("link", name="Ask again – Three-item UCLA loneliness scale").click()
    for question, answer in (("lack companionship", "Some of the time"), ("left out", "Hardly ever or never"),
                             ("isolated from others", "Some of the time")):
        page.get_by_role("group", name=re.compile(question)).get_by_label(answer).check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved").wait_for()
    # Often ×3 = 9 at baseline; 2 + 1 + 2 = 5 now.
    row = page.locator("table", has_text="UCLA loneliness score").locator("tbody tr")
    assert row.locator("td").all_inner_texts() == ["9", "5"]
    journey = page.locator(".app-timeline").inner_text()
    assert "UCLA loneliness score (3–9) 9" in journey and "UCLA loneliness score (3–9) 5" in journey
    accessible(page, "person-with-measures")
    page.context.clear_cookies()
    sign_in(page, live_server, "manager_north")
    page.get_by_role("link", name="Evidence").click()  # the hub of the analyses
    page.get_by_role("link", name="Distance travelled").click()
    page.get_by_role("heading", name="Distance travelled").wait_for()
    accessible(page, "distance")


def test_the_logic_model_pages_are_accessible(world, live_server, page):
    from alongside.logic_models.versions import demo_model
    demo_model(world.north)
    sign_in(page, live_server, "manager_north")
    page.get_by_role("link", name="Evidence").click()  # the hub of the analyses
    page.get_by_role("link", name="Logic model").click()
    page.get_by_role("heading", name="Logic model").wait_for()
    assert "leads to STO3 Less isolated" in page.locator("main").inner_text()
    accessible(page, "logic-model")
    page.get_by_role("button", name="Change the model").click()
    page.get_by_role("heading", name="Change the logic model").wait_for()
    accessible(page, "logic-model-edit")
    page.context.clear_cookies()
    sign_in(page, live_server, "analyst")
    page.goto(f"{live_server.url}/logic-model/network/")
    accessible(page, "logic-model-network")


def test_the_evidence_pages_are_accessible(world, live_server, page):
    """A manager goes from Evidence to each analysis; a QCA is run from the form."""
    sign_in(page, live_server, "manager_north")
    page.get_by_role("link", name="Evidence").click()
    page.get_by_role("heading", name="Evidence").wait_for()
    accessible(page, "evidence")
    page.get_by_role("link", name="Problems, activities and outcomes").click()
    page.get_by_role("heading", name="Problems, activities and outcomes").wait_for()
    accessible(page, "evidence-patterns")
    page.goto(f"{live_server.url}/evidence/funnel/")
    accessible(page, "evidence-funnel")
    page.goto(f"{live_server.url}/evidence/model/?period=all")
    page.get_by_text("The flows as a table").click()
    accessible(page, "evidence-model")
    page.goto(f"{live_server.url}/evidence/qca/")
    page.get_by_label("Period").select_option(label="All time")
    page.get_by_label("Outcome").select_option(label="STO1 Better able to use available skills, "
                                                     "information and support")
    page.get_by_label("A1 One-to-one work (walking alongside)").check()
    page.get_by_label("A2 Recommend, signpost, refer and support use of community resources").check()
    # A "how many" condition whose bands are not all present is refused, saying which band
    page.get_by_label("Levels worked at (individual, community, system)").check()
    page.get_by_role("button", name="Analyse").click()
    page.get_by_role("heading", name="Result").wait_for()
    assert "Nobody in this selection has Levels worked at" in page.locator("main").inner_text()
    page.get_by_label("Levels worked at (individual, community, system)").uncheck()
    page.get_by_label("Directional expectations").fill("A1, A2")
    page.get_by_role("button", name="Analyse").click()
    page.get_by_role("heading", name="Result").wait_for()
    page.screenshot(path=SHOTS / "evidence-qca-result.png", full_page=True)
    assert "Truth table" in page.locator("#truth-table caption").inner_text()
    assert page.locator("#truth-table thead").inner_text().split()[:2] == ["A1", "A2"]
    page.get_by_role("heading", name="Intermediate solution").wait_for()
    accessible(page, "evidence-qca")


def test_a_manager_writes_the_quarterly_report_and_the_pdf_opens(world, live_server, worker, page, tmp_path):
    """From Evidence to Reports; the report is written in the background while the page shows
    progress; the PDF opens (pdftoppm draws its first page) and states completeness on page 1."""
    import subprocess

    from alongside.places.models import ProgrammeCost

    ProgrammeCost.objects.create(council=world.north, year="2024/25", coordinator_fte=2, salary=30000,
                                 on_costs=25, management=0, venues=0, overheads=0)
    sign_in(page, live_server, "manager_north")
    page.goto(f"{live_server.url}/evidence/")
    page.get_by_role("link", name="Reports").click()
    page.get_by_role("heading", name="Reports", exact=True).wait_for()
    accessible(page, "reports")
    page.get_by_label("Quarter", exact=True).select_option(value="2024/25-Q4")
    page.get_by_role("button", name="Write the report").click()
    page.get_by_role("heading", name="Quarterly site report").wait_for()
    page.locator("#report-ready").wait_for(timeout=60_000)
    accessible(page, "report-ready")
    href = page.get_by_role("link", name="Open the PDF").get_attribute("href")
    response = page.request.get(live_server.url + href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.body())
    subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", "60", "-png", str(pdf), str(tmp_path / "p")],
                   check=True, timeout=60)
    first = next(tmp_path.glob("p*.png"))
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "report-first-page.png").write_bytes(first.read_bytes())
    assert first.stat().st_size > 10_000  # a drawn page, not a blank one
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    assert "How complete the data is" in text and "Lowmere Council" in text
    assert "Quarter 4 of 2024/25 (January 2025 to March 2025)" in text
    page.goto(live_server.url + href.replace("/pdf/", "/view/"))
    accessible(page, "report-html")


def test_a_manager_makes_an_export_and_downloads_it_on_a_phone(world, live_server, worker, page, tmp_path,
                                                               settings):
    """Evidence → Exports on a 390-pixel phone: the export is made by the worker while the page
    shows progress, then downloads as one zip with the council's people in it."""
    import zipfile

    settings.ALONGSIDE_WORK_DIR = tmp_path / "work"
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "manager_north")
    page.goto(f"{live_server.url}/evidence/")
    page.get_by_role("link", name="Exports").click()
    page.get_by_role("heading", name="Exports of the minimum dataset").wait_for()
    accessible(page, "exports")
    page.get_by_label("One Excel workbook").check()
    page.get_by_role("button", name="Make the export").click()
    page.locator("#job-done").wait_for(timeout=60_000)
    accessible(page, "export-ready")
    page.screenshot(path=SHOTS / "export-ready-phone.png", full_page=True)
    with page.expect_download() as download:
        page.locator("#job-download").click()
    saved = tmp_path / "export.zip"
    download.value.save_as(saved)
    with zipfile.ZipFile(saved) as z:
        assert z.namelist() == ["minimum-dataset.xlsx"]
