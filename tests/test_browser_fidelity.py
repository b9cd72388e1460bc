"""A manager completes a quarter's self-review against the ten principles in a real browser and
signs it off; the Network analyst then compares two sites. Every page checked with axe."""

import pytest

from alongside.fidelity.models import SelfReview
from alongside.fidelity.principles import PRINCIPLES

from .test_browser import accessible, browser, page, sign_in  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_reviews_the_quarter_and_the_analyst_compares_sites(world, live_server, page):  # noqa: F811
    world.south.shares_with_network = True
    world.south.save()
    sign_in(page, live_server, "manager_north")
    page.get_by_role("link", name="Principles").first.click()
    page.get_by_role("heading", name="Fidelity to the ten principles").wait_for()
    accessible(page, "fidelity-quarters")
    page.locator("#quarters a").first.click()
    page.get_by_role("heading", name="Self-review against the ten principles").wait_for()
    accessible(page, "fidelity-review-empty")

    page.get_by_role("link", name="Write the self-review").click()
    # Saving with nothing rated says which principle lacks a rating.
    page.get_by_role("button", name="Save this version").click()
    assert "Choose a rating for this principle" in page.get_by_role("alert").inner_text()
    accessible(page, "fidelity-edit-errors")
    for p in PRINCIPLES:
        page.locator(f"#{p.key}").get_by_label("Established", exact=False).check()
    page.locator("#citizenship").get_by_label("Evidence").fill("No introduction turned away this quarter.")
    page.locator("#community").get_by_label("Actions for next quarter").fill("Map the assets of Brookside.")
    page.get_by_role("button", name="Save this version").click()
    page.get_by_text("Self-review saved as version 1").wait_for()
    assert "Not yet" in page.locator("#status").inner_text()
    page.get_by_role("button", name="Sign off version 1").click()
    page.get_by_text("Version 1 signed off.").wait_for()
    assert "Map the assets of Brookside." in page.locator("#community").inner_text()
    accessible(page, "fidelity-review-signed")
    review = SelfReview.objects.get()
    assert review.signed_off_by.username == "manager_north"
    assert set(review.judgements.values_list("rating", flat=True)) == {3}

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "analyst")
    page.goto(f"{live_server.url}/principles/sites/?quarter={review.quarter}")
    table = page.locator("#fidelity-comparison")
    headers = table.locator("thead th").all_inner_texts()
    assert headers[1:] == ["Glasmoor Council", "Lowmere Council"]
    # Lowmere's signed-off rating is shown; Glasmoor has no review.
    rating_row = table.locator("tr", has_text="Site's own rating").first.inner_text()
    assert "–" in rating_row and "3 – Established" in rating_row
    accessible(page, "fidelity-sites-compared")
