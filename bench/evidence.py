"""Benchmark: evidence for one site and for the whole network.

    DATABASE_URL=postgres://…/network python bench/evidence.py

Times the cost consequence balance sheet counted from the records (one council, then every
council), the SROI of docs/examples/sroi.yaml with its one-way sensitivity, the data-quality
counts, the site comparison, and the quarterly site report and annual Network report (HTML and
PDF), printing seconds against issue 9's targets.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"


def timed(label: str, fn, target: float | None = None):
    t = time.perf_counter()
    out = fn()
    s = time.perf_counter() - t
    verdict = "" if target is None else f"  target < {target:g} s: {'met' if s < target else 'NOT met'}"
    print(f"{label:<58}{s:>8.2f} s{verdict}")
    return out


NETWORK_PATTERNS = "/evidence/patterns/?period=all"


def one_page(url: str) -> None:
    """Run in a process of its own: the analyst's first (uncached) view of `url`, and how much
    memory the process took for it, as a web worker would."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.config.settings")
    import django

    django.setup()
    from django.test import Client

    from alongside.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="analyst"))  # analysts need no second factor
    client.get("/overview/")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    status = client.get(url).status_code
    seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    verdict = "met" if peak < 500 else "NOT met"
    print(f"{'Network evidence figures 5-12, all councils, first view':<58}{seconds:>8.2f} s"
          f"  (HTTP {status})")
    print(f"{'  its worker: memory before / peak':<58}{before:>5.0f} / {peak:.0f} MB"
          f"  target < 500 MB: {verdict}")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one-page":
        return one_page(sys.argv[2])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.config.settings")
    import django

    django.setup()
    from alongside.dataset.comparison import compare
    from alongside.dataset.quality import all_rows
    from alongside.economics.balance_sheet import balance_sheet, balance_sheet_data, counts_by_council
    from alongside.evidence.economics.ccf import read_balance_sheet
    from alongside.evidence.economics.sroi import evaluate, load_model, one_way
    from alongside.people.models import Person
    from alongside.places.models import Council, Ward

    councils = list(Council.objects.all())
    first = councils[0]
    year = "2025/26"
    print(f"{Person.objects.count():,} people in {len(councils)} councils")
    timed(f"balance sheet from the records, {first.name}", lambda: balance_sheet(first, year))

    def network():
        model = load_model(EXAMPLES / "sroi.yaml")
        counts = counts_by_council(Ward.objects.all(), year)
        sheets = [read_balance_sheet(balance_sheet_data(c, year, counts=counts.get(c.pk)), c.name)
                  for c in councils]
        return sheets, one_way(model), evaluate(model)

    timed(f"balance sheets of all {len(councils)} councils + SROI, sensitivity", network, 5)
    timed(f"data-quality counts, {first.name}, all time",
          lambda: all_rows(Ward.objects.filter(council=first)))
    timed("site comparison, every council (uncached)", lambda: compare(Ward.objects.all()))

    from alongside.reports import figures
    from alongside.reports.writing import render_html, render_pdf

    def report(kind, council, period):
        html = render_html(kind, council, period, "en")
        return html, render_pdf(html)

    quarter = figures.quarter("2026/27-Q2")
    html, pdf = timed(f"quarterly site report, {first.name}, HTML + PDF",
                      lambda: report("site", first, quarter))
    print(f"{'':<58}{len(pdf):>8,} bytes of PDF")
    html, pdf = timed("annual Network report 2025/26, HTML + PDF",
                      lambda: report("network", None, figures.financial_year(year)))
    print(f"{'':<58}{len(pdf):>8,} bytes of PDF")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory of this process':<58}{peak:>8.0f} MB")
    subprocess.run([sys.executable, __file__, "--one-page", NETWORK_PATTERNS], check=True)


if __name__ == "__main__":
    main()
