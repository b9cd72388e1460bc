"""Writing a report: the figures, the HTML, then the PDF, saying how far it has got as it goes.

A report is written in a background thread of the web process (a Network year takes tens of
seconds), or in the foreground by `alongside report`. Each step writes its progress to the
report's row, which the waiting page reads.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alongside.places.models import Council

from . import figures
from .models import Report

log = logging.getLogger(__name__)
STALE = timedelta(minutes=30)  # a report "being written" this long was lost with its process


def period_of(report: Report) -> figures.Period:
    if report.kind == Report.Kind.SITE:
        return figures.quarter(report.period)
    return figures.financial_year(report.period)


def render_html(kind: str, council: Council | None, period: figures.Period, language: str,
                progress: Callable[[int, str], None] = lambda p, s: None) -> str:
    with translation.override(language):
        if kind == Report.Kind.SITE:
            found = figures.site_report(council, period, progress)
            template = "reports/site.html"
        else:
            found = figures.network_report(period, progress)
            template = "reports/network.html"
        progress(85, _("Laying out the report"))
        return render_to_string(template, {**found, "language": language,
                                           "written_on": timezone.localdate()})


def render_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which the rest of the app never needs.
    from weasyprint import HTML

    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def write(report: Report, echo: Callable[[int, str], None] | None = None) -> Report:
    """Write the report now, in this thread; failures are kept on the report, never raised."""
    started = time.monotonic()

    def progress(percent: int, step: str) -> None:
        Report.objects.filter(pk=report.pk).update(progress=percent, step=step[:120])
        if echo:
            echo(percent, step)

    Report.objects.filter(pk=report.pk).update(status=Report.Status.RUNNING, progress=1)
    try:
        html = render_html(report.kind, report.council, period_of(report), report.language, progress)
        with translation.override(report.language):
            progress(90, _("Drawing the PDF"))
        pdf = render_pdf(html)
    except Exception:
        log.exception("report %s could not be written", report.pk)
        Report.objects.filter(pk=report.pk).update(
            status=Report.Status.FAILED, error="The report could not be written; the error is in the log.",
            finished_at=timezone.now())
    else:
        Report.objects.filter(pk=report.pk).update(
            status=Report.Status.DONE, progress=100, step="", html=html, pdf=pdf,
            seconds=time.monotonic() - started, finished_at=timezone.now())
        if echo:
            echo(100, "done")
    report.refresh_from_db()
    return report


def write_in_background(report: Report) -> None:
    def run() -> None:
        try:
            write(report)
        finally:
            connection.close()

    threading.Thread(target=run, name=f"report-{report.pk}", daemon=True).start()


def mark_if_lost(report: Report) -> None:
    """A report left "being written" by a process that stopped is marked as failed."""
    if report.status in (Report.Status.QUEUED, Report.Status.RUNNING) and \
            timezone.now() - report.requested_at > STALE:
        Report.objects.filter(pk=report.pk).update(
            status=Report.Status.FAILED, error="The report stopped before it was finished; ask for it again.")
        report.refresh_from_db()
