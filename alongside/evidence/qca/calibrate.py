"""Calibration of raw values to set scores, as R QCA's calibrate() (3.25.1) defines it.

R's calibrate(x, type, method, thresholds, logistic, idm, ecdf, below, above) maps here to

    type="crisp"                     findInterval(): how many cut points a value reaches
    type="fuzzy", method="direct"    three anchors e, c, i: logistic (default) or linear
                                     s-shape (logistic=False, bent by below/above, or
                                     following the data's ecdf with ecdf=True); six anchors
                                     e1, c1, i1, i2, c2, e2: bell, triangle or trapezoid, and
                                     the inverted (valley) shape i1, c1, e1, e2, c2, i2
    type="fuzzy", method="indirect"  Ragin's indirect method: a quasibinomial logit
                                     regression on a fractional polynomial of x
    type="fuzzy", method="TFR"       totally fuzzy and relative (Cheli and Lemmi 1995)

Where R would stop with an error, silently compute nonsense (anchors out of order) or
crash on missing values, this raises a QCAError instead; missing values (NaN) stay NaN.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence

import numpy as np

from .data import QCAError

TYPES = ("crisp", "fuzzy")
METHODS = ("direct", "indirect", "TFR")
S_NAMES = ("e", "c", "i")
BELL_NAMES = ("e1", "c1", "i1", "i2", "c2", "e2")
# R rounds direct and indirect scores this close to 0 or 1 to 0 or 1.
ROUND_OFF = 0.0001
# R compares a value with an anchor through all.equal(), whose tolerance is this.
TOLERANCE = math.sqrt(np.finfo(float).eps)

Thresholds = tuple[list[float], list[str] | None]


def calibrate(values: Sequence[float], type: str = "fuzzy", thresholds=None,
              logistic: bool = True, idm: float = 0.95, below: float = 1.0,
              above: float = 1.0, *, method: str = "direct", ecdf: bool = False) -> np.ndarray:
    """Turn raw values into crisp or fuzzy set scores, as R QCA's calibrate() does.

    thresholds: a number, a sequence, a mapping of names to numbers, or a string such as
    "e=165, c=175, i=185" or "1000, 4000" (commas, or semicolons, as R's splitstr).

    crisp: one or more cut points; a value scores how many of them it is at or above.
    fuzzy, direct: e, c, i (increasing when e < c < i, decreasing when e > c > i) with a
    logistic curve through 1 − idm, 0.5 and idm, or with logistic=False a linear curve
    bent by the exponents `below` and `above` (or shaped by the empirical distribution of
    the values between the anchors, ecdf=True). Six anchors e1, c1, i1, i2, c2, e2 make a
    bell (below, above > 1), triangle (i1 = i2) or trapezoid (i1 < i2); i1, c1, e1, e2,
    c2, i2 the valley. Six anchors are always linear, as in R.
    fuzzy, indirect: thresholds cut x into groups scored 0, 1/k, …, 1, smoothed by a
    quasibinomial regression on log x, √x, x and x².
    fuzzy, TFR: no thresholds; scores from the empirical distribution of the categories.
    """
    x = _values(values)
    if type not in TYPES:
        raise QCAError(f"calibrate: type must be 'crisp' or 'fuzzy', not {type!r}")
    if method not in METHODS:
        hint = " (for the empirical distribution, R uses ecdf=True with logistic=False)" \
            if str(method).lower() == "ecdf" else ""
        raise QCAError(f"calibrate: method must be 'direct', 'indirect' or 'TFR', not {method!r}{hint}")
    if method == "TFR":
        if type == "crisp":
            raise QCAError("calibrate: method 'TFR' gives fuzzy scores; it cannot be used with type='crisp'")
        return _tfr(x)  # R ignores any thresholds given with TFR
    th, names = _parse_thresholds(thresholds)
    if type == "crisp":  # R takes this branch whatever the method
        return _crisp(x, th, names)
    if method == "indirect":
        return _round_off(_indirect(x, th))
    return _round_off(_direct(x, th, names, logistic, idm, below, above, ecdf))


# --- input ---------------------------------------------------------------------------

def _values(values) -> np.ndarray:
    try:
        x = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise QCAError("calibrate: the values to calibrate are not numeric") from None
    if x.ndim == 0:  # one value, as R's vector of length 1
        x = x.reshape(1)
    if x.ndim != 1:
        raise QCAError("calibrate: give the values to calibrate as one flat sequence")
    return x


def _number(text, what: str) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise QCAError(f"calibrate: thresholds must be numeric; {what} is {text!r}") from None
    if not math.isfinite(value):
        raise QCAError(f"calibrate: thresholds must be finite numbers; {what} is {text!r}")
    return value


def _parse_thresholds(thresholds) -> Thresholds:
    """Numbers in the order given, and their names if they were named."""
    if thresholds is None or (isinstance(thresholds, str) and not thresholds.strip()):
        raise QCAError("calibrate: threshold value(s) not specified (thresholds=...)")
    if isinstance(thresholds, str):
        return _parse_text(thresholds)
    if isinstance(thresholds, Mapping):
        names = [str(k).strip() for k in thresholds]
        return [_number(v, f"{k}") for k, v in zip(names, thresholds.values(), strict=True)], names
    if isinstance(thresholds, bool):
        raise QCAError("calibrate: thresholds must be numeric, not a true/false value")
    if isinstance(thresholds, int | float | np.number):
        return [_number(thresholds, "the threshold")], None
    items = list(thresholds)
    if not items:
        raise QCAError("calibrate: threshold value(s) not specified (thresholds=...)")
    return [_number(t, f"threshold {n}") for n, t in enumerate(items, start=1)], None


def _parse_text(text: str) -> Thresholds:
    # As admisc::splitstr: split on commas, or on semicolons when there is no comma.
    parts = [p.strip() for p in text.replace("\n", "").split(",")]
    if len(parts) == 1:
        parts = [p.strip() for p in parts[0].split(";")]
    parts = [p for p in parts if p]
    named = ["=" in p for p in parts]
    if not any(named):
        return [_number(p, f"threshold {n}") for n, p in enumerate(parts, start=1)], None
    if not all(named):
        raise QCAError(f"calibrate: thresholds {text!r}: name every threshold (e=.., c=.., i=..) or none")
    pairs = [(k.strip(), v.strip()) for k, v in (p.split("=", 1) for p in parts)]
    return [_number(v, k) for k, v in pairs], [k for k, _ in pairs]


def _in_order(th: list[float], names: list[str] | None, expected: tuple[str, ...]) -> list[float]:
    """Named anchors put into R's positional order (e, c, i or e1 … e2)."""
    if names is None:
        return th
    if sorted(names) != sorted(expected):
        raise QCAError(f"calibrate: thresholds named {', '.join(names)}; "
                       f"the names must be {', '.join(expected)}, each once")
    given = dict(zip(names, th, strict=True))
    return [given[n] for n in expected]


def _shown(names: tuple[str, ...], th: Sequence[float]) -> str:
    return ", ".join(f"{n}={t:g}" for n, t in zip(names, th, strict=True))


# --- crisp ---------------------------------------------------------------------------

def _crisp(x: np.ndarray, th: list[float], names: list[str] | None) -> np.ndarray:
    if names is not None:
        raise QCAError("calibrate: named thresholds require fuzzy type calibration; "
                       "crisp thresholds are plain cut points")
    present = x[~np.isnan(x)]
    if present.size:
        low, high = present.min(), present.max()
        outside = [t for t in th if t < low or t > high]
        if outside:
            raise QCAError(f"calibrate: threshold value(s) {', '.join(f'{t:g}' for t in outside)} "
                           f"outside the range of the values ({low:g} to {high:g})")
    cuts = np.sort(np.asarray(th))
    # findInterval(): a value exactly at a cut point belongs to the interval above it.
    out = np.searchsorted(cuts, x, side="right").astype(float)
    out[np.isnan(x)] = np.nan
    return out


# --- fuzzy, direct -------------------------------------------------------------------

def _direct(x: np.ndarray, th: list[float], names: list[str] | None, logistic: bool,
            idm: float, below: float, above: float, ecdf: bool) -> np.ndarray:
    if len(th) not in (3, 6):
        raise QCAError(f"calibrate: fuzzy direct calibration needs 3 thresholds (e, c and i) "
                       f"or 6 (e1, c1, i1, i2, c2, e2); got {len(th)}")
    if not (_real(idm) and 0.5 < idm < 1):
        raise QCAError(f"calibrate: idm, the inclusion degree of membership, has to be bigger "
                       f"than 0.5 and less than 1; got {idm!r}")
    if len(th) == 6:
        if ecdf:
            raise QCAError("calibrate: ecdf=True works only with three thresholds (e, c, i), "
                           "not with the six of a bell shape")
        _check_exponents(below, above)
        return _bell(x, _in_order(th, names, BELL_NAMES), below, above)
    e, c, i = _in_order(th, names, S_NAMES)
    if not (e < c < i or e > c > i):
        raise QCAError(f"calibrate: the crossover c must lie strictly between e and i "
                       f"(e < c < i increasing, e > c > i decreasing); got {_shown(S_NAMES, (e, c, i))}")
    if logistic:
        if ecdf:
            raise QCAError("calibrate: ecdf=True needs logistic=False (--linear); "
                           "the logistic and ecdf shapes exclude each other")
        if below != 1 or above != 1:
            raise QCAError("calibrate: below and above bend the linear curve; "
                           "pass logistic=False (--linear) to use them")
        return _logistic(x, e, c, i, idm)
    _check_exponents(below, above)
    if ecdf:
        return _linear_ecdf(x, e, c, i)
    return _linear(x, e, c, i, below, above)


def _real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _check_exponents(below: float, above: float) -> None:
    for name, value in (("below", below), ("above", above)):
        if not (_real(value) and math.isfinite(value) and value > 0):
            raise QCAError(f"calibrate: {name} should be a positive number; got {value!r}")


def _logistic(x: np.ndarray, e: float, c: float, i: float, idm: float) -> np.ndarray:
    # R fits a decreasing set as the increasing one on swapped anchors, then complements;
    # the arithmetic is kept in R's order so the floating-point results agree.
    decreasing = e > i
    if decreasing:
        e, i = i, e
    k = math.log(idm / (1 - idm))
    lower = x < c
    sign = np.where(lower, 1.0, -1.0)
    anchor = np.where(lower, e, i)
    with np.errstate(over="ignore"):
        fs = 1 / (1 + np.exp(sign * (x - c) * k / (anchor - c)))
    return 1 - fs if decreasing else fs


def _near(x: np.ndarray, t: float) -> np.ndarray:
    """R's isTRUE(all.equal(x, t)): equal within a relative tolerance of 1.5e-8."""
    scale = np.where(np.abs(x) > TOLERANCE, np.abs(x), 1.0)
    return (x == t) | (np.abs(x - t) / scale <= TOLERANCE)


def _at_most(t: float):
    return lambda x: (x < t) | _near(x, t)


def _below(t: float):
    return lambda x: x < t


def _piecewise(x: np.ndarray, pieces, otherwise: float) -> np.ndarray:
    """Each value takes the first piece whose test it passes, as R's if/else-if chain."""
    out = np.full(x.shape, np.nan)
    left = ~np.isnan(x)
    for test, score in pieces:
        hit = left & test(x)
        out[hit] = score(x[hit])
        left &= ~hit
    out[left] = otherwise
    return out


def _const(value: float):
    return lambda x: np.full(x.shape, value)


def _rise_to_half(ex: float, cr: float, below: float):
    """From exclusion (0) to the crossover (0.5)."""
    return lambda x: (((ex - x) / (ex - cr)) ** below) / 2


def _rise_from_half(inc: float, cr: float, above: float):
    """From the crossover (0.5) to inclusion (1)."""
    return lambda x: 1 - (((inc - x) / (inc - cr)) ** above) / 2


def _linear(x: np.ndarray, e: float, c: float, i: float, below: float, above: float) -> np.ndarray:
    if e < i:
        return _piecewise(x, [(_at_most(e), _const(0.0)),
                              (_at_most(c), _rise_to_half(e, c, below)),
                              (_at_most(i), _rise_from_half(i, c, above))], 1.0)
    return _piecewise(x, [(_at_most(i), _const(1.0)),
                          (_at_most(c), _rise_from_half(i, c, above)),
                          (_at_most(e), _rise_to_half(e, c, below))], 0.0)


def _linear_ecdf(x: np.ndarray, e: float, c: float, i: float) -> np.ndarray:
    # The distribution is that of the values between the outer anchors (both included).
    # R drops the values outside with x[-which(...)], which empties the vector when no
    # value lies beyond one of the anchors, and then stops; here that case just works.
    low, high = min(e, i), max(e, i)
    inside = np.sort(x[(x >= low) & (x <= high)])

    def fn(v):
        return np.searchsorted(inside, v, side="right") / max(inside.size, 1)

    at_c = fn(c)
    with np.errstate(divide="ignore", invalid="ignore"):
        if e < i:
            return _piecewise(x, [(_at_most(e), _const(0.0)),
                                  (_at_most(c), lambda v: (fn(v) / at_c) / 2),
                                  (_at_most(i), lambda v: 1 - ((1 - fn(v)) / (1 - at_c)) / 2)], 1.0)
        return _piecewise(x, [(_at_most(i), _const(1.0)),
                              (_at_most(c), lambda v: 1 - (fn(v) / at_c) / 2),
                              (_at_most(e), lambda v: ((1 - fn(v)) / (1 - at_c)) / 2)], 0.0)


def _bell(x: np.ndarray, th: list[float], below: float, above: float) -> np.ndarray:
    e1, c1, i1, i2, c2, e2 = th
    if not min(e1, i1) < c1 < max(e1, i1):
        raise QCAError(f"calibrate: the first crossover c1 is not strictly between the first exclusion "
                       f"and inclusion thresholds; got {_shown(BELL_NAMES, th)}")
    if not min(e2, i2) < c2 < max(e2, i2):
        raise QCAError(f"calibrate: the second crossover c2 is not strictly between the second exclusion "
                       f"and inclusion thresholds; got {_shown(BELL_NAMES, th)}")
    if e1 < c1 < i1 <= i2 < c2 < e2:  # bell, triangle (i1 = i2) or trapezoid
        return _piecewise(x, [(_at_most(e1), _const(0.0)),
                              (_at_most(c1), _rise_to_half(e1, c1, below)),
                              (_below(i1), _rise_from_half(i1, c1, above)),
                              (_at_most(i2), _const(1.0)),
                              (_at_most(c2), _rise_from_half(i2, c2, above)),
                              (_at_most(e2), _rise_to_half(e2, c2, below))], 0.0)
    if i1 < c1 < e1 <= e2 < c2 < i2:  # the inverted shape: a valley
        return _piecewise(x, [(_at_most(i1), _const(1.0)),
                              (_at_most(c1), _rise_from_half(i1, c1, above)),
                              (_below(e1), _rise_to_half(e1, c1, below)),
                              (_at_most(e2), _const(0.0)),
                              (_at_most(c2), _rise_to_half(e2, c2, below)),
                              (_at_most(i2), _rise_from_half(i2, c2, above))], 1.0)
    raise QCAError(f"calibrate: six thresholds must run e1 < c1 < i1 <= i2 < c2 < e2 (bell, triangle, "
                   f"trapezoid) or i1 < c1 < e1 <= e2 < c2 < i2 (valley); got {_shown(BELL_NAMES, th)}")


def _round_off(fs: np.ndarray) -> np.ndarray:
    fs = fs.copy()
    fs[fs < ROUND_OFF] = 0.0
    fs[fs > 1 - ROUND_OFF] = 1.0
    return fs


# --- fuzzy, indirect -----------------------------------------------------------------

def _indirect(x: np.ndarray, th: list[float]) -> np.ndarray:
    """Ragin's indirect method as R QCA runs it: glm(y ~ log(x) + I(x^(1/2)) + I(x^1) +
    I(x^2), family = quasibinomial(logit)), fitted values rounded to 6 decimals."""
    cuts = sorted(th)
    scores = np.round(np.linspace(0, 1, len(cuts) + 1), 3)
    present = ~np.isnan(x)
    v = x[present]
    if np.any(v < 0):
        raise QCAError("calibrate: the indirect method needs values of 0 or more (it regresses on log x)")
    if v.size < 2:
        raise QCAError("calibrate: the indirect method needs at least two values")
    y = np.zeros(v.size)
    for cut, score in zip(cuts, scores[1:], strict=True):
        y[v > cut] = score
    v = np.where(v == 0, 0.00001, v)
    design = np.column_stack([np.ones(v.size), np.log(v), v ** 0.5, v, v ** 2])
    out = np.full(x.shape, np.nan)
    out[present] = np.round(_quasibinomial_fit(design, y), 6)
    return out


def _inv_logit(eta: np.ndarray) -> np.ndarray:
    # R's C logit_linkinv: clamped beyond ±30 so mu never reaches 0 or 1.
    eps = np.finfo(float).eps
    tmp = np.where(eta < -30, eps, np.where(eta > 30, 1 / eps, np.exp(np.clip(eta, -30, 30))))
    return tmp / (1 + tmp)


def _mu_eta(eta: np.ndarray) -> np.ndarray:
    ex = np.exp(np.clip(eta, -30, 30))
    return np.where(np.abs(eta) > 30, np.finfo(float).eps, ex / ((1 + ex) * (1 + ex)))


def _deviance(y: np.ndarray, mu: np.ndarray) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(y != 0, y * np.log(y / mu), 0.0)
        b = np.where(1 - y != 0, (1 - y) * np.log((1 - y) / (1 - mu)), 0.0)
    return float(np.sum(2 * (a + b)))


def _quasibinomial_fit(design: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Fitted probabilities by iteratively reweighted least squares, with R glm.fit()'s
    start, convergence test (epsilon 1e-8) and 25 iterations at most."""
    mu = (y + 0.5) / 2
    eta = np.log(mu / (1 - mu))
    dev_old = _deviance(y, mu)
    for _ in range(25):
        gradient = _mu_eta(eta)
        good = gradient != 0
        z = eta[good] + (y - mu)[good] / gradient[good]
        w = np.sqrt(gradient[good] ** 2 / (mu[good] * (1 - mu[good])))
        coef = _least_squares(design[good] * w[:, None], z * w)
        eta = design @ coef
        mu = _inv_logit(eta)
        dev = _deviance(y, mu)
        if abs(dev - dev_old) / (abs(dev) + 0.1) < 1e-8:
            break
        dev_old = dev
    return mu


def _least_squares(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Householder least squares dropping aliased columns, as R's dqrdc2 (tolerance 1e-11):
    a column whose part not explained by the columns kept before it is below 1e-11 of its
    length gets coefficient 0."""
    kept: list[int] = []
    for j in range(a.shape[1]):
        trial = a[:, [*kept, j]]
        r = np.linalg.qr(trial, mode="r")
        if abs(r[-1, -1]) >= 1e-11 * np.linalg.norm(a[:, j]):
            kept.append(j)
    q, r = np.linalg.qr(a[:, kept])
    coef = np.zeros(a.shape[1])
    coef[kept] = np.linalg.solve(r, q.T @ b)
    return coef


# --- fuzzy, TFR ----------------------------------------------------------------------

def _tfr(x: np.ndarray) -> np.ndarray:
    """Totally fuzzy and relative: (F(x) − F(1)) / (1 − F(1)), at least 0, with F the
    empirical distribution of the values; R measures from category 1 whatever the data."""
    present = np.sort(x[~np.isnan(x)])
    if present.size == 0:
        return np.full(x.shape, np.nan)

    def fn(v):
        return np.searchsorted(present, v, side="right") / present.size

    base = fn(1.0)
    if base == 1:
        raise QCAError("calibrate: method 'TFR' needs categories above 1 (it scores each value by the "
                       "share of cases above category 1), but every value is 1 or less")
    out = np.full(x.shape, np.nan)
    keep = ~np.isnan(x)
    out[keep] = np.maximum(0, (fn(x[keep]) - base) / (1 - base))
    return out
