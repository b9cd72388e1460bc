"""Reading and checking QCA data: a table of cases × set memberships."""

from __future__ import annotations

import csv
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


def read_csv(path: str | Path) -> QCAData:
    """Read a CSV whose first column holds case names (R's row names) and the rest set scores."""
    path = Path(path)
    if not path.exists():
        raise QCAError(f"{path}: no such file")
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    if not rows:
        raise QCAError(f"{path}: the file is empty")
    header, body = rows[0], [r for r in rows[1:] if any(cell.strip() for cell in r)]
    names = [h.strip() for h in header[1:]]
    if len(set(names)) != len(names):
        raise QCAError(f"{path}: a column name appears twice in the header")
    cases = []
    raw: dict[str, list] = {n: [] for n in names}
    for i, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise QCAError(f"{path}, row {i}: {len(row)} cells where the header has {len(header)}")
        cases.append(row[0])
        for name, cell in zip(names, row[1:], strict=True):
            raw[name].append(cell)
    problems = []
    for i in range(len(cases)):
        for name in names:
            try:
                _numeric(name, [raw[name][i]], str(path), first_row=i + 2)
            except QCAError as e:
                problems.append(str(e))
    if problems:
        more = f"\n… and {len(problems) - 5} more" if len(problems) > 5 else ""
        raise QCAError("\n".join(problems[:5]) + more)
    cols = {n: _numeric(n, v, str(path), first_row=2) for n, v in raw.items()}
    return QCAData(cases, cols, str(path))


def _numeric(name: str, values: list, source: str, first_row: int) -> np.ndarray:
    out = np.empty(len(values))
    for i, v in enumerate(values):
        try:
            out[i] = float(v)
        except (TypeError, ValueError):
            raise QCAError(
                f"{source}, row {i + first_row}, column {name}: {v!r} is not a number "
                "(calibrate text categories to set scores first)"
            ) from None
        if np.isnan(out[i]):
            raise QCAError(f"{source}, row {i + first_row}, column {name}: the value is missing")
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
