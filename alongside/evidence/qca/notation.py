"""Terms (conjunctions of literals) and how R QCA writes and orders them.

A term is a tuple with one entry per condition: 1 present, 0 negated, -1 absent; for a
multi-value condition, the value it takes (0, 1, 2, …) or -1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import prod

import numpy as np

Term = tuple[int, ...]


def term_string(term: Term, names: Sequence[str], mv: bool = False) -> str:
    """R's notation: ~DEV*STB; with multi-value conditions in the table, DEV[2]*STB[1]."""
    if mv:
        literals = [f"{n}[{v}]" for v, n in zip(term, names, strict=True) if v >= 0]
    else:
        literals = [("~" if v == 0 else "") + n for v, n in zip(term, names, strict=True) if v >= 0]
    return "*".join(literals) if literals else "1"


def r_order(term: Term) -> tuple:
    """R QCA's order of prime implicants: fewer literals first, then condition by condition
    by value (the negated literal before the present one) and an absent condition last."""
    return (sum(v >= 0 for v in term), tuple(v if v >= 0 else 1 << 30 for v in term))


@dataclass(frozen=True)
class Space:
    """Every configuration of conditions with these numbers of values. R numbers a row as
    1 + its values read in mixed radix, the first condition most significant."""

    levels: tuple[int, ...]

    @property
    def k(self) -> int:
        return len(self.levels)

    @property
    def binary(self) -> bool:
        return all(lv == 2 for lv in self.levels)

    @property
    def size(self) -> int:
        return prod(self.levels)

    @property
    def weights(self) -> np.ndarray:
        w = [1] * self.k
        for j in range(self.k - 2, -1, -1):
            w[j] = w[j + 1] * self.levels[j + 1]
        return np.array(w, dtype=np.int64)

    def values(self, number: int) -> tuple[int, ...]:
        """The configuration of 0-based row `number`."""
        out = []
        for lv in reversed(self.levels):
            number, v = divmod(number, lv)
            out.append(v)
        return tuple(reversed(out))

    def table(self, numbers) -> np.ndarray:
        """Configurations of 0-based row numbers, one row each (numbers × conditions)."""
        n = np.asarray(numbers, dtype=np.int64)
        return (n[:, None] // self.weights[None, :]) % np.array(self.levels, dtype=np.int64)

    def covered(self, term: Term, table: np.ndarray) -> np.ndarray:
        """Which rows of `table` the term covers."""
        cols = [j for j, v in enumerate(term) if v >= 0]
        if not cols:
            return np.ones(table.shape[0], dtype=bool)
        return np.all(table[:, cols] == np.array([term[j] for j in cols]), axis=1)


def covers(term: Term, row: Sequence[int]) -> bool:
    return all(t < 0 or t == r for t, r in zip(term, row, strict=True))


def to_bits(term: Term) -> tuple[int, int]:
    """(mask, value) bitmasks; the first condition is the most significant bit, so a truth
    table row's number is its bit value plus one, as R numbers rows."""
    k = len(term)
    mask = value = 0
    for j, v in enumerate(term):
        if v >= 0:
            mask |= 1 << (k - 1 - j)
            value |= v << (k - 1 - j)
    return mask, value


def from_bits(mask: int, value: int, k: int) -> Term:
    return tuple(((value >> (k - 1 - j)) & 1) if (mask >> (k - 1 - j)) & 1 else -1 for j in range(k))


def row_bits(row: int, k: int) -> tuple[int, ...]:
    return tuple((row >> (k - 1 - j)) & 1 for j in range(k))
