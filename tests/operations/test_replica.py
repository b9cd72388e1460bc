"""Past one machine, for real: a PostgreSQL primary and a streaming replica of it on loopback
(Debian's PostgreSQL, scripts/postgres-replica), Alongside pointed at both. Whether the suite
itself runs on SQLite or PostgreSQL, this test starts its own pair of servers.

What it checks: the router (records read from the replica only inside the evidence scope;
writes, sessions and the audit chain always on the primary), that the evidence pages read the
replica and keep their scope there, that a replica further behind than allowed is not read,
that a person reads their own write at once, and that a replica gone away is not an error."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PORT = 55471  # primary; the replica is on PORT + 1


@pytest.fixture(scope="module")
def pair():
    root = tempfile.mkdtemp(prefix="alongside-replica-")
    env_root = {**os.environ, "ALONGSIDE_PGREPLICA_ROOT": root}
    subprocess.run([REPO / "scripts/postgres-replica", "stop", str(PORT)], env=env_root, check=True)
    urls = subprocess.run([REPO / "scripts/postgres-replica", str(PORT)], env=env_root, check=True,
                          capture_output=True, text=True, timeout=300).stdout.split()
    primary, copy = urls
    env = {**os.environ, "DATABASE_URL": primary, "DATABASE_REPLICA_URL": copy,
           "ALONGSIDE_DATA_DIR": tempfile.mkdtemp(prefix="alongside-replica-data-"),
           "PYTHONPATH": str(REPO), "DJANGO_SETTINGS_MODULE": "alongside.config.settings"}
    alongside = [sys.executable, "-m", "alongside.cli"]
    # The demo's one council, and a second whose name must never show on the first's pages.
    second = ("from alongside.accounts.models import Role, User\n"
              "from alongside.places.models import Council, Ward\n"
              "c = Council.objects.create(name='Farside Borough', ons_code='E09000999', nation='england')\n"
              "Ward.objects.create(council=c, name='Farside Central', ons_code='E05099999', population=9)\n"
              "User.objects.create_user('farside-manager', role=Role.MANAGER, council=c)\n")
    for args in (["migrate", "--no-input", "-v0"], ["demo", "--scale", "demo"], ["shell", "-c", second]):
        subprocess.run([*alongside, *args], env=env, cwd=REPO, check=True, capture_output=True,
                       text=True, timeout=300)
    yield env, env_root
    subprocess.run([REPO / "scripts/postgres-replica", "stop", str(PORT)], env=env_root, check=True)


def site(env, check: str) -> dict:
    done = subprocess.run([sys.executable, str(REPO / "tests/operations/replica_site.py"), check],
                          env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_router_sends_only_record_reads_to_the_replica_and_pages_keep_their_scope(pair):
    env, _ = pair
    seen = site(env, "reads")
    assert seen["scope_used_replica"] is True
    assert seen["person_db"] == "replica" and seen["outside_scope_db"] == "default"
    assert seen["audit_db"] == "default" and seen["sessions_db"] == "default"
    assert seen["write_db"] == "default"
    pages = seen["pages"]
    for name in ("overview", "quality", "economics", "patterns", "sites"):
        page = pages[name]
        assert page["status"] == 200, name
        assert page["replica"] > 0, f"{name} did not read the replica"
        assert not page["shows_other_council"], name
    assert all(pages[name]["shows_own_council"] for name in ("overview", "economics", "sites"))
    # The caseload is a Coordinator's working page: it reads the primary, always.
    assert pages["caseload"]["replica"] == 0
    assert not pages["other_council_by_id"]["shows_other_council"]
    assert pages["other_council_by_id"]["replica"] > 0
    assert pages["coordinator_economics"]["status"] == 403


def test_a_replica_further_behind_than_allowed_is_not_read(pair):
    env, _ = pair
    seen = site(env, "lag")
    assert seen["usable_while_paused"] is False
    assert seen["behind"] == {"status": 200, "replica": 0, "shows_new_salary": True}
    assert seen["caught_up"]["replica"] > 0 and seen["caught_up"]["shows_new_salary"]


def test_a_person_reads_their_own_write_at_once(pair):
    env, _ = pair
    seen = site(env, "own-writes")
    assert seen["post_status"] == 302 and seen["cookie_set"] and seen["cookie_httponly"]
    # The replica has not replayed the write (replay is paused): the writer reads the primary.
    assert seen["mine"] == {"replica": 0, "shows_write": True}
    # Someone who wrote nothing reads the replica, which is within the allowed lag.
    assert seen["theirs"]["status"] == 200 and seen["theirs"]["replica"] > 0
    # A cookie that is not a WAL position is ignored, not passed to the database.
    assert seen["nonsense_cookie"]["status"] == 200 and seen["nonsense_cookie"]["replica"] > 0


def test_a_replica_gone_away_is_not_an_error(pair):
    env, env_root = pair
    bin_dir = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    data = Path(env_root["ALONGSIDE_PGREPLICA_ROOT"]) / "replica"
    stop = [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
    if os.getuid() == 0:
        stop = ["runuser", "-u", "postgres", "--", *stop]
    subprocess.run(stop, check=True, capture_output=True)
    seen = site(env, "gone")
    assert seen["usable"] is False
    assert all(p["status"] == 200 and p["primary"] > 5 for p in seen["pages"].values()), seen["pages"]
    assert seen["people"] > 0 and seen["councils"] > 1
