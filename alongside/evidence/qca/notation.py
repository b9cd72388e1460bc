"""Terms (conjunctions of literals) and how R QCA writes and orders them.

A term is a tuple with one entry per condition: 1 present, 0 negated, -1 absent.
"""

from __future__ import annotations

from collections.abc import Sequence

Term = tuple[int, ...]


def term_string(term: Term, names: Sequence[str]) -> str:
    literals = [("~" if v == 0 else "") + n for v, n in zip(term, names, strict=True) if v >= 0]
    return "*".join(literals) if literals else "1"


def r_order(term: Term) -> tuple:
    """R QCA's order of prime implicants: fewer literals first, then condition by condition
    with the negated literal before the present one and an absent condition last."""
    rank = {0: 0, 1: 1, -1: 2}
    return (sum(v >= 0 for v in term), tuple(rank[v] for v in term))


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
