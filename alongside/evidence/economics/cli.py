"""`alongside sroi|ccf|scenario|programme|unit-costs …`: economics from a model file.

    alongside sroi docs/examples/sroi.yaml --sensitivity
    alongside sroi docs/examples/sroi.yaml --json --tornado tornado.svg
    alongside ccf docs/examples/ccf.yaml --csv > balance-sheet.csv
    alongside scenario docs/examples/scenario.yaml
    alongside programme docs/examples/programme.yaml
    alongside unit-costs

Money is printed in pounds to the penny with its price year; --json prints exact decimals.
Bad input prints every problem, naming the field, and computes nothing (exit status 2).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .ccf import load_balance_sheet
from .charts import tornado_svg
from .model_file import EconomicsError
from .money import pounds, ratio
from .programme import load_programme
from .scenario import load_scenario
from .sroi import break_even, evaluate, load_model, one_way
from .unit_costs import SECTORS, PriceIndex, load_unit_costs

VERBS = ("sroi", "ccf", "scenario", "programme", "unit-costs")


def _parser(verb: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=f"alongside {verb}")
    if verb != "unit-costs":
        p.add_argument("model", help="YAML or JSON file")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--unit-costs", help="your own unit cost table (CSV, same columns)")
    p.add_argument("--price-index", help="price index CSV (year,index,source)")
    if verb == "sroi":
        p.add_argument("--sensitivity", action="store_true", help="one-way sensitivity and break-even")
        p.add_argument("--tornado", help="write the tornado chart to this SVG file")
        p.add_argument("--points", default="10", help="percentage points to move each %% assumption")
        p.add_argument("--relative", default="20", help="per cent to move quantities and proxies")
    if verb == "ccf":
        fmt = p.add_mutually_exclusive_group()
        fmt.add_argument("--csv", action="store_true")
        fmt.add_argument("--html", action="store_true")
    return p


def _sroi(args, costs, index) -> str | dict:
    from decimal import Decimal

    model = load_model(args.model, costs, index)
    res = evaluate(model)
    if args.sensitivity or args.tornado:
        swings = one_way(model, Decimal(args.points), Decimal(args.relative))
        fall, points = break_even(model)
        if args.tornado:
            Path(args.tornado).write_text(tornado_svg(swings, res.ratio, f"Sensitivity: {model.name}"),
                                          encoding="utf-8")
    if args.json:
        out = res.to_dict()
        if args.sensitivity:
            out["sensitivity"] = [s.to_dict() for s in swings]
            out["break_even"] = {"value_fall_percent": str(fall), "estimates": [p.to_dict() for p in points]}
        return out
    rate = ("Green Book 3.5% (3.0% after year 30)" if model.discount_rate is None
            else f"{model.discount_rate}%")
    lines = [f"{model.name} — {model.price_year} prices, discounted at {rate}", ""]
    for o, pv in zip(model.outcomes, res.outcome_present_values, strict=True):
        lines.append(f"  {o.label}")
        lines.append(f"    {o.quantity:,} × {pounds(o.proxy)} × (1 − {o.deadweight}% deadweight) "
                     f"× (1 − {o.displacement}% displacement) × (1 − {o.attribution}% attribution) "
                     f"= {pounds(o.impact())} in year 1; {o.duration} years, drop-off {o.drop_off}%; "
                     f"present value {pounds(pv)}")
        lines.append(f"    proxy: {o.proxy_source}")
    lines.append("")
    for t, (v, f, p) in enumerate(zip(res.year_values, res.discount_factors, res.present_values,
                                      strict=True), start=1):
        lines.append(f"  year {t:>2}: {pounds(v):>16} × {f:.6f} = {pounds(p):>16}")
    lines += ["",
              f"Present value       {pounds(res.present_value):>16}",
              f"Investment          {pounds(model.investment):>16}",
              f"Net present value   {pounds(res.net_present_value):>16}",
              f"SROI ratio          {ratio(res.ratio)}",
              "Payback             " + ("never (no year-1 value)" if res.payback_months is None
                                        else f"{res.payback_months:.1f} months")]
    if args.sensitivity:
        w = max(len(s.label) for s in swings)
        lines += ["", "One-way sensitivity (widest first): ratio at the low and the high setting"]
        for s in swings:
            lines.append(f"  {s.label:<{w}} {s.low_setting:>9} → {s.ratio_low:5.2f}   "
                         f"{s.high_setting:>9} → {s.ratio_high:5.2f}")
        lines += ["", f"Break-even: every value would have to fall by {fall:.1f}% for the return "
                      "to equal the investment. Each estimate alone:"]
        w = max((len(p.label) for p in points), default=0)
        for p in points:
            be = f"never: {p.why_not}" if p.break_even is None else f"{p.break_even:,.2f}"
            lines.append(f"  {p.label:<{w}} {p.assumption:<10} now {p.current:,.2f}; break-even {be}")
    if args.tornado:
        lines += ["", f"Tornado chart written to {args.tornado}"]
    return "\n".join(lines)


def main(verb: str, argv: list[str]) -> int:
    args = _parser(verb).parse_args(argv)
    try:
        costs = load_unit_costs(args.unit_costs)
        index = PriceIndex.load(args.price_index)
        if verb == "unit-costs":
            rows = list(costs.values())
            out = ({"unit_costs": [{**{k: str(v) for k, v in vars(u).items()}} for u in rows]}
                   if args.json else "\n".join(
                       f"{u.key:<38} {pounds(u.cost):>10} per {u.unit:<12} {u.price_year}  "
                       f"{SECTORS[u.sector]:<42} {u.source}, {u.table}"
                       + ("" if u.checked else "  (not yet checked at source)") for u in rows))
        elif verb == "sroi":
            out = _sroi(args, costs, index)
        elif verb == "ccf":
            sheet = load_balance_sheet(args.model, costs, index)
            out = (sheet.to_dict() if args.json else sheet.to_csv() if args.csv
                   else sheet.to_html() if args.html else _ccf_text(sheet))
        elif verb == "scenario":
            sc = load_scenario(args.model, costs, index)
            out = sc.to_dict() if args.json else sc.to_text()
        else:
            pc = load_programme(args.model)
            out = pc.to_dict() if args.json else _programme_text(pc)
    except EconomicsError as e:
        print(f"alongside {verb}: {e}", file=sys.stderr)
        return 2
    print(json.dumps(out, indent=2, ensure_ascii=False) if isinstance(out, dict) else out)
    return 0


def _ccf_text(sheet) -> str:
    from .ccf import LEVELS

    lines = [f"{sheet.name} — cost consequence balance sheet at {sheet.price_year} prices", ""]
    for level, title in LEVELS.items():
        lines.append(title)
        for r in (r for r in sheet.rows() if r["level"] == level):
            units = "" if r["natural_units"] == "" else f'{r["natural_units"]:,} {r["unit"]}'
            amount = "" if r["amount"] is None else pounds(r["amount"])
            kind = "cost" if r["side"] == "cost" else (r["change"] or "consequence").lower()
            lines.append(f"  [{kind}] {r['heading']}: {r['description']}  {units}  {amount}")
            lines.append(f"      from: {r['trace']}")
        lines.append("")
    return "\n".join(lines)


def _programme_text(pc) -> str:
    def per(n, what):
        v = pc.per(n)
        return f"  per {what:<18} {'—' if v is None else pounds(v):>14}  ({n:,})"
    return "\n".join([
        f"{pc.site} — LAC programme cost {pc.year}",
        f"  Coordinators          {pounds(pc.coordinators):>14}  ({pc.coordinator_fte} FTE × "
        f"{pounds(pc.salary)} + {pc.on_costs}% on-costs)",
        f"  Management            {pounds(pc.management):>14}",
        f"  Venues                {pounds(pc.venues):>14}",
        f"  Overheads             {pounds(pc.overhead_amount):>14}  ({pc.overheads}% of staff costs)",
        *[f"  {d:<21} {pounds(a):>14}" for d, a in pc.other],
        f"  Total                 {pounds(pc.total):>14}",
        per(pc.people_supported, "person supported"),
        per(pc.level2_people, "Level 2 person"),
        per(pc.ward_residents, "ward resident"),
    ])
