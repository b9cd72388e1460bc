"""Background work: asked for in a request, done by `alongside worker`, and never lost quietly.

Every piece of work a person waits for is a row (a Report, a Job) carrying its progress. One task,
`do`, does any of them: it finds the row, runs the row's own `work`, and keeps what happened on
the row. A worker that stops mid-way (killed, a deploy, its machine gone) stops beating; the next
worker to look finds its work, removes anything half-made, and tries again or, after
ALONGSIDE_WORK_ATTEMPTS tries, marks it failed with the reason.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import TrackedWork, WorkerBeat

log = logging.getLogger(__name__)

Progress = Callable[[int, str], None]


class Refused(Exception):
    """The work cannot be done for a reason the person who asked should read (a bad file, a
    missing key). Its message is shown to them as it is, with the details in `summary`."""

    def __init__(self, message: str, summary: dict | None = None):
        super().__init__(message)
        self.summary = summary


class WorkerStopped(Exception):
    """Kept on the task's record when the worker doing it stopped before it finished."""


def label_of(row: TrackedWork) -> str:
    return row._meta.label_lower


def queue(row: TrackedWork) -> None:
    """Queue the work in the same transaction that saved its row: both are there or neither is."""
    with transaction.atomic():
        result = do.enqueue(label_of(row), row.pk)
        type(row).objects.filter(pk=row.pk).update(task_id=str(result.id), status=TrackedWork.Status.QUEUED)
    row.task_id = str(result.id)


@task()
def do(label: str, pk: int) -> str:
    row = apps.get_model(label).objects.filter(pk=pk).first()
    if row is None or row.status in (TrackedWork.Status.DONE, TrackedWork.Status.FAILED):
        return "nothing to do"
    return run_here(row)


def run_here(row: TrackedWork, echo: Progress | None = None) -> str:
    """Do the work in this process, keeping progress and the outcome on its row (the worker
    calls this; so does a command that writes in the foreground, with `echo` to print)."""
    rows = type(row).objects.filter(pk=row.pk)
    rows.update(status=TrackedWork.Status.RUNNING, progress=1, attempts=row.attempts + 1,
                started_at=timezone.now(), error="")

    side = []

    def progress(percent: int, step: str) -> None:
        values = (max(1, min(percent, 99)), str(step)[:120])
        if connection.in_atomic_block and connection.vendor == "postgresql":
            # Work that reads one snapshot (an export in a read-only transaction) cannot write
            # its progress there, and nobody would see it before the end: a connection of its
            # own writes it at once.
            if not side:
                side.append(connections.create_connection(DEFAULT_DB_ALIAS))
            _set_progress(side[0], type(row), row.pk, *values)
        else:
            rows.update(progress=values[0], step=values[1])
        if echo:
            echo(percent, step)

    try:
        try:
            fields = row.work(progress) or {}
        finally:
            for c in side:
                c.close()
    except Refused as e:
        extra = {"summary": e.summary} if e.summary is not None else {}
        rows.update(status=TrackedWork.Status.FAILED, error=str(e), finished_at=timezone.now(), **extra)
        return "refused"
    except Exception:
        log.exception("%s %s could not be done", label_of(row), row.pk)
        row.discard_partial()
        rows.update(status=TrackedWork.Status.FAILED, finished_at=timezone.now(),
                    error="This could not be done; the error is in the log.")
        raise
    rows.update(status=TrackedWork.Status.DONE, progress=100, step="", finished_at=timezone.now(), **fields)
    if echo:
        echo(100, "done")
    return "done"


def _set_progress(conn, model, pk: int, percent: int, step: str) -> None:
    table, q = model._meta.db_table, conn.ops.quote_name
    with conn.cursor() as cursor:
        cursor.execute(f"UPDATE {q(table)} SET {q('progress')} = %s, {q('step')} = %s "
                       f"WHERE {q('id')} = %s", [percent, step, pk])


def beat(worker_id: str, started_at: datetime) -> None:
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": socket.gethostname()[:255], "pid": os.getpid(), "started_at": started_at,
                  "seen_at": timezone.now()})


def last_seen() -> datetime | None:
    return WorkerBeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()


def worker_alive(within: timedelta = timedelta(minutes=1)) -> bool:
    seen = last_seen()
    return seen is not None and timezone.now() - seen <= within


def recover_lost(now: datetime | None = None) -> list[str]:
    """Find work whose worker has stopped; try it again or mark it failed. Returns what it did,
    one line each, for the worker's log."""
    now = now or timezone.now()
    quiet = now - timedelta(seconds=settings.ALONGSIDE_WORKER_LOST_AFTER)
    alive = set(WorkerBeat.objects.filter(seen_at__gte=quiet).values_list("worker_id", flat=True))
    done = []
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, task_path=do.module_path,
                                          started_at__lt=quiet)
    for result in running:
        if result.worker_ids and result.worker_ids[-1] in alive:
            continue
        with transaction.atomic():
            # Another worker may be recovering the same task: only the one that flips it acts.
            if not DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).exists():
                continue
            result.set_failed(WorkerStopped(f"worker {(result.worker_ids or ['?'])[-1]} stopped"))
            label, pk = result.args_kwargs["args"]
            done.append(_after_stop(apps.get_model(label), pk))
    WorkerBeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
    return done


def _after_stop(model, pk: int) -> str:
    row = model.objects.filter(pk=pk).first()
    if row is None:
        return f"{model._meta.label_lower} {pk}: gone"
    row.discard_partial()
    if row.attempts < settings.ALONGSIDE_WORK_ATTEMPTS:
        model.objects.filter(pk=pk).update(progress=0, step="Starting again: the worker doing this stopped")
        queue(row)
        return f"{label_of(row)} {pk}: worker stopped, queued again (try {row.attempts + 1})"
    model.objects.filter(pk=pk).update(
        status=TrackedWork.Status.FAILED, finished_at=timezone.now(),
        error=(f"The background worker stopped while doing this, {row.attempts} times; nothing "
               f"half-finished was kept. Ask for it again; if it stops again, tell your administrator."))
    return f"{label_of(row)} {pk}: worker stopped, failed after {row.attempts} tries"


def queue_depth() -> dict[str, int]:
    """How much work is waiting and running, and how much has failed, for the metrics."""
    counts = {s: 0 for s in ("READY", "RUNNING", "FAILED", "SUCCESSFUL")}
    for status in counts:
        counts[status] = DBTaskResult.objects.filter(status=getattr(TaskResultStatus, status)).count()
    return counts
