"""Boolean minimisation of a truth table: conservative, parsimonious and intermediate
solutions, all minimal models when the prime implicant chart allows several (R QCA's
minimize())."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from .data import QCAError
from .fit import membership, sufficiency
from .notation import Space, Term, from_bits, r_order, term_string, to_bits
from .primes import primes_avoiding, primes_avoiding_levels, primes_within, primes_within_levels
from .truth_table import TruthTable

# Steps allowed to search the prime implicant chart before calling it too complex.
MAX_STEPS = 1_000_000
# Models kept when several are equally minimal, and seconds allowed to search one chart.
MAX_MODELS = 100
TIME_LIMIT = 60.0


@dataclass
class Model:
    """One solution (R's M1, M2…): the terms in every model first, then the others chosen."""

    terms: list[Term]
    essential: list[Term]  # in every model of its solution, as R means "essential"
    fit: dict[str, float]
    term_cov_u: dict[Term, float]
    simplifying_assumptions: list[int] | None = field(default_factory=list)  # row numbers
    label: str = ""  # "C1P1" for an intermediate model
    name: str = "M1"  # R's name, numbered within its solution (within its pair, C1P1)


@dataclass
class Search:
    """How far the search for equally minimal models went (the same rule at every size).

    At most MAX_MODELS models are kept and the search stops at its time limit; `count` is
    then a lower bound. `proven` is False when the integer programme ran out of time before
    it could rule out a smaller model; `lower_bound` is then the fewest terms still possible.
    """

    count: int
    complete: bool = True
    proven: bool = True
    size: int = 0
    lower_bound: int = 0
    seconds: float = 0.0
    time_limit: float = 0.0

    def as_dict(self) -> dict:
        return {"models_found": self.count, "all_models_found": self.complete,
                "minimal_proven": self.proven, "terms_per_model": self.size,
                "fewest_terms_possible": self.lower_bound, "seconds": round(self.seconds, 2),
                "time_limit": self.time_limit}

    def note(self) -> str:
        """What a reader must know when the search stopped early, and how to narrow it."""
        if self.complete and self.proven and self.count <= MAX_MODELS:
            return ""
        parts = []
        if not self.proven:
            parts.append(f"The smallest model found within {self.time_limit:g} s has "
                         f"{self.size} terms; one with as few as {self.lower_bound} could not be "
                         f"ruled out, so it may not be minimal ({self.count:,} such model"
                         f"{'s' if self.count != 1 else ''} shown): the data do not single out "
                         f"an explanation.")
        elif not self.complete:
            shown = min(self.count, MAX_MODELS)
            parts.append(f"At least {self.count:,} equally minimal models of {self.size} terms "
                         f"were found before the search stopped at {self.time_limit:g} s "
                         f"(the first {shown:,} are shown): the data do not single out an "
                         f"explanation.")
        elif self.count > MAX_MODELS:
            parts.append(f"{self.count:,} equally minimal models of {self.size} terms (the "
                         f"first {MAX_MODELS:,} are shown): the data do not single out an "
                         f"explanation.")
        parts.append("To narrow it: raise the inclusion cut-off (incl_cut) or the frequency "
                     "cut-off (n_cut), use fewer or calibrated conditions, or leave out the "
                     "remainders (the conservative solution).")
        return " ".join(parts)


@dataclass
class Pair:
    """Where one intermediate solution starts: conservative model Ci, parsimonious model Pj,
    and the easy counterfactuals R's rule takes from them."""

    label: str  # "C1P2"
    conservative: str
    parsimonious: str
    easy_counterfactuals: list[int]  # remainder row numbers


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
    pairs: list[Pair] = field(default_factory=list)  # intermediate solutions only
    search: Search = field(default_factory=lambda: Search(1))

    @property
    def names(self) -> list[str]:
        return self.tt.conditions

    @property
    def outcome(self) -> str:
        """As R writes it: SURV, ~SURV; SURV[1] when the table is multi-value."""
        out = self.tt.outcome
        if self.tt.mv and "[" not in out and "{" not in out:
            return f"{out.lstrip('~').strip()}[{0 if out.startswith('~') else 1}]"
        return out

    def term(self, t: Term) -> str:
        return term_string(t, self.names, self.tt.mv)

    def siblings(self, model: Model) -> list[Model]:
        """The models of the same solution (of the same pair, for intermediate ones)."""
        return [m for m in self.models if m.label == model.label]

    def expression(self, model: Model) -> str:
        essential = [self.term(t) for t in model.essential]
        rest = [self.term(t) for t in model.terms if t not in model.essential]
        if len(self.siblings(model)) > 1 and rest and essential:
            return " + ".join([*essential, f"({' + '.join(rest)})"])
        return " + ".join(essential + rest)

    def arrow(self, model: Model) -> str:
        return "<=>" if round(model.fit["covS"], 3) >= 1 else "=>"

    def groups(self) -> list[tuple[list[str], list[Model]]]:
        """Intermediate pairs that reach the same models, together, as R prints them
        ("From C1P1, C1P3:"); one group of all models otherwise."""
        if self.kind != "intermediate":
            return [([], self.models)]
        out: list[tuple[list[str], list[Model]]] = []
        for pair in self.pairs:
            models = [m for m in self.models if m.label == pair.label]
            key = [self.expression(m) for m in models]
            for labels, seen in out:
                if [self.expression(m) for m in seen] == key:
                    labels.append(pair.label)
                    break
            else:
                out.append(([pair.label], models))
        return out

    def lines(self) -> list[str]:
        out = []
        for labels, models in self.groups():
            if labels:
                out.append(f"From {', '.join(labels)}:")
            out += [f"{m.name}: {self.expression(m)} {self.arrow(m)} {self.outcome}" for m in models]
        return out

    def chart(self) -> dict[str, list[int]]:
        """The prime implicant chart: each PI and the positive rows it covers."""
        space = self.tt.space
        table = space.table([c - 1 for c in self.chart_columns])
        return {self.term(t): [c for c, hit in zip(self.chart_columns, space.covered(t, table),
                                                   strict=True) if hit]
                for t in self.primes}

    def term_table(self, models: list[Model]) -> list[dict]:
        """Every term of these models: its fit, its unique coverage among all of them (R's
        covU when models are ambiguous) and within each model that has it (R's (M1) …)."""
        used = sorted({t for m in models for t in m.terms}, key=r_order)
        among = _unique_coverage(used, {t: membership(t, self.tt.x, self.tt.levels) for t in used},
                                 self.tt.y) if len(models) > 1 else models[0].term_cov_u
        return [{"term": self.term(t), **_rounded(self.term_fit[t]), "covU": _r(among[t]),
                 "models": {m.name: _r(m.term_cov_u[t]) for m in models if t in m.terms}}
                for t in used]

    def _model_dict(self, m: Model) -> dict:
        return {
            "name": m.name,
            "label": m.label,
            "expression": self.expression(m),
            "terms": [{"term": self.term(t), "essential": t in m.essential,
                       **_rounded(self.term_fit[t]), "covU": _r(m.term_cov_u[t])}
                      for t in m.terms],
            "fit": _rounded(m.fit),
            "simplifying_assumptions": m.simplifying_assumptions,
        }

    def as_dict(self) -> dict:
        out = {
            "kind": self.kind,
            "outcome": self.outcome,
            "conditions": self.names,
            "options": self.options,
            "prime_implicants": [self.term(t) for t in self.primes],
            "chart": self.chart(),
            "models": [self._model_dict(m) for m in self.models],
            "terms": self.term_table(self.models) if self.kind != "intermediate" else [],
            "search": self.search.as_dict(),
            "note": self.search.note(),
        }
        if self.kind == "intermediate":
            out["pairs"] = [{"label": p.label, "conservative": p.conservative,
                             "parsimonious": p.parsimonious,
                             "easy_counterfactuals": p.easy_counterfactuals,
                             "terms": self.term_table([m for m in self.models
                                                       if m.label == p.label])}
                            for p in self.pairs]
        return out

    def __str__(self) -> str:
        note = self.search.note()
        out = ([note, ""] if note else []) + self.lines()
        width = self._width()
        for labels, models in self.groups():
            for m in models:
                head = f"{'':3}{'':<{width}}  inclS   PRI    covS   covU"
                title = m.name + (f" (from {', '.join(labels)})" if labels else "")
                out += ["", title, head]
                for j, t in enumerate(m.terms, start=1):
                    f = self.term_fit[t]
                    out.append(f"{j:<3}{self.term(t):<{width}}  {f['inclS']:.3f}  {f['PRI']:.3f}  "
                               f"{f['covS']:.3f}  {m.term_cov_u[t]:.3f}")
                out.append(f"{'':3}{m.name:<{width}}  {m.fit['inclS']:.3f}  "
                           f"{m.fit['PRI']:.3f}  {m.fit['covS']:.3f}")
            if len(models) > 1:
                table = self.term_table(models)
                names = [m.name for m in models]
                out += ["", f"{'':3}{'':<{width}}  inclS   PRI    covS   covU  "
                        + "  ".join(f"({n})" for n in names)]
                for j, row in enumerate(table, start=1):
                    per = "  ".join(f"{row['models'][n]:.3f}" if n in row["models"] else " " * 5
                                    for n in names)
                    out.append(f"{j:<3}{row['term']:<{width}}  {row['inclS']:.3f}  "
                               f"{row['PRI']:.3f}  {row['covS']:.3f}  {row['covU']:.3f}  {per}")
        return "\n".join(out)

    def _width(self) -> int:
        return max([len(self.term(t)) for t in self.term_fit] + [4])


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


_OLD_WAY = re.compile(r"^\s*[^=,]+=")


def _split_outside_brackets(text: str, sep: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += ch in "[{"
        depth -= ch in "]}"
        if ch in sep and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    return [p.strip() for p in [*parts, cur] if p.strip()]


DirExp = list[dict[int, int]]  # terms: condition index → the value expected


def parse_dir_exp(dir_exp, names: list[str], levels: list[int] | None = None) -> DirExp:
    """Directional expectations as R QCA takes them, as terms: "DEV, ~STB" (present, absent),
    conjunctural "~LIT*IND", multi-value "DEV[1,2]"; or the older forms {"A": 1, "B": 0},
    "A=1,B=0,C=-" ("-" is don't care; "DEV=1;2" for several values). Simplified as R does
    (admisc::simplify): "DEV + DEV*STB" is "DEV"; "DEV + ~DEV" expects nothing at all."""
    levels = list(levels) if levels else [2] * len(names)
    index = {n: j for j, n in enumerate(names)}

    def check(name: str, value: str) -> int:
        if name not in index:
            raise QCAError(f"dir_exp: {name!r} is not one of the conditions ({', '.join(names)})")
        try:
            v = int(float(value))
        except ValueError:
            raise QCAError(f"dir_exp: {name}={value!r}; use 1, 0 or - (don't care)") from None
        if not 0 <= v < levels[index[name]]:
            raise QCAError(f"dir_exp: {name} has no value {value} in the data "
                           f"(values 0 to {levels[index[name]] - 1})")
        return v

    if isinstance(dir_exp, str):
        # as pasted from R: c(DEV, STB, ~LIT*IND)
        dir_exp = re.sub(r"^\s*c\s*\((.*)\)\s*$", r"\1", dir_exp, flags=re.S)
    terms: list[list[tuple[int, list[int]]]] = []
    if isinstance(dir_exp, Mapping) or _OLD_WAY.match(str(dir_exp)):
        items = (dict(dir_exp) if isinstance(dir_exp, Mapping) else
                 dict((k.strip(), v.strip()) for k, v in (p.split("=", 1) for p in
                                                          str(dir_exp).split(",") if p.strip())))
        for key, value in items.items():
            if key not in index:
                raise QCAError(f"dir_exp: {key!r} is not one of the conditions ({', '.join(names)})")
            values = value if isinstance(value, list | tuple) else str(value).split(";")
            kept = [check(key, str(v)) for v in values if str(v).strip() not in ("-", "None", "dc")]
            if kept:
                terms.append([(index[key], kept)])
    else:
        for term in _split_outside_brackets(str(dir_exp), ",+"):
            literals = []
            for lit in (x.strip() for x in term.split("*")):
                match = re.match(r"^(~?)\s*([^\[\]{}~]+?)\s*(?:[\[{]([^\]}]*)[\]}])?$", lit)
                if not match:
                    raise QCAError(f"dir_exp: {lit!r} is not a condition, ~condition or "
                                   "condition[value]")
                tilde, name, bracket = match.groups()
                if name not in index:
                    raise QCAError(f"dir_exp: {name!r} is not one of the conditions "
                                   f"({', '.join(names)})")
                j = index[name]
                if bracket is not None:
                    values = [check(name, v) for v in bracket.split(",") if v.strip()]
                    if tilde:
                        values = [v for v in range(levels[j]) if v not in values]
                elif levels[j] > 2:
                    raise QCAError(f"dir_exp: {name} is multi-value; write the expected value "
                                   f"in square brackets, as {name}[{levels[j] - 1}]")
                else:
                    values = [0 if tilde else 1]
                literals.append((j, values))
            terms.append(literals)
    expanded: DirExp = []
    for term in terms:
        combos: list[dict[int, int]] = [{}]
        for j, values in term:
            combos = [{**c, j: v} for c in combos for v in values
                      if c.get(j, v) == v]
        expanded += [c for c in combos if c]
    return _simplify_expectations(expanded, levels, names)


def _simplify_expectations(terms: DirExp, levels: list[int], names: list[str]) -> DirExp:
    """The minimal sum of products of the expectations, over the conditions they name."""
    if not terms:
        return []
    used = sorted({j for t in terms for j in t})
    space = Space(tuple(levels[j] for j in used))
    if space.size > 2 ** 16:
        return terms
    table = space.table(range(space.size))
    on = np.zeros(space.size, dtype=bool)
    for t in terms:
        on |= space.covered(tuple(t.get(j, -1) for j in used), table)
    if on.all():
        raise QCAError("dir_exp: the directional expectations cancel each other out "
                       "(every configuration is expected)")
    rows = np.flatnonzero(on)
    primes = sorted(primes_within_levels([tuple(int(v) for v in table[r]) for r in rows],
                                         space.levels), key=r_order)
    chart = []
    for p in primes:
        hit = space.covered(p, table[rows])
        chart.append(sum(1 << i for i in np.flatnonzero(hit).tolist()))
    covers, _ = _min_covers(chart, (1 << len(rows)) - 1)
    if len(covers) > 1:
        raise QCAError("dir_exp: ambiguous directional expectations (they simplify in "
                       f"{len(covers)} equally short ways); state them more simply")
    return [{used[j]: v for j, v in enumerate(primes[i]) if v >= 0} for i in sorted(covers[0])]


def minimize(tt: TruthTable, include: str = "", dir_exp=None, row_dom: bool = False,
             all_sol: bool = False, max_steps: int = MAX_STEPS,
             time_limit: float = TIME_LIMIT) -> Solution:
    """Minimise the positive rows of a truth table.

    include="" gives the conservative (complex) solution; "?" adds the logical remainders
    (parsimonious); with `dir_exp` as well, the intermediate solutions from the easy
    counterfactuals, one per conservative × parsimonious model (C1P1, C1P2, …), as R does.
    Every minimal model is returned when several explain equally well, up to MAX_MODELS;
    the search of each chart stops after `time_limit` seconds and `Solution.search` says
    how far it went (see Search.note).
    """
    inc = _parse_include(include)
    space = tt.space
    positives = sorted(tt.row_numbers("1"))
    if not positives:
        raise QCAError(f"there are no positive configurations for {tt.outcome} at these cut-offs "
                       "(lower incl_cut or check the outcome)")
    expectations = None
    if dir_exp is not None:
        if "?" not in inc:
            raise QCAError("dir_exp: intermediate solutions need include=\"?\" (the remainders)")
        expectations = parse_dir_exp(dir_exp, tt.conditions, tt.levels)
    allowed_observed = set(positives) | (tt.row_numbers("C") if "C" in inc else set())
    off_observed = (tt.row_numbers("0") | tt.row_numbers("C")) - allowed_observed
    if "?" in inc:
        if not off_observed:
            # Nothing to avoid: every condition drops out and the "solution" is the
            # tautology 1. R refuses this too, rather than report that everything explains it.
            raise QCAError(f"every configuration is either positive for {tt.outcome} or a "
                           "remainder, so all conditions minimise away; check the truth table "
                           "(raise incl_cut, or leave out the remainders)")
        primes = _primes_avoiding(positives, off_observed, space)
    else:
        primes = _primes_within(allowed_observed, space)
    primes = _relevant(primes, positives, space)
    options = {"include": include, "dir_exp": dir_exp, "row_dom": row_dom, "all_sol": all_sol,
               "max_steps": max_steps, "time_limit": time_limit}
    solution = _solve(tt, "parsimonious" if "?" in inc else "conservative", primes, positives,
                      row_dom, all_sol, options)
    if any(all(v < 0 for v in t) for m in solution.models for t in m.terms):
        raise QCAError(f"the configurations used cover every combination of the conditions, so "
                       f"all conditions minimise away for {tt.outcome}; check the truth table")
    if "?" in inc:
        for m in solution.models:
            m.simplifying_assumptions = _assumptions(m.terms, tt)
    if expectations is None:
        return solution
    conservative = minimize(tt, ",".join(sorted(inc - {"?"})), None, row_dom, all_sol, max_steps,
                            time_limit)
    return _intermediate(tt, conservative, solution, expectations, row_dom, all_sol, options)


def _primes_within(allowed, space: Space) -> list[Term]:
    if space.binary:
        return [from_bits(m, v, space.k) for m, v in primes_within(allowed, space.k)]
    return list(primes_within_levels([space.values(r) for r in allowed], space.levels))


def _primes_avoiding(positives, off, space: Space) -> list[Term]:
    if space.binary:
        return [from_bits(m, v, space.k) for m, v in primes_avoiding(positives, off, space.k)]
    return list(primes_avoiding_levels(space.table(sorted(positives)), space.table(sorted(off))))


def _relevant(primes: list[Term], positives: list[int], space: Space) -> list[Term]:
    return sorted((t for t, hits in zip(primes, _chart(primes, positives, space), strict=True)
                   if hits), key=r_order)


def _chart(primes: list[Term], positives: list[int], space: Space) -> list[int]:
    """Each term's positive rows as a bitmask (bit j: the j-th positive row)."""
    if space.binary:
        pos = np.array(positives, dtype=np.int64)
        out = []
        for t in primes:
            mask, value = to_bits(t)
            hit = ((pos & mask) == value)[::-1]
            out.append(int.from_bytes(np.packbits(hit).tobytes(), "big") >> (-len(pos) % 8))
        return out
    table = space.table(positives)
    return [sum(1 << int(i) for i in np.flatnonzero(space.covered(t, table))) for t in primes]


MAX_ASSUMPTION_ROWS = 2 ** 16


def _assumptions(terms: list[Term], tt: TruthTable) -> list[int] | None:
    """Remainders the model's terms cover: the simplifying assumptions it made.

    None beyond MAX_ASSUMPTION_ROWS configurations, where they can number in the millions.
    """
    space = tt.space
    if space.size > MAX_ASSUMPTION_ROWS:
        return None
    if space.binary:
        every = np.arange(space.size, dtype=np.int64)
        covered = np.zeros(every.size, dtype=bool)
        for t in terms:
            mask, value = to_bits(t)
            covered |= (every & mask) == value
    else:
        table = space.table(range(space.size))
        covered = np.zeros(space.size, dtype=bool)
        for t in terms:
            covered |= space.covered(t, table)
    covered[[r.number - 1 for r in tt.rows if r.out != "?"]] = False
    return (np.flatnonzero(covered) + 1).tolist()


def _min_covers_search(chart: list[int], target: int, max_steps: int, deadline: float,
                       size: int | None = None) -> tuple[list[frozenset[int]], Search]:
    """The covers of `target` (bitmask of columns) of the smallest size, exactly; with
    `size` (known to be the smallest, e.g. from the integer programme), those of that size.

    Depth-first with iterative deepening. At each node we branch on the open column with
    the fewest candidate rows; the j-th branch excludes the rows of branches 1…j-1, so each
    cover is found once. A node is cut when its lower bound exceeds the depth left. The
    first MAX_MODELS covers are kept and the rest only counted, until the steps or the
    time run out; running out before any cover is found raises _SearchTooLong.
    """
    if target == 0:
        return [frozenset()], Search(1)
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
    count = 0

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

    steps = nodes = 0

    def rec(chosen: tuple[int, ...], open_cols: list[int], excluded: int, limit: int) -> None:
        nonlocal steps, nodes, count
        steps += 1 + len(open_cols) // 64  # a node over many open columns costs more
        nodes += 1
        if steps > max_steps or (nodes & 63 == 0 and time.monotonic() > deadline):
            raise _SearchTooLong(depth)
        if not open_cols:
            count += 1
            if len(best) < MAX_MODELS:
                best.append(frozenset(chosen))
            return
        if limit == 0 or lower_bound(open_cols, excluded) > limit:
            return
        col_opts = min((m & ~excluded for m in open_cols), key=int.bit_count)
        for i in rows_of(col_opts):
            rec(chosen + (i,), [m for m in open_cols if not m >> i & 1], excluded, limit - 1)
            excluded |= 1 << i

    depth = max(1, lower_bound(tight, 0)) if size is None else size
    complete = True
    while not best and depth <= (len(chart) if size is None else size):
        try:
            rec((), tight, 0, depth)
        except _SearchTooLong:
            if not best:
                raise
            complete = False
        depth += 1
    size = depth - 1
    return sorted(best, key=lambda s: sorted(s)), Search(count, complete, True, size, size)


class _SearchTooLong(Exception):
    """Out of steps or time at `depth`: every smaller cover has been ruled out."""

    def __init__(self, depth: int) -> None:
        self.depth = depth


def _min_covers(chart: list[int], target: int, max_steps: int = MAX_STEPS,
                time_limit: float = TIME_LIMIT) -> tuple[list[frozenset[int]], Search]:
    """The minimum covers: a direct search for small charts; when it runs out of steps, an
    integer programme (HiGHS) finds the minimum size and then each further model of that
    size with the earlier ones cut off. Both keep MAX_MODELS models and stop at the time
    limit, so the answer comes within about `time_limit` seconds at any size."""
    start = time.monotonic()
    deadline = start + time_limit
    try:
        # the direct search gets a fifth of the time: on a chart it cannot finish quickly
        # the integer programme does far better with the rest
        covers, search = _min_covers_search(chart, target, max_steps, start + time_limit / 5)
    except _SearchTooLong as stopped:
        covers, search = _min_covers_milp(chart, target, deadline)
        search.lower_bound = max(search.lower_bound, stopped.depth)
        if search.proven and not search.complete and time.monotonic() < deadline:
            # The programme stops at MAX_MODELS models. Knowing the size, the direct search
            # (steps and time allowed afresh) counts every cover of that size: how many
            # models there are, as R lists them, or at least how many it counted.
            try:
                counted, tally = _min_covers_search(chart, target, max_steps, deadline,
                                                    size=search.size)
            except _SearchTooLong:
                pass
            else:
                if tally.count > search.count or tally.complete:
                    covers = counted
                    search.count, search.complete = tally.count, tally.complete
    search.seconds = time.monotonic() - start
    search.time_limit = time_limit
    return covers, search


def _min_covers_milp(chart: list[int], target: int,
                     deadline: float) -> tuple[list[frozenset[int]], Search]:
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_matrix

    cols = [j for j in range(target.bit_length()) if target >> j & 1]
    position = {j: c_i for c_i, j in enumerate(cols)}
    rows, idx = [], []
    for i, c in enumerate(chart):
        c &= target
        while c:  # each term's few columns, not every column for every term
            bit = c & -c
            c ^= bit
            rows.append(position[bit.bit_length() - 1])
            idx.append(i)
    a = csr_matrix((np.ones(len(rows)), (rows, idx)), shape=(len(cols), len(chart)))
    n = len(chart)
    ones = np.ones(n)
    integrality = np.ones(n)
    bounds = Bounds(0, 1)
    cover = LinearConstraint(a, lb=1, ub=np.inf)

    def solve(constraints):
        left = max(deadline - time.monotonic(), 0.5)
        return milp(ones, constraints=constraints, integrality=integrality, bounds=bounds,
                    options={"time_limit": left})

    first = solve([cover])
    if first.x is None:
        # out of time before the programme found any cover: a greedy one still answers
        greedy = _greedy_cover(a)
        bound = first.mip_dual_bound if first.mip_dual_bound is not None else 1
        return [greedy], Search(1, False, False, len(greedy), max(1, int(np.ceil(bound - 1e-6))))
    size = int(round(first.fun))
    proven = first.status == 0
    bound = size if proven else int(np.ceil(first.mip_dual_bound - 1e-6))
    constraints = [cover, LinearConstraint(ones[None, :], lb=size, ub=size)]
    found: list[frozenset[int]] = []
    x = first.x
    complete = False
    while True:
        found.append(frozenset(int(i) for i in np.flatnonzero(x > 0.5)))
        if len(found) >= MAX_MODELS or time.monotonic() >= deadline:
            break
        cut = np.zeros(n)
        cut[list(found[-1])] = 1
        constraints.append(LinearConstraint(cut[None, :], lb=-np.inf, ub=size - 1))
        res = solve(constraints)
        if res.status == 2:  # infeasible: no further model of this size
            complete = True
            break
        if res.x is None:  # out of time
            break
        x = res.x
    search = Search(len(found), complete, proven, size, bound)
    return sorted(found, key=lambda s: sorted(s)), search


def _greedy_cover(a) -> frozenset[int]:
    """A cover, not necessarily minimal: the term covering most open columns, repeatedly,
    then any term the others make redundant dropped. `a` is columns x terms."""
    a = a.tocsc()
    at = a.T.tocsr()
    open_cols = np.ones(a.shape[0])
    chosen: list[int] = []
    while open_cols.any():
        best = int(np.argmax(at @ open_cols))
        chosen.append(best)
        open_cols[a[:, best].indices] = 0
    times = np.asarray(a[:, chosen].sum(axis=1)).ravel()
    for i in reversed(chosen[:]):
        rows = a[:, i].indices
        if (times[rows] > 1).all():
            times[rows] -= 1
            chosen.remove(i)
    return frozenset(chosen)


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
    chart = _chart(primes, positives, tt.space)
    candidates = list(range(len(primes)))
    if row_dom:
        candidates = [i for i in candidates
                      if not any(j != i and chart[j] & chart[i] == chart[i] and chart[j] != chart[i]
                                 for j in candidates)]
    target = (1 << len(positives)) - 1
    # Terms the chart forces (a positive row only they cover) are in every model; the
    # search only has to choose among the rest.
    coverers: list[list[int]] = [[] for _ in positives]
    for i in candidates:
        c = chart[i]
        while c:
            bit = c & -c
            c ^= bit
            coverers[bit.bit_length() - 1].append(i)
    forced = []
    for covering in coverers:
        if len(covering) == 1 and covering[0] not in forced:
            forced.append(covering[0])
    covered = cov_without(chart, frozenset(forced))
    rest = [i for i in candidates if i not in forced]
    sub = [chart[i] for i in rest]
    remaining = target & ~covered
    if all_sol:
        picks = _irredundant_covers(sub, remaining)
        search = Search(len(picks))
    else:
        picks, search = _min_covers(sub, remaining, options.get("max_steps", MAX_STEPS),
                                    options.get("time_limit", TIME_LIMIT))
        search.size += len(forced)
        search.lower_bound += len(forced)
    if not picks:
        raise QCAError("the positive configurations cannot be covered (this is a bug)")
    y, x = tt.y, tt.x
    chosen = [{primes[i] for i in forced} | {primes[rest[i]] for i in pick} for pick in picks]
    # memberships only of the terms used: a chart at 16 conditions can hold 100,000 primes
    used_terms = set().union(*chosen)
    term_m = {t: membership(t, x, tt.levels) for t in used_terms}
    term_fit = {t: sufficiency(term_m[t], y) for t in used_terms}
    # R's "essential": a term in every model (writeSolution), listed first and unbracketed
    essential = sorted(set.intersection(*chosen), key=r_order)
    models = []
    for n, terms in enumerate(chosen, start=1):
        others = sorted(terms - set(essential), key=r_order)
        models.append(_model(essential + others, essential, term_m, y, label, f"M{n}"))
    used = sorted({t for m in models for t in m.terms}, key=r_order)
    all_cov_u = _unique_coverage(used, term_m, y)
    return Solution(tt, kind, primes, [p + 1 for p in positives], models,
                    {t: term_fit[t] for t in used}, all_cov_u, options, search=search)


def _unique_coverage(terms: list[Term], term_m: dict, y: np.ndarray) -> dict[Term, float]:
    """Each term's coverage beyond all the others (covU): covS of the union less covS of the
    union without it. The union without a term is the largest membership of the others,
    found from each case's two largest memberships rather than term by term."""
    if not terms:
        return {}
    total = y.sum()
    if len(terms) == 1 or not total:
        return {terms[0]: sufficiency(term_m[terms[0]], y)["covS"]} if len(terms) == 1 else \
            {t: float("nan") for t in terms}
    m = np.array([term_m[t] for t in terms])
    top2 = -np.partition(-m, 1, axis=0)[:2]
    first, second = top2[0], top2[1]
    whole = np.minimum(first, y).sum()
    return {t: float((whole - np.minimum(np.where(m[i] >= first, second, first), y).sum())
                     / total)
            for i, t in enumerate(terms)}


def _model(terms, essential, term_m, y, label, name) -> Model:
    m = np.max([term_m[t] for t in terms], axis=0)
    return Model(terms, list(essential), sufficiency(m, y), _unique_coverage(terms, term_m, y),
                 label=label, name=name)


def _intermediate(tt: TruthTable, conservative: Solution, parsimonious: Solution,
                  expectations: DirExp, row_dom: bool, all_sol: bool, options: dict) -> Solution:
    """One intermediate solution per conservative model Ci and parsimonious model Pj (R's
    CiPj), by R's rule (C_getEC in QCA 3.25): each conservative term is compared with every
    parsimonious term it lies within; the literals it has beyond that term that go against
    the expectations are dropped, and the remainders Pj assumed that fall within what is
    left are the easy counterfactuals. The positive rows with those are minimised again."""
    space = tt.space
    positives = sorted(tt.row_numbers("1"))
    single = [e for e in expectations if len(e) == 1]
    conjunctural = [e for e in expectations if len(e) > 1]
    models: list[Model] = []
    pairs: list[Pair] = []
    primes_all: list[Term] = []
    term_fit: dict = {}
    cov_u: dict = {}
    searches = [conservative.search, parsimonious.search]
    for ci, cm in enumerate(conservative.models, start=1):
        for pj, pm in enumerate(parsimonious.models, start=1):
            label = f"C{ci}P{pj}"
            if pm.simplifying_assumptions is None:
                raise QCAError(f"intermediate solutions are limited to {MAX_ASSUMPTION_ROWS:,} "
                               "configurations here (their remainders are listed one by one)")
            sa = pm.simplifying_assumptions
            sa_table = space.table([r - 1 for r in sa]) if sa else np.empty((0, space.k), np.int64)
            easy = np.zeros(len(sa), dtype=bool)
            for comp in cm.terms:
                for pars in pm.terms:
                    if any(p >= 0 and p != c for p, c in zip(pars, comp, strict=True)):
                        continue
                    beyond = [j for j in range(space.k) if comp[j] >= 0 and pars[j] < 0]
                    res = list(comp)
                    for j in beyond:
                        wanted = [e[j] for e in single if j in e]
                        if wanted and comp[j] not in wanted:
                            res[j] = -1
                    # As R does: each conjunctural expectation starts again from the
                    # conservative term, so the last one decides.
                    for e in conjunctural:
                        res = list(comp)
                        if not all(e[j] == comp[j] for j in beyond if j in e):
                            for j in beyond:
                                if j in e:
                                    res[j] = -1
                    if len(sa):
                        easy |= space.covered(tuple(res), sa_table)
            ec = [r for r, e in zip(sa, easy, strict=True) if e]
            pairs.append(Pair(label, conservative.expression(cm), parsimonious.expression(pm), ec))
            if not expectations or not sa:
                primes = conservative.primes
            else:
                allowed = set(positives) | {r - 1 for r in ec}
                primes = _relevant(_primes_within(allowed, space), positives, space)
            solution = _solve(tt, "intermediate", primes, positives, row_dom, all_sol, options,
                              label=label)
            for m in solution.models:
                m.simplifying_assumptions = ec
            searches.append(solution.search)
            models += solution.models
            primes_all += [p for p in primes if p not in primes_all]
            term_fit.update(solution.term_fit)
            cov_u.update(solution.term_cov_u)
    # the pairs multiply whatever the searches left out: say so if any of them stopped early
    search = Search(len(models), all(x.complete for x in searches), all(x.proven for x in searches),
                    max(x.size for x in searches), max(x.lower_bound for x in searches),
                    sum(x.seconds for x in searches), options.get("time_limit", TIME_LIMIT))
    return Solution(tt, "intermediate", sorted(primes_all, key=r_order),
                    [p + 1 for p in positives], models, term_fit, cov_u, options, pairs, search)
