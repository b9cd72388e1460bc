"""Reports: periods, the figures on a hand-made world, who may ask for and open them, Welsh,
and the command line."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from alongside.reports import figures
from alongside.reports.models import Report
from alongside.reports.writing import render_html
from tests.conftest import do_queued_work, make_person, signed_in


def test_financial_quarters_and_years():
    q = figures.quarter("2026/27-Q2")
    assert (q.start, q.end) == (date(2026, 7, 1), date(2026, 9, 30))
    q4 = figures.quarter("2024/25-Q4")
    assert (q4.start, q4.end) == (date(2025, 1, 1), date(2025, 3, 31))
    assert figures.quarter("2024/25-Q3").end == date(2024, 12, 31)
    assert figures.financial_year("2025/26").start == date(2025, 4, 1)
    for bad in ("2026-Q2", "2026/28-Q1", "2026/27-Q5", "next quarter"):
        with pytest.raises(ValueError, match="financial quarter"):
            figures.quarter(bad)
    # On 23 November 2026 the last whole quarter is July–September 2026, the last whole year 2025/26.
    assert figures.recent_quarters(date(2026, 11, 23))[0].code == "2026/27-Q2"
    assert figures.recent_quarters(date(2026, 4, 2))[0].code == "2025/26-Q4"
    assert figures.recent_years(date(2026, 11, 23))[0].code == "2025/26"


@pytest.fixture
def seven(world):
    """Seven people introduced in ward A in January–March 2025, beside Aled and Bethan (March)."""
    for i in range(5):
        make_person(f"P-Q{i}AAAAA", world.ward_a, world.coordinator_a, f"Q{i}", started=date(2025, 1, 10 + i))
    return world


def _render(world, language="en"):
    return render_html(Report.Kind.SITE, world.north, figures.quarter("2024/25-Q4"), language)


def test_site_report_counts_the_quarter_and_suppresses_small_numbers(seven):
    html = _render(seven)
    # Introductions in January–March 2025: five in ward A plus Aled and Bethan on 1 March = 7,
    # which a report for a committee gives to the nearest 5: 7 / 5 = 1.4, so 5.
    assert "<th scope=\"row\">Introductions received</th><td class=\"n\">5</td>" in html
    # Every one came from a GP: statutory services 7 of 7 (shown 5 of 5) = 100%; no other route.
    assert "<th scope=\"row\">Statutory services</th><td class=\"n\">5</td><td class=\"n\">100%</td>" in html
    # Glasmoor's person is not in Lowmere's report.
    assert "Glasmoor" not in html


def test_site_report_hides_counts_under_five(world):
    html = _render(world)
    # Only Aled and Bethan: 2 introductions is shown as <5, and its share is not given.
    assert "<th scope=\"row\">Introductions received</th><td class=\"n\">&lt;5</td>" in html
    assert "<th scope=\"row\">Statutory services</th><td class=\"n\">&lt;5</td><td class=\"n\">–</td>" in html


def test_site_report_in_welsh(seven):
    html = _render(seven, "cy")
    assert '<html lang="cy">' in html
    assert "Pa mor gyflawn yw’r data" in html  # How complete the data is
    assert "Ionawr 2025" in html  # January 2025
    assert "Gwaith un i un (cerdded ochr yn ochr)" in html  # A1, from the code list's Welsh label


def test_who_may_ask_for_and_open_reports(client, world):
    signed_in(client, world.coordinator_a)
    assert client.get("/reports/").status_code == 403
    client.logout()

    signed_in(client, world.commissioner)
    r = client.post("/reports/", {"kind": "site", "council": world.north.pk, "quarter": "2024/25-Q4",
                                  "language": "en"})
    assert r.status_code == 302
    report = Report.objects.get()
    assert report.status == Report.Status.QUEUED and report.requested_by == world.commissioner
    # A commissioner may not ask for another council's report, nor the Network's.
    r = client.post("/reports/", {"kind": "site", "council": world.south.pk, "quarter": "2024/25-Q4",
                                  "language": "en"})
    assert r.status_code == 200 and Report.objects.count() == 1
    r = client.post("/reports/", {"kind": "network", "year": "2024/25", "language": "en"})
    assert r.status_code == 200 and Report.objects.count() == 1
    # Queued for a worker; with none running the page says so rather than spinning for ever.
    assert "No background worker" in client.get(f"/reports/{report.pk}/").content.decode()
    do_queued_work()
    report.refresh_from_db()
    assert report.status == Report.Status.DONE and report.attempts == 1
    assert client.get(f"/reports/{report.pk}/pdf/").content.startswith(b"%PDF")
    client.logout()

    signed_in(client, world.manager_south)
    for suffix in ("", "view/", "pdf/"):
        assert client.get(f"/reports/{report.pk}/{suffix}").status_code == 404
    client.logout()
    signed_in(client, world.analyst)  # Lowmere shares
    assert client.get(f"/reports/{report.pk}/view/").status_code == 200
    r = client.post("/reports/", {"kind": "network", "year": "2024/25", "language": "cy"})
    assert r.status_code == 302
    network = Report.objects.get(kind="network")
    do_queued_work()
    html = client.get(f"/reports/{network.pk}/view/").content.decode()
    assert "Lowmere Council" in html and "Glasmoor Council" not in html  # Glasmoor does not share
    client.logout()
    signed_in(client, world.manager)
    assert client.get(f"/reports/{network.pk}/").status_code == 404


def test_report_command_writes_the_pdf(world, tmp_path, capsys):
    out = tmp_path / "r.pdf"
    call_command("report", "site", council="Lowmere Council", quarter="2024/25-Q4", pdf=str(out))
    assert out.read_bytes().startswith(b"%PDF")
    printed = capsys.readouterr().out
    assert "Scoring the completeness of the data" in printed and "written in" in printed
    with pytest.raises(CommandError, match="financial quarter"):
        call_command("report", "site", council="Lowmere Council", quarter="Q4")
    with pytest.raises(CommandError, match="needs --year"):
        call_command("report", "network")


def test_forty_reports_asked_at_once_start_no_thread_in_the_web_process(client, world):
    """They wait in the queue for the workers; the web process only records that they were asked."""
    import threading

    from django_tasks_db.models import DBTaskResult

    signed_in(client, world.analyst)
    threads = threading.active_count()
    for _ in range(40):
        r = client.post("/reports/", {"kind": "network", "year": "2024/25", "language": "en"})
        assert r.status_code == 302
    assert threading.active_count() == threads
    assert DBTaskResult.objects.filter(status="READY").count() == 40
    assert set(Report.objects.values_list("status", flat=True)) == {Report.Status.QUEUED}
