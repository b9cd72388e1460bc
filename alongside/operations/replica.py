"""Reading the evidence from a PostgreSQL streaming replica, when there is one.

With DATABASE_REPLICA_URL set, the pages that read much and write little (the evidence pages,
reports, exports) read from the replica, and everything else, every write included, goes to
the primary. Three rules keep what people see right:

- **Read your own writes.** After a request that changed something, its response carries the
  primary's WAL position at that moment (a cookie); the next pages read from the replica only
  once the replica has replayed past it. A manager who has just saved a programme cost sees it.
- **Not too far behind.** A replica more than ALONGSIDE_REPLICA_MAX_LAG seconds behind (replay
  paused, a slow disk, a lost connection) is not read: the primary answers instead.
- **A replica that cannot be reached** is not an error: the primary answers, and the log says so.

Scoping is untouched: the same querysets (`scoping.py`) run on either database, which hold the
same rows.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

log = logging.getLogger(__name__)

ALIAS = "replica"
COOKIE = "alongside-wrote"
_LSN = re.compile(r"^[0-9A-F]{1,8}/[0-9A-F]{1,8}$")

# The records the evidence is made of. Sessions, sign-in, the audit chain (each entry reads the
# one before it), the task queue and the work rows are always read where they are written.
RECORDS = frozenset({"codes", "places", "accounts", "people", "journeys", "community", "logic_models"})

_reading: contextvars.ContextVar[bool] = contextvars.ContextVar("reading_from_replica", default=False)


def configured() -> bool:
    return ALIAS in settings.DATABASES


def usable(after_lsn: str | None = None) -> bool:
    """Is the replica there, replaying, within the allowed lag and (if given) past `after_lsn`?"""
    if not configured():
        return False
    max_lag = float(getattr(settings, "ALONGSIDE_REPLICA_MAX_LAG", 30))
    try:
        with connections[ALIAS].cursor() as cursor:
            cursor.execute(
                "SELECT pg_is_in_recovery(),"
                # Everything received is replayed and still streaming: caught up, however long
                # ago the last change was (an idle primary makes the replay time look old).
                " coalesce(pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn(), false)"
                "   AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming'),"
                " extract(epoch FROM now() - pg_last_xact_replay_timestamp()),"
                " %s::pg_lsn IS NULL OR pg_last_wal_replay_lsn() >= %s::pg_lsn",
                [after_lsn, after_lsn])
            in_recovery, caught_up, lag, past_write = cursor.fetchone()
    except DatabaseError as e:
        log.warning("The replica could not be read (%s); reading from the primary", type(e).__name__)
        connections[ALIAS].close()
        return False
    if not in_recovery:
        # A promoted or mistaken "replica" is not a copy of the primary any more.
        log.warning("DATABASE_REPLICA_URL is not a server in recovery; reading from the primary")
        return False
    if not past_write:
        return False
    return bool(caught_up) or (lag is not None and float(lag) <= max_lag)


@contextmanager
def reading_from_replica(after_lsn: str | None = None) -> Iterator[bool]:
    """Within this block, reads go to the replica if it is usable; yields whether they do."""
    use = usable(after_lsn)
    token = _reading.set(use)
    try:
        yield use
    finally:
        _reading.reset(token)


def alias_for_reading() -> str:
    return ALIAS if _reading.get() else DEFAULT_DB_ALIAS


def reads(view: Callable) -> Callable:
    """A page that may read from the replica (the person's own last write permitting)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not configured() or request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        wrote = request.COOKIES.get(COOKIE, "")
        with reading_from_replica(wrote if _LSN.match(wrote) else None):
            return view(request, *args, **kwargs)

    return wrapped


class ReplicaRouter:
    """Writes and migrations to the primary; reads of the records to the replica only inside
    `reading_from_replica` when it is usable."""

    def db_for_read(self, model, **hints):
        if _reading.get() and model._meta.app_label in RECORDS:
            return ALIAS
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class RememberWrites:
    """After a request that may have changed something, note the primary's WAL position, so
    the person's next evidence page waits for the replica to have it (or reads the primary)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (configured() and request.method not in ("GET", "HEAD", "OPTIONS")
                and response.status_code < 400):
            try:
                with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
                    cursor.execute("SELECT pg_current_wal_lsn()::text")
                    (lsn,) = cursor.fetchone()
            except DatabaseError:
                return response
            # Long enough for any replica within the allowed lag to have replayed it.
            age = int(float(getattr(settings, "ALONGSIDE_REPLICA_MAX_LAG", 30))) + 5
            response.set_cookie(COOKIE, lsn, max_age=age, secure=request.is_secure(),
                                httponly=True, samesite="Lax")
        return response
