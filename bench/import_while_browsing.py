"""Benchmark: a Coordinator's audited pages while a council's 60,000-row import runs (issue 29).

    DATABASE_URL=postgres://…/site python bench/import_while_browsing.py --rows 60000

Writes a synthetic legacy spreadsheet of --rows people, starts gunicorn on loopback, and runs
`alongside import` in another process while --users Coordinators each open a person's page
(which writes a view to the audit chain) every --every seconds. Prints the import's time and the
pages' median, p95 and worst time during the import, and how many took over a second: before
the fix the import held the audit chain's lock from its first batch to its commit and person
pages waited up to the gunicorn timeout (60 s, then a 500).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from load import Session, start_server


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=60000)
    ap.add_argument("--users", type=int, default=3)
    ap.add_argument("--every", type=float, default=0.5, help="seconds between one user's pages")
    ap.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    ap.add_argument("--password", default="alongside-demo")
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.config.settings")
    import django

    django.setup()
    from alongside.accounts.models import User
    from alongside.people.models import Person
    from alongside.synthetic.legacy import write_all
    from alongside.synthetic.management.commands.legacy_demo import ensure_sites

    coordinator = User.objects.get(username="coordinator")
    people = list(Person.objects.filter(ward__in=coordinator.wards.all())
                  .values_list("reference", flat=True)[:50])
    ensure_sites()
    with tempfile.TemporaryDirectory() as tmp:
        sheet, mapping = write_all(Path(tmp) / "legacy", args.rows, seed=29)[0]
        server = start_server(args.workers)
        try:
            sessions = [Session("coordinator", args.password) for _ in range(args.users)]
            for s in sessions:  # warm
                s.get(f"/people/{people[0]}/")
            times: list[float] = []
            errors = [0]
            stop = threading.Event()

            def browse(s: Session, k: int) -> None:
                i = k
                while not stop.is_set():
                    t = time.perf_counter()
                    try:
                        s.get(f"/people/{people[i % len(people)]}/")
                        times.append(time.perf_counter() - t)
                    except Exception:  # noqa: BLE001 - a failed page is counted
                        errors[0] += 1
                    i += args.users
                    stop.wait(args.every)

            threads = [threading.Thread(target=browse, args=(s, k)) for k, s in enumerate(sessions)]
            for th in threads:
                th.start()
            started = time.perf_counter()
            alongside = [sys.executable, "-m", "alongside.cli"]
            done = subprocess.run([*alongside, "import", str(sheet), "--mapping", str(mapping)],
                                  capture_output=True, text=True)
            took = time.perf_counter() - started
            stop.set()
            for th in threads:
                th.join()
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    if done.returncode != 0:
        raise SystemExit(f"the import failed: {done.stderr[-2000:]}")
    ms = sorted(1000 * t for t in times)
    p95 = statistics.quantiles(ms, n=20)[18] if len(ms) > 20 else max(ms, default=0)
    slow = sum(1 for t in ms if t > 1000)
    print(f"import of {args.rows:,} rows: {took:.1f} s ({done.stdout.strip().splitlines()[-1][:120]})")
    print(f"{len(ms)} person pages by {args.users} Coordinators during it, every {args.every} s each: "
          f"median {statistics.median(ms):.0f} ms, p95 {p95:.0f} ms, worst {ms[-1]:.0f} ms; "
          f"over 1 s: {slow}; errors: {errors[0]}")
    print("target: no page over 1 s —", "met" if slow == 0 and not errors[0] else "NOT met")


if __name__ == "__main__":
    main()
