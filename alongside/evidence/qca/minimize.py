"""Boolean minimisation of a truth table: conservative, parsimonious and intermediate
solutions, all minimal models when the prime implicant chart allows several (R QCA's
minimize())."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from .data import QCAError
from .fit import membership, sufficiency
from .notation import Term, from_bits, r_order, row_bits, term_string, to_bits
from .primes import primes_avoiding, primes_within
from .truth_table import TruthTable

# Steps allowed to search the prime implicant chart before calling it too complex.
MAX_STEPS = 1_000_000


@dataclass
class Model:
    """One solution (R's M1, M2…): essential prime implicants plus the others chosen."""

    terms: list[Term]
    essential: list[Term]
    fit: dict[str, float]
    term_cov_u: dict[Term, float]
    simplifying_assumptions: list[int] | None = field(default_factory=list)  # row numbers
    label: str = ""  # "C1P1" for an intermediate model


@dataclass
class Solution:
    tt: TruthTable
    kind: str  # "conservative", "parsimonious" or "intermediate"
    primes: list[Term]
    chart_columns: list[int]  # positive rows (R row numbers)
    models: list[Model]
    term_fit: dict[Term, dict[str, float]]
    term_cov_u: dict[Term, float]  # unique coverage among all terms of all models
    options: dict

    @property
    def names(self) -> list[str]:
        return self.tt.conditions

    def expression(self, model: Model) -> str:
        def s(t: Term) -> str:
            return term_string(t, self.names)

        essential = [s(t) for t in model.essential]
        rest = [s(t) for t in model.terms if t not in model.essential]
        if len(self.models) > 1 and rest:
            return " + ".join([*essential, f"({' + '.join(rest)})"])
        return " + ".join(essential + rest)

    def arrow(self, model: Model) -> str:
        return "<=>" if round(model.fit["covS"], 3) >= 1 else "=>"

    def lines(self) -> list[str]:
        return [f"M{i}: {self.expression(m)} {self.arrow(m)} {self.tt.outcome}"
                for i, m in enumerate(self.models, start=1)]

    def chart(self) -> dict[str, list[int]]:
        """The prime implicant chart: each PI and the positive rows it covers."""
        return {term_string(t, self.names): [c for c in self.chart_columns
                                             if _covers(t, row_bits(c - 1, len(t)))]
                for t in self.primes}

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "outcome": self.tt.outcome,
            "conditions": self.names,
            "options": self.options,
            "prime_implicants": [term_string(t, self.names) for t in self.primes],
            "chart": self.chart(),
            "models": [
                {
                    "name": f"M{i}",
                    "label": m.label,
                    "expression": self.expression(m),
                    "terms": [
                        {"term": term_string(t, self.names), "essential": t in m.essential,
                         **_rounded(self.term_fit[t]), "covU": _r(m.term_cov_u[t])}
                        for t in m.terms
                    ],
                    "fit": _rounded(m.fit),
                    "simplifying_assumptions": m.simplifying_assumptions,
                }
                for i, m in enumerate(self.models, start=1)
            ],
        }

    def __str__(self) -> str:
        out = self.lines()
        for i, m in enumerate(self.models, start=1):
            head = f"{'':3}{'':<{self._width()}}  inclS   PRI    covS   covU"
            out += ["", f"M{i}" + (f" (from {m.label})" if m.label else ""), head]
            for j, t in enumerate(m.terms, start=1):
                f = self.term_fit[t]
                out.append(f"{j:<3}{term_string(t, self.names):<{self._width()}}  "
                           f"{f['inclS']:.3f}  {f['PRI']:.3f}  {f['covS']:.3f}  "
                           f"{m.term_cov_u[t]:.3f}")
            out.append(f"{'':3}{'M' + str(i):<{self._width()}}  {m.fit['inclS']:.3f}  "
                       f"{m.fit['PRI']:.3f}  {m.fit['covS']:.3f}")
        return "\n".join(out)

    def _width(self) -> int:
        return max([len(term_string(t, self.names)) for t in self.term_fit] + [4])


def _r(v: float) -> float:
    return round(float(v), 3)


def _rounded(fit: Mapping[str, float]) -> dict[str, float]:
    return {k: _r(v) for k, v in fit.items()}


def _covers(term: Term, row: tuple[int, ...]) -> bool:
    return all(t < 0 or t == r for t, r in zip(term, row, strict=True))


def _parse_include(include: str) -> set[str]:
    parts = {p.strip() for p in include.split(",") if p.strip()}
    unknown = parts - {"?", "C"}
    if unknown:
        raise QCAError(f"include: {', '.join(sorted(unknown))} not understood (use \"?\" and/or \"C\")")
    return parts


