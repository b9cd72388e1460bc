"""The hash chain over the audit trail.

Appending takes a lock for the length of the transaction so that two requests writing at
once cannot both chain to the same previous row: PostgreSQL's transaction-level advisory
lock, and on SQLite the write lock every transaction takes at its start (settings use
`transaction_mode = IMMEDIATE`).
"""

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, transaction

GENESIS = "0" * 64
# An arbitrary constant naming Alongside's audit lock among the database's advisory locks.
_LOCK_KEY = 7_231_040_508


def digest(previous: str, content: dict) -> str:
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((previous + "\n" + text).encode()).hexdigest()


@contextmanager
def appending() -> Iterator[str]:
    """Inside one transaction and the lock: yields the hash of the last row written."""
    event = apps.get_model("audit", "AuditEvent")
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # A writer that cannot have the lock within 10 s fails, rather than a page
                # hanging until gunicorn kills it.
                cursor.execute("SET LOCAL lock_timeout = '10s'")
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        last = event.objects.order_by("-id").values_list("hash", flat=True).first()
        yield last or GENESIS


@dataclass
class Verdict:
    rows: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify(batch: int = 5000) -> Verdict:
    """Walk the whole trail in the order written; stop at the first row that does not fit.

    An edited row no longer matches its own hash; a deleted row leaves the next row pointing
    at a hash that is not the one before it.
    """
    event = apps.get_model("audit", "AuditEvent")
    previous, rows = GENESIS, 0
    fields = ("id", "at", "username", "role", "action", "person_reference", "path", "detail",
              "previous_hash", "hash")
    for row in event.objects.order_by("id").only(*fields).iterator(chunk_size=batch):
        rows += 1
        if row.previous_hash != previous:
            return Verdict(rows, row.id, "does not follow the row before it (a row was removed "
                                         "or inserted)")
        if digest(previous, row.content()) != row.hash:
            return Verdict(rows, row.id, "its content has changed since it was written")
        previous = row.hash
    return Verdict(rows)
