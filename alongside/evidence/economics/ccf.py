"""Cost consequence balance sheet (the study's Table 2): costs and consequences at individual,
community and system level, in natural units, monetised only where a unit cost applies.

Following NICE's public health methods it does not force one total: each level shows its costs,
its consequences and its monetised changes in service use side by side. Every figure keeps the
records and the unit cost behind it (`trace`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from pathlib import Path

from .. import cells
from .model_file import Reader, load_file
from .money import pounds
from .unit_costs import SECTORS, PriceIndex, Pricer, UnitCost

LEVELS = {
    "individual": "Individual – in control of own life and decisions",
    "community": "Community – community-led change",
    "system": "System – from crisis to prevention",
}
COST_CATEGORIES = {
    "lac_service": "The LAC service",
    "dependence_on_lac": "Dependence on LAC support",
    "out_of_pocket": "Out-of-pocket expenses",
    "other_service_use": "Change in other service use",
    "duplication": "Duplication of provision",
}
CHANGES = {
    "increased": "Increased",
    "reduced": "Reduced",
    "deferred": "Deferred",
    "prevented": "Prevented",
}


@dataclass(frozen=True)
class CostLine:
    level: str
    category: str
    description: str
    amount: Decimal
    trace: str


@dataclass(frozen=True)
class Consequence:
    level: str
    domain: str
    description: str
    count: Decimal
    unit: str
    evidence: str
    change: str = ""
    sector: str = ""
    monetised: Decimal | None = None
    unit_cost_trace: str = ""

    @property
    def trace(self) -> str:
        return "; ".join(t for t in (self.evidence, self.unit_cost_trace) if t)


@dataclass
class BalanceSheet:
    name: str
    price_year: str
    costs: list[CostLine]
    consequences: list[Consequence]

    def level_summary(self, level: str) -> dict:
        costs = sum((c.amount for c in self.costs if c.level == level), Decimal(0))
        by_change = {ch: sum((c.monetised for c in self.consequences
                              if c.level == level and c.change == ch and c.monetised is not None),
                             Decimal(0)) for ch in CHANGES}
        return {"costs": costs, **{f"{ch}_monetised": v for ch, v in by_change.items()}}

    def rows(self) -> list[dict]:
        """One row per figure, costs first within each level; amounts as exact decimals."""
        out = []
        for level in LEVELS:
            for c in (c for c in self.costs if c.level == level):
                out.append({"level": level, "side": "cost", "heading": COST_CATEGORIES[c.category],
                            "description": c.description, "natural_units": "", "unit": "",
                            "change": "", "sector": "", "amount": c.amount, "trace": c.trace})
            for c in (c for c in self.consequences if c.level == level):
                out.append({"level": level, "side": "consequence", "heading": c.domain,
                            "description": c.description, "natural_units": c.count, "unit": c.unit,
                            "change": CHANGES.get(c.change, ""), "sector": SECTORS.get(c.sector, ""),
                            "amount": c.monetised, "trace": c.trace})
        return out

    def to_dict(self) -> dict:
        return {"name": self.name, "price_year": self.price_year,
                "rows": [{k: (str(v) if isinstance(v, Decimal) else v) for k, v in r.items()}
                         for r in self.rows()],
                "levels": {lv: {k: str(v) for k, v in self.level_summary(lv).items()} for lv in LEVELS}}

    def to_csv(self) -> str:
        buf = io.StringIO()
        fields = ["level", "side", "heading", "description", "natural_units", "unit", "change",
                  "sector", "amount", "trace"]
        # Amounts and counts are Decimals and stay numbers; no text cell opens as a formula.
        w = cells.writer(buf, lineterminator="\n")
        w.writerow(fields)
        for r in self.rows():
            w.writerow(["" if r[k] is None else r[k] for k in fields])
        return buf.getvalue()

    def to_html(self) -> str:
        """A GOV.UK-styled table per level; amounts in pounds to the penny at the price year."""
        head = "".join(_cell(h, "th", numeric=h in ("Natural units", "£"), scope="col")
                       for h in ("Cost or consequence", "Detail", "Natural units", "Change", "£", "From"))
        parts = [f'<h2 class="govuk-heading-l">{escape(self.name)}</h2>',
                 f'<p class="govuk-body">All amounts at {escape(self.price_year)} prices. Consequences '
                 f'are counted in their natural units; a £ figure appears only where a unit cost applies. '
                 f'Levels are not added together.</p>']
        for level, title in LEVELS.items():
            rows = [r for r in self.rows() if r["level"] == level]
            parts.append('<table class="govuk-table"><caption class="govuk-table__caption '
                         f'govuk-table__caption--m">{escape(title)}</caption>'
                         f'<thead class="govuk-table__head"><tr class="govuk-table__row">{head}</tr></thead>'
                         '<tbody class="govuk-table__body">')
            if not rows:
                parts.append(_row(_cell("Nothing recorded at this level.", colspan=6)))
            for r in rows:
                units = "" if r["natural_units"] == "" else f'{r["natural_units"]:,} {r["unit"]}'
                side = "Cost: " if r["side"] == "cost" else ""
                parts.append(_row(
                    _cell(side + r["heading"], "th", scope="row"), _cell(r["description"]),
                    _cell(units, numeric=True), _cell(r["change"]),
                    _cell("" if r["amount"] is None else pounds(r["amount"]), numeric=True),
                    _cell(r["trace"])))
            s = self.level_summary(level)
            has_costs = any(c.level == level for c in self.costs)
            totals = [("Costs at this level", s["costs"])] * has_costs + [
                (f"{name} service use, monetised", s[f"{ch}_monetised"])
                for ch, name in CHANGES.items() if s[f"{ch}_monetised"]]
            for name, amount in totals:
                parts.append(_row(_cell(name, "th", scope="row", colspan=4),
                                  _cell(pounds(amount), numeric=True), _cell("")))
            parts.append("</tbody></table>")
        return "\n".join(parts)


def _cell(text: str, tag: str = "td", numeric: bool = False, scope: str = "", colspan: int = 0) -> str:
    kind = "header" if tag == "th" else "cell"
    cls = f"govuk-table__{kind}" + (f" govuk-table__{kind}--numeric" if numeric else "")
    attrs = (f' scope="{scope}"' if scope else "") + (f' colspan="{colspan}"' if colspan else "")
    return f'<{tag} class="{cls}"{attrs}>{escape(str(text))}</{tag}>'


def _row(*cells: str) -> str:
    return f'<tr class="govuk-table__row">{"".join(cells)}</tr>'


def read_balance_sheet(data: dict, source: str | None = None,
                       unit_costs: dict[str, UnitCost] | None = None,
                       index: PriceIndex | None = None) -> BalanceSheet:
    problems: list[str] = []
    r = Reader(data, "", problems)
    name, price_year = r.text("name"), r.price_year()
    priced = Pricer(price_year, unit_costs, index)

    costs = []
    for i, item in enumerate(r.items("costs", required=False)):
        cr = Reader(item, f"costs[{i + 1}]", problems)
        level = cr.choice("level", LEVELS)
        category = cr.choice("category", COST_CATEGORIES)
        description = cr.text("description")
        amount = cr.number("amount", required=False)
        key = cr.text("unit_cost", required=False)
        source_text = cr.text("source", required=False)
        if key:
            quantity = cr.number("quantity")
            pc = priced(cr, key)
            if amount is not None:
                cr.problem("give either amount (with source) or quantity and unit_cost, not both", "amount")
            elif pc and quantity is not None:
                amount = quantity * pc.cost
                source_text = f"{quantity:,} × {pounds(pc.cost)} ({pc.citation})"
        elif amount is None:
            cr.problem("is required (or quantity and unit_cost)", "amount")
        elif not source_text:
            cr.problem("is required: say where this cost comes from", "source")
        cr.no_unknown_fields()
        costs.append(CostLine(level, category, description, amount or Decimal(0), source_text))
    consequences = []
    for i, item in enumerate(r.items("consequences", required=False)):
        qr = Reader(item, f"consequences[{i + 1}]", problems)
        level = qr.choice("level", LEVELS)
        domain = qr.text("domain")
        description = qr.text("description", required=False)
        count = qr.number("count")
        unit = qr.text("unit", required=False, default="people")
        evidence = qr.text("evidence")
        change = qr.choice("change", CHANGES, required=False)
        key = qr.text("unit_cost", required=False)
        monetised, trace, sector = None, "", qr.choice("sector", SECTORS, required=False)
        if key:
            if not change:
                qr.problem("is required with unit_cost: increased, reduced, deferred or prevented", "change")
            pc = priced(qr, key)
            if pc and count is not None:
                monetised = count * pc.cost
                trace = f"{count:,} × {pounds(pc.cost)} ({pc.citation})"
                sector = sector or pc.unit_cost.sector
        qr.no_unknown_fields()
        consequences.append(Consequence(level, domain, description, count or Decimal(0), unit, evidence,
                                        change, sector, monetised, trace))
    r.no_unknown_fields()
    r.finish(source)
    return BalanceSheet(name, price_year, costs, consequences)


def load_balance_sheet(path: str | Path, unit_costs: dict[str, UnitCost] | None = None,
                       index: PriceIndex | None = None) -> BalanceSheet:
    return read_balance_sheet(load_file(path), str(path), unit_costs, index)