def parse_dir_exp(dir_exp, names: list[str]) -> dict[str, int | None]:
    """Directional expectations: {"A": 1, "B": 0}, "A=1,B=0" or R's "A, ~B"; "-" is don't care."""
    if isinstance(dir_exp, Mapping):
        items = dict(dir_exp)
    else:
        items = {}
        for part in [p.strip() for p in str(dir_exp).split(",") if p.strip()]:
            if "=" in part:
                key, value = (s.strip() for s in part.split("=", 1))
                items[key] = value
            elif part.startswith("~"):
                items[part[1:].strip()] = 0
            else:
                items[part] = 1
    out: dict[str, int | None] = {}
    for key, value in items.items():
        if key not in names:
            raise QCAError(f"dir_exp: {key!r} is not one of the conditions ({', '.join(names)})")
        if str(value) in ("-", "None", "dc"):
            out[key] = None
        elif str(value) in ("0", "1"):
            out[key] = int(value)
        else:
            raise QCAError(f"dir_exp: {key}={value!r}; use 1, 0 or - (don't care)")
    return out


def minimize(tt: TruthTable, include: str = "", dir_exp=None, row_dom: bool = False,
             all_sol: bool = False, max_steps: int = MAX_STEPS) -> Solution:
    """Minimise the positive rows of a truth table.

    include="" gives the conservative (complex) solution; "?" adds the logical remainders
    (parsimonious); with `dir_exp` as well, the intermediate solution from the easy
    counterfactuals. Every minimal model is returned when several explain equally well.
    """
    inc = _parse_include(include)
    k = len(tt.conditions)
    positives = sorted(tt.row_numbers("1"))
    if not positives:
        raise QCAError(f"there are no positive configurations for {tt.outcome} at these cut-offs "
                       "(lower incl_cut or check the outcome)")
    allowed_observed = set(positives) | (tt.row_numbers("C") if "C" in inc else set())
    off_observed = (tt.row_numbers("0") | tt.row_numbers("C")) - allowed_observed
    if "?" in inc:
        raw = primes_avoiding(positives, off_observed, k)
    else:
        raw = primes_within(allowed_observed, k)
    primes = _relevant(raw, positives, k)
    options = {"include": include, "dir_exp": dir_exp, "row_dom": row_dom, "all_sol": all_sol,
               "max_steps": max_steps}
    solution = _solve(tt, "parsimonious" if "?" in inc else "conservative", primes, positives,
                      row_dom, all_sol, options)
    if "?" in inc:
        for m in solution.models:
            m.simplifying_assumptions = _assumptions(m.terms, tt, k)
    if dir_exp is None:
        return solution
    if "?" not in inc:
        raise QCAError("dir_exp: intermediate solutions need include=\"?\" (the remainders)")
    return _intermediate(tt, solution, parse_dir_exp(dir_exp, tt.conditions), row_dom,
                         all_sol, options)


def _relevant(raw: set[tuple[int, int]], positives: list[int], k: int) -> list[Term]:
    pos = np.array(positives, dtype=np.int64)
    keep = [from_bits(m, v, k) for m, v in raw if np.any((pos & m) == v)]
    return sorted(keep, key=r_order)


MAX_ASSUMPTION_CONDITIONS = 16


def _assumptions(terms: list[Term], tt: TruthTable, k: int) -> list[int] | None:
    """Remainders the model's terms cover: the simplifying assumptions it made.

    None above MAX_ASSUMPTION_CONDITIONS conditions, where they can number in the millions.
    """
    if k > MAX_ASSUMPTION_CONDITIONS:
        return None
    every = np.arange(2 ** k, dtype=np.int64)
    covered = np.zeros(every.size, dtype=bool)
    for t in terms:
        mask, value = to_bits(t)
        covered |= (every & mask) == value
    covered[[r.number - 1 for r in tt.rows if r.out != "?"]] = False
    return (np.flatnonzero(covered) + 1).tolist()


