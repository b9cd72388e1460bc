"""Exact prime implicants. Two methods, chosen by what the minimisation may use:

- `primes_within`: the implicants must lie wholly inside a given set of rows (positive rows,
  plus included contradictions or easy counterfactuals). Quine–McCluskey merging.
- `primes_avoiding`: the implicants may cover anything except a given off-set (parsimonious
  solutions, where every remainder may be used). The prime implicants covering a positive
  row p are exactly p's values on the minimal hitting sets of {p XOR n : n in the off-set};
  minimal hitting sets are enumerated with MMCS (Murakami & Uno 2014). Exact: no heuristic.

Rows and terms are bitmasks: a term is (mask, value) with the fixed conditions in `mask`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def primes_within(allowed: Iterable[int], k: int) -> set[tuple[int, int]]:
    full = (1 << k) - 1
    level = {(full, r) for r in allowed}
    primes: set[tuple[int, int]] = set()
    while level:
        merged: set[tuple[int, int]] = set()
        used: set[tuple[int, int]] = set()
        for mask, value in level:
            b = mask
            while b:
                bit = b & -b
                b ^= bit
                partner = (mask, value ^ bit)
                if partner in level:
                    merged.add((mask & ~bit, value & ~bit))
                    used.add((mask, value))
        primes |= level - used
        level = merged
    return primes


def _minimal_edges(edges: np.ndarray) -> list[int]:
    """Drop every edge that contains another: only minimal sets constrain hitting sets."""
    remaining = np.unique(edges)
    sizes = np.array([int(e).bit_count() for e in remaining])
    remaining = remaining[np.argsort(sizes, kind="stable")]
    kept: list[int] = []
    while remaining.size:
        e = remaining[0]
        kept.append(int(e))
        remaining = remaining[(remaining & e) != e]  # drops e and every edge containing it
    return kept


def minimal_hitting_sets(edges: list[int]) -> list[int]:
    """All minimal sets (bitmasks) meeting every edge: MMCS."""
    if not edges:
        return [0]
    out: list[int] = []

    def critical_ok(s: int) -> bool:
        # every chosen element must be the only chosen one in some edge
        need = s
        for e in edges:
            hit = e & s
            if hit and hit & (hit - 1) == 0:
                need &= ~hit
                if not need:
                    return True
        return need == 0

    def rec(s: int, cand: int, uncovered: list[int]) -> None:
        if not uncovered:
            out.append(s)
            return
        f = min(uncovered, key=lambda e: (e & cand).bit_count())
        c = f & cand
        cand &= ~c
        while c:
            v = c & -c
            c ^= v
            s2 = s | v
            if critical_ok(s2):
                rec(s2, cand, [e for e in uncovered if not e & v])
            cand |= v

    everything = 0
    for e in edges:
        everything |= e
    rec(0, everything, edges)
    return out


def primes_avoiding(positives: Iterable[int], off: Iterable[int], k: int) -> set[tuple[int, int]]:
    off_arr = np.fromiter(off, dtype=np.int64)
    primes: set[tuple[int, int]] = set()
    for p in sorted(set(positives)):
        edges = _minimal_edges(off_arr ^ p) if off_arr.size else []
        for s in minimal_hitting_sets(edges):
            primes.add((s, p & s))
    return primes


# --- any numbers of values (multi-value conditions) -----------------------------------------
# The same two methods over terms written as tuples (a value per condition, -1 where the
# condition is absent). A condition drops out of a term only when all its values merge.

def primes_within_levels(allowed: Iterable[tuple[int, ...]], levels: tuple[int, ...]
                         ) -> set[tuple[int, ...]]:
    level = set(allowed)
    primes: set[tuple[int, ...]] = set()
    while level:
        seen: dict[tuple[int, tuple[int, ...]], set[int]] = {}
        for t in level:
            for j, v in enumerate(t):
                if v >= 0:
                    seen.setdefault((j, t[:j] + (-1,) + t[j + 1:]), set()).add(v)
        complete = {key for key, values in seen.items() if len(values) == levels[key[0]]}
        used = {t for t in level for j, v in enumerate(t)
                if v >= 0 and (j, t[:j] + (-1,) + t[j + 1:]) in complete}
        primes |= level - used
        level = {term for _, term in complete}
    return primes


def primes_avoiding_levels(positives: np.ndarray, off: np.ndarray) -> set[tuple[int, ...]]:
    """`positives` and `off` are tables of configurations (rows × conditions)."""
    k = positives.shape[1]
    weights = 1 << np.arange(k - 1, -1, -1, dtype=np.int64)
    primes: set[tuple[int, ...]] = set()
    for p in {tuple(int(v) for v in row) for row in positives}:
        differ = ((off != np.array(p)) * weights).sum(axis=1) if off.size else np.empty(0, np.int64)
        edges = _minimal_edges(differ) if differ.size else []
        for s in minimal_hitting_sets(edges):
            primes.add(tuple(p[j] if s >> (k - 1 - j) & 1 else -1 for j in range(k)))
    return primes
