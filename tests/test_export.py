"""Exports: the research export carries no name, contact detail, free text, exact date or
reference in any format; pseudonyms are stable under one key and differ under another; the
aggregates a commissioner or analyst downloads hold no count from 1 to 4."""

import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from alongside.codes.lookup import code
from alongside.dataset import export as exporting
from alongside.dataset.export import TABLES, export, pseudonym
from alongside.evidence.cells import writer as spreadsheet_csv
from alongside.journeys.models import Activity, Exit, Insulator, Outcome
from alongside.places.models import Ward

pytestmark = pytest.mark.django_db
KEY = b"k" * 32
SECRETS = ["Aled", "Bethan", "Ceri", "Example", "07700 900123", "LL57 1AA", "told me she sings again",
           "met at the library", "Hill Surgery"]


@pytest.fixture
def records(world):
    a = world.person_a
    a.phone, a.postcode, a.birth_month = "07700 900123", "LL57 1AA", date(1951, 6, 1)
    a.save()
    intro = a.introductions.get()
    intro.introducing_organisation = "Hill Surgery"
    intro.save()
    Outcome.objects.create(person=a, observed_on=date(2025, 5, 14), outcome=code("outcome", "STO3"),
                           evidence="told me she sings again")
    Insulator.objects.create(person=a, observed_on=date(2025, 5, 14), insulator=code("insulator", "networks"))
    Activity.objects.create(person=a, coordinator=world.coordinator_a, activity=code("activity", "A5"),
                            level=code("activity_level", "community"), done_on=date(2025, 4, 2), minutes=30,
                            note="met at the library")
    eng = a.engagements.get()
    Exit.objects.create(engagement=eng, person=a, exited_on=date(2025, 6, 30),
                        point=code("exit_point", "planned_ending"),
                        outcome=code("exit_outcome", "planned_close"),
                        note="met at the library")
    return world


def cells(folder: Path, fmt: str) -> dict[str, list[dict]]:
    """Every table of an export as dicts of strings, whatever the format."""
    out = {}
    if fmt == "csv":
        for f in folder.glob("*.csv"):
            out[f.stem] = list(csv.DictReader(f.open(encoding="utf-8")))
    elif fmt == "xlsx":
        from openpyxl import load_workbook
        wb = load_workbook(folder / "minimum-dataset.xlsx", read_only=True)
        for ws in wb.worksheets:
            rows = list(ws.iter_rows(values_only=True))
            width = len(rows[0])  # a read-only sheet drops empty cells at the end of a row
            out[ws.title] = [dict(zip(rows[0], ["" if v is None else str(v)
                                                for v in (*r, *[None] * (width - len(r)))], strict=True))
                             for r in rows[1:]]
    else:
        import pyarrow.parquet as pq
        for f in folder.glob("*.parquet"):
            out[f.stem] = [{k: "" if v is None else str(v) for k, v in r.items()}
                           for r in pq.read_table(f).to_pylist()]
    return out


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_the_research_export_carries_nothing_that_identifies(records, tmp_path, fmt):
    wards = Ward.objects.filter(council=records.north)
    written = export(wards, tmp_path, fmt, KEY)
    tables = cells(tmp_path, fmt)
    assert written["person"] == 2 and len(tables["person"]) == 2
    text = repr(tables)
    for secret in SECRETS + [records.person_a.reference, records.person_b.reference, "1951"]:
        assert secret not in text, secret
    for name, rows in tables.items():
        for row in rows:
            for column, value in row.items():
                if column.endswith(("_on", "_since")) and value:
                    assert re.fullmatch(r"\d{4}-\d{2}", value), (name, column, value)
    assert "birth_month" not in tables["person"][0] and "coordinator" not in tables["person"][0]
    assert "note" not in tables["activity"][0] and "evidence" not in tables["outcome"][0]
    # One pseudonym per person, the same in every table.
    a = pseudonym(KEY, records.person_a.reference)
    assert {r["person"] for r in tables["outcome"]} == {a}
    assert a in {r["person"] for r in tables["person"]} and a in {r["person"] for r in tables["exit"]}
    # Introductions join their reasons through a hashed number, never the database's.
    intro_ids = {r["introduction"] for r in tables["introduction"]}
    assert {r["introduction"] for r in tables["introduction_reason"]} <= intro_ids
    assert all(re.fullmatch(r"[0-9a-f]{20}", i) for i in intro_ids)


def test_pseudonyms_are_stable_under_one_key_and_differ_under_another():
    assert pseudonym(KEY, "P-AAAAAAA") == pseudonym(KEY, "P-AAAAAAA")
    assert pseudonym(KEY, "P-AAAAAAA") != pseudonym(b"x" * 32, "P-AAAAAAA")
    assert pseudonym(KEY, "P-AAAAAAA") != pseudonym(KEY, "P-AAAAAAB")


