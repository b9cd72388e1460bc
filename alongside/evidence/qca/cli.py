"""`alongside qca …`: QCA from a CSV file, as a readable table or one JSON object.

    alongside qca truth-table LC.csv --outcome SURV --conditions DEV,URB,LIT,IND,STB
    alongside qca minimize LF.csv --outcome SURV --incl-cut 0.8 --include ? --dir-exp "DEV, ~STB, ~LIT*IND"
    alongside qca necessity CVF.csv --outcome PROTEST --conditions GEOCON,~NATPRIDE
    alongside qca necessity CVF.csv --outcome PROTEST --search --incl-cut 0.9 --cov-cut 0.6
    alongside qca calibrate CVR.csv --conditions DEMOC --thresholds e=2,c=5,i=8

The JSON shapes are documented in docs/qca-json.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Callable

from .calibrate import calibrate
from .data import QCAError, read_csv
from .minimize import minimize
from .necessity import necessity, super_subset
from .truth_table import truth_table


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="alongside qca", description="Qualitative comparative analysis.")
    p.add_argument("verb", choices=["truth-table", "minimize", "necessity", "calibrate"])
    p.add_argument("data", help="CSV file; first column holds case names")
    p.add_argument("--outcome", help="outcome column; ~OUT for its negation")
    p.add_argument("--conditions", help="comma-separated conditions (expressions for necessity)")
    p.add_argument("--incl-cut", default="1", help="inclusion cut-off, or two: 0.8,0.75")
    p.add_argument("--n-cut", type=int, default=1)
    p.add_argument("--pri-cut", type=float, default=0)
    p.add_argument("--cov-cut", type=float, default=0, help="coverage cut-off (necessity --search)")
    p.add_argument("--include", default="",
                   help='"?" adds remainders (parsimonious); "?,C" also contradictions')
    p.add_argument("--dir-exp", help="directional expectations for the intermediate solution, "
                   "as R's c(DEV, ~STB, ~LIT*IND); DEV[1,2] for values of a multi-value "
                   "condition; the older A=1,B=0,C=- is read too")
    p.add_argument("--row-dom", action="store_true", help="apply row dominance to the PI chart")
    p.add_argument("--all-sol", action="store_true", help="all irredundant models, not only minimal ones")
    p.add_argument("--max-steps", type=int, default=1_000_000,
                   help="steps of direct search before the chart is handed to an integer programme "
                        "(both exact)")
    p.add_argument("--time-limit", type=float, default=60,
                   help="seconds to search for equally minimal models (default 60); the answer "
                        "then says how far it got")
    p.add_argument("--complete", action="store_true", help="list remainder rows too")
    p.add_argument("--sort-by", help='e.g. "incl, n" (decreasing) or "n+" (increasing)')
    p.add_argument("--search", action="store_true", help="necessity: search conjunctions and disjunctions")
    p.add_argument("--thresholds",
                   help="calibrate: e=..,c=..,i=.. (fuzzy s-shape), e1=..,c1=..,i1=..,i2=..,c2=..,e2=.. "
                        "(bell, triangle, trapezoid; i1,c1,e1,e2,c2,i2 for a valley) or cut points "
                        "(crisp, indirect); write --thresholds=-5,0,5 when the first is negative")
    p.add_argument("--type", choices=["fuzzy", "crisp"], default="fuzzy", help="calibrate: set type")
    p.add_argument("--method", choices=["direct", "indirect", "TFR"], default="direct",
                   help="calibrate: fuzzy method, as R's calibrate(method=...)")
    p.add_argument("--idm", type=float, default=0.95,
                   help="calibrate: membership at the inclusion anchor of the logistic curve")
    p.add_argument("--linear", action="store_true",
                   help="calibrate: linear s-shape instead of the logistic (R: logistic = FALSE)")
    p.add_argument("--below", type=float, default=1.0,
                   help="calibrate: exponent bending the linear curve below the crossover")
    p.add_argument("--above", type=float, default=1.0,
                   help="calibrate: exponent bending the linear curve above the crossover")
    p.add_argument("--ecdf", action="store_true",
                   help="calibrate: with --linear, follow the empirical distribution (R: ecdf = TRUE)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    return p


def _split(text: str | None) -> list[str] | None:
    return [c.strip() for c in text.split(",") if c.strip()] if text else None


def _incl_cut(text: str) -> float | list[float]:
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        raise QCAError(f"--incl-cut: {text!r} is not a number (or two numbers)") from None
    return values[0] if len(values) == 1 else values


def _clean(obj):
    """JSON has no NaN: an undefined ratio (0/0) is written as null."""
    if isinstance(obj, float) and math.isnan(obj):
        return None
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    return obj


def run(argv: list[str]) -> tuple[dict, Callable[[], str]]:
    """The verb's result as (JSON-ready object, a function writing the readable text).

    The text is only written when asked for: at many conditions the table is long to build.
    """
    args = _parser().parse_args(argv)
    data = read_csv(args.data)
    needs_outcome = args.verb != "calibrate"
    if needs_outcome and not args.outcome:
        raise QCAError("--outcome is required")
    conditions = _split(args.conditions)
    if args.verb == "truth-table":
        tt = truth_table(data, args.outcome, conditions, _incl_cut(args.incl_cut), args.n_cut,
                         args.pri_cut, args.complete, args.sort_by)
        return tt.as_dict(), tt.__str__
    if args.verb == "minimize":
        tt = truth_table(data, args.outcome, conditions, _incl_cut(args.incl_cut), args.n_cut,
                         args.pri_cut, sort_by=args.sort_by)
        sol = minimize(tt, args.include, args.dir_exp, args.row_dom, args.all_sol, args.max_steps,
                       args.time_limit)
        return {"truth_table": tt.as_dict(), "solution": sol.as_dict()}, sol.__str__
    if args.verb == "necessity":
        if args.search:
            cut = _incl_cut(args.incl_cut)
            rows = super_subset(data, args.outcome, conditions,
                                cut if isinstance(cut, float) else cut[0], args.cov_cut)
        else:
            if not conditions:
                raise QCAError("--conditions is required (or use --search)")
            rows = necessity(data, args.outcome, conditions)
        width = max([len(r["expression"]) for r in rows] + [10])
        text = "\n".join([f"{'':{width}}  inclN    RoN   covN"] + [
            f"{r['expression']:<{width}}  {r['inclN']:.3f}  {r['RoN']:.3f}  {r['covN']:.3f}"
            for r in rows])
        return {"outcome": args.outcome, "necessity": rows}, lambda: text
    # calibrate
    if not conditions:
        raise QCAError("calibrate needs --conditions (the columns to calibrate)")
    if not args.thresholds and args.method != "TFR":
        raise QCAError("calibrate needs --thresholds (only --method TFR works without them)")
    result = {name: _calibrate_column(data, name, args) for name in conditions}
    lines = [",".join(["case", *conditions])] + [
        ",".join([case, *(f"{result[c][i]:.3f}" if args.type == "fuzzy" else f"{result[c][i]:g}"
                          for c in conditions)])
        for i, case in enumerate(data.cases)]
    return {"cases": data.cases, "calibrated": result}, lambda: "\n".join(lines)


def _calibrate_column(data, name: str, args: argparse.Namespace) -> list[float]:
    try:
        return calibrate(data.column(name), args.type, args.thresholds, logistic=not args.linear,
                         idm=args.idm, below=args.below, above=args.above, method=args.method,
                         ecdf=args.ecdf).tolist()
    except QCAError as e:
        # Several columns share one set of options: say which column the options failed on.
        raise QCAError(f"calibrate, column {name}: {str(e).removeprefix('calibrate: ')}") from None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        obj, text = run(argv)
    except QCAError as e:
        print(f"alongside qca: {e}", file=sys.stderr)
        return 2
    try:
        if _parser().parse_args(argv).json:
            print(json.dumps(_clean(obj), ensure_ascii=False))
        else:
            print(text())
        sys.stdout.flush()
    except BrokenPipeError:
        # Piped into `head`: the reader has what it wanted. Point stdout at nothing so the
        # interpreter's own flush at exit does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
