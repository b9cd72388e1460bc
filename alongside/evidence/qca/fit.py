"""Parameters of fit (Ragin 2006; Schneider & Wagemann 2012), as R QCA computes them."""

from __future__ import annotations

import numpy as np

from .notation import Term


def membership(term: Term, x: np.ndarray, levels=None) -> np.ndarray:
    """Each case's membership in a conjunction: the minimum over its literals. A literal of
    a multi-value condition (levels > 2) is crisp: the case has that value or not."""
    cols = [j for j, v in enumerate(term) if v >= 0]
    if not cols:
        return np.ones(x.shape[0])
    values = np.array([term[j] for j in cols])
    lit = np.where(values == 1, x[:, cols], 1 - x[:, cols])
    if levels is not None:
        mv = np.array([levels[j] > 2 for j in cols])
        if mv.any():
            lit[:, mv] = (x[:, cols][:, mv] == values[mv]).astype(float)
    return lit.min(axis=1)


def _ratio(a: float, b: float) -> float:
    return float(a / b) if b else float("nan")


def sufficiency(m: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """inclS, PRI (proportional reduction in inconsistency) and covS of m for outcome y."""
    my = np.minimum(m, y)
    both, sm = my.sum(), m.sum()
    # membership in the set, the outcome and its negation at once
    contradictory = np.minimum(my, 1 - y).sum()
    return {
        "inclS": _ratio(both, sm),
        "PRI": _ratio(both - contradictory, sm - contradictory),
        "covS": _ratio(both, y.sum()),
    }


def necessity_fit(m: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """inclN, RoN (relevance of necessity) and covN of m as a necessary condition for y."""
    my = np.minimum(m, y)
    return {
        "inclN": _ratio(my.sum(), y.sum()),
        "RoN": _ratio((1 - m).sum(), (1 - my).sum()),
        "covN": _ratio(my.sum(), m.sum()),
    }
