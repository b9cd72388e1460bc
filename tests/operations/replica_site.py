"""What test_replica.py asks of a running Alongside with a primary and a streaming replica
(DATABASE_URL, DATABASE_REPLICA_URL): run as `python replica_site.py CHECK`, it prints one line
of JSON with what it saw. Django's test client drives the real views and middleware; the
database connections are the real ones, so every query lands on the server the router chose."""

import json
import os
import sys
import time

import django

django.setup()

import psycopg  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.db import connections, router  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from alongside.accounts.models import Role, User  # noqa: E402
from alongside.audit.models import AuditEvent  # noqa: E402
from alongside.front.economics import financial_years  # noqa: E402
from alongside.journeys.models import Introduction  # noqa: E402
from alongside.operations import replica  # noqa: E402
from alongside.people.models import Person  # noqa: E402
from alongside.places.models import Council, ProgrammeCost  # noqa: E402

setup_test_environment()
REPLICA = os.environ["DATABASE_REPLICA_URL"]


def on_replica(sql: str) -> None:
    with psycopg.connect(REPLICA, autocommit=True) as c:
        c.execute(sql)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def get(client: Client, url: str) -> dict:
    """The page, and how many queries went to each server while it was made."""
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections["replica"]) as copy:
        r = client.get(url)
    replica_reads = [q["sql"] for q in copy.captured_queries if "pg_is_in_recovery" not in q["sql"]]
    return {"status": r.status_code, "html": r.content.decode(errors="replace"),
            "primary": len(primary.captured_queries), "replica": len(replica_reads)}


def wait_for(what: str, check, seconds: float = 30) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.1)
    raise SystemExit(f"timed out waiting for {what}")


def managers() -> tuple[User, User]:
    """The demo council's manager, and the manager of the council the test added."""
    others = User.objects.filter(role=Role.MANAGER)
    return others.exclude(username="farside-manager").get(), others.get(username="farside-manager")


def check_reads() -> dict:
    """The router: records from the replica inside the scope, writes and sign-in on the primary;
    pages: the evidence pages read the replica, with the same figures and the same scope."""
    wait_for("the replica to be usable", replica.usable)
    out = {}
    with replica.reading_from_replica() as used:
        out["scope_used_replica"] = used
        out["person_db"] = Person.objects.all().db
        out["audit_db"] = AuditEvent.objects.all().db
        out["sessions_db"] = Session.objects.all().db
        out["write_db"] = router.db_for_write(Person)
    out["outside_scope_db"] = Person.objects.all().db

    manager, other = managers()
    client = signed_in(manager)
    pages = {}
    for name, url in [("overview", "/overview/"), ("quality", "/quality/"),
                      ("economics", "/evidence/economics/"), ("patterns", "/evidence/patterns/"),
                      ("sites", "/sites/"), ("caseload", "/caseload/")]:
        page = get(client, url)
        pages[name] = {k: page[k] for k in ("status", "primary", "replica")}
        pages[name]["shows_own_council"] = manager.council.name in page["html"]
        pages[name]["shows_other_council"] = other.council.name in page["html"]
    # Another council's figures asked for by id: the scope holds on the replica too.
    sneaky = get(client, f"/evidence/economics/?council={other.council_id}")
    pages["other_council_by_id"] = {"status": sneaky["status"], "replica": sneaky["replica"],
                                    "shows_other_council": other.council.name in sneaky["html"]}
    coordinator = User.objects.filter(role=Role.COORDINATOR, council=manager.council).first()
    as_coordinator = signed_in(coordinator).get("/evidence/economics/")
    pages["coordinator_economics"] = {"status": as_coordinator.status_code}
    out["pages"] = pages
    return out


def check_lag() -> dict:
    """Replay paused and the replica further behind than allowed: the primary answers, with the
    write the replica has not got; once replay resumes and catches up, the replica again."""
    from django.conf import settings

    settings.ALONGSIDE_REPLICA_MAX_LAG = 1.0
    wait_for("the replica to be usable", replica.usable)
    manager, _ = managers()
    client = signed_in(manager)
    on_replica("SELECT pg_wal_replay_pause()")
    try:
        year = financial_years()[1]
        ProgrammeCost.objects.filter(council=manager.council, year=year).update(salary=29_500)
        time.sleep(1.5)  # more than the allowed lag since the replica last replayed anything
        behind = get(client, f"/evidence/economics/?year={year}")
        usable_while_paused = replica.usable()
    finally:
        on_replica("SELECT pg_wal_replay_resume()")
    wait_for("the replica to catch up", replica.usable)
    caught_up = get(client, f"/evidence/economics/?year={year}")
    return {"usable_while_paused": usable_while_paused,
            "behind": {"status": behind["status"], "replica": behind["replica"],
                       "shows_new_salary": "£29,500" in behind["html"]},
            "caught_up": {"status": caught_up["status"], "replica": caught_up["replica"],
                          "shows_new_salary": "£29,500" in caught_up["html"]}}


def check_own_writes() -> dict:
    """Replay paused but within the allowed lag: the manager who saved a programme cost reads it
    back (from the primary, because the replica has not replayed the write); someone who wrote
    nothing reads the replica, which may be a moment behind."""
    from django.conf import settings

    settings.ALONGSIDE_REPLICA_MAX_LAG = 300.0
    wait_for("the replica to be usable", replica.usable)
    manager, _ = managers()
    writer, reader = signed_in(manager), signed_in(manager)
    year = financial_years()[1]
    url = f"/evidence/economics/?council={manager.council_id}&year={year}"
    on_replica("SELECT pg_wal_replay_pause()")
    try:
        # 2 × £31,000 × 1.20 (20% on-costs) = £74,400 a year of Coordinator time.
        r = writer.post(url, {"coordinator_fte": "2", "salary": "31000", "on_costs": "20",
                              "management": "0", "venues": "0", "overheads": "0",
                              "source": "Replica test"})
        cookie = r.cookies.get(replica.COOKIE)
        mine = get(writer, url)
        theirs = get(reader, url)
        forged = Client()
        forged.cookies = reader.cookies
        forged.cookies[replica.COOKIE] = "not a position'; DROP TABLE x;--"
        nonsense = get(forged, url)
    finally:
        on_replica("SELECT pg_wal_replay_resume()")
    return {"post_status": r.status_code, "cookie_set": cookie is not None and bool(cookie.value),
            "cookie_httponly": bool(cookie and cookie["httponly"]),
            "mine": {"replica": mine["replica"], "shows_write": "£74,400.00" in mine["html"]},
            "theirs": {"replica": theirs["replica"], "status": theirs["status"]},
            "nonsense_cookie": {"status": nonsense["status"], "replica": nonsense["replica"]}}


def check_gone() -> dict:
    """The replica's server stopped: pages still answer, from the primary."""
    manager, _ = managers()
    client = signed_in(manager)
    pages = {}
    for url in ("/overview/", "/evidence/economics/", "/quality/"):
        with CaptureQueriesContext(connections["default"]) as primary:
            r = client.get(url)
        pages[url] = {"status": r.status_code, "primary": len(primary.captured_queries)}
    return {"usable": replica.usable(), "pages": pages,
            "people": Person.objects.count(), "introductions": Introduction.objects.count(),
            "councils": Council.objects.count()}


if __name__ == "__main__":
    result = {"reads": check_reads, "lag": check_lag, "own-writes": check_own_writes,
              "gone": check_gone}[sys.argv[1]]()
    print(json.dumps(result))
