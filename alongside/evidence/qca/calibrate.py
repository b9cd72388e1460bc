"""Calibration of raw values to set scores, as R QCA's calibrate() defines it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .data import QCAError


def _thresholds(thresholds) -> dict[str, float] | list[float]:
    if isinstance(thresholds, str):
        parts = [p.strip() for p in thresholds.split(",") if p.strip()]
        if all("=" in p for p in parts):
            return {k.strip(): float(v) for k, v in (p.split("=", 1) for p in parts)}
        return [float(p) for p in parts]
    if isinstance(thresholds, Mapping):
        return {k: float(v) for k, v in thresholds.items()}
    if isinstance(thresholds, int | float):
        return [float(thresholds)]
    return [float(t) for t in thresholds]


def calibrate(values: Sequence[float], type: str = "fuzzy", thresholds=None,
              logistic: bool = True, idm: float = 0.95, below: float = 1.0,
              above: float = 1.0) -> np.ndarray:
    """Turn raw values into crisp or fuzzy set scores.

    crisp: `thresholds` is one or more cut points; a value gets the number of cut points
    it is at or above (0/1 for one threshold, 0/1/2 for two…).

    fuzzy (the direct method): thresholds e (exclusion), c (crossover), i (inclusion),
    given as a dict or "e=165, c=175, i=185". With logistic=True, scores follow the
    logistic curve through 0.5 at c, with membership `idm` at i and 1 − idm at e
    (Ragin's direct method; Ragin used log odds ±3, i.e. idm ≈ 0.9526). With
    logistic=False, linear s-shapes bent by `below` and `above`. If e > i the set is
    decreasing.
    """
    x = np.asarray(values, dtype=float)
    if thresholds is None:
        raise QCAError("calibrate: give thresholds")
    th = _thresholds(thresholds)
    if type == "crisp":
        cuts = sorted(th.values()) if isinstance(th, dict) else sorted(th)
        return np.searchsorted(np.asarray(cuts), x, side="right").astype(float)
    if type != "fuzzy":
        raise QCAError(f"calibrate: type must be 'crisp' or 'fuzzy', not {type!r}")
    if not isinstance(th, dict):
        if len(th) != 3:
            raise QCAError("calibrate: fuzzy calibration needs three thresholds: e, c, i")
        th = dict(zip("eci", th, strict=True))
    missing = {"e", "c", "i"} - set(th)
    if missing:
        raise QCAError(f"calibrate: fuzzy thresholds need e, c and i (missing {', '.join(sorted(missing))})")
    e, c, i = th["e"], th["c"], th["i"]
    if not (e < c < i or e > c > i):
        raise QCAError("calibrate: the crossover c must lie strictly between e and i")
    if not 0.5 < idm < 1:
        raise QCAError("calibrate: idm must be between 0.5 and 1")
    if logistic:
        k = np.log(idm / (1 - idm))
        scale = np.where((x - c) * (i - c) >= 0, k / (i - c), k / (c - e))
        return 1 / (1 + np.exp(-(x - c) * scale))
    if e > i:  # decreasing: mirror the increasing case
        return calibrate(-x, "fuzzy", {"e": -e, "c": -c, "i": -i}, False, idm, below, above)
    out = np.empty_like(x)
    out[x <= e] = 0.0
    out[x >= i] = 1.0
    low = (x > e) & (x < c)
    high = (x >= c) & (x < i)
    out[low] = 0.5 * ((x[low] - e) / (c - e)) ** below
    out[high] = 1 - 0.5 * ((i - x[high]) / (i - c)) ** above
    return out