def _min_covers_search(chart: list[int], target: int, max_steps: int) -> list[frozenset[int]]:
    """All covers of `target` (bitmask of columns) of the smallest size, exactly.

    Depth-first with iterative deepening. At each node we branch on the open column with
    the fewest candidate rows; the j-th branch excludes the rows of branches 1…j-1, so each
    cover is found once. A node is cut when its lower bound exceeds the depth left.
    """
    if target == 0:
        return [frozenset()]
    n_cols = target.bit_length()
    by_column = [0] * n_cols
    for i, c in enumerate(chart):
        b = c & target
        while b:
            bit = b & -b
            b ^= bit
            by_column[bit.bit_length() - 1] |= 1 << i
    # A column whose candidate rows include all of another column's is covered whenever
    # that other column is: only the tightest columns constrain the covers.
    columns = sorted({m for m in by_column if m}, key=lambda m: m.bit_count())
    tight: list[int] = []
    for m in columns:
        if not any(t & m == t for t in tight):
            tight.append(m)
    best: list[frozenset[int]] = []

    def rows_of(mask: int) -> list[int]:
        out = []
        while mask:
            bit = mask & -mask
            mask ^= bit
            out.append(bit.bit_length() - 1)
        return out

    def lower_bound(open_cols: list[int], excluded: int) -> int:
        """Columns no single row can cover together each need a row of their own."""
        used, bound = 0, 0
        for m in open_cols:
            m &= ~excluded
            if not m & used:
                used |= m
                bound += 1
        return bound

    steps = 0

    def rec(chosen: tuple[int, ...], open_cols: list[int], excluded: int, limit: int) -> None:
        nonlocal steps
        steps += 1 + len(open_cols) // 64  # a node over many open columns costs more
        if steps > max_steps:
            raise _SearchTooLong
        if not open_cols:
            best.append(frozenset(chosen))
            return
        if limit == 0 or lower_bound(open_cols, excluded) > limit:
            return
        col_opts = min((m & ~excluded for m in open_cols), key=int.bit_count)
        for i in rows_of(col_opts):
            rec(chosen + (i,), [m for m in open_cols if not m >> i & 1], excluded, limit - 1)
            excluded |= 1 << i

    depth = max(1, lower_bound(tight, 0))
    while not best and depth <= len(chart):
        rec((), tight, 0, depth)
        depth += 1
    return sorted(best, key=lambda s: sorted(s))


class _SearchTooLong(Exception):
    pass


MAX_MODELS = 100


def _min_covers(chart: list[int], target: int, max_steps: int = MAX_STEPS) -> list[frozenset[int]]:
    """All minimum covers: a direct search for small charts; for large ones an integer
    programme (HiGHS) finds the minimum size, then each further model of that size is
    found with the earlier ones cut off, until none is left. Both are exact."""
    try:
        return _min_covers_search(chart, target, max_steps)
    except _SearchTooLong:
        return _min_covers_milp(chart, target)


def _min_covers_milp(chart: list[int], target: int) -> list[frozenset[int]]:
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_matrix

    cols = [j for j in range(target.bit_length()) if target >> j & 1]
    rows, idx = [], []
    for c_i, j in enumerate(cols):
        for i, c in enumerate(chart):
            if c >> j & 1:
                rows.append(c_i)
                idx.append(i)
    a = csr_matrix((np.ones(len(rows)), (rows, idx)), shape=(len(cols), len(chart)))
    n = len(chart)
    ones = np.ones(n)
    integrality = np.ones(n)
    bounds = Bounds(0, 1)
    cover = LinearConstraint(a, lb=1, ub=np.inf)
    first = milp(ones, constraints=[cover], integrality=integrality, bounds=bounds)
    if not first.success:
        raise QCAError("the positive configurations cannot be covered (this is a bug)")
    size = int(round(first.fun))
    constraints = [cover, LinearConstraint(ones[None, :], lb=size, ub=size)]
    found: list[frozenset[int]] = []
    x = first.x
    while True:
        chosen = frozenset(int(i) for i in np.flatnonzero(x > 0.5))
        found.append(chosen)
        if len(found) > MAX_MODELS:
            raise QCAError(f"more than {MAX_MODELS:,} equally minimal models: "
                           "the data do not single out an explanation (raise the inclusion "
                           "cut-off or use fewer conditions)")
        cut = np.zeros(n)
        cut[list(chosen)] = 1
        constraints.append(LinearConstraint(cut[None, :], lb=-np.inf, ub=size - 1))
        res = milp(ones, constraints=constraints, integrality=integrality, bounds=bounds)
        if not res.success:
            break
        x = res.x
    return sorted(found, key=lambda s: sorted(s))


def _irredundant_covers(chart: list[int], target: int, limit: int = 7) -> list[frozenset[int]]:
    """All irredundant covers up to `limit` terms (R's all.sol)."""
    found: list[frozenset[int]] = []
    for size in range(0, min(limit, len(chart)) + 1):
        for combo in combinations(range(len(chart)), size):
            cov = 0
            for i in combo:
                cov |= chart[i]
            if cov & target != target:
                continue
            s = frozenset(combo)
            if any(f <= s for f in found):
                continue
            if all((cov_without(chart, s - {i}) & target) != target for i in s):
                found.append(s)
    return found


def cov_without(chart: list[int], chosen: frozenset[int]) -> int:
    cov = 0
    for i in chosen:
        cov |= chart[i]
    return cov


