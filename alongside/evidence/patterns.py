"""Counting cases by the codes they hold: frequencies, shares and cross-tabulations, as in
Figures 5–12 of the multi-site study. Plain data in and out, no Django.

A case is anything with a set of codes per kind ("problems", "activities", …). Counts are of
cases (people), not of records: a person with ten A1 activities counts once for A1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

Codes = Callable[[object], set[str]]


@dataclass(frozen=True)
class Frequency:
    code: str
    cases: int  # cases with the code
    share_of_codings: float | None  # of all codings of this kind (the study's Figures 5 and 7)
    share_of_cases: float | None  # of all cases (Figures 9 and 11 give counts of cases)


def frequencies(cases: Sequence, codes: Codes, order: Sequence[str]) -> list[Frequency]:
    """One row per code in `order`, even when no case has it: a zero is a finding too."""
    counts = dict.fromkeys(order, 0)
    for case in cases:
        for c in codes(case):
            if c in counts:
                counts[c] += 1
    codings = sum(counts.values())
    n = len(cases)
    return [Frequency(c, k, 100 * k / codings if codings else None, 100 * k / n if n else None)
            for c, k in counts.items()]


def crosstab(cases: Iterable, rows: Codes, cols: Codes, row_order: Sequence[str],
             col_order: Sequence[str]) -> list[list[int]]:
    """Cases holding both the row code and the column code (Figures 8, 10, 12)."""
    index = {c: j for j, c in enumerate(col_order)}
    table = [[0] * len(col_order) for _ in row_order]
    for i, r in enumerate(row_order):
        for case in cases:
            if r in rows(case):
                for c in cols(case):
                    if c in index:
                        table[i][index[c]] += 1
    return table


def case_table(cases: Sequence, outcome: Callable[[object], bool],
               conditions: dict[str, Callable[[object], int]]) -> tuple[list[str], list[list[int]]]:
    """Rows (conditions, then the outcome) for QCA: 1 when the case has it, else 0; a
    multi-value condition's test gives its value (0, 1, 2, …) itself."""
    rows = [[int(test(c)) for test in conditions.values()] + [int(bool(outcome(c)))]
            for c in cases]
    return list(conditions), rows
