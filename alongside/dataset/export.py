"""Exports of the minimum dataset: for the council itself (its own pseudonymous references and
exact dates), or for research and the LAC Network (pseudonymised).

The research export replaces each reference with a keyed hash (HMAC-SHA256) under a key the
council holds and Alongside never stores, coarsens every date to its month, and leaves out
all free text, names, contact details, month of birth and Coordinators. The same person gets
the same pseudonym in every table and every export made with the same key, so the Network can
follow journeys; without the key nobody can go back from a pseudonym to the person.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import hmac
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce

from alongside.journeys.models import Activity, Engagement, Exit, Insulator, Introduction, Outcome
from alongside.people.models import ConsentRecord, Person
from alongside.places.models import Ward

FORMATS = ("csv", "xlsx", "parquet")
CHUNK = 5000


@dataclass(frozen=True)
class Column:
    name: str
    source: str  # a values() path
    kind: str = "text"  # text, date, person, link, free (free text: never in a research export)


TABLES: dict[str, tuple[Callable[[QuerySet[Ward]], QuerySet], list[Column]]] = {
    "person": (lambda w: Person.objects.filter(ward__in=w), [
        Column("person", "reference", "person"), Column("ward", "ward__ons_code"),
        Column("council", "ward__council__ons_code"), Column("age_band", "age_band__code"),
        Column("gender", "gender__code"), Column("ethnicity", "ethnicity__code"),
        Column("long_term_condition", "long_term_condition__code"),
        Column("relationship_to_services", "relationship_to_services__code"),
        Column("birth_month", "birth_month", "free"),  # month of birth identifies: kept at home only
        Column("coordinator", "coordinator__username", "free"),
    ]),
    "consent": (lambda w: ConsentRecord.objects.filter(person__ward__in=w), [
        Column("person", "person__reference", "person"), Column("status", "status__code"),
        Column("lawful_basis", "lawful_basis__code"), Column("recorded_on", "recorded_on", "date"),
    ]),
    "introduction": (lambda w: Introduction.objects.filter(ward__in=w), [
        Column("introduction", "pk", "link"), Column("person", "person__reference", "person"),
        Column("ward", "ward__ons_code"), Column("introduced_on", "introduced_on", "date"),
        Column("route", "route__code"), Column("level_requested", "level_requested__code"),
        Column("introducing_organisation", "introducing_organisation", "free"),
    ]),
    "introduction_reason": (lambda w: Introduction.reasons.through.objects.filter(
        introduction__ward__in=w), [
        Column("introduction", "introduction_id", "link"), Column("reason", "reason__code"),
    ]),
    "engagement": (lambda w: Engagement.objects.filter(person__ward__in=w), [
        Column("engagement", "pk", "link"), Column("person", "person__reference", "person"),
        Column("introduction", "introduction_id", "link"), Column("level", "level__code"),
        Column("status", "status__code"), Column("started_on", "started_on", "date"),
        Column("ended_on", "ended_on", "date"), Column("waiting_since", "waiting_since", "date"),
    ]),
    "activity": (lambda w: Activity.objects.filter(Q(person__ward__in=w) | Q(group__ward__in=w)), [
        Column("activity_id", "pk", "link"), Column("person", "person__reference", "person"),
        Column("group", "group_id"), Column("ward", "ward_code"), Column("activity", "activity__code"),
        Column("kind", "kind__code"), Column("level", "level__code"), Column("done_on", "done_on", "date"),
        Column("minutes", "minutes"), Column("note", "note", "free"),
    ]),
    "exit": (lambda w: Exit.objects.filter(person__ward__in=w), [
        Column("engagement", "engagement_id", "link"), Column("person", "person__reference", "person"),
        Column("exited_on", "exited_on", "date"), Column("point", "point__code"),
        Column("response", "response__code"), Column("outcome", "outcome__code"),
        Column("note", "note", "free"),
    ]),
    "outcome": (lambda w: Outcome.objects.filter(person__ward__in=w), [
        Column("person", "person__reference", "person"), Column("outcome", "outcome__code"),
        Column("present", "present"), Column("observed_on", "observed_on", "date"),
        Column("evidence", "evidence", "free"),
    ]),
    "insulator": (lambda w: Insulator.objects.filter(person__ward__in=w), [
        Column("person", "person__reference", "person"), Column("insulator", "insulator__code"),
        Column("observed_on", "observed_on", "date"), Column("evidence", "evidence", "free"),
    ]),
}


def pseudonym(key: bytes, reference: str) -> str:
    """A stable pseudonym: the first 20 hex digits (80 bits) of HMAC-SHA256(key, reference)."""
    return hmac.new(key, reference.encode(), hashlib.sha256).hexdigest()[:20]


def read_key(path: str | Path) -> bytes:
    p = Path(path)
    if not p.exists():
        raise ValueError(f"{p}: no such key file. The council makes and keeps its key: "
                         f"alongside pseudonym_key {p}")
    key = p.read_bytes().strip()
    if len(key) < 32:
        raise ValueError(f"{p}: a key must be at least 32 bytes (this one has {len(key)})")
    return key


def rows(name: str, wards: QuerySet[Ward], key: bytes | None) -> tuple[list[str], int, Iterator[list]]:
    """Header, row count and rows of one table; pseudonymised when `key` is given."""
    make, columns = TABLES[name]
    research = key is not None
    cols = [c for c in columns if not (research and c.kind == "free")]
    qs = make(wards)
    if name == "activity":
        qs = qs.annotate(ward_code=Coalesce(F("person__ward__ons_code"), F("group__ward__ons_code")))
    qs = qs.order_by("pk")
    total = qs.count()

    memo: dict[str, str] = {}  # a person appears in many rows; hash each reference once

    def convert(values):
        out = []
        for c, v in zip(cols, values, strict=True):
            if v is None:
                out.append(None)
            elif research and c.kind == "person":
                p = memo.get(v)
                if p is None:
                    p = memo[v] = pseudonym(key, v)
                out.append(p)
            elif research and c.kind == "link":
                # Record numbers join the tables; hashed so they cannot be matched to the database.
                out.append(pseudonym(key, f"{c.name}:{v}"))
            elif research and c.kind == "date":
                out.append(v.strftime("%Y-%m"))
            elif isinstance(v, date):
                out.append(v.isoformat())
            else:
                out.append(v)
        return out

    raw = qs.values_list(*[c.source for c in cols]).iterator(chunk_size=CHUNK)
    # The council's own export needs no conversion: CSV writes dates as ISO text, XLSX and
    # Parquet keep them as dates. Skipping it is most of the time of a network export.
    it = (convert(v) for v in raw) if research else raw
    return [c.name for c in cols], total, it


def export(wards: QuerySet[Ward], out: Path, fmt: str, key: bytes | None = None,
           progress: Callable[[str, int, int], None] | None = None) -> dict[str, int]:
    """Write every table; returns rows written per table."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    book = None
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
    for name in TABLES:
        header, total, it = rows(name, wards, key)
        n = 0

        def tick(n=None, name=name, total=total):
            if progress and (n % 50_000 == 0 or n == total):
                progress(name, n, total)

        if fmt in ("csv", "xlsx"):
            with contextlib.ExitStack() as stack:
                if fmt == "csv":
                    f = stack.enter_context((out / f"{name}.csv").open("w", newline="", encoding="utf-8"))
                    append = csv.writer(f).writerow
                else:
                    append = book.create_sheet(name).append
                append(header)
                for batch in _batches(it, 10_000):
                    for r in batch:
                        append(r)
                    n += len(batch)
                    tick(n)
        else:
            n = _parquet(out / f"{name}.parquet", header, it, tick)
        tick(total)
        written[name] = n
    if book is not None:
        book.save(out / "minimum-dataset.xlsx")
    return written


def _batches(it, size: int):
    while batch := list(itertools.islice(it, size)):
        yield batch


def _parquet(path: Path, header: list[str], it, tick) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    n = 0
    batch: list[list] = []

    def flush():
        nonlocal writer
        columns = list(zip(*batch, strict=True)) if batch else [[] for _ in header]
        table = pa.table({h: pa.array(list(col), type=pa.string() if writer is None and not any(
            v is not None for v in col) else None) for h, col in zip(header, columns, strict=True)})
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema)
        writer.write_table(table.cast(writer.schema))
        batch.clear()

    for r in it:
        batch.append(r)
        n += 1
        tick(n)
        if len(batch) >= 50_000:
            flush()
    if batch or writer is None:
        flush()
    writer.close()
    return n
