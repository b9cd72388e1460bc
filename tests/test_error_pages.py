"""Error pages keep the service around them: the header, the menu, the language switch and a
way back, in the page's language; the server error page needs nothing that might be down."""

from django.conf import settings
from django.test import RequestFactory
from django.views.defaults import server_error

from .conftest import signed_in


def test_a_coordinator_sent_to_a_managers_page_or_another_wards_person_gets_a_page_with_a_way_back(
        client, world):
    signed_in(client, world.coordinator_a)
    for url, status, heading in (("/reports/", 403, "You cannot see this page"),
                                 (f"/people/{world.person_c.reference}/", 404, "Page not found"),
                                 ("/no-such-page/", 404, "Page not found")):
        r = client.get(url)
        html = r.content.decode()
        assert r.status_code == status, url
        assert f'<h1 class="govuk-heading-l">{heading}</h1>' in html, url
        assert 'id="navigation"' in html and "Your people" in html      # the menu is there
        assert 'href="/"' in html and "Go to your start page" in html    # and a way back
        assert world.person_c.given_name not in html


def test_the_error_pages_are_in_welsh_on_a_welsh_page(client, world):
    signed_in(client, world.coordinator_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    forbidden = client.get("/reports/").content.decode()
    missing = client.get("/no-such-page/").content.decode()
    assert '<html lang="cy"' in forbidden and "You cannot see this page" not in forbidden
    assert "Page not found" not in missing and "Eich pobl" in missing
    bad = client.get("/caseload/?ward=1%00").content.decode()
    assert "That address could not be read" not in bad and '<html lang="cy"' in bad


def test_the_server_error_page_says_sorry_in_both_languages_without_the_database():
    request = RequestFactory().get("/")
    r = server_error(request)
    html = r.content.decode()
    assert r.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert 'lang="cy"' in html and "Mae’n ddrwg gennym" in html
