"""Paired before/after change: n, means, mean change with a t confidence interval, and the share
who improved (in the measure's better direction). Small groups are suppressed, not shown."""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

SMALL = 5


@dataclass(frozen=True)
class Change:
    n: int
    mean_before: float | None = None
    mean_after: float | None = None
    mean_change: float | None = None
    ci: tuple[float, float] | None = None
    improved: float | None = None  # share, 0–1
    suppressed: bool = False


def paired_change(pairs: list[tuple[float, float]], better: str, confidence: float = 0.95) -> Change:
    """Change after − before over paired scores; `better` is "higher" or "lower".

    Fewer than 5 pairs: only that there were some (suppressed), since a mean of 1–4 people
    could identify them and says little anyway.
    """
    n = len(pairs)
    if n == 0:
        return Change(0)
    if n < SMALL:
        return Change(n, suppressed=True)
    diffs = [after - before for before, after in pairs]
    mean = sum(diffs) / n
    sd = math.sqrt(sum((d - mean) ** 2 for d in diffs) / (n - 1))
    half = stats.t.ppf((1 + confidence) / 2, n - 1) * sd / math.sqrt(n)
    sign = 1 if better == "higher" else -1
    return Change(
        n=n, mean_before=sum(b for b, _ in pairs) / n, mean_after=sum(a for _, a in pairs) / n,
        mean_change=mean, ci=(float(mean - half), float(mean + half)),
        improved=sum(1 for d in diffs if sign * d > 0) / n,
    )
