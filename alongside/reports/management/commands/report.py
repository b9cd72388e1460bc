"""alongside report site --council NAME --quarter 2026/27-Q2 [--language cy] [--pdf FILE] [--html FILE]
alongside report network --year 2025/26 [--language cy] [--pdf FILE] [--html FILE]"""

import time

from django.core.management.base import BaseCommand, CommandError

from alongside.places.lookup import council_named
from alongside.reports import figures
from alongside.reports.models import Report
from alongside.reports.writing import write


class Command(BaseCommand):
    help = ("Write the quarterly site report or the annual Network report, as in the app, printing "
            "progress and the time taken; keep it in the app's list and save the PDF and HTML if asked.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["site", "network"])
        parser.add_argument("--council", help="council name (site report)")
        parser.add_argument("--quarter", help="financial quarter, e.g. 2026/27-Q2 (site report)")
        parser.add_argument("--year", help="financial year, e.g. 2025/26 (Network report)")
        parser.add_argument("--language", choices=["en", "cy"], default="en")
        parser.add_argument("--pdf", help="write the PDF here")
        parser.add_argument("--html", help="write the HTML here")

    def handle(self, *args, kind, council, quarter, year, language, pdf, html, **options):
        try:
            if kind == "site":
                if not council or not quarter:
                    raise CommandError("a site report needs --council and --quarter")
                site = council_named(council)
                figures.quarter(quarter)
                report = Report.objects.create(kind=kind, council=site, period=quarter, language=language)
            else:
                if not year:
                    raise CommandError("the Network report needs --year")
                figures.financial_year(year)
                report = Report.objects.create(kind=kind, period=year, language=language)
        except ValueError as e:
            raise CommandError(str(e)) from None
        started = time.monotonic()

        def echo(percent: int, step: str) -> None:
            self.stdout.write(f"{time.monotonic() - started:6.1f} s  {percent:3d}%  {step}")

        report = write(report, echo)
        if report.status != Report.Status.DONE:
            raise CommandError(report.error)
        if pdf:
            with open(pdf, "wb") as f:
                f.write(bytes(report.pdf))
        if html:
            with open(html, "w", encoding="utf-8") as f:
                f.write(report.html)
        self.stdout.write(f"Report {report.pk} written in {report.seconds:.1f} s "
                          f"({len(report.html):,} characters of HTML, {len(report.pdf):,} bytes of PDF)")
