"""The truth table: every configuration of conditions, its cases, inclusion and PRI."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .data import QCAData, QCAError, check_sets, condition_levels, outcome_membership
from .fit import membership, sufficiency
from .notation import Space

EPS = 1e-10  # R QCA compares inclusion to the cut-off with a small tolerance too
MAX_COMPLETE = 16  # a complete table beyond this many conditions is too large to list


@dataclass
class Row:
    number: int  # R's row number: 1 + the configuration read as binary
    values: tuple[int, ...]
    out: str  # "1", "0", "C" or "?"
    n: int
    incl: float | None
    pri: float | None
    cases: list[str] = field(default_factory=list)


@dataclass
class TruthTable:
    outcome: str  # as asked, e.g. "~SURV"
    conditions: list[str]
    rows: list[Row]  # observed rows (and remainders if complete), in display order
    x: np.ndarray  # cases × conditions
    y: np.ndarray  # outcome membership (negated if asked)
    cases: list[str]
    kind: str  # "crisp", "fuzzy" or "multi-value"
    options: dict
    removed: list[Row] = field(default_factory=list)  # observed but below n_cut
    levels: list[int] = field(default_factory=list)  # values each condition takes (2: a set)

    def __post_init__(self) -> None:
        if not self.levels:
            self.levels = [2] * len(self.conditions)

    @property
    def space(self) -> Space:
        return Space(tuple(self.levels))

    @property
    def mv(self) -> bool:
        """Multi-value: written in R's DEV[2] notation throughout."""
        return not self.space.binary

    def observed(self, out: str | None = None) -> list[Row]:
        return [r for r in self.rows if r.out != "?" and (out is None or r.out == out)]

    def row_numbers(self, out: str) -> set[int]:
        return {r.number - 1 for r in self.rows if r.out == out}

    def as_dict(self) -> dict:
        return {
            "outcome": self.outcome,
            "conditions": self.conditions,
            "kind": self.kind,
            "levels": dict(zip(self.conditions, self.levels, strict=True)),
            "options": self.options,
            "rows": [_row_dict(r, self.conditions) for r in self.rows],
            "removed": [_row_dict(r, self.conditions) for r in self.removed],
        }

    def __str__(self) -> str:
        head = ["", *self.conditions, "OUT", "n", "incl", "PRI", "cases"]
        body = [[str(r.number), *map(str, r.values), r.out, str(r.n), _f(r.incl), _f(r.pri),
                 ",".join(r.cases)] for r in self.rows]
        return "\n".join(["  OUT: outcome value", "    n: number of cases in configuration",
                          " incl: sufficiency inclusion score", "", _table(head, body)])


def _row_dict(r: Row, names: list[str]) -> dict:
    return {"row": r.number, **dict(zip(names, r.values, strict=True)), "OUT": r.out, "n": r.n,
            "incl": r.incl, "PRI": r.pri, "cases": r.cases}


def _f(v: float | None) -> str:
    return "-" if v is None else f"{v:.3f}"


def _table(head: list[str], body: list[list[str]]) -> str:
    widths = [max(len(c) for c in col) for col in zip(head, *body, strict=True)]
    lines = ["  ".join(c.rjust(w) if i < len(head) - 1 else c for i, (c, w) in
                       enumerate(zip(row, widths, strict=True))).rstrip() for row in [head, *body]]
    return "\n".join(lines)


