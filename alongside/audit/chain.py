"""The hash chain over the audit trail, and signed checkpoints of it kept outside the database.

Each row's hash is an HMAC-SHA256, under a key the database does not hold
(ALONGSIDE_AUDIT_KEY, or one derived from the secret key), over every column and the hash of
the row before: someone with only the database cannot change a row and re-hash the rest.
Checkpoints (the newest row's id and hash, signed with the same key) are written to files and
to the log; `verify` checks that every checkpoint is still in the chain, so removing the newest
rows is found too.

Appending takes a lock for the length of the transaction so that two requests writing at
once cannot both chain to the same previous row: PostgreSQL's transaction-level advisory
lock, and on SQLite the write lock every transaction takes at its start (settings use
`transaction_mode = IMMEDIATE`).
"""

import hashlib
import hmac
import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

log = logging.getLogger("alongside.audit")

GENESIS = "0" * 64
# An arbitrary constant naming Alongside's audit lock among the database's advisory locks.
_LOCK_KEY = 7_231_040_508


def _key() -> bytes:
    own = getattr(settings, "ALONGSIDE_AUDIT_KEY", "")
    if own:
        return own.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"alongside audit chain", hashlib.sha256).digest()


def digest(previous: str, content: dict) -> str:
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(_key(), (previous + "\n" + text).encode(), hashlib.sha256).hexdigest()


def _sign(point: dict) -> str:
    text = f"{point['id']}:{point['hash']}:{point['rows']}:{point['at']}"
    return hmac.new(_key(), text.encode(), hashlib.sha256).hexdigest()


def checkpoint_dir() -> Path:
    return Path(settings.ALONGSIDE_AUDIT_CHECKPOINT_DIR)


def checkpoint() -> Path | None:
    """Write the newest row's id and hash, signed, to a file of its own (and the log, which a
    council keeps elsewhere). Nothing to write while the trail is empty."""
    event = apps.get_model("audit", "AuditEvent")
    newest = event.objects.order_by("-id").values("id", "hash").first()
    if newest is None:
        return None
    point = {**newest, "rows": event.objects.filter(id__lte=newest["id"]).count(),
             "at": datetime.now(UTC).isoformat(timespec="seconds")}
    point["signature"] = _sign(point)
    d = checkpoint_dir()
    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = d / f"checkpoint-{point['at'].replace(':', '')}-{point['id']}.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(point, f)
    log.info("audit checkpoint %s", json.dumps(point, sort_keys=True))
    return path


def last_checkpoint_at() -> float | None:
    files = sorted(checkpoint_dir().glob("checkpoint-*.json"), key=lambda p: p.stat().st_mtime)
    return files[-1].stat().st_mtime if files else None


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
        return self.broken_at is None and not self.reason


def verify(batch: int = 5000) -> Verdict:
    """Walk the whole trail in the order written; stop at the first row that does not fit.

    An edited row no longer matches its own hash; a deleted row leaves the next row pointing
    at a hash that is not the one before it; newest rows deleted, or every row re-hashed, no
    longer hold a checkpoint written before.
    """
    event = apps.get_model("audit", "AuditEvent")
    previous, rows = GENESIS, 0
    fields = ("id", "at", "user_id", "username", "role", "action", "person_id", "person_reference",
              "path", "detail", "previous_hash", "hash")
    points = {}
    for path in sorted(checkpoint_dir().glob("checkpoint-*.json")):
        try:
            point = json.loads(path.read_text())
            signed = hmac.compare_digest(point.pop("signature"), _sign(point))
        except (ValueError, KeyError, TypeError):
            signed = False
        if not signed:
            return Verdict(0, None, f"checkpoint {path.name} is not one Alongside signed")
        points[point["id"]] = point
    for row in event.objects.order_by("id").only(*fields).iterator(chunk_size=batch):
        rows += 1
        if row.previous_hash != previous:
            return Verdict(rows, row.id, "does not follow the row before it (a row was removed "
                                         "or inserted)")
        if digest(previous, row.content()) != row.hash:
            return Verdict(rows, row.id, "its content has changed since it was written")
        point = points.pop(row.id, None)
        if point is not None and (point["hash"] != row.hash or point["rows"] != rows):
            return Verdict(rows, row.id, f"does not match the checkpoint of {point['at']} (the "
                                         f"rows up to it were changed and re-hashed)")
        previous = row.hash
    if points:
        latest = max(points.values(), key=lambda p: p["id"])
        return Verdict(rows, latest["id"], f"is missing, though the checkpoint of {latest['at']} "
                                           f"holds it (the newest rows were removed)")
    return Verdict(rows)
