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
import hmac
import itertools
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import connections, transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateField,
    F,
    ForeignKey,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, NullIf

from alongside.codes.models import Code
from alongside.community.models import CommunityAsset, CommunityGroup
from alongside.evidence import cells
from alongside.journeys.models import Activity, Engagement, Exit, Insulator, Introduction, Outcome
from alongside.operations import replica
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
    "person": (lambda w: Person.objects.current().filter(ward__in=w), [
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
    # Groups and assets are the community's, not a person's: their ids are the ones the
    # activity table's `group` already carries, so they join in either export.
    "community_group": (lambda w: CommunityGroup.objects.filter(ward__in=w), [
        Column("group", "pk"), Column("ward", "ward__ons_code"), Column("type", "type__code"),
        Column("is_new", "is_new"), Column("started_on", "started_on", "date"),
        Column("active", "active"), Column("name", "name", "free"),
        Column("offers", "offers", "free"), Column("needs", "needs", "free"),
    ]),
    "community_asset": (lambda w: CommunityAsset.objects.filter(ward__in=w), [
        Column("asset", "pk"), Column("ward", "ward__ons_code"), Column("kind", "kind__code"),
        # The resident offering a skill, by the same reference (or pseudonym) as everywhere.
        Column("offered_by", "offered_by__reference", "person"),
        Column("noted_on", "noted_on", "date"), Column("active", "active"),
        Column("name", "name", "free"), Column("offers", "offers", "free"),
        Column("where", "where", "free"), Column("contact", "contact", "free"),
    ]),
    "community_asset_group": (lambda w: CommunityAsset.groups.through.objects.filter(
        communityasset__ward__in=w), [
        Column("asset", "communityasset_id"), Column("group", "communitygroup_id"),
    ]),
}


def pseudonym(key: bytes, reference: str) -> str:
    """A stable pseudonym: the first 20 hex digits (80 bits) of HMAC-SHA256(key, reference)."""
    return hmac.digest(key, reference.encode(), "sha256").hex()[:20]


def read_key(path: str | Path) -> bytes:
    p = Path(path)
    if not p.exists():
        raise ValueError(f"{p}: no such key file. The council makes and keeps its key: "
                         f"alongside pseudonym_key {p}")
    key = p.read_bytes().strip()
    if len(key) < 32:
        raise ValueError(f"{p}: a key must be at least 32 bytes (this one has {len(key)})")
    return key


def _code_columns(model, cols: list[Column]) -> dict[int, str]:
    """Columns that are a code list's code: position → the foreign key's column.

    A research export converts every row in Python anyway, so it reads these as ids and
    names them from the code list in memory: cheaper than a join to the code table for each.
    The council's own export lets the database join, and converts nothing.
    """
    found = {}
    for i, c in enumerate(cols):
        head, _, tail = c.source.partition("__")
        if tail != "code":
            continue
        field = model._meta.get_field(head)
        if field.many_to_one and field.related_model is Code:
            found[i] = field.attname
    return found


def _columns(name: str, research: bool) -> list[Column]:
    return [c for c in TABLES[name][1] if not (research and c.kind == "free")]


def _table(name: str, wards: QuerySet[Ward], research: bool
           ) -> tuple[QuerySet, list[Column], list[str], dict[int, str]]:
    """One table's records in order, its columns, the values() path of each, and which of
    those are code ids to name (see _code_columns)."""
    cols = _columns(name, research)
    qs = TABLES[name][0](wards)
    if name == "activity":
        qs = qs.annotate(ward_code=Coalesce(F("person__ward__ons_code"), F("group__ward__ons_code")))
    qs = qs.order_by("pk")
    coded = _code_columns(qs.model, cols) if research else {}
    return qs, cols, [coded.get(i, c.source) for i, c in enumerate(cols)], coded


def rows(name: str, wards: QuerySet[Ward], key: bytes | None) -> tuple[list[str], int, Iterator[list]]:
    """Header, row count and rows of one table; pseudonymised when `key` is given."""
    research = key is not None
    qs, cols, sources, coded = _table(name, wards, research)
    total = qs.count()

    convert: dict[int, Callable] = {}
    if coded:
        names = dict(Code.objects.values_list("pk", "code"))
        convert.update({i: names.get for i in coded})
    if research:
        memo: dict[str, str] = {}  # a person appears in many rows; hash each reference once

        def person(v: str) -> str:
            p = memo.get(v)
            if p is None:
                p = memo[v] = pseudonym(key, v)
            return p

        for i, c in enumerate(cols):
            if c.kind == "person":
                convert[i] = person
            elif c.kind == "link":
                # Record numbers join the tables; hashed so they cannot be matched to the database.
                convert[i] = (lambda v, prefix=f"{c.name}:": pseudonym(key, prefix + str(v)))
            elif c.kind == "date":
                convert[i] = _month

    raw = qs.values_list(*sources).iterator(chunk_size=CHUNK)
    # The council's own export needs no conversion: CSV writes dates as ISO text, XLSX and
    # Parquet keep them as dates.
    steps = list(convert.items())

    def converted(values) -> list:
        out = list(values)
        for i, fn in steps:
            if out[i] is not None:
                out[i] = fn(out[i])
        return out

    return [c.name for c in cols], total, (converted(v) for v in raw) if steps else raw


def _month(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def export(wards: QuerySet[Ward], out: Path, fmt: str, key: bytes | None = None,
           progress: Callable[[str, int, int], None] | None = None) -> dict[str, int]:
    """Write every table; returns rows written per table."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    out.mkdir(parents=True, exist_ok=True)
    # One transaction: on PostgreSQL a cursor outside one is declared WITH HOLD and the whole
    # table is copied server-side before the first row arrives (13 s for 5 M activities);
    # repeatable read gives every table the same snapshot, so links between them hold.
    # From the replica when there is one and it is current (operations/replica.py).
    using = replica.alias_for_reading()
    outermost = not connections[using].in_atomic_block
    with transaction.atomic(using=using):
        if outermost and _db().vendor == "postgresql":
            with _db().cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        written = _write(wards, out, fmt, key, progress)
    return written


def _db():
    return connections[replica.alias_for_reading()]


def _write(wards, out: Path, fmt: str, key: bytes | None, progress) -> dict[str, int]:
    written: dict[str, int] = {}
    book = None
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
    # PostgreSQL writes the council's own CSV and Parquet itself (COPY) and counts the rows.
    by_copy = {"csv": _copy_csv, "parquet": _copy_parquet}.get(fmt) if (
        key is None and _db().vendor == "postgresql") else None
    for name in TABLES:
        if by_copy is not None:
            n = written[name] = by_copy(name, wards, out / f"{name}.{fmt}",
                                     [c.name for c in _columns(name, False)])
            if progress:
                progress(name, n, n)
            continue
        header, total, it = rows(name, wards, key)
        n = 0

        def tick(n=None, name=name, total=total):
            if progress and (n % 50_000 == 0 or n == total):
                progress(name, n, total)

        if fmt in ("csv", "xlsx"):
            with contextlib.ExitStack() as stack:
                if fmt == "csv":
                    f = stack.enter_context((out / f"{name}.csv").open("w", newline="", encoding="utf-8"))
                    # "\n" as PostgreSQL's COPY writes it, so a file is the same from either database.
                    # No formula: a text cell starting with = + - @ tab or CR gets a ' (cells.py).
                    append = cells.writer(f, lineterminator="\n").writerow
                else:
                    sheet = book.create_sheet(name)

                    def append(r, sheet=sheet):
                        sheet.append(cells.xlsx_row(sheet, r))  # text stays text, never a formula
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


def _copy(name: str, wards: QuerySet[Ward], f, as_python_writes: bool) -> tuple[int, list]:
    """One table of the council's own export written to `f` as CSV by PostgreSQL's COPY, in a
    third of the time of reading every row into Python (5 M activities: 15 s, not 40).
    Returns the rows written and each column's model field.

    `as_python_writes`: the text the Python path writes (True/False, an empty string unquoted,
    text cells neutralised against formulas), for a CSV file; otherwise COPY's own (t/f, ""
    quoted apart from NULL), for Parquet, which keeps the text as it is.
    """
    qs, _, sources, _ = _table(name, wards, research=False)
    aliases = [f"c{i}" for i in range(len(sources))]
    qs = qs.annotate(**{a: F(src) for a, src in zip(aliases, sources, strict=True)})
    fields = [qs.query.annotations[a].output_field for a in aliases]
    shown = {}
    if as_python_writes:
        for a, field in zip(aliases, fields, strict=True):
            if isinstance(field, BooleanField):
                shown[f"{a}_text"] = Case(When(**{a: True}, then=Value("True")),
                                          When(**{a: False}, then=Value("False")),
                                          output_field=CharField())
            elif isinstance(field, (CharField, TextField)):
                # As cells.neutralise does in Python: ' before text starting with = + - @ tab or
                # CR, so that no cell opens as a formula. Text columns only: numbers stay numbers.
                formula = Q()
                for t in cells.TRIGGERS:
                    formula |= Q(**{f"{a}__startswith": t})
                shown[f"{a}_text"] = Case(
                    When(formula, then=Concat(Value("'"), a, output_field=TextField())),
                    default=NullIf(a, Value(""), output_field=TextField()), output_field=TextField())
    columns = [f"{a}_text" if f"{a}_text" in shown else a for a in aliases]
    sql, params = qs.annotate(**shown).values_list(*columns).query.sql_with_params()
    with _db().cursor() as cursor:
        cursor.execute("SET LOCAL DateStyle = 'ISO, YMD'")
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        with raw.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
            for chunk in copy:
                f.write(chunk)
        return raw.rowcount, fields


def _copy_csv(name: str, wards: QuerySet[Ward], path: Path, header: list[str]) -> int:
    with path.open("wb") as f:
        f.write((",".join(header) + "\n").encode())
        return _copy(name, wards, f, as_python_writes=True)[0]


def _copy_parquet(name: str, wards: QuerySet[Ward], path: Path, header: list[str]) -> int:
    """COPY's CSV read back by Arrow's own reader, a block at a time, typed from the model:
    no row passes through Python."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    with tempfile.TemporaryFile() as f:
        n, fields = _copy(name, wards, f, as_python_writes=False)
        f.seek(0)
        types = {h: _arrow_type(pa, field) for h, field in zip(header, fields, strict=True)}
        schema = pa.schema(list(types.items()))
        if n == 0:  # Arrow refuses an empty CSV
            pq.write_table(schema.empty_table(), path)
            return 0
        reader = pacsv.open_csv(
            f, read_options=pacsv.ReadOptions(column_names=header, block_size=16 << 20),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=types, true_values=["t"], false_values=["f"], null_values=[""],
                strings_can_be_null=True, quoted_strings_can_be_null=False))
        with pq.ParquetWriter(path, schema) as writer:
            for batch in reader:
                writer.write_batch(batch)
    return n


def _arrow_type(pa, field):
    if isinstance(field, BooleanField):
        return pa.bool_()
    if isinstance(field, DateField):
        return pa.date32()
    if isinstance(field, (IntegerField, ForeignKey)):
        return pa.int64()
    return pa.string()


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
