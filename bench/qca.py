"""Benchmark: truth table + parsimonious minimisation on seeded random crisp data.

    python bench/qca.py                 # the full grid (8/12/16/20 conditions × 1k/10k/100k)
    python bench/qca.py --quick         # a smaller grid
    python bench/qca.py --limit 120     # seconds allowed per cell (default 120)
    python bench/qca.py --noise 0.2 --time-limit 10   # noisy data; the search's own limit

The outcome follows a random rule of three conjunctions (two or three literals each) with
2% of cases flipped, so rows can contradict (incl_cut 0.9 keeps rows whose cases mostly
agree): a QCA data set has structure and noise, unlike pure coin tosses.
Each cell runs in its own process and is stopped at the limit. "models" reads 100+ when the
search stopped at its time limit with at least that many equally minimal models, and
"1 of 72 terms (>= 70)" when it could not prove within the limit that no smaller model exists.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import time

import numpy as np


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


def cell(k: int, n: int, seed: int, noise: float, time_limit: float, queue) -> None:
    from alongside.evidence.qca import QCAError, minimize, truth_table

    data, names = make_data(k, n, seed, noise)
    t0 = time.perf_counter()
    tt = truth_table(data, "OUT", names, incl_cut=0.9)
    t1 = time.perf_counter()
    try:
        sol = minimize(tt, include="?", time_limit=time_limit)
    except QCAError as e:
        queue.put((t1 - t0, time.perf_counter() - t1, len(tt.rows), str(e).split(")")[0] + ")", 0))
        return
    t2 = time.perf_counter()
    found = sol.search
    models = (f"{found.count}{'' if found.complete else '+'}"
              f"{'' if found.proven else f' of {found.size} terms (>= {found.lower_bound})'}")
    queue.put((t1 - t0, t2 - t1, len(tt.rows), len(sol.primes), models))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true")
    p.add_argument("--limit", type=float, default=120)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--noise", type=float, default=0.02, help="share of cases flipped")
    p.add_argument("--time-limit", type=float, default=60, help="minimize(time_limit=...)")
    args = p.parse_args()
    conditions = [8, 12] if args.quick else [8, 12, 16, 20]
    cases = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    print(f"{'conditions':>10} {'cases':>8} {'rows':>7} {'PIs':>6} {'models':>6} "
          f"{'truth table s':>13} {'minimise s':>10} {'total s':>8}")
    for k in conditions:
        for n in cases:
            queue: mp.Queue = mp.Queue()
            proc = mp.Process(target=cell, args=(k, n, args.seed, args.noise, args.time_limit, queue))
            proc.start()
            proc.join(args.limit)
            if proc.is_alive():
                proc.terminate()
                proc.join()
                print(f"{k:>10} {n:>8,} {'':>7} {'':>6} {'':>6} {'':>13} "
                      f"{'> ' + str(int(args.limit)):>10} {'':>8}")
                continue
            t_tt, t_min, rows, pis, models = queue.get()
            if isinstance(pis, str):  # the chart was too complex to solve exactly
                print(f"{k:>10} {n:>8,} {rows:>7,} {'':>6} {'':>6} {t_tt:>13.2f} "
                      f"{t_min:>10.2f} {t_tt + t_min:>8.2f}  {pis}", flush=True)
                continue
            print(f"{k:>10} {n:>8,} {rows:>7,} {pis:>6,} {models:>6} {t_tt:>13.2f} "
                  f"{t_min:>10.2f} {t_tt + t_min:>8.2f}", flush=True)


if __name__ == "__main__":
    main()
