"""Benchmark: legacy import and minimum-dataset export throughput (rows per second).

    DATABASE_URL=postgres://…/network python bench/dataset.py --rows 50000

Imports the three synthetic legacy spreadsheets (--rows each; dry run, then the real import,
then the idempotent re-run) into the database, then exports every council's minimum dataset
as CSV and Parquet and the Network's research export, printing rows/s for each. Run it on the
`network` scale demo (alongside demo --scale network) to measure at the scale of 20 councils.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=20000, help="rows in each legacy spreadsheet")
    ap.add_argument("--skip-import", action="store_true")
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.config.settings")
    import django

    django.setup()
    from django.conf import settings

    from alongside.dataset.export import export
    from alongside.dataset.importer import import_file
    from alongside.people.models import Person
    from alongside.places.models import Ward
    from alongside.synthetic.legacy import write_all
    from alongside.synthetic.management.commands.legacy_demo import ensure_sites

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"{engine}: {Person.objects.count():,} people before")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if not args.skip_import:
            ensure_sites()
            t = time.perf_counter()
            pairs = write_all(tmp / "legacy", args.rows, seed=11)
            print(f"wrote 3 × {args.rows:,} legacy rows in {time.perf_counter() - t:.1f} s")
            print(f"{'import':<34}{'rows':>10}{'seconds':>10}{'rows/s':>10}")
            for sheet, mapping in pairs:
                for label, dry in (("dry run", True), ("import", False), ("re-run (all skipped)", False)):
                    t = time.perf_counter()
                    rep = import_file(sheet, mapping, dry_run=dry)
                    s = time.perf_counter() - t
                    assert not rep.problems, rep.problems[:3]
                    print(f"{sheet.name + ' ' + label:<34}{rep.rows:>10,}{s:>10.1f}{rep.rows / s:>10,.0f}")
        print(f"\n{'export':<34}{'rows':>10}{'seconds':>10}{'rows/s':>10}")
        wards = Ward.objects.all()
        runs = (("minimum dataset, CSV", "csv", None), ("minimum dataset, Parquet", "parquet", None),
                ("research (pseudonymised), CSV", "csv", b"k" * 32))
        for label, fmt, key in runs:
            t = time.perf_counter()
            written = export(wards, tmp / label.replace(" ", "_"), fmt, key)
            s = time.perf_counter() - t
            n = sum(written.values())
            print(f"{label:<34}{n:>10,}{s:>10.1f}{n / s:>10,.0f}")


if __name__ == "__main__":
    main()
