"""Social Return on Investment, as the Cabinet Office guide (2012) sets it out.

For each outcome, year-1 impact = quantity × financial proxy × (1 − deadweight)
× (1 − displacement) × (1 − attribution); each later year keeps (1 − drop-off) of the year
before; present value = Σ value_t × discount factor_t from t = 1; NPV = PV − investment;
SROI ratio = PV ÷ investment; payback (months) = investment ÷ (year-1 impact ÷ 12).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from . import discounting
from .model_file import EconomicsError, Reader, load_file
from .unit_costs import PriceIndex, Pricer, UnitCost

ASSUMPTIONS = ("deadweight", "displacement", "attribution", "drop_off")


# An outcome of LAC credited for longer than this is not one a finance officer would accept; the
# bound also keeps a mistyped duration (a million years) from computing for ever.
MAX_YEARS = 50


@dataclass(frozen=True)
class Outcome:
    stakeholder: str
    outcome: str
    quantity: Decimal
    proxy: Decimal
    proxy_source: str
    duration: int
    indicator: str = ""
    deadweight: Decimal = Decimal(0)
    displacement: Decimal = Decimal(0)
    attribution: Decimal = Decimal(0)
    drop_off: Decimal = Decimal(0)

    @property
    def label(self) -> str:
        return f"{self.stakeholder}: {self.outcome}"

    def impact(self) -> Decimal:
        """Year-1 value once what would have happened anyway and others' part are taken off."""
        keep = ((1 - self.deadweight / 100) * (1 - self.displacement / 100)
                * (1 - self.attribution / 100))
        return self.quantity * self.proxy * keep

    def values(self) -> list[Decimal]:
        """Value in years 1…duration, before discounting."""
        out = [self.impact()]
        for _ in range(1, self.duration):
            out.append(out[-1] * (1 - self.drop_off / 100))
        return out


@dataclass(frozen=True)
class Input:
    stakeholder: str
    description: str
    amount: Decimal


@dataclass(frozen=True)
class Model:
    name: str
    price_year: str
    inputs: tuple[Input, ...]
    outcomes: tuple[Outcome, ...]
    discount_rate: Decimal | None = None  # None: the Green Book schedule

    @property
    def investment(self) -> Decimal:
        return sum((i.amount for i in self.inputs), Decimal(0))


@dataclass
class Result:
    model: Model
    horizon: int
    outcome_values: list[list[Decimal]]  # [outcome][year-1], undiscounted
    year_values: list[Decimal]  # total per year, undiscounted
    discount_factors: list[Decimal]
    present_values: list[Decimal]  # per year
    present_value: Decimal
    net_present_value: Decimal
    ratio: Decimal
    net_ratio: Decimal
    payback_months: Decimal | None
    outcome_present_values: list[Decimal] = field(default_factory=list)

    def to_dict(self) -> dict:
        m = self.model
        return {
            "name": m.name, "price_year": m.price_year,
            "discount_rate": "Green Book (3.5% to year 30, then 3.0%)" if m.discount_rate is None
            else str(m.discount_rate),
            "investment": str(m.investment),
            "inputs": [{"stakeholder": i.stakeholder, "description": i.description,
                        "amount": str(i.amount)} for i in m.inputs],
            "outcomes": [{
                "stakeholder": o.stakeholder, "outcome": o.outcome, "indicator": o.indicator,
                "quantity": str(o.quantity), "proxy": str(o.proxy), "proxy_source": o.proxy_source,
                "duration": o.duration, **{a: str(getattr(o, a)) for a in ASSUMPTIONS},
                "impact": str(o.impact()), "values": [str(v) for v in vals],
                "present_value": str(pv),
            } for o, vals, pv in zip(m.outcomes, self.outcome_values, self.outcome_present_values,
                                     strict=True)],
            "years": [{"year": t + 1, "value": str(v), "discount_factor": str(f), "present_value": str(p)}
                      for t, (v, f, p) in enumerate(zip(self.year_values, self.discount_factors,
                                                        self.present_values, strict=True))],
            "present_value": str(self.present_value),
            "net_present_value": str(self.net_present_value),
            "ratio": str(self.ratio), "net_ratio": str(self.net_ratio),
            "payback_months": None if self.payback_months is None else str(self.payback_months),
        }


