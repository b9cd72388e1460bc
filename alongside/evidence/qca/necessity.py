"""Analysis of necessity: parameters of fit for given expressions (R QCA's pof() with
relation "necessity") and the search for necessary conjunctions and disjunctions
(superSubset())."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations, product

import numpy as np

from .data import QCAData, QCAError, check_sets, parse_outcome
from .fit import necessity_fit

EPS = 1e-10


def expression_membership(expr: str, data: QCAData) -> np.ndarray:
    """Membership in a sum-of-products expression such as "A*~B + C"."""
    disjuncts = []
    for product_ in expr.split("+"):
        literals = [lit.strip() for lit in product_.split("*") if lit.strip()]
        if not literals:
            raise QCAError(f"{expr!r}: an empty term")
        values = []
        for lit in literals:
            name = lit.lstrip("~").strip()
            wanted = None
            if name.endswith("]") and "[" in name:  # multi-value: DEV[2], DEV[1,2]
                name, _, inside = name[:-1].partition("[")
                try:
                    wanted = [float(v) for v in inside.split(",")]
                except ValueError:
                    raise QCAError(f"{expr!r}: {lit!r} needs whole values in brackets, as DEV[2]") from None
            x = data.column(name.strip())
            if wanted is not None:
                x = np.isin(x, wanted).astype(float)
            values.append(1 - x if lit.startswith("~") else x)
        disjuncts.append(np.min(values, axis=0))
    return np.max(disjuncts, axis=0)


def _outcome(data: QCAData, outcome: str) -> tuple[str, np.ndarray]:
    name, negated = parse_outcome(outcome)
    y = data.column(name)
    return name, (1 - y if negated else y)


def necessity(data: QCAData, outcome: str, conditions: Sequence[str]) -> list[dict]:
    """inclN, RoN and covN of each expression as a necessary condition for the outcome.

    Each item of `conditions` may be a condition, a negation ("~A"), a conjunction
    ("A*B") or a disjunction ("A + ~B").
    """
    name, y = _outcome(data, outcome)
    plain = sorted({lit.strip().lstrip("~").strip() for c in conditions
                    for p in c.split("+") for lit in p.split("*") if lit.strip()})
    check_sets(data, [name, *plain])
    return [{"expression": c.replace(" ", ""), **necessity_fit(expression_membership(c, data), y)}
            for c in conditions]


def super_subset(data: QCAData, outcome: str, conditions: Sequence[str] | None = None,
                 incl_cut: float = 1, cov_cut: float = 0, ron_cut: float = 0,
                 depth: int | None = None) -> list[dict]:
    """Search for necessary expressions (R QCA's superSubset(), relation "necessity").

    Returns the conjunctions of literals that pass the cut-offs, then the disjunctions of
    single literals that pass them and contain no smaller passing disjunction nor a literal
    that is necessary on its own. Ordered by complexity, then condition by condition.
    """
    name, y = _outcome(data, outcome)
    if conditions is None:
        conditions = [c for c in data.columns if c != name]
    conditions = list(conditions)
    check_sets(data, [name, *conditions])
    k = len(conditions)
    depth = depth or k
    x = np.column_stack([data.column(c) for c in conditions])

    def literal(j: int, v: int) -> np.ndarray:
        return x[:, j] if v == 1 else 1 - x[:, j]

    def passes(fit: dict) -> bool:
        return (fit["inclN"] >= incl_cut - EPS and fit["covN"] >= cov_cut - EPS
                and fit["RoN"] >= ron_cut - EPS)

    def text(cols, vals, joiner) -> str:
        return joiner.join(("~" if v == 0 else "") + conditions[j]
                           for j, v in zip(cols, vals, strict=True))

    found = []
    for size in range(1, depth + 1):
        for cols in combinations(range(k), size):
            for vals in product((0, 1), repeat=size):
                m = np.min([literal(j, v) for j, v in zip(cols, vals, strict=True)], axis=0)
                fit = necessity_fit(m, y)
                if passes(fit):
                    found.append(((size, cols, vals), text(cols, vals, "*"), fit))
    necessary_literals = {(cols[0], vals[0]) for (size, cols, vals), _, _ in found if size == 1}
    passing: list[dict[int, int]] = []
    disjunctions = []
    for size in range(2, depth + 1):
        for cols in combinations(range(k), size):
            for vals in product((0, 1), repeat=size):
                lits = dict(zip(cols, vals, strict=True))
                if any((j, v) in necessary_literals for j, v in lits.items()):
                    continue
                if any(all(lits.get(j) == v for j, v in p.items()) for p in passing):
                    continue
                m = np.max([literal(j, v) for j, v in lits.items()], axis=0)
                fit = necessity_fit(m, y)
                if passes(fit):
                    passing.append(lits)
                    disjunctions.append(((size, cols, vals), text(cols, vals, "+"), fit))
    return [{"expression": expr, **fit} for _, expr, fit in found + disjunctions]
