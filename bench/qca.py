"""Benchmark: QCA from a CSV file, whole process, against its targets and against R QCA.

    python bench/qca.py                     # the grid: 6/8/10/12/16/20 conditions × 1k/10k/100k
    python bench/qca.py --quick             # 6/8/10 conditions × 1k/10k/100k
    python bench/qca.py --conditions 6 --cases 100000      # one cell
    python bench/qca.py --against-r         # R QCA side by side, when Rscript has it
    python bench/qca.py --noise 0.2 --time-limit 10        # noisy data; the search's own limit

Each cell writes seeded random crisp data to a CSV file (the outcome follows a random rule of
three conjunctions of two or three literals, with 2% of cases flipped, so rows can contradict;
incl_cut 0.9 keeps rows whose cases mostly agree) and times, as a user would run them, whole
processes reading that file: `python -m alongside.evidence.qca minimize FILE --outcome OUT
--incl-cut 0.9 --include ? --json` (the median of --repeat runs), and, for the floor no
analysis can go below, a process that only imports the library and reads the file ("read s").

Targets (the "Fast at every size" issue): at least 10 times faster than R QCA in every cell,
and 100,000 cases × 6 conditions in under 0.5 s. With --against-r, R runs truthTable() and
minimize(include = "?") on the same file (whole process, median of --repeat) and the models
are compared; without R the 10× target cannot be checked and the table says so.

"models" reads 100+ when the search stopped at its time limit having counted at least that
many equally minimal models, and "1 of 72 terms (>= 70)" when it could not prove within the
limit that no smaller model exists.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
TARGET_VS_R = 10  # times faster than R QCA, in every cell
ABSOLUTE_TARGETS = {(6, 100_000): 0.5}  # (conditions, cases): seconds, whole process

R_SCRIPT = r"""
suppressPackageStartupMessages(library(QCA))
args <- commandArgs(trailingOnly = TRUE)
data <- read.csv(args[1], row.names = 1, check.names = FALSE)
conditions <- setdiff(colnames(data), "OUT")
tt <- truthTable(data, outcome = "OUT", conditions = conditions,
                 incl.cut = as.numeric(args[2]))
