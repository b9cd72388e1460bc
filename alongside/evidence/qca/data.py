"""Reading and checking QCA data: a table of cases × set memberships."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MIN_CASES = 2


class QCAError(ValueError):
    """Bad input, with a message that names the file, row, column and reason."""


@dataclass
class QCAData:
    """Case names and one column of values per set, in the order of the source."""

    cases: list[str]
    columns: dict[str, np.ndarray]
    source: str = "data"

    def column(self, name: str) -> np.ndarray:
        if name not in self.columns:
            known = ", ".join(self.columns)
            raise QCAError(f"{self.source}: there is no column {name!r} (columns: {known})")
        return self.columns[name]


def from_columns(cases: Sequence[str], columns: Mapping[str, Sequence], source: str = "data") -> QCAData:
    """Build data from Python lists (e.g. a case table gathered from live records)."""
    cols = {}
    for name, values in columns.items():
        if len(values) != len(cases):
            raise QCAError(f"{source}: column {name!r} has {len(values)} values for {len(cases)} cases")
        cols[name] = _numeric(name, list(values), source, first_row=1)
    return QCAData(list(cases), cols, source)


# Files at least this large are read by the columnar reader (pyarrow); smaller ones are read
# row by row, faster than importing pyarrow. Both give the same data and the same messages.
COLUMNAR_FROM = 512 * 1024


def read_csv(path: str | Path) -> QCAData:
    """Read a CSV whose first column holds case names (R's row names) and the rest set scores.

    UTF-8, with or without a byte order mark; quoted fields as Excel and R's write.csv write
    them. A large file is read column by column (pyarrow); a file that reader does not take
    cleanly — a cell that is not a number, a missing value, a row of the wrong length, a blank
    row — is read again row by row, so every message names the row and column as before.
    """
    path = Path(path)
    if not path.exists():
        raise QCAError(f"{path}: no such file")
    if path.is_file() and path.stat().st_size >= COLUMNAR_FROM:
        data = read_csv_columnar(path)
        if data is not None:
            return data
    return read_csv_rows(path)


def read_csv_columnar(path: str | Path) -> QCAData | None:
    """The file read by pyarrow, or None when it needs the row reader: any cell pyarrow does
    not convert to the same number Python would, a missing value, an unusual header. Data it
    returns equal what `read_csv_rows` returns for the same file."""
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.reader(f)
            header = next(reader, [])
            # pyarrow skips the header as one line: no quoted line break in it
            if reader.line_num != 1:
                return None
        names = [h.strip() for h in header[1:]]
        if not names or len(set(names)) != len(names):
            return None  # the row reader says what is wrong
        import pyarrow as pa
        import pyarrow.csv as pacsv

        generated = [f"c{j}" for j in range(len(header))]
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=generated, skip_rows=1),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=True),
            convert_options=pacsv.ConvertOptions(
                column_types={"c0": pa.string(), **{c: pa.float64() for c in generated[1:]}},
                null_values=[], strings_can_be_null=False, quoted_strings_can_be_null=False))
    except Exception:  # noqa: BLE001 — whatever pyarrow refuses, the row reader explains
        return None
    cols = {}
    for name, column in zip(names, generated[1:], strict=True):
        values = np.array(table.column(column).to_numpy(), dtype=float)  # writable
        if np.isnan(values).any():
            return None  # "nan" in a cell: the row reader names the row
        cols[name] = values
    return QCAData(table.column("c0").to_pylist(), cols, str(path))


def read_csv_rows(path: str | Path) -> QCAData:
    """The file read row by row (Python's csv module): every bad cell is reported, up to five,
    with its row (counting the header as row 1, blank rows left out) and column."""
    path = Path(path)
    if not path.exists():
        raise QCAError(f"{path}: no such file")
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise QCAError(f"{path}: cannot be read ({e.strerror or e})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        row = raw[:e.start].count(b"\n") + 1
        raise QCAError(f"{path}, row {row}: not UTF-8 text (byte 0x{raw[e.start]:02X}); save the file "
                       "as CSV UTF-8") from None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise QCAError(f"{path}: the file is empty")
    header, body = rows[0], [r for r in rows[1:] if any(cell.strip() for cell in r)]
    names = [h.strip() for h in header[1:]]
    if len(set(names)) != len(names):
        raise QCAError(f"{path}: a column name appears twice in the header")
    for i, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise QCAError(f"{path}, row {i}: {len(row)} cells where the header has {len(header)}")
    source = str(path)
    cols = [np.empty(len(body)) for _ in names]
    problems = []
    for i, row in enumerate(body):
        for j, cell in enumerate(row[1:]):
            try:
                v = float(cell)
            except ValueError:
                problems.append(_not_a_number(source, i + 2, names[j], cell))
                continue
            if v != v:
                problems.append(_missing(source, i + 2, names[j]))
            cols[j][i] = v
    if problems:
        more = f"\n… and {len(problems) - 5} more" if len(problems) > 5 else ""
        raise QCAError("\n".join(problems[:5]) + more)
    return QCAData([row[0] for row in body], dict(zip(names, cols, strict=True)), source)


def _not_a_number(source: str, row: int, name: str, value) -> str:
    return (f"{source}, row {row}, column {name}: {value!r} is not a number "
            "(calibrate text categories to set scores first)")


def _missing(source: str, row: int, name: str) -> str:
    return f"{source}, row {row}, column {name}: the value is missing"


def _numeric(name: str, values: list, source: str, first_row: int) -> np.ndarray:
    out = np.empty(len(values))
    for i, v in enumerate(values):
        try:
            out[i] = float(v)
        except (TypeError, ValueError):
            raise QCAError(_not_a_number(source, i + first_row, name, v)) from None
        if np.isnan(out[i]):
            raise QCAError(_missing(source, i + first_row, name))
    return out


MAX_LEVELS = 20  # R QCA takes a whole-number column with more values as uncalibrated


def condition_levels(data: QCAData, name: str) -> int:
    """How many values a condition takes: 2 for a crisp or fuzzy set, 3 or more for a
    multi-value condition (whole numbers 0, 1, 2, …, every one of them present), as R QCA."""
    x = data.column(name)
    if not x.size:
        return 2
    whole = bool(np.all(x == np.round(x)))
    if not whole or x.max() <= 1:
        bad = np.flatnonzero((x < 0) | (x > 1))
        if bad.size:
            i = int(bad[0])
            raise QCAError(
                f"{data.source}, row {i + 2}, column {name}: {x[i]:g} is outside [0, 1]; "
                "set scores must be calibrated (crisp 0/1, fuzzy between 0 and 1, or "
                "multi-value 0, 1, 2, …)"
            )
        return 2
    negative = np.flatnonzero(x < 0)
    if negative.size:
        i = int(negative[0])
        raise QCAError(f"{data.source}, row {i + 2}, column {name}: {x[i]:g} is negative; "
                       "multi-value conditions take the values 0, 1, 2, …")
    top = int(x.max())
    missing = sorted(set(range(top + 1)) - {int(v) for v in np.unique(x)})
    if top + 1 > MAX_LEVELS or missing:
        why = (f"{top + 1} values" if top + 1 > MAX_LEVELS
               else "no case has the value " + ", ".join(map(str, missing)))
        raise QCAError(f"{data.source}, column {name}: possibly uncalibrated multi-value "
                       f"condition ({why}); its values must run 0, 1, 2, … with each present")
    return top + 1


def check_sets(data: QCAData, names: Sequence[str]) -> str:
    """Check that the named columns are calibrated sets; return "crisp", "fuzzy" or
    "multi-value" (crisp with at least one condition of three or more values)."""
    if len(data.cases) < MIN_CASES:
        raise QCAError(f"{data.source}: {len(data.cases)} case(s); QCA needs at least {MIN_CASES}")
    levels = [condition_levels(data, n) for n in names]
    crisp = all(bool(np.all((data.column(n) == 0) | (data.column(n) == 1)))
                for n, lv in zip(names, levels, strict=True) if lv == 2)
    if any(lv > 2 for lv in levels):
        return "multi-value"
    return "crisp" if crisp else "fuzzy"


def parse_outcome(outcome: str) -> tuple[str, bool]:
    """"~SURV" → ("SURV", True): R QCA's tilde negates the outcome."""
    outcome = outcome.strip()
    negated = outcome.startswith("~")
    return outcome.lstrip("~").strip(), negated


_VALUE = re.compile(r"^(?P<name>[^\[\]{}]+)[\[{](?P<values>[^\]}]*)[\]}]$")


def outcome_membership(data: QCAData, outcome: str) -> tuple[str, np.ndarray]:
    """The outcome's column as set membership: "SURV", "~SURV", or a value of a multi-value
    outcome, "SURV[1]" or "~SURV[2]" (several values: "SURV[1,2]"); returns its name."""
    name, negated = parse_outcome(outcome)
    match = _VALUE.match(name)
    if match:
        name = match["name"].strip()
        x = data.column(name)
        try:
            values = [float(v) for v in match["values"].split(",") if v.strip()]
        except ValueError:
            raise QCAError(f"outcome {outcome!r}: the values in brackets must be numbers") from None
        present = set(np.unique(x).tolist())
        absent = [v for v in values if v not in present]
        if not values or absent:
            raise QCAError(f"outcome {outcome!r}: no case has the value "
                           f"{', '.join(f'{v:g}' for v in absent) or '(none given)'} in {name}")
        y = np.isin(x, values).astype(float)
    else:
        x = data.column(name)
        if condition_levels(data, name) > 2:
            raise QCAError(f"outcome {name} takes the values 0 to {int(x.max())}: say which to "
                           f"explain, as {name}[{int(x.max())}]")
        y = x.copy()
    return name, (1 - y) if negated else y
