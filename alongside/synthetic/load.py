"""Write a generated Batch to the database in bulk: COPY on PostgreSQL, executemany on SQLite."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np
from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

from .generate import ACTIVITY_COLUMNS, COLUMNS, Batch

ORDER = [label for label in COLUMNS] + ["journeys.Activity"]
CHUNK = 50_000


def model_for(label: str):
    """A model by its label; "app.Model_field" is that many-to-many field's table."""
    model, _, m2m = label.partition("_")
    if m2m:
        return getattr(apps.get_model(model), m2m).through
    return apps.get_model(label)


def next_ids() -> dict[str, int]:
    """For each table, the first id free for bulk writing."""
    out = {}
    with connection.cursor() as cur:
        for label in ORDER:
            table = connection.ops.quote_name(model_for(label)._meta.db_table)
            cur.execute(f"SELECT MAX(id) FROM {table}")
            out[label] = (cur.fetchone()[0] or 0) + 1
    return out


def _cell(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool) and connection.vendor == "sqlite":
        return int(value)
    return value


def _write(label: str, columns: list[str], rows: Iterable[tuple]) -> None:
    table = connection.ops.quote_name(model_for(label)._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([_cell(v) for v in row])
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"
            chunk: list[tuple] = []
            for row in rows:
                chunk.append(tuple(_cell(v) for v in row))
                if len(chunk) >= CHUNK:
                    cur.executemany(sql, chunk)
                    chunk = []
            if chunk:
                cur.executemany(sql, chunk)


def _activity_rows(a: dict[str, np.ndarray]) -> Iterable[tuple]:
    epoch = date(1970, 1, 1).toordinal()
    done_on = np.datetime_as_string((a["done_on"] - epoch).astype("datetime64[D]")).tolist()
    def nullable(x):
        return [None if v < 0 else v for v in x.tolist()]
    return zip(a["id"].tolist(), nullable(a["person_id"]), nullable(a["group_id"]),
               a["coordinator_id"].tolist(), a["activity_id"].tolist(), a["kind_id"].tolist(),
               a["level_id"].tolist(), done_on, nullable(a["minutes"]),
               [""] * len(done_on), strict=True)


def write_batch(batch: Batch) -> None:
    with transaction.atomic():
        for label in COLUMNS:
            table = batch.tables.get(label)
            if table and table.rows:
                _write(label, table.columns, table.rows)
        if batch.activities is not None and len(batch.activities["id"]):
            _write("journeys.Activity", ACTIVITY_COLUMNS, _activity_rows(batch.activities))


def reset_sequences() -> None:
    """After writing explicit ids, PostgreSQL's sequences must move past them."""
    if connection.vendor != "postgresql":
        return
    models = {model_for(label) for label in ORDER}
    with connection.cursor() as cur:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cur.execute(sql)
