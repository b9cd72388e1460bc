"""The quick records and an introduction with a near-duplicate, on a 390 × 844 phone in real
Chromium: each saved in a few taps, nothing wider than the screen, every page checked with axe."""

import pytest

from alongside.journeys.models import Context, Insulator, Outcome, Ripple, Trigger
from alongside.people.models import Person

from .test_browser import CHROMIUM, accessible, browser, phone, sign_in  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



def _fits(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than a 390px phone"


def _save_on_first_screen(page) -> None:
    box = page.get_by_role("button", name="Save").bounding_box()
    assert box["y"] + box["height"] <= 844, f"Save is at {box['y']:.0f}px on {page.url}"


# What each quick record asks, tapped as a Coordinator would: (what, taps, record kind).
QUICK = [
    ("trigger", [("label", "Stress and anxiety")], Trigger),
    ("context", [("label", "Ageing and transition into older age")], Context),
    ("insulator", [("label", "Confidence and independence"),
                   ("fill", "Evidence", "Says she now goes to the shop on her own")], Insulator),
    ("ripple", [("label", "Volunteering")], Ripple),
    ("outcome", [("select", "Outcome", "STO3 Less isolated"),
                 ("fill", "Evidence", "“I see people every week now”")], Outcome),
]


@pytest.mark.parametrize(("what", "steps", "model"), QUICK, ids=[q[0] for q in QUICK])
def test_each_quick_record_is_saved_from_a_phone(world, live_server, phone, what, steps, model):
    assert CHROMIUM
    sign_in(phone, live_server, "coord_a")
    phone.goto(f"{live_server.url}/people/P-AAAAAAA/record/{what}/")
    _fits(phone)
    accessible(phone, f"record-{what}-phone")
    for step in steps:
        if step[0] == "label":
            phone.get_by_label(step[1], exact=True).tap()
        elif step[0] == "select":
            phone.get_by_label(step[1], exact=True).select_option(label=step[2])
        else:
            phone.get_by_label(step[1], exact=True).fill(step[2])
    if what in ("context", "ripple"):  # short lists: Save on the first screen (11 triggers are not)
        _save_on_first_screen(phone)
    phone.get_by_role("button", name="Save").tap()
    phone.get_by_text("Saved").first.wait_for()
    assert model.objects.filter(person=world.person_a).count() == 1


def test_a_connection_to_a_group_from_a_phone(world, live_server, phone):
    sign_in(phone, live_server, "coord_a")
    phone.goto(f"{live_server.url}/people/P-AAAAAAA/record/connection/")
    _fits(phone)
    phone.get_by_label("A community group").tap()
    phone.get_by_label("Community group", exact=True).select_option(label="Ashley Lunch Club")
    accessible(phone, "record-connection-phone")
    phone.get_by_role("button", name="Save").tap()
    phone.get_by_text("Saved").first.wait_for()
    assert world.person_a.connections.get().group == world.group_a


def test_an_introduction_of_someone_already_known_by_a_close_spelling(world, live_server, phone):
    """Aled Example is known in Ashley North; "Aled Exampel" is caught before a second record."""
    sign_in(phone, live_server, "coord_a")
    phone.goto(f"{live_server.url}/introductions/new/")
    phone.get_by_label("First name").fill("Aled")
    phone.get_by_label("Last name").fill("Exampel")
    phone.get_by_label("Age band").select_option(label="65–74")
    for field, answer in (("Gender", "Not stated"), ("Ethnic group", "Not stated"),
                          ("Long-term condition", "Not known"), ("Relationship to services", "Not known")):
        phone.get_by_label(field).select_option(label=answer)
    phone.get_by_label("Who made the introduction?").select_option(
        label="GP or primary care (incl. social prescribing link worker)")
    phone.get_by_label("PA1 Social isolation").tap()
    phone.get_by_label("Level 2 – walking alongside").tap()
    phone.get_by_role("button", name="Save introduction").tap()
    phone.get_by_text("may already be known").first.wait_for()
    _fits(phone)
    accessible(phone, "introduction-near-duplicate-phone")
    assert "P-AAAAAAA" in phone.content()
    assert Person.objects.filter(given_name="Aled").count() == 1  # nothing saved yet
    # It is the same person: re-introduce them instead of making a second record.
    phone.locator('a[href="/people/P-AAAAAAA/introduction/"]').first.tap()
    phone.get_by_role("heading", level=1).wait_for()
    assert "/people/P-AAAAAAA/introduction/" in phone.url
    accessible(phone, "reintroduction-phone")