def evaluate(model: Model) -> Result:
    if model.investment <= 0:
        raise EconomicsError("inputs: the investment must be more than £0 for a ratio to mean anything")
    horizon = max(o.duration for o in model.outcomes)
    per_outcome = [o.values() + [Decimal(0)] * (horizon - o.duration) for o in model.outcomes]
    years = [sum((v[t] for v in per_outcome), Decimal(0)) for t in range(horizon)]
    factors = [discounting.factor(t + 1, model.discount_rate) for t in range(horizon)]
    pvs = [v * f for v, f in zip(years, factors, strict=True)]
    pv = sum(pvs, Decimal(0))
    year1 = years[0]
    return Result(
        model=model, horizon=horizon, outcome_values=per_outcome, year_values=years,
        discount_factors=factors, present_values=pvs, present_value=pv,
        net_present_value=pv - model.investment, ratio=pv / model.investment,
        net_ratio=(pv - model.investment) / model.investment,
        payback_months=model.investment / (year1 / 12) if year1 > 0 else None,
        outcome_present_values=[sum((v * f for v, f in zip(vals, factors, strict=True)), Decimal(0))
                                for vals in per_outcome],
    )


# --- reading a model -----------------------------------------------------------------------

def read_model(data: dict, source: str | None = None, unit_costs: dict[str, UnitCost] | None = None,
               index: PriceIndex | None = None) -> Model:
    """A checked Model from a mapping (as in a YAML/JSON file), or EconomicsError naming each field."""
    problems: list[str] = []
    r = Reader(data, "", problems)
    name, price_year = r.text("name"), r.price_year()
    pricer = Pricer(price_year, unit_costs, index)
    rate = r.percent("discount_rate", default=None)
    inputs = []
    if "investment" in data and "inputs" in data:
        r.problem("give either investment (one amount) or inputs (a list), not both", "investment")
    if "inputs" in data or "investment" not in data:
        for i, item in enumerate(r.items("inputs")):
            ir = Reader(item, f"inputs[{i + 1}]", problems)
            inputs.append(Input(ir.text("stakeholder"), ir.text("description", False),
                                ir.number("amount") or Decimal(0)))
            ir.no_unknown_fields()
    else:
        amount = r.number("investment")
        inputs.append(Input("Investor", "Investment", amount or Decimal(0)))
    outcomes = []
    for i, item in enumerate(r.items("outcomes")):
        label = item.get("outcome") if isinstance(item, dict) else None
        orr = Reader(item, f"outcomes[{i + 1}]" + (f" ({label})" if label else ""), problems)
        proxy = orr.number("proxy", required=False)
        source_text = orr.text("proxy_source", required=False)
        key = orr.text("unit_cost", required=False)
        if key:
            if proxy is not None:
                orr.problem("give either proxy (with proxy_source) or unit_cost, not both", "unit_cost")
            elif priced := pricer(orr, key):
                proxy, source_text = priced.cost, priced.citation
        elif proxy is None:
            orr.problem("is required (a financial proxy in £, or unit_cost naming a row of the "
                        "unit cost table)", "proxy")
        elif not source_text:
            orr.problem("is required: say where the financial proxy comes from", "proxy_source")
        pct = {a: orr.percent(a) for a in ASSUMPTIONS}
        outcomes.append(Outcome(
            stakeholder=orr.text("stakeholder"), outcome=orr.text("outcome"),
            indicator=orr.text("indicator", False), quantity=orr.number("quantity") or Decimal(0),
            proxy=proxy or Decimal(0), proxy_source=source_text,
            duration=orr.whole("duration", minimum=1, maximum=MAX_YEARS, unit=" years",
                               default=1) or 1, **pct))
        orr.no_unknown_fields()
    r.no_unknown_fields()
    r.finish(source)
    return Model(name, price_year, tuple(inputs), tuple(outcomes), rate)


def load_model(path: str | Path, unit_costs: dict[str, UnitCost] | None = None,
               index: PriceIndex | None = None) -> Model:
    return read_model(load_file(path), str(path), unit_costs, index)


# --- sensitivity ---------------------------------------------------------------------------

def _plain(v: Decimal) -> str:
    """7,200 or 21.6: a setting as a person would write it."""
    return f"{v:,.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Swing:
    """One assumption moved down and up, everything else held: the ratio at each end."""

    label: str
    low_setting: str
    high_setting: str
    ratio_low: Decimal
    ratio_high: Decimal

    @property
    def width(self) -> Decimal:
        return abs(self.ratio_high - self.ratio_low)

    def to_dict(self) -> dict:
        return {"label": self.label, "low_setting": self.low_setting, "high_setting": self.high_setting,
                "ratio_low": str(self.ratio_low), "ratio_high": str(self.ratio_high)}