def _solve(tt: TruthTable, kind: str, primes: list[Term], positives: list[int], row_dom: bool,
           all_sol: bool, options: dict, label: str = "") -> Solution:
    pos = np.array(positives, dtype=np.int64)
    chart = []
    for t in primes:
        mask, value = to_bits(t)
        hit = ((pos & mask) == value)[::-1]  # column j is bit j
        chart.append(int.from_bytes(np.packbits(hit).tobytes(), "big") >> (-len(pos) % 8))
    candidates = list(range(len(primes)))
    if row_dom:
        candidates = [i for i in candidates
                      if not any(j != i and chart[j] & chart[i] == chart[i] and chart[j] != chart[i]
                                 for j in candidates)]
    target = (1 << len(positives)) - 1
    essential = []
    for col in range(len(positives)):
        covering = [i for i in candidates if chart[i] >> col & 1]
        if len(covering) == 1 and covering[0] not in essential:
            essential.append(covering[0])
    covered = cov_without(chart, frozenset(essential))
    rest = [i for i in candidates if i not in essential]
    sub = [chart[i] for i in rest]
    remaining = target & ~covered
    if all_sol:
        picks = _irredundant_covers(sub, remaining)
    else:
        picks = _min_covers(sub, remaining, options.get("max_steps", MAX_STEPS))
    if not picks:
        raise QCAError("the positive configurations cannot be covered (this is a bug)")
    y, x = tt.y, tt.x
    term_m = {t: membership(t, x) for t in primes}
    term_fit = {t: sufficiency(term_m[t], y) for t in primes}
    ess_terms = sorted((primes[i] for i in essential), key=r_order)
    models = []
    for pick in picks:
        others = sorted((primes[rest[i]] for i in pick), key=r_order)
        terms = ess_terms + others
        models.append(_model(terms, ess_terms, term_m, y, label))
    used = sorted({t for m in models for t in m.terms}, key=r_order)
    all_cov_u = _unique_coverage(used, term_m, y)
    return Solution(tt, kind, primes, [p + 1 for p in positives], models,
                    {t: term_fit[t] for t in used}, all_cov_u, options)


def _unique_coverage(terms: list[Term], term_m: dict, y: np.ndarray) -> dict[Term, float]:
    def cov(ts: list[Term]) -> float:
        if not ts:
            return 0.0
        return sufficiency(np.max([term_m[t] for t in ts], axis=0), y)["covS"]

    whole = cov(terms)
    return {t: whole - cov([u for u in terms if u != t]) for t in terms}


def _model(terms, essential, term_m, y, label) -> Model:
    m = np.max([term_m[t] for t in terms], axis=0)
    return Model(terms, list(essential), sufficiency(m, y), _unique_coverage(terms, term_m, y),
                 label=label)


def _intermediate(tt: TruthTable, parsimonious: Solution, expectations: dict[str, int | None],
                  row_dom: bool, all_sol: bool, options: dict) -> Solution:
    """Ragin & Sonnett's intermediate solution: minimise again using only the easy
    counterfactuals — remainders the parsimonious model relied on that differ from an
    observed positive configuration only in the direction the expectations favour."""
    k = len(tt.conditions)
    positives = sorted(tt.row_numbers("1"))
    expected = [expectations.get(n, None) if n in expectations else None for n in tt.conditions]
    pos_rows = [row_bits(p, k) for p in positives]
    models, primes_all, term_fit, cov_u = [], [], {}, {}
    solution = None
    for j, pm in enumerate(parsimonious.models, start=1):
        if pm.simplifying_assumptions is None:
            raise QCAError(f"intermediate solutions are limited to {MAX_ASSUMPTION_CONDITIONS} "
                           "conditions here (their remainders are listed one by one)")
        easy = []
        for r in (n - 1 for n in pm.simplifying_assumptions):
            rb = row_bits(r, k)
            for q in pos_rows:
                if all(a == b or e is None or a == e for a, b, e in zip(rb, q, expected, strict=True)):
                    easy.append(r)
                    break
        allowed = set(positives) | set(easy)
        primes = _relevant(primes_within(allowed, k), positives, k)
        solution = _solve(tt, "intermediate", primes, positives, row_dom, all_sol, options,
                          label=f"C1P{j}")
        for m in solution.models:
            m.simplifying_assumptions = sorted(r + 1 for r in easy)
        models += solution.models
        primes_all += [p for p in primes if p not in primes_all]
        term_fit.update(solution.term_fit)
        cov_u.update(solution.term_cov_u)
    assert solution is not None
    return Solution(tt, "intermediate", sorted(primes_all, key=r_order), solution.chart_columns,
                    models, term_fit, cov_u, options)
