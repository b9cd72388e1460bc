"""Backup and restore of the whole database, on SQLite and PostgreSQL alike.

A backup is one zip file: every table as JSON lines (Django's serialisation, so a backup taken
on SQLite restores on PostgreSQL and back), and a manifest with, for each table, its row count,
a SHA-256 of its rows in primary-key order and a SHA-256 of its file. Restoring checks the
files before touching the database, writes everything in one transaction, then recomputes every
table's digest and compares it with the manifest; any difference undoes the whole restore.

For a network-scale PostgreSQL database, `pg_dump` is faster (docs/deployment.md); this is the
portable, verifiable copy a council can take and test on its own.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "alongside-backup/1"
BATCH = 2000


class BackupError(Exception):
    """Something a person running the command can act on; nothing was changed."""


def _models() -> list[type[models.Model]]:
    """Every table Django manages, including the link tables of many-to-many fields."""
    return sorted((m for m in apps.get_models(include_auto_created=True)
                   if m._meta.managed and not m._meta.proxy), key=lambda m: m._meta.label)


class _Exact(DjangoJSONEncoder):
    """Django's JSON encoder, except that times keep their microseconds (it cuts them to
    milliseconds, which would change every audit entry's time and so break its hash)."""

    def default(self, o):
        if isinstance(o, datetime | time):
            return o.isoformat()
        if isinstance(o, bytes | memoryview):
            return bytes(o).hex()
        return super().default(o)


class _TableDigest:
    """Rows and SHA-256 of a table's rows in primary-key order, each row its column values as
    the ORM reads them, so that the same data gives the same digest on either database."""

    def __init__(self):
        self.rows, self._h = 0, hashlib.sha256()

    def add(self, row: tuple) -> None:
        self._h.update(json.dumps(row, cls=_Exact, ensure_ascii=False).encode())
        self._h.update(b"\n")
        self.rows += 1

    def result(self) -> tuple[int, str]:
        return self.rows, self._h.hexdigest()


def table_digest(model: type[models.Model]) -> tuple[int, str]:
    names = [f.attname for f in model._meta.concrete_fields]
    digest = _TableDigest()
    for row in model._base_manager.order_by("pk").values_list(*names).iterator(chunk_size=BATCH):
        digest.add(row)
    return digest.result()


def _applied() -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


@dataclass
class Summary:
    tables: int
    rows: int


def backup(path: Path, progress: Callable[[str, int], None] | None = None) -> Summary:
    manifest = {"format": FORMAT, "created": datetime.now(UTC).isoformat(timespec="seconds"),
                "database": connection.vendor, "migrations": _applied(), "tables": {}}
    total = 0
    tmp = path.with_name(path.name + ".part")
    # Owner-only from the first byte: a backup holds password hashes, authenticator keys and
    # live sessions, so it is never readable by other users of the machine, even mid-write.
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    os.chmod(tmp, 0o600)
    # One transaction: on PostgreSQL every table is read from the same snapshot (when the backup
    # starts its own transaction; inside a caller's, the caller's isolation applies).
    outermost = not connection.in_atomic_block
    with transaction.atomic(), zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        for model in _models():
            label = model._meta.label
            name = f"data/{label}.jsonl"
            h = hashlib.sha256()
            # One read of the table both writes its file and digests its rows; the restore
            # digests the restored table with table_digest and compares.
            digest = _TableDigest()
            attnames = [f.attname for f in model._meta.concrete_fields]
            # Columns only: many-to-many links are their own tables here, ids and all, so
            # that a restored link table is identical, not merely equivalent.
            columns = [n for f in model._meta.concrete_fields for n in (f.name, f.attname)]
            with zf.open(name, "w") as raw:
                out = _Hashing(raw, h)
                for obj in model._base_manager.order_by("pk").iterator(chunk_size=BATCH):
                    digest.add(tuple(getattr(obj, a) for a in attnames))
                    record = serializers.serialize("python", [obj], fields=columns)[0]
                    out.write(json.dumps(record, cls=_Exact, ensure_ascii=False) + "\n")
            rows, sha = digest.result()
            manifest["tables"][label] = {"rows": rows, "sha256": sha, "file": name,
                                         "file_sha256": h.hexdigest()}
            total += rows
            if progress:
                progress(label, rows)
        zf.writestr("manifest.json", json.dumps(manifest, indent=1))
    tmp.replace(path)
    return Summary(len(manifest["tables"]), total)


class _Hashing(io.TextIOBase):
    """A text stream writing UTF-8 into the zip member while hashing it."""

    def __init__(self, raw, h):
        self.raw, self.h = raw, h

    def write(self, text: str) -> int:
        data = text.encode()
        self.h.update(data)
        self.raw.write(data)
        return len(text)


