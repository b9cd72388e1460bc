"""Benchmark: the Coordinator's pages under concurrent load, served by gunicorn on loopback.

    DATABASE_URL=postgres://…/network python bench/load.py --users 10,50 --seconds 20 --repeat 3

Starts gunicorn (WORKERS processes) on 127.0.0.1, signs in one session per simulated user as a
Coordinator of the first ward, and for each page and each number of users has every user ask
for the page, pause for about --think seconds and ask again, for --seconds (--repeat times,
reporting the median); then prints requests/s and p50/p95/p99 latency against the targets of
issue 9, and the largest memory any worker reached (VmHWM). The load generator is
Python threads on the same 2 cores, so the figures are a floor, not a ceiling.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from second_factor import pass_second_factor

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
TARGETS_MS = {"caseload": 150, "person journey": 150, "record an activity": 200}


class Session:
    """One signed-in browser: cookies, and the CSRF token Django wants on a POST."""

    def __init__(self, username: str, password: str):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.get("/sign-in/")
        r = self.post("/sign-in/", {"username": username, "password": password})
        if "/sign-in/" in r.geturl():
            raise SystemExit(f"could not sign in as {username}")
        from django.contrib.sessions.backends.db import SessionStore

        from alongside.accounts.models import User

        key = next(c.value for c in self.jar if c.name == "sessionid")
        pass_second_factor(SessionStore(session_key=key), User.objects.get(username=username))

    def _csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def get(self, path: str):
        r = self.opener.open(BASE + path, timeout=30)
        r.read()
        return r

    def post(self, path: str, data: dict):
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self._csrf()}).encode()
        req = urllib.request.Request(BASE + path, data=body, headers={"Referer": BASE + path})
        r = self.opener.open(req, timeout=30)
        r.read()
        return r


def start_server(workers: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "alongside.config.settings"}
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    proc = subprocess.Popen([gunicorn, "alongside.config.wsgi", "--bind", f"127.0.0.1:{PORT}",
                             "--workers", str(workers), "--log-level", "warning"], env=env)
    for _ in range(100):
        try:
            urllib.request.urlopen(BASE + "/sign-in/", timeout=2).read()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("gunicorn did not start")


def workers(server: subprocess.Popen):
    """(status, stat fields) of each gunicorn worker, read from /proc."""
    for pid_dir in Path("/proc").glob("[0-9]*"):
        try:
            status = (pid_dir / "status").read_text()
            fields = (pid_dir / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if f"PPid:\t{server.pid}\n" in status:
            yield status, fields


def worker_peak_mb(server: subprocess.Popen) -> float:
    """Largest resident memory any gunicorn worker has reached (VmHWM), in MB."""
    return max((int(re.search(r"VmHWM:\s+(\d+)", status).group(1))
                for status, _ in workers(server)), default=0) / 1024


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(server: subprocess.Popen) -> dict[str, float]:
    """CPU time used so far by the gunicorn workers, by this load generator, and by everything
    else on the machine (PostgreSQL, mostly): where each request's cost goes when they share
    the cores. PostgreSQL's backends come and go with connections, so they are counted as the
    machine's busy time less the other two."""
    web = sum(int(f[11]) + int(f[12]) for _, f in workers(server)) / TICK  # utime + stime
    cpu = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    busy = (sum(cpu) - cpu[3] - cpu[4]) / TICK  # all but idle and iowait
    generator = time.process_time()
    return {"web": web, "generator": generator, "database": busy - web - generator}


def run(page: str, users: int, seconds: float, sessions: list[Session], people: list[str],
        activity_kind: str, think: float) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    today = time.strftime("%Y-%m-%d")

    def one(session: Session, rng: random.Random) -> None:
        ref = rng.choice(people)
        if page == "caseload":
            session.get("/caseload/")
        elif page == "person journey":
            session.get(f"/people/{ref}/")
        else:
            r = session.post(f"/people/{ref}/record/activity/",
                             {"kind": activity_kind, "minutes": "30", "done_on": today})
            if f"/people/{ref}/" not in r.geturl():
                raise RuntimeError("the activity was not saved")

    def loop(session: Session, seed: int) -> None:
        rng = random.Random(seed)
        if think:
            # Users arrive over one think time, as people do, not all in the same millisecond
            # (a burst of every user at once would be most of the slowest requests).
            time.sleep(rng.uniform(0, think))
        while time.monotonic() < stop:
            t = time.perf_counter()
            try:
                one(session, rng)
                ok = True
            except Exception:  # noqa: BLE001 - a failed request is counted, not fatal
                ok = False
            with lock:
                if ok:
                    latencies.append((time.perf_counter() - t) * 1000)
                else:
                    errors[0] += 1
            if think:
                # A Coordinator reads the page before the next click: 0.5–1.5 × the mean.
                time.sleep(think * rng.uniform(0.5, 1.5))

    threads = [threading.Thread(target=loop, args=(sessions[i], i)) for i in range(users)]
    begun = time.monotonic()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.monotonic() - begun
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [float("nan")] * 99
    return {"page": page, "users": users, "requests": len(latencies), "errors": errors[0],
            "rps": len(latencies) / elapsed, "p50": q[49], "p95": q[94], "p99": q[98]}


