"""Benchmark: the evidence pages with and without the streaming replica, under the Coordinator
load of bench/load.py.

    scripts/postgres-replica 55451                       # prints the two URLs below
    export DATABASE_URL=postgres://alongside@127.0.0.1:55451/postgres
    export DATABASE_REPLICA_URL=postgres://alongside@127.0.0.1:55452/postgres
    .venv/bin/alongside migrate && .venv/bin/alongside demo --scale site
    .venv/bin/python bench/replica.py --users 20 --seconds 30

For each way of running (the primary alone; the primary with the replica) it starts gunicorn on
loopback, has --users Coordinators record activities (a write every --think seconds each, as in
bench/load.py), and meanwhile a manager asks for each evidence page in turn; it prints each
page's median and p95 time, the Coordinators' p95, where the manager's queries went, and the
ratio of the two ways. On one machine the replica shares the primary's cores and disk, so this
measures that the routing costs nothing and takes the evidence reads off the primary; the gain
in time comes when the replica is on a machine of its own.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import threading
import time

import load
from load import Session, start_server

PAGES = {  # uncached evidence pages; patterns carries a query the cache has not seen
    "overview": "/overview/",
    "data quality": "/quality/",
    "costs and value": "/evidence/economics/",
    "distance travelled": "/distance/",
    "patterns (uncached)": "/evidence/patterns/?period=all&bench={n}",
}


def replica_reads() -> int:
    """Statements the replica has run so far (pg_stat_database on the replica)."""
    import psycopg

    with psycopg.connect(os.environ["DATABASE_REPLICA_URL"], autocommit=True) as c:
        return c.execute("SELECT xact_commit + xact_rollback FROM pg_stat_database "
                         "WHERE datname = current_database()").fetchone()[0]


def one_way(label: str, replica_url: str | None, args, people, kind) -> dict:
    if replica_url:
        os.environ["DATABASE_REPLICA_URL"] = replica_url
    else:
        os.environ.pop("DATABASE_REPLICA_URL", None)
    server = start_server(args.workers)
    try:
        coordinators = [Session("coordinator", args.password) for _ in range(args.users)]
        manager = Session("manager", args.password)
        for path in PAGES.values():  # warm: templates compiled, connections open
            manager.get(path.format(n="warm"))
        found: dict = {}
        load_thread = threading.Thread(target=lambda: found.update(
            load.run("record an activity", args.users, args.seconds, coordinators, people, kind,
                     args.think)))
        transactions_before = replica_reads() if replica_url else 0
        load_thread.start()
        times: dict[str, list[float]] = {p: [] for p in PAGES}
        n = 0
        stop = time.monotonic() + args.seconds
        while time.monotonic() < stop:
            for page, path in PAGES.items():
                n += 1
                t = time.perf_counter()
                manager.get(path.format(n=n))
                times[page].append((time.perf_counter() - t) * 1000)
        load_thread.join()
        on_replica = (replica_reads() - transactions_before) if replica_url else 0
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    rows = {p: (statistics.median(v), max(v) if len(v) < 20 else statistics.quantiles(v, n=20)[18], len(v))
            for p, v in times.items()}
    return {"label": label, "pages": rows, "coordinators_p95": found.get("p95", float("nan")),
            "coordinator_requests": found.get("requests", 0), "errors": found.get("errors", 0),
            "replica_transactions": on_replica}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--think", type=float, default=3.0)
    ap.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    ap.add_argument("--password", default="alongside-demo")
    args = ap.parse_args()
    replica_url = os.environ.get("DATABASE_REPLICA_URL")
    if not replica_url or not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL and DATABASE_REPLICA_URL (see scripts/postgres-replica).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.config.settings")
    import django

    django.setup()
    from alongside.accounts.models import User
    from alongside.codes.models import Code
    from alongside.journeys.models import Activity
    from alongside.people.models import Person

    coordinator = User.objects.get(username="coordinator")
    people = list(Person.objects.filter(ward__in=coordinator.wards.all())
                  .values_list("reference", flat=True)[:200])
    kind = str(Code.objects.get(list="activity", code="home_visit").pk)
    print(f"{Person.objects.count():,} people, {Activity.objects.count():,} activities; gunicorn "
          f"{args.workers} workers, {os.cpu_count()} cores; {args.users} Coordinators recording "
          f"every {args.think} s for {args.seconds:.0f} s per way")
    ways = [one_way("primary only", None, args, people, kind),
            one_way("with replica", replica_url, args, people, kind)]
    print(f"{'page':<22}" + "".join(f"{w['label'] + ' p50/p95 ms':>30}" for w in ways) + f"{'ratio p50':>11}")
    for page in PAGES:
        (a50, a95, an), (b50, b95, bn) = (w["pages"][page] for w in ways)
        print(f"{page:<22}{f'{a50:.0f} / {a95:.0f} (n={an})':>30}{f'{b50:.0f} / {b95:.0f} (n={bn})':>30}"
              f"{b50 / a50:>11.2f}")
    for w in ways:
        print(f"{w['label']}: Coordinators' p95 {w['coordinators_p95']:.0f} ms over "
              f"{w['coordinator_requests']} writes ({w['errors']} errors); "
              f"transactions on the replica: {w['replica_transactions']}")
    from datetime import date

    Activity.objects.filter(person__reference__in=people, done_on=date.today(), minutes=30,
                            kind__code="home_visit", coordinator=coordinator).delete()


if __name__ == "__main__":
    main()
