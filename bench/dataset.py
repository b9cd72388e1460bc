"""Benchmark: legacy import and minimum-dataset export throughput (rows per second).

    DATABASE_URL=postgres://…/network python bench/dataset.py --rows 50000

Imports the three synthetic legacy spreadsheets (--rows each; dry run, then the real import,
then the idempotent re-run) into the database, then a contact log of --contacts rows for the
people just imported (dry run, import, re-run), printing rows/s and the peak memory the import's
Python code held (tracemalloc, a dry run of its own: the import streams, so it must stay far
below the file's size), then exports every council's minimum dataset as CSV and Parquet and the
Network's research export. Run it on the `network` scale demo (alongside demo --scale network)
to measure at the scale of 20 councils.
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
    ap.add_argument("--contacts", type=int, default=200_000, help="rows in the contact log (0: none)")
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
            if args.contacts:
                contacts(tmp, args.contacts, import_file)
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


CONTACT_MAPPING = """\
council: Calder Vale Council
system: calder-vale-export
records: contacts
key: contact_id
date_format: '%Y-%m-%d'
columns:
  person: ref
  done_on: date
  activity: type
  minutes: minutes
  note: note
values:
  activity:
    home visit: home_visit
    phone: phone_call
    appointment: accompanying
    group taster: intro_group
"""


def contacts(tmp: Path, n: int, import_file) -> None:
    """A contact log of `n` rows for Calder Vale's imported people, each dated within their journey."""
    import csv
    import random
    import tracemalloc
    from datetime import date, timedelta

    from django.db.models import Max, Min

    from alongside.dataset.models import LegacyKey

    people = list(LegacyKey.objects.filter(system="calder-vale-export")
                  .annotate(first=Min("person__introductions__introduced_on"),
                            last=Max("person__exits__exited_on")).values_list("key", "first", "last"))
    rng = random.Random(7)
    sheet, mapping = tmp / "calder-contacts.csv", tmp / "calder-contacts.mapping.yaml"
    mapping.write_text(CONTACT_MAPPING, encoding="utf-8")
    t = time.perf_counter()
    with sheet.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["contact_id", "ref", "date", "type", "minutes", "note"])
        for i in range(n):
            key, first, last = people[i % len(people)]
            end = min(last or date.today(), date.today())
            day = first + timedelta(days=rng.randint(0, max((end - first).days, 0)))
            w.writerow([f"c{i:07d}", key, day.isoformat(),
                        rng.choice(["home visit", "phone", "appointment", "group taster"]),
                        rng.choice(["", "15", "30", "45", "60", "90"]), ""])
    size = sheet.stat().st_size
    print(f"\nwrote a {n:,}-row contact log ({size / 1e6:.1f} MB) for {len(people):,} people in "
          f"{time.perf_counter() - t:.1f} s")
    print(f"{'contact log':<34}{'rows':>10}{'seconds':>10}{'rows/s':>10}")
    for label, dry in (("dry run", True), ("import", False), ("re-run (all skipped)", False)):
        t = time.perf_counter()
        rep = import_file(sheet, mapping, dry_run=dry)
        s = time.perf_counter() - t
        assert not rep.problems, rep.problems[:3]
        print(f"{label:<34}{rep.rows:>10,}{s:>10.1f}{rep.rows / s:>10,.0f}")
    tracemalloc.start()
    import_file(sheet, mapping, dry_run=True)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"peak memory of a dry run: {peak / 1e6:.1f} MB, {peak / size:.2f} times the file")


if __name__ == "__main__":
    main()