def median_run(runs: list[dict]) -> dict:
    """One row from repeated runs: each figure's median (requests summed, so the row still
    says how many requests it rests on)."""
    out = {k: statistics.median(r[k] for r in runs) for k in ("rps", "p50", "p95", "p99")}
    out["cpu"] = [statistics.median(r["cpu"][i] for r in runs) for i in range(3)]
    out["requests"] = sum(r["requests"] for r in runs)
    out["errors"] = sum(r["errors"] for r in runs)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--users", default="10,50")
    ap.add_argument("--seconds", type=float, default=20)
    # A worker per core plus one: PostgreSQL (and this generator) share the cores, so gunicorn's
    # usual 2 × cores + 1 only adds processes that slow each other down (docs/deployment.md).
    ap.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    ap.add_argument("--password", default="alongside-demo")
    ap.add_argument("--think", type=float, default=1.0,
                    help="mean seconds a user waits between requests (0: back to back)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run each row this many times and report the median (p95's range after "
                         "it): on a shared 2-core machine one run's p95 can be 40%% off the next")
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.config.settings")
    import django

    django.setup()
    from alongside.accounts.models import User
    from alongside.codes.models import Code
    from alongside.people.models import Person

    coordinator = User.objects.get(username="coordinator")
    people = list(Person.objects.filter(ward__in=coordinator.wards.all())
                  .values_list("reference", flat=True)[:200])
    kind = str(Code.objects.get(list="activity", code="home_visit").pk)
    counts = [int(u) for u in args.users.split(",")]
    server = start_server(args.workers)
    try:
        sessions = [Session("coordinator", args.password) for _ in range(max(counts))]
        print(f"gunicorn, {args.workers} workers, {os.cpu_count()} cores; {len(people)} people in the "
              f"Coordinator's ward; {args.seconds:.0f} s per run, {args.repeat} run(s) per row "
              f"(median); think time {args.think} s")
        # A server in use is warm: every worker has compiled its templates and opened its
        # database connection before anything is timed.
        for page in TARGETS_MS:
            run(page, min(args.workers * 2, len(sessions)), 3, sessions, people, kind, 0)
        print(f"{'page':<20}{'users':>6}{'requests':>9}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}"
              f"{'p99 ms':>8}{'errors':>7}  {'CPU ms per request: web/db/generator':<38}"
              "target p95 (range of runs' p95)")
        for page in TARGETS_MS:
            for users in counts:
                runs = []
                for _ in range(args.repeat):
                    before = cpu_seconds(server)
                    r = run(page, users, args.seconds, sessions, people, kind, args.think)
                    after = cpu_seconds(server)
                    r["cpu"] = [1000 * (after[k] - before[k]) / max(r["requests"], 1)
                                for k in ("web", "database", "generator")]
                    runs.append(r)
                r = median_run(runs)
                cpu = "/".join(f"{x:.0f}" for x in r["cpu"])
                spread = (f" ({min(x['p95'] for x in runs):.0f}–{max(x['p95'] for x in runs):.0f})"
                          if len(runs) > 1 else "")
                verdict = "met" if r["p95"] < TARGETS_MS[page] else "NOT met"
                print(f"{page:<20}{users:>6}{r['requests']:>9}{r['rps']:>8.1f}{r['p50']:>8.0f}"
                      f"{r['p95']:>8.0f}{r['p99']:>8.0f}{r['errors']:>7}  {cpu:<38}"
                      f"< {TARGETS_MS[page]} ms: {verdict}{spread}")
        print(f"largest worker memory: {worker_peak_mb(server):.0f} MB (target < 500 MB)")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        # The benchmark's own activities are removed so a rerun measures the same data.
        from datetime import date

        from alongside.journeys.models import Activity
        Activity.objects.filter(person__reference__in=people, done_on=date.today(), minutes=30,
                                kind__code="home_visit", coordinator=coordinator).delete()


if __name__ == "__main__":
    main()