sol <- minimize(tt, include = "?")
cat("QCA", as.character(packageVersion("QCA")), "\n")
for (model in sol$solution) cat(paste(model, collapse = " + "), "\n", sep = "")
"""


def make_data(k: int, n: int, seed: int, noise: float = 0.02):
    from alongside.evidence.qca import from_columns

    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2, size=(n, k))
    out = np.zeros(n, dtype=bool)
    for _ in range(3):
        cols = rng.choice(k, size=int(rng.integers(2, 4)), replace=False)
        vals = rng.integers(0, 2, size=len(cols))
        out |= np.all(x[:, cols] == vals, axis=1)
    flip = rng.random(n) < noise
    out = out ^ flip
    names = [f"C{j + 1}" for j in range(k)]
    columns = {name: x[:, j].tolist() for j, name in enumerate(names)}
    columns["OUT"] = out.astype(int).tolist()
    return from_columns([str(i) for i in range(n)], columns), names


def write_csv(data, path: Path) -> None:
    """The data as R's write.csv would have them: case names first, 0/1 scores."""
    names = list(data.columns)
    table = np.column_stack([data.columns[c] for c in names]).astype(np.int64)
    lines = [",".join(["case", *names])]
    lines += [case + "," + ",".join(map(str, row)) for case, row in zip(data.cases, table.tolist(),
                                                                         strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def r_available(which=shutil.which, run=subprocess.run) -> tuple[bool, str]:
    """(True, "R QCA 3.23") when Rscript and its QCA package are there; (False, why) if not."""
    if not which("Rscript"):
        return False, "Rscript is not on PATH: R QCA skipped"
    try:
        r = run(["Rscript", "-e", "library(QCA); cat(as.character(packageVersion('QCA')))"],
                capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        return False, f"Rscript did not run ({e}): R QCA skipped"
    if r.returncode != 0:
        return False, "R has no QCA package (Rscript -e 'library(QCA)' failed): R QCA skipped"
    return True, f"R QCA {r.stdout.strip().split()[-1] if r.stdout.strip() else '?'}"


def normalise_model(text: str, names: list[str]) -> frozenset[str]:
    """A model as a set of terms in one spelling: "~C1*C2 + c3" → {"~C1*C2", "~C3"} (older R
    QCA writes a negated condition in lower case)."""
    upper = {n.lower(): n for n in names}
    terms = []
    for term in text.split("+"):
        literals = []
        for lit in (x.strip() for x in term.strip().split("*")):
            if lit and lit not in names and not lit.startswith("~") and lit in upper:
                lit = "~" + upper[lit]
            literals.append(lit)
        terms.append("*".join(literals))
    return frozenset(t for t in terms if t)


def parse_r_output(stdout: str, names: list[str]) -> list[frozenset[str]]:
    return [normalise_model(line, names) for line in stdout.splitlines()
            if line.strip() and not line.startswith("QCA ")]


def compare_models(ours: list[frozenset[str]], count: int, complete: bool,
                   r_models: list[frozenset[str]]) -> str:
    """Do both find the same solution? Ours lists at most the first 100 of `count` models."""
    theirs = set(r_models)
    if not r_models:
        return "R gave no model"
    if not set(ours) <= theirs:
        return f"DIFFERENT: {len(set(ours) - theirs)} of ours not among R's {len(theirs):,}"
    if complete and count != len(theirs):
        return f"DIFFERENT: {count:,} models here, {len(theirs):,} in R"
    if len(ours) == len(theirs):
        return f"same ({len(theirs):,} model{'s' if len(theirs) != 1 else ''})"
    if complete:
        return f"same ({count:,} models; the {len(ours)} listed are among R's)"
    return f"ours among R's ({len(ours)} listed, {count:,}+ counted, R {len(theirs):,})"


def timed_run(cmd: list[str], repeat: int, limit: float) -> tuple[float | None, str, str]:
    """Median wall-clock seconds of `repeat` runs (None past `limit`), last stdout and stderr."""
    times, out, err = [], "", ""
    for _ in range(repeat):
        t = time.perf_counter()
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=limit, cwd=ROOT)
        except subprocess.TimeoutExpired:
            return None, "", f"stopped at the {limit:g} s limit"
        times.append(time.perf_counter() - t)
        out, err = r.stdout, r.stderr
        if r.returncode != 0:
            return None, out, err.strip().splitlines()[-1] if err.strip() else f"exit {r.returncode}"
    return statistics.median(times), out, err


def models_text(search: dict) -> str:
    text = f"{search['models_found']:,}{'' if search['all_models_found'] else '+'}"
    if not search["minimal_proven"]:
        text += f" of {search['terms_per_model']} terms (>= {search['fewest_terms_possible']})"
    return text


def target(k: int, n: int, r_seconds: float | None) -> float | None:
    goals = [ABSOLUTE_TARGETS[(k, n)]] if (k, n) in ABSOLUTE_TARGETS else []
    if r_seconds is not None:
        goals.append(r_seconds / TARGET_VS_R)
    return min(goals) if goals else None


HEAD = (f"{'conditions':>10} {'cases':>8} {'rows':>6} {'PIs':>6} {'models':>8} {'read s':>7} "
        f"{'Alongside s':>11} {'target s':>8} {'met':>4} {'R s':>7} {'× R':>6}  models vs R")


def cell(k: int, n: int, args, r: bool, folder: Path) -> str:
    data, names = make_data(k, n, args.seed, args.noise)
    csv = folder / f"qca_{k}x{n}.csv"
    write_csv(data, csv)
    py = sys.executable
    read_s, _, _ = timed_run([py, "-c", "import sys; from alongside.evidence.qca import read_csv; "
                              "read_csv(sys.argv[1])", str(csv)], args.repeat, args.limit)
    ours_s, out, err = timed_run([py, "-m", "alongside.evidence.qca", "minimize", str(csv),
                                  "--outcome", "OUT", "--incl-cut", "0.9", "--include", "?",
                                  "--time-limit", f"{args.time_limit:g}", "--json"],
                                 args.repeat, args.limit)
    rows = pis = models = ""
    ours: list[frozenset[str]] = []
    count, complete = 0, False
    if ours_s is not None:
        obj = json.loads(out)
        rows, pis = f"{len(obj['truth_table']['rows']):,}", f"{len(obj['solution']['prime_implicants']):,}"
        search = obj["solution"]["search"]
        models = models_text(search)
        ours = [frozenset(t["term"] for t in m["terms"]) for m in obj["solution"]["models"]]
        count, complete = search["models_found"], search["all_models_found"]
    r_s, versus = None, "R not run"
    if r:
        script = folder / "qca.R"
        script.write_text(R_SCRIPT, encoding="utf-8")
        r_s, r_out, r_err = timed_run(["Rscript", str(script), str(csv), "0.9"], args.repeat,
                                      args.limit)
        if r_s is None:
            versus = f"R: {r_err}"
        elif ours_s is not None:
            versus = compare_models(ours, count, complete, parse_r_output(r_out, names))
    goal = target(k, n, r_s)
    met = "?" if goal is None or ours_s is None else ("yes" if ours_s <= goal else "NO")
    if ours_s is None:
        models = err[:40]
    return (f"{k:>10} {n:>8,} {rows:>6} {pis:>6} {models:>8} {_s(read_s):>7} {_s(ours_s):>11} "
            f"{_s(goal) if goal is not None else 'R/10':>8} {met:>4} {_s(r_s):>7} "
            f"{(f'{r_s / ours_s:.1f}' if r_s and ours_s else ''):>6}  {versus}")


def _s(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.2f}"


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true")
    p.add_argument("--conditions", help="comma-separated, e.g. 6,8")
    p.add_argument("--cases", help="comma-separated, e.g. 1000,100000")
    p.add_argument("--limit", type=float, default=120, help="seconds allowed per run")
    p.add_argument("--repeat", type=int, default=3, help="runs per figure (the median is shown)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--noise", type=float, default=0.02, help="share of cases flipped")
    p.add_argument("--time-limit", type=float, default=60, help="minimize --time-limit")
    p.add_argument("--against-r", action="store_true",
                   help="run R QCA on the same files when Rscript has the QCA package")
    args = p.parse_args(argv)
    conditions = ([int(c) for c in args.conditions.split(",")] if args.conditions
                  else [6, 8, 10] if args.quick else [6, 8, 10, 12, 16, 20])
    cases = ([int(c) for c in args.cases.split(",")] if args.cases
             else [1_000, 10_000, 100_000])
    r = False
    if args.against_r:
        r, why = r_available()
        print(why if not r else f"against {why}")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    print(f"Python start-up {time.perf_counter() - start:.2f} s (in every figure); "
          f"median of {args.repeat}; targets: {TARGET_VS_R}× faster than R QCA, "
          + ", ".join(f"{n:,} × {k} under {s:g} s" for (k, n), s in ABSOLUTE_TARGETS.items()))
    print(HEAD, flush=True)
    with tempfile.TemporaryDirectory(prefix="qca-bench-") as folder:
        for k in conditions:
            for n in cases:
                print(cell(k, n, args, r, Path(folder)), flush=True)


if __name__ == "__main__":
    main()