def test_the_councils_own_export_keeps_references_and_dates_but_no_names(records, tmp_path):
    export(Ward.objects.filter(council=records.north), tmp_path, "csv")
    tables = cells(tmp_path, "csv")
    assert {r["person"] for r in tables["person"]} == {"P-AAAAAAA", "P-BBBBBBB"}
    assert "2025-05-14" in {r["observed_on"] for r in tables["outcome"]}
    text = repr(tables)
    assert "Aled" not in text and "07700 900123" not in text and "LL57 1AA" not in text
    assert "Ceri" not in text and "P-CCCCCCC" not in text  # Glasmoor is another council


def _awkward(records):
    """Values the two ways of writing could differ on: False, an empty string, no minutes, a
    note with a comma, quotes and a line break. Returns the council's wards."""
    a = records.person_a
    Outcome.objects.create(person=a, observed_on=date(2025, 7, 1), outcome=code("outcome", "STO3"),
                           present=False, evidence="")
    for day, minutes, note in ((2, None, 'rang, "twice"\nthen visited'), (3, 20, "")):
        Activity.objects.create(person=a, coordinator=records.coordinator_a,
                                activity=code("activity", "A1"), level=code("activity_level", "individual"),
                                done_on=date(2025, 7, day), minutes=minutes, note=note)
    return Ward.objects.filter(council=records.north)


def test_the_councils_csv_is_the_same_text_from_either_database(records, tmp_path):
    """On PostgreSQL the council's CSV is written by COPY, elsewhere row by row in Python; a
    file must not depend on which. Expected: each table's rows as the ORM reads them, written
    by Python's csv module (True/False, ISO dates, an empty string unquoted, "\\n" endings) with
    no text cell a formula (tests/test_formula_injection.py)."""
    wards = _awkward(records)
    export(wards, tmp_path, "csv")
    for name in TABLES:
        header, _, table = exporting.rows(name, wards, None)
        buf = io.StringIO()
        writer = spreadsheet_csv(buf, lineterminator="\n")  # csv.writer, no formula (cells.py)
        writer.writerow(header)
        writer.writerows(table)
        assert (tmp_path / f"{name}.csv").read_text(encoding="utf-8") == buf.getvalue(), name
    outcome = (tmp_path / "outcome.csv").read_text(encoding="utf-8")
    assert ",False,2025-07-01," in outcome and ",True,2025-05-14," in outcome
    assert 'rang, ""twice""\nthen visited' in (tmp_path / "activity.csv").read_text(encoding="utf-8")


def test_the_councils_parquet_is_the_same_from_either_database(records, tmp_path):
    """On PostgreSQL Arrow reads COPY's CSV; elsewhere Python builds the columns. Expected: the
    Python path's table, built here from the ORM's rows."""
    import pyarrow.parquet as pq

    wards = _awkward(records)
    export(wards, tmp_path / "export", "parquet")
    for name in TABLES:
        header, _, table = exporting.rows(name, wards, None)
        exporting._parquet(tmp_path / f"{name}.parquet", header, table, lambda n: None)
        expected = pq.read_table(tmp_path / f"{name}.parquet").to_pylist()
        assert pq.read_table(tmp_path / "export" / f"{name}.parquet").to_pylist() == expected, name
    outcomes = pq.read_table(tmp_path / "export" / "outcome.parquet").to_pylist()
    assert {(r["observed_on"], r["present"], r["evidence"]) for r in outcomes} >= {
        (date(2025, 7, 1), False, ""), (date(2025, 5, 14), True, "told me she sings again")}


def test_the_command_needs_the_councils_key(records, tmp_path):
    with pytest.raises(CommandError, match="needs the council's key"):
        call_command("export", "--research", "--out", str(tmp_path))
    with pytest.raises(CommandError, match="no such key file"):
        call_command("export", "--research", "--out", str(tmp_path), "--key-file", str(tmp_path / "none"))
    short = tmp_path / "short.key"
    short.write_text("abc")
    with pytest.raises(CommandError, match="at least 32 bytes"):
        call_command("export", "--research", "--out", str(tmp_path), "--key-file", str(short))
    key = tmp_path / "council.key"
    call_command("pseudonym_key", str(key))
    assert key.stat().st_mode & 0o077 == 0
    call_command("export", "--research", "--out", str(tmp_path / "x"), "--key-file", str(key))
    assert (tmp_path / "x" / "person.csv").exists()


def test_the_aggregates_a_commissioner_downloads_hold_no_count_below_5(records, login):
    for user in (records.commissioner, records.analyst):
        r = login(user).get("/sites/?format=csv")
        assert r["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(r.content.decode())))
        header, body = rows[0], rows[1:]
        counts = [v for row in body for i, v in enumerate(row) if header[i].endswith(" count")]
        allowed = ("0", "<5", "<5 people", "–", "")
        assert counts and all(v in allowed or v.endswith("%") or int(v.replace(",", "")) >= 5
                              for v in counts), counts
        assert "<5" in counts
        text = r.content.decode()
        assert "Aled" not in text and "P-AAAAAAA" not in text