def _ratio(model: Model) -> Decimal:
    return evaluate(model).ratio


def _with_outcome(model: Model, i: int, **change) -> Model:
    outcomes = list(model.outcomes)
    outcomes[i] = replace(outcomes[i], **change)
    return replace(model, outcomes=tuple(outcomes))


def one_way(model: Model, points: Decimal = Decimal(10), relative: Decimal = Decimal(20),
            years: int = 1, rate_points: Decimal = Decimal("1.5")) -> list[Swing]:
    """Each assumption moved on its own, widest swing first (the order of a tornado chart).

    Percentages move by `points` percentage points (kept within 0–100), quantities and proxies
    by `relative` per cent, durations by `years`, the discount rate by `rate_points`.
    """
    swings: list[Swing] = []
    down, up = 1 - relative / 100, 1 + relative / 100
    for i, o in enumerate(model.outcomes):
        for name, lo, hi in (("quantity", o.quantity * down, o.quantity * up),
                             ("proxy", o.proxy * down, o.proxy * up)):
            swings.append(Swing(f"{o.label} – {name}", _plain(lo), _plain(hi),
                                _ratio(_with_outcome(model, i, **{name: lo})),
                                _ratio(_with_outcome(model, i, **{name: hi}))))
        d_lo, d_hi = max(1, o.duration - years), o.duration + years
        swings.append(Swing(f"{o.label} – duration", f"{d_lo} years", f"{d_hi} years",
                            _ratio(_with_outcome(model, i, duration=d_lo)),
                            _ratio(_with_outcome(model, i, duration=d_hi))))
        for name in ASSUMPTIONS:
            v = getattr(o, name)
            lo, hi = max(Decimal(0), v - points), min(Decimal(100), v + points)
            if lo == hi:
                continue
            swings.append(Swing(f"{o.label} – {name.replace('_', '-')}", f"{lo}%", f"{hi}%",
                                _ratio(_with_outcome(model, i, **{name: lo})),
                                _ratio(_with_outcome(model, i, **{name: hi}))))
    base_rate = model.discount_rate if model.discount_rate is not None else Decimal("3.5")
    r_lo, r_hi = max(Decimal(0), base_rate - rate_points), base_rate + rate_points
    swings.append(Swing("Discount rate", f"{r_lo}%", f"{r_hi}%",
                        _ratio(replace(model, discount_rate=r_lo)),
                        _ratio(replace(model, discount_rate=r_hi))))
    swings.sort(key=lambda s: s.width, reverse=True)
    return swings


@dataclass(frozen=True)
class BreakEven:
    """How far one estimate would have to move, alone, for the return to equal the investment."""

    label: str
    assumption: str
    current: Decimal
    break_even: Decimal | None  # None: no value in the allowed range reaches it
    why_not: str = ""

    def to_dict(self) -> dict:
        return {"label": self.label, "assumption": self.assumption, "current": str(self.current),
                "break_even": None if self.break_even is None else str(self.break_even),
                "why_not": self.why_not}


def break_even(model: Model) -> tuple[Decimal, list[BreakEven]]:
    """The fall in every value at which PV = investment (as a %), and each estimate's break-even."""
    res = evaluate(model)
    overall = (1 - model.investment / res.present_value) * 100 if res.present_value else Decimal(0)
    points = []
    for o, pv in zip(model.outcomes, res.outcome_present_values, strict=True):
        if pv == 0:
            continue
        # PV is proportional to this outcome's quantity, proxy and (1 − deadweight), so the
        # break-even point is one scale factor away.
        scale = (model.investment - (res.present_value - pv)) / pv
        others = "the other outcomes alone are worth more than the investment"
        for name in ("quantity", "proxy"):
            v = getattr(o, name) * scale
            points.append(BreakEven(o.label, name, getattr(o, name), v if v >= 0 else None,
                                    "" if v >= 0 else others))
        dw = (1 - (1 - o.deadweight / 100) * scale) * 100
        why = "" if 0 <= dw <= 100 else others if dw > 100 else \
            "even with no deadweight the return stays below the investment"
        points.append(BreakEven(o.label, "deadweight", o.deadweight, None if why else dw, why))
    return overall, points
