"""A worker killed in the middle of writing a report and of an export (SIGKILL: no chance to
tidy up): nothing half-written is kept, and the work is tried again, or failed with its reason
once it has had its tries. Real worker processes against a database of their own."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[2]
ALONGSIDE = [sys.executable, "-m", "alongside.cli"]


class Database:
    """A database for the worker processes: a SQLite file, or on the PostgreSQL server the suite
    runs on, a database of its own (so the suite's test database is not touched)."""

    def __init__(self, tmp: Path):
        suite = os.environ.get("DATABASE_URL", "")
        self.pg_admin = None
        if suite.startswith("postgres"):
            import psycopg

            self.name = f"alongside_work_{uuid.uuid4().hex[:8]}"
            self.pg_admin = suite
            with psycopg.connect(suite, autocommit=True) as c:
                c.execute(f'CREATE DATABASE "{self.name}"')
            self.url = urlparse(suite)._replace(path=f"/{self.name}").geturl()
        else:
            self.url = f"sqlite:///{tmp / 'work.sqlite3'}"

    def rows(self, sql: str) -> list[tuple]:
        if self.pg_admin:
            import psycopg

            with psycopg.connect(self.url, autocommit=True) as c:
                return c.execute(sql).fetchall()
        with sqlite3.connect(urlparse(self.url).path) as c:
            return c.execute(sql).fetchall()

    def drop(self) -> None:
        if self.pg_admin:
            import psycopg

            with psycopg.connect(self.pg_admin, autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("worker-killed")
    db = Database(tmp)
    env = {**os.environ, "DATABASE_URL": db.url, "ALONGSIDE_DATA_DIR": str(tmp),
           "ALONGSIDE_WORK_DIR": str(tmp / "work"), "ALONGSIDE_WORKER_LOST_AFTER": "2",
           "PYTHONPATH": str(REPO), "DJANGO_SETTINGS_MODULE": "alongside.config.settings"}
    run = lambda *a: subprocess.run([*ALONGSIDE, *a], env=env, cwd=REPO, check=True,  # noqa: E731
                                    capture_output=True, text=True, timeout=300)
    run("migrate", "--no-input", "-v0")
    run("demo", "--scale", "demo")
    yield db, env, run, tmp
    db.drop()


def _wait(what, check, seconds=90):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def _worker(env, slow: bool, **extra) -> subprocess.Popen:
    cmd = [sys.executable, str(REPO / "tests/operations/slow_worker.py")] if slow else \
        [*ALONGSIDE, "worker", "--interval", "0.2"]
    return subprocess.Popen(cmd, env={**env, **extra}, cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def _stop(p: subprocess.Popen) -> None:
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def test_a_report_being_written_is_written_again_after_its_worker_is_killed(site):
    db, env, run, tmp = site
    run("shell", "-c", (
        "from django.db import transaction\n"
        "from alongside.operations import work\n"
        "from alongside.places.models import Council\n"
        "from alongside.reports.models import Report\n"
        "with transaction.atomic():\n"
        "    r = Report.objects.create(kind='site', council=Council.objects.get(),\n"
        "                              period='2024/25-Q4', language='en')\n"
        "    work.queue(r)\n"))
    (pk,), = db.rows("SELECT id FROM reports_report")
    slow = _worker(env, slow=True)
    try:
        # In the middle: the figures and the HTML are made, the PDF is being drawn.
        _wait("the report to reach the PDF", lambda: db.rows(
            f"SELECT 1 FROM reports_report WHERE id={pk} AND status='running' AND progress=90"))
        slow.send_signal(signal.SIGKILL)
        slow.wait(timeout=10)
    finally:
        _stop(slow)
    (status, html, attempts), = db.rows(f"SELECT status, html, attempts FROM reports_report WHERE id={pk}")
    assert (status, html, attempts) == ("running", "", 1)  # nothing of the try was kept

    again = _worker(env, slow=False)
    try:
        done = _wait("the report to be written again", lambda: db.rows(
            f"SELECT attempts, length(html), pdf IS NOT NULL FROM reports_report "
            f"WHERE id={pk} AND status='done'"))
    finally:
        _stop(again)
    attempts, html_length, has_pdf = done[0]
    assert attempts == 2 and html_length > 1000 and has_pdf
    tasks = db.rows("SELECT status, exception_class_path FROM django_tasks_database_dbtaskresult "
                    "ORDER BY enqueued_at")
    assert tasks == [("FAILED", "alongside.operations.work.WorkerStopped"), ("SUCCESSFUL", "")]


def test_an_export_half_written_is_removed_and_failed_with_its_reason(site):
    db, env, run, tmp = site
    run("shell", "-c", (
        "from django.db import transaction\n"
        "from alongside.operations import work\n"
        "from alongside.operations.models import Job\n"
        "from alongside.places.models import Council\n"
        "with transaction.atomic():\n"
        "    j = Job.objects.create(kind='export', council=Council.objects.get(),\n"
        "                           options={'format': 'csv'})\n"
        "    work.queue(j)\n"))
    (pk,), = db.rows("SELECT id FROM operations_job")
    partial = tmp / "work" / "tmp" / f"job-{pk}"
    one_try = {"ALONGSIDE_WORK_ATTEMPTS": "1"}
    slow = _worker(env, slow=True, **one_try)
    try:
        zips = _wait("the zip file to be half-written",
                     lambda: [z for z in partial.glob("*.zip") if z.stat().st_size > 0])
        slow.send_signal(signal.SIGKILL)
        slow.wait(timeout=10)
    finally:
        _stop(slow)
    assert zips[0].exists()  # the kill left a half-made file behind...

    again = _worker(env, slow=False, **one_try)
    try:
        (error, file_name), = _wait("the export to be failed", lambda: db.rows(
            f"SELECT error, file_name FROM operations_job WHERE id={pk} AND status='failed'"))
    finally:
        _stop(again)
    assert "worker stopped while doing this, 1 times" in error and file_name == ""
    assert not partial.exists()  # ...which is gone,
    assert not any((tmp / "work").glob(f"job-{pk}-*"))  # and no export was kept for download
