"""Writing a report: the figures, the HTML, then the PDF, saying how far it has got as it goes.

A report is written by a background worker (a Network year takes tens of seconds; see
operations/work.py), or in the foreground by `alongside report`. Each step writes its progress
to the report's row, which the waiting page reads.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alongside.operations import replica, work
from alongside.places.models import Council

from . import figures
from .models import Report


def period_of(report: Report) -> figures.Period:
    if report.kind == Report.Kind.SITE:
        return figures.quarter(report.period)
    return figures.financial_year(report.period)


def render_html(kind: str, council: Council | None, period: figures.Period, language: str,
                progress: Callable[[int, str], None] = lambda p, s: None) -> str:
    return render(kind, council, period, language, progress)[0]


def render(kind: str, council: Council | None, period: figures.Period, language: str,
           progress: Callable[[int, str], None] = lambda p, s: None) -> tuple[str, dict]:
    """The report's HTML and the figures it was made from."""
    with translation.override(language):
        if kind == Report.Kind.SITE:
            found = figures.site_report(council, period, progress)
            template = "reports/site.html"
        else:
            found = figures.network_report(period, progress)
            template = "reports/network.html"
        progress(85, _("Laying out the report"))
        return render_to_string(template, {**found, "language": language,
                                           "written_on": timezone.localdate()}), found


def render_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which the rest of the app never needs.
    from weasyprint import HTML

    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def build(report: Report, progress: Callable[[int, str], None]) -> dict:
    """The finished report's fields; nothing is saved until all of them are made."""
    started = time.monotonic()
    with replica.reading_from_replica():
        html, found = render(report.kind, report.council, period_of(report), report.language, progress)
    with translation.override(report.language):
        progress(90, _("Drawing the PDF"))
    pdf = render_pdf(html)
    told = found.get("story")
    return {"html": html, "pdf": pdf, "seconds": time.monotonic() - started,
            "story_id": told.pk if told else None}


def write(report: Report, echo: Callable[[int, str], None] | None = None) -> Report:
    """Write the report now, in this process; failures are kept on the report, never raised."""
    try:
        work.run_here(report, echo)
    except Exception:
        pass  # kept on the report by run_here, with the traceback in the log
    report.refresh_from_db()
    return report