def truth_table(data: QCAData, outcome: str, conditions: Sequence[str] | None = None,
                incl_cut: float | Sequence[float] = 1, n_cut: int = 1, pri_cut: float = 0,
                complete: bool = False, sort_by: str | Sequence[str] | None = None) -> TruthTable:
    """Build the truth table, as R QCA's truthTable().

    `outcome` may be negated with a tilde ("~SURV"). `incl_cut` is one cut-off, or two
    (ic1, ic0): rows with ic0 ≤ incl < ic1 are contradictions "C". Rows with fewer than
    `n_cut` cases are remainders "?"; rows with PRI below `pri_cut` get OUT 0.
    `sort_by` is like R's: "incl, n" sorts decreasingly by inclusion then number of cases;
    "n+" sorts increasingly; OUT sorts remainders last.
    """
    name, y = outcome_membership(data, outcome)
    if conditions is None:
        conditions = [c for c in data.columns if c != name]
    conditions = list(conditions)
    if not conditions:
        raise QCAError(f"{data.source}: name at least one condition")
    if name in conditions:
        raise QCAError(f"{data.source}: {name} cannot be both the outcome and a condition")
    kind = check_sets(data, conditions)
    levels = [condition_levels(data, c) for c in conditions]
    if kind == "crisp" and not np.all((y == 0) | (y == 1)):
        kind = "fuzzy"
    ic1, ic0 = (incl_cut, incl_cut) if isinstance(incl_cut, int | float) else tuple(incl_cut)
    if ic0 > ic1:
        raise QCAError("incl_cut: the cut-off for 0 must not exceed the cut-off for 1")
    x = np.column_stack([data.column(c) for c in conditions])
    space = Space(tuple(levels))
    k = len(conditions)
    mv_cols = np.array([lv > 2 for lv in levels])

    # A case belongs to the row where its membership is above 0.5 (a multi-value
    # condition: the value it has).
    values = np.where(mv_cols[None, :], x, x > 0.5).astype(np.int64)
    case_rows = (values * space.weights).sum(axis=1)
    ambiguous = np.any((x == 0.5) & ~mv_cols[None, :], axis=1)
    assigned = np.flatnonzero(~ambiguous)
    observed, first, counts = np.unique(case_rows[assigned], return_index=True, return_counts=True)
    # cases of each observed row, in data order: a stable sort groups them
    order = assigned[np.argsort(case_rows[assigned], kind="stable")]
    groups = np.split(order, np.cumsum(counts)[:-1])
    # Multi-value columns hold whole numbers; a fuzzy column beside them makes the table fuzzy
    crisp = kind != "fuzzy" and bool(np.all(x == np.round(x))) and bool(np.all((y == 0) | (y == 1)))
    if crisp:
        # crisp memberships are 0/1: inclusion is the share of a row's cases with the
        # outcome, and PRI equals it (no case is in both the outcome and its negation)
        y_sum = np.bincount(np.searchsorted(observed, case_rows[assigned]),
                            weights=y[assigned], minlength=len(observed))
        crisp_incl = y_sum / counts
    rows, removed = [], []
    for idx, number in enumerate(observed):
        members = groups[idx]
        config = space.values(int(number))
        if crisp:
            incl = pri = float(crisp_incl[idx])
        else:
            fit = sufficiency(membership(config, x, levels), y)
            incl, pri = fit["inclS"], fit["PRI"]
        if incl >= ic1 - EPS and pri >= pri_cut - EPS:
            out = "1"
        elif ic0 < ic1 and incl >= ic0 - EPS:
            out = "C"
        else:
            out = "0"
        row = Row(int(number) + 1, config, out, len(members), incl, pri,
                  [data.cases[i] for i in members])
        if len(members) < n_cut:
            row.out = "?"
            removed.append(row)
        else:
            rows.append(row)
    if complete:
        if space.size > 2 ** MAX_COMPLETE:
            raise QCAError(f"complete: {space.size:,} rows for {k} conditions is too many to list")
        seen = {r.number for r in rows}
        rows += [Row(i + 1, space.values(i), "?", 0, None, None) for i in range(space.size)
                 if i + 1 not in seen]
    rows.sort(key=lambda r: r.number)
    if sort_by:
        rows = _sort(rows, sort_by)
    options = {"incl_cut": [ic1, ic0], "n_cut": n_cut, "pri_cut": pri_cut, "complete": complete,
               "sort_by": sort_by}
    return TruthTable(outcome.strip(), conditions, rows, x, y, list(data.cases), kind, options,
                      removed, levels)


def _sort(rows: list[Row], sort_by) -> list[Row]:
    keys = [s.strip() for s in (sort_by.split(",") if isinstance(sort_by, str) else sort_by)]
    order = []
    for key in keys:
        ascending = key.endswith("+")
        column = key.rstrip("+-").strip().lower()
        if column not in {"out", "incl", "n", "pri"}:
            raise QCAError(f"sort_by: unknown column {column!r} (use OUT, incl, n or PRI)")
        order.append((column, ascending))

    def value(r: Row, column: str) -> float:
        if column == "out":
            return {"1": 3, "C": 2, "0": 1, "?": 0}[r.out]
        if column == "n":
            return r.n
        v = r.incl if column == "incl" else r.pri
        return -1.0 if v is None else v

    # Python's sort is stable: sort by the last key first; remainders always go last.
    out = sorted(rows, key=lambda r: r.number)
    for column, ascending in reversed(order):
        out.sort(key=lambda r, c=column: value(r, c), reverse=not ascending)
    out.sort(key=lambda r: r.out == "?")
    return out