def read_manifest(zf: zipfile.ZipFile, path: Path) -> dict:
    try:
        manifest = json.loads(zf.read("manifest.json"))
    except KeyError:
        raise BackupError(f"{path}: not an Alongside backup (no manifest.json)") from None
    except json.JSONDecodeError as e:
        raise BackupError(f"{path}: manifest.json is damaged ({e})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: backup format {manifest.get('format')!r}, this version reads {FORMAT}")
    return manifest


def check_files(zf: zipfile.ZipFile, manifest: dict, path: Path) -> None:
    for label, entry in manifest["tables"].items():
        h = hashlib.sha256()
        try:
            with zf.open(entry["file"]) as f:
                for chunk in iter(lambda f=f: f.read(1 << 20), b""):
                    h.update(chunk)
        except (KeyError, zipfile.BadZipFile, OSError) as e:
            raise BackupError(f"{path}: {entry['file']} ({label}) cannot be read: {e}") from None
        if h.hexdigest() != entry["file_sha256"]:
            raise BackupError(f"{path}: {entry['file']} ({label}) is damaged: its checksum does not "
                              f"match the manifest. Nothing was restored.")


def _has_records() -> bool:
    person = apps.get_model("people", "Person")
    user = apps.get_model("accounts", "User")
    return person._base_manager.exists() or user._base_manager.exists()


def _lines(f) -> Iterable[str]:
    for line in io.TextIOWrapper(f, encoding="utf-8"):
        if line.strip():
            yield line


def _load(zf: zipfile.ZipFile, entry: dict) -> None:
    with zf.open(entry["file"]) as f:
        batch: dict[type, list] = {}
        for wrapped in serializers.deserialize("python", (json.loads(line) for line in _lines(f))):
            obj = wrapped.object
            batch.setdefault(type(obj), []).append(obj)
            if sum(map(len, batch.values())) >= BATCH:
                _flush(batch)
        _flush(batch)


def _flush(batch: dict) -> None:
    for model, objs in batch.items():
        with _times_as_saved(model):
            # the base manager: the audit trail's own manager would re-seal rows already sealed
            model._base_manager.bulk_create(objs, batch_size=BATCH)
    batch.clear()


@contextmanager
def _times_as_saved(model: type[models.Model]):
    """bulk_create stamps auto_now fields with the time of the restore; keep the saved times."""
    stamped = [(f, f.auto_now, getattr(f, "auto_now_add", False)) for f in model._meta.concrete_fields
               if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for f, _, _ in stamped:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in stamped:
            f.auto_now, f.auto_now_add = now, now_add


def restore(path: Path, replace: bool = False, progress: Callable[[str, int], None] | None = None) -> Summary:
    if not path.exists():
        raise BackupError(f"{path}: no such file")
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise BackupError(f"{path}: not a zip file, so not an Alongside backup") from None
    with zf:
        manifest = read_manifest(zf, path)
        check_files(zf, manifest, path)
        if manifest["migrations"] != _applied():
            raise BackupError(f"{path}: taken at a different version of Alongside's tables; run "
                              f"`alongside migrate` on a database at the backup's version first. "
                              f"Nothing was restored.")
        ours = {m._meta.label: m for m in _models()}
        if set(manifest["tables"]) != set(ours):
            missing = sorted(set(ours) ^ set(manifest["tables"]))
            raise BackupError(f"{path}: its tables differ from this database's ({', '.join(missing)})")
        if _has_records() and not replace:
            raise BackupError("this database already holds people or users; restore with --replace to "
                              "delete everything in it and put the backup in its place")
        with transaction.atomic():
            tables = [m._meta.db_table for m in ours.values()]
            if connection.vendor == "postgresql":
                # TRUNCATE refuses while deferred foreign-key checks are pending in the transaction
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            with connection.cursor() as cursor:
                for sql in connection.ops.sql_flush(no_style(), tables, allow_cascade=True):
                    cursor.execute(sql)
                if connection.vendor == "postgresql":
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")   # tables load in any order
            with connection.constraint_checks_disabled():
                for label, entry in manifest["tables"].items():
                    _load(zf, entry)
                    if progress:
                        progress(label, entry["rows"])
            connection.check_constraints()
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), list(ours.values())):
                    cursor.execute(sql)
            total = 0
            for label, entry in manifest["tables"].items():
                rows, digest = table_digest(ours[label])
                if (rows, digest) != (entry["rows"], entry["sha256"]):
                    raise BackupError(f"{label}: {rows:,} rows after restoring, {entry['rows']:,} in the "
                                      f"backup, or their content differs; the restore was undone")
                total += rows
    return Summary(len(manifest["tables"]), total)
