"""The truth table: every configuration of conditions, its cases, inclusion and PRI."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .data import QCAData, QCAError, check_sets, condition_levels, outcome_membership
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
    # condition: the value it has). Its row number is its key: the cases are grouped by
    # key at once (np.unique), not one by one.
    values = np.where(mv_cols[None, :], x, x > 0.5).astype(np.int64)
    case_rows = values @ space.weights
    ambiguous = np.any((x == 0.5) & ~mv_cols[None, :], axis=1)
    assigned = np.flatnonzero(~ambiguous)
    observed, inverse, counts = np.unique(case_rows[assigned], return_inverse=True,
                                          return_counts=True)
    inverse = inverse.reshape(-1)
    # cases of each observed row, in data order: a stable sort groups them
    order = assigned[np.argsort(inverse, kind="stable")]
    configs = space.table(observed)
    # Multi-value columns hold whole numbers; a fuzzy column beside them makes the table fuzzy
    crisp = kind != "fuzzy" and bool(np.all(x == np.round(x))) and bool(np.all((y == 0) | (y == 1)))
    if crisp:
        # crisp memberships are 0/1: inclusion is the share of a row's cases with the
        # outcome, and PRI equals it (no case is in both the outcome and its negation)
        incl = np.bincount(inverse, weights=y[assigned], minlength=len(observed)) / counts
        pri = incl
    else:
        incl, pri = _fuzzy_fit(configs, x, y, levels)
    is_one = (incl >= ic1 - EPS) & (pri >= pri_cut - EPS)
    is_c = ~is_one & (ic0 < ic1) & (incl >= ic0 - EPS)
    outs = np.where(is_one, "1", np.where(is_c, "C", "0")).tolist()
    names = np.asarray(data.cases, dtype=object)[order].tolist() if len(order) else []
    ends = np.cumsum(counts).tolist()
    rows, removed = [], []
    for number, config, out, n, i, p, end in zip(
            observed.tolist(), map(tuple, configs.tolist()), outs, counts.tolist(), incl.tolist(),
            pri.tolist(), ends, strict=True):
        row = Row(number + 1, config, out, n, i, p, names[end - n:end])
        if n < n_cut:
            row.out = "?"
            removed.append(row)
        else:
            rows.append(row)
    if complete:
        if space.size > 2 ** MAX_COMPLETE:
            raise QCAError(f"complete: {space.size:,} rows for {k} conditions is too many to list")
        missing = np.setdiff1d(np.arange(space.size), [r.number - 1 for r in rows])
        rows += [Row(int(i) + 1, tuple(v), "?", 0, None, None)
                 for i, v in zip(missing.tolist(), space.table(missing).tolist(), strict=True)]
    rows.sort(key=lambda r: r.number)
    if sort_by:
        rows = _sort(rows, sort_by)
    options = {"incl_cut": [ic1, ic0], "n_cut": n_cut, "pri_cut": pri_cut, "complete": complete,
               "sort_by": sort_by}
    return TruthTable(outcome.strip(), conditions, rows, x, y, list(data.cases), kind, options,
                      removed, levels)


def _fuzzy_fit(configs: np.ndarray, x: np.ndarray, y: np.ndarray,
               levels: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Inclusion and PRI of each configuration (rows of `configs`) over every case.

    A configuration's membership is the minimum of its literals' (1 - x or x; a multi-value
    literal is crisp). Rows come in row-number order, so consecutive rows share their first
    conditions: the running minimum over those is kept and only the rest recomputed. The
    sums are those of fit.sufficiency, so the numbers are the same to the last bit."""
    n_rows, k = configs.shape
    literal = [[(x[:, j] == v).astype(float) for v in range(lv)] if lv > 2
               else [1 - x[:, j], np.ascontiguousarray(x[:, j])]
               for j, lv in enumerate(levels)]
    incl, pri = np.empty(n_rows), np.empty(n_rows)
    prefix: list[np.ndarray] = [np.empty(0)] * k  # prefix[j]: minimum over conditions 0…j
    previous: list[int] | None = None
    not_y = 1 - y
    for r, config in enumerate(configs.tolist()):
        same = 0
        if previous is not None:
            while same < k and config[same] == previous[same]:
                same += 1
        for j in range(min(same, k - 1), k):
            lit = literal[j][config[j]]
            prefix[j] = lit if j == 0 else np.minimum(prefix[j - 1], lit)
        previous = config
        m = prefix[k - 1]
        my = np.minimum(m, y)
        both, sm = my.sum(), m.sum()
        contradictory = np.minimum(my, not_y).sum()
        incl[r] = both / sm if sm else np.nan
        pri[r] = (both - contradictory) / (sm - contradictory) if sm - contradictory else np.nan
    return incl, pri


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
