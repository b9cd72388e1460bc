"""Economics from the records: the cost consequence balance sheet, the SROI model with its
sensitivity, and the costed scenarios of stories, for one council's financial year.

The counts come from the records and the money from the unit cost table; the programme cost is
entered once a year by the council's manager or finance officer; deadweight, attribution,
displacement, drop-off, duration and the discount rate are judgements anyone reading the page can
change (they travel in the address, so a set of assumptions can be shared as a link).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

import yaml
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import ngettext

from alongside import scoping
from alongside.accounts.models import Role
from alongside.economics import prices
from alongside.economics.balance_sheet import (
    CHANGE_NAMES,
    COST_NAMES,
    LEVEL_NAMES,
    UNITS,
    balance_sheet_data,
    financial_year,
    record_counts,
)
from alongside.economics.scenarios import scenario
from alongside.economics.social_return import (
    Settings,
    lac_service_line,
    outcome_rows,
    programme_cost,
    sroi_data,
)
from alongside.evidence.disclosure import SMALL_NUMBER_THRESHOLD
from alongside.evidence.economics.ccf import (
    CHANGES,
    COST_CATEGORIES,
    LEVELS,
    BalanceSheet,
    read_balance_sheet,
)
from alongside.evidence.economics.charts import tornado_svg
from alongside.evidence.economics.model_file import (
    EconomicsError,
    financial_year_code,
    financial_year_start,
)
from alongside.evidence.economics.money import plain, pounds, ratio
from alongside.evidence.economics.sroi import ASSUMPTIONS, break_even, evaluate, one_way, read_model
from alongside.journeys.models import Story
from alongside.operations import replica
from alongside.places.models import Council
from alongside.places.models import ProgrammeCost as SavedProgrammeCost

from .evidence import Where
from .forms import GovukModelForm
from .pages import render_page

READERS = (Role.MANAGER, Role.COMMISSIONER, Role.ANALYST)
EDITORS = (Role.MANAGER, Role.COMMISSIONER)
ASSUMPTION_LABELS = {"deadweight": _l("Deadweight %"), "displacement": _l("Displacement %"),
                     "attribution": _l("Attribution %"), "drop_off": _l("Drop-off %")}


def financial_years(today: date | None = None, back: int = 5) -> list[str]:
    """The current financial year and the `back` before it, newest first."""
    today = today or date.today()
    start = financial_year_start(today)
    return [financial_year_code(y) for y in range(start, start - back - 1, -1)]


class ProgrammeCostForm(GovukModelForm):
    class Meta:
        model = SavedProgrammeCost
        fields = ["coordinator_fte", "salary", "on_costs", "management", "venues", "overheads", "source"]
        labels = {"coordinator_fte": _l("Coordinators (full-time equivalent)"),
                  "salary": _l("Coordinator salary (£ a year, full time)"),
                  "on_costs": _l("On-costs (% of salary)"), "management": _l("Management (£)"),
                  "venues": _l("Venues and activities (£)"),
                  "overheads": _l("Overheads (% of staff costs)"), "source": _l("Source of these figures")}
        help_texts = {"on_costs": _l("Employer's National Insurance and pension."),
                      "overheads": _l("Premises, IT, finance and HR, as a share of staff costs."),
                      "source": _l("For example: 2025/26 budget report to Cabinet.")}

    def clean(self):
        d = super().clean()
        for name in ("coordinator_fte", "salary", "management", "venues"):
            if d.get(name) is not None and d[name] < 0:
                self.add_error(name, _("Enter an amount of 0 or more"))
        for name in ("on_costs", "overheads"):
            if d.get(name) is not None and not 0 <= d[name] <= 100:
                self.add_error(name, _("Enter a percentage from 0 to 100"))
        return d


@dataclass
class Assumption:
    """One editable judgement of one outcome row, as shown in the form."""

    name: str
    label: str
    value: str
    error: str = ""


def _read_settings(query, rows: list[dict]) -> tuple[dict[str, Settings], dict[str, list[Assumption]], list]:
    """Each outcome's judgements from the address (field "<row>-<assumption>"), with a message per
    field that is not a number in range; nothing is computed while any is wrong."""
    settings, fields, errors = {}, {}, []
    for r in rows:
        values, shown = {}, []
        for name in (*ASSUMPTIONS, "duration"):
            field = f"{r['key']}-{name}"
            raw = query.get(field, "").strip()
            default = "1" if name == "duration" else "0"
            text = raw or default
            error = ""
            try:
                if name == "duration":
                    v = Decimal(text)
                    if v != v.to_integral_value() or not 1 <= v <= 50:
                        error = _("Enter a whole number of years from 1 to 50")
                    v = int(v) if not error else 1
                else:
                    v, error = _percentage(text)
            except InvalidOperation:
                error, v = _("Enter a number"), Decimal(default)
            if error:
                errors.append((field, f"{r['outcome']} – {name.replace('_', '-')}: {error}"))
            values[name] = v
            label = _("Duration (years)") if name == "duration" else ASSUMPTION_LABELS[name]
            shown.append(Assumption(field, label, text, error))
        if not any(a.error for a in shown):
            settings[r["key"]] = Settings(**values)
        fields[r["key"]] = shown
    return settings, fields, errors


def _percentage(text: str) -> tuple[Decimal, str]:
    """A percentage typed on the page and the error to show with it ("" if none). A number
    between 0 and 1 is asked about, as in a model file: 0.2 is nearly always meant as 20%."""
    signed = text.endswith("%")
    v = Decimal(text[:-1].strip() if signed else text)
    if not v.is_finite() or not 0 <= v <= 100:
        return Decimal(0), _("Enter a percentage from 0 to 100")
    if not signed and 0 < v < 1:
        meant = f"{float(v * 100):g}"
        return Decimal(0), _("%(v)s would mean %(v)s%%: enter %(p)s for %(p)s%%, or %(v)s%% if you "
                             "mean less than one per cent") % {"v": text, "p": meant}
    return v, ""


def _discount_rate(query) -> tuple[Decimal | None, str, str]:
    raw = query.get("discount_rate", "").strip()
    if not raw:
        return None, "", ""
    try:
        v, error = _percentage(raw)
        if not error:
            return v, raw, ""
    except InvalidOperation:
        error = ""
    return None, raw, error or _("Enter a percentage from 0 to 100, or leave blank for the Green Book rate")


@login_required
@replica.reads
def economics(request):
    user = request.user
    if user.role not in READERS:
        raise PermissionDenied("The economics pages are for managers, commissioners and analysts.")
    where = Where(request)
    council = Council.objects.get(pk=where.council or where.councils[0][0])
    years = financial_years()
    year = request.GET.get("year") if request.GET.get("year") in years else years[1]
    price_years = prices.price_years()
    price_year = request.GET.get("prices") if request.GET.get("prices") in price_years else price_years[0]
    can_edit = user.role in EDITORS and user.council_id == council.pk
    base = f"?council={council.pk}&year={year}&prices={price_year}"

    saved = SavedProgrammeCost.objects.filter(council=council, year=year).select_related("council").first()
    form = None
    if can_edit:
        before = saved or SavedProgrammeCost.objects.filter(council=council).order_by("-year").first()
        form = ProgrammeCostForm(request.POST or None, instance=saved, initial=(
            {f: getattr(before, f) for f in ProgrammeCostForm.Meta.fields} if before and not saved else None))
        if request.method == "POST" and form.is_valid():
            cost = form.save(commit=False)
            cost.council, cost.year, cost.updated_by = council, year, user
            cost.save()
            messages.success(request, _("Programme cost for %(year)s saved") % {"year": year})
            return redirect(request.path + base)
    elif request.method == "POST":
        raise PermissionDenied("Only the council's manager or finance officer sets its programme cost.")

    counts = record_counts(council, year)
    programme = programme_cost(saved, counts)
    costs = []
    if programme:
        costs.append(lac_service_line(programme, saved.source or f"programme cost entered for {year}"))
    hide_below = 0 if where.exact else SMALL_NUMBER_THRESHOLD
    data = balance_sheet_data(council, year, costs, counts, price_year, hide_below=hide_below)
    hidden = data.pop("hidden", [])
    sheet: BalanceSheet = read_balance_sheet(data, f"{council.name} records", prices.table(), prices.index())

    fmt = request.GET.get("format")
    if fmt == "csv":  # before the SROI and its sensitivity, which the download does not need
        return _download(sheet.to_csv(), "text/csv", f"balance-sheet-{council.name}-{year}.csv")

    rows = [r for r in outcome_rows(counts, price_year) if not 0 < r["people"] < hide_below]
    settings, assumption_fields, errors = _read_settings(request.GET, [r for r in rows if not r["unpriced"]])
    rate, rate_text, rate_error = _discount_rate(request.GET)
    if rate_error:
        errors.append(("discount_rate", rate_error))
    hidden_changes = sum(1 for h in hidden if h["level"] == "system")
    sroi = (_sroi(council, year, price_year, programme, rows, settings, rate, hidden_changes)
            if not errors else None)
    if fmt == "yaml" and sroi and sroi.get("data"):
        text = yaml.safe_dump(sroi["data"], sort_keys=False, allow_unicode=True)
        return _download(text, "application/yaml", f"sroi-{council.name}-{year}.yaml")

    return render_page(request, "front/evidence/economics.html", {
        **where.context(), "council": council.pk, "site": council, "year": year, "years": years,
        "price_year": price_year, "price_years": price_years, "form": form, "saved": saved,
        "programme": programme, "per": _per(programme),
        "programme_total": pounds(programme.total) if programme else "",
        "coordinators": _("%(fte)s full-time equivalent at %(salary)s a year plus %(on)s%% on-costs") % {
            "fte": plain(saved.coordinator_fte), "salary": pounds(saved.salary), "on": plain(saved.on_costs)}
        if programme else "",
        "sheet": _sheet(sheet, hidden), "hidden": len(hidden),
        "outcome_rows": [{**r, "fields": assumption_fields[r["key"]], "quantity_text": f"{r['quantity']:,}"}
                         for r in rows if not r["unpriced"]],
        "errors": errors, "rate_text": rate_text, "rate_error": rate_error, "sroi": sroi,
        "scenarios": _scenarios(user, council, year, price_year, where.exact), "base": base,
        "unpriced": [{**r, "quantity_text": f"{r['quantity']:,}"} for r in rows if r["unpriced"]],
    })


# The units the library counts in when a consequence names none, and the app's own; a unit
# cost's units come already in the page's language (prices.units_name).
UNIT_WORDS = {"people": UNITS["people"]}


def _sheet(sheet: BalanceSheet, hidden: list[dict] = ()) -> dict:
    """The balance sheet as the page shows it, in the page's language (the library's own
    to_html is the command line's English). `hidden` rows (about fewer than 5) are shown as
    "<5", with no £ and out of the totals: their value would give the count back."""
    by_name = {v: k for k, v in CHANGES.items()}
    costs = {v: k for k, v in COST_CATEGORIES.items()}
    levels = []
    rows = sheet.rows()
    for level in LEVELS:
        shown = []
        for r in (r for r in rows if r["level"] == level):
            cost = r["side"] == "cost"
            change = by_name.get(r["change"])
            shown.append({
                "cost": cost,
                "heading": (str(COST_NAMES.get(costs.get(r["heading"]), r["heading"])) if cost
                            else r["heading"]),
                "description": r["description"],
                "units": "" if r["natural_units"] == "" else
                f'{plain(r["natural_units"])} {UNIT_WORDS.get(r["unit"], r["unit"])}',
                "change": str(CHANGE_NAMES[change]) if change else r["change"],
                "amount": "" if r["amount"] is None else pounds(r["amount"]), "trace": r["trace"]})
        shown += [{"cost": False, "heading": h["description"], "description": "", "units": "<5",
                   "change": "", "amount": "–",
                   "trace": _("fewer than 5: not valued, so that nobody can be identified")}
                  for h in hidden if h["level"] == level]
        s = sheet.level_summary(level)
        has_costs = any(c.level == level for c in sheet.costs)
        totals = [(_("Costs at this level"), pounds(s["costs"]))] if has_costs else []
        totals += [(_("%(change)s service use, monetised") % {"change": CHANGE_NAMES[ch]},
                    pounds(s[f"{ch}_monetised"])) for ch in CHANGES if s[f"{ch}_monetised"]]
        levels.append({"title": LEVEL_NAMES[level], "rows": shown, "totals": totals})
    return {"name": sheet.name, "price_year": sheet.price_year, "levels": levels}


def _download(text: str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name.replace(" ", "-").replace("/", "-")}"'
    return response


def _per(programme) -> list[tuple[str, str, str]]:
    if not programme:
        return []
    out = []
    for label, n in ((_("Per person supported"), programme.people_supported),
                     (_("Per Level 2 person"), programme.level2_people),
                     (_("Per ward resident"), programme.ward_residents)):
        v = programme.per(n)
        out.append((label, f"{n:,}", "–" if v is None else pounds(v)))
    return out


def _sroi(council, year, price_year, programme, rows, settings, rate, hidden: int = 0) -> dict | None:
    """The evaluated model and its sensitivity, or why it cannot be worked out yet."""
    if programme is None or programme.total <= 0:
        return {"why": _("Enter the programme cost for %(year)s to set the investment.") % {"year": year}}
    if not any(not r["unpriced"] for r in rows):
        if hidden:
            # Say what suppression hides: "none recorded" would be untrue.
            return {"why": ngettext(
                "%(n)s kind of service-use change was recorded in %(year)s, for fewer than 5 people: "
                "it is shown as <5 and not valued here, so that nobody can be identified.",
                "%(n)s kinds of service-use change were recorded in %(year)s, each for fewer than 5 "
                "people: they are shown as <5 and not valued here, so that nobody can be identified.",
                hidden) % {"n": hidden, "year": year}}
        return {"why": _("No service-use change that can be priced was recorded in %(year)s.")
                % {"year": year}}
    data = sroi_data(f"{council.name} Local Area Coordination {year}", price_year, programme.total,
                     council.name, rows, settings, rate)
    try:
        model = read_model(data, f"{council.name} records", prices.table(), prices.index())
    except EconomicsError as e:
        return {"why": str(e)}
    result = evaluate(model)
    swings = one_way(model)
    overall, points = break_even(model)
    return {
        "data": data, "result": result, "ratio": ratio(result.ratio), "pv": pounds(result.present_value),
        "npv": pounds(result.net_present_value), "investment": pounds(model.investment),
        "payback": None if result.payback_months is None else f"{result.payback_months:.1f}",
        "outcomes": [{"label": o.outcome, "stakeholder": o.stakeholder, "quantity": f"{o.quantity:,}",
                      "proxy": pounds(o.proxy), "source": o.proxy_source, "impact": pounds(o.impact()),
                      "pv": pounds(pv)}
                     for o, pv in zip(model.outcomes, result.outcome_present_values, strict=True)],
        "swings": [{"label": s.label, "low": s.low_setting, "high": s.high_setting,
                    "ratio_low": f"{s.ratio_low:.2f}", "ratio_high": f"{s.ratio_high:.2f}"} for s in swings],
        "tornado": tornado_svg(swings, result.ratio, _("How the ratio moves with each assumption"),
                               words=_tornado_words()),
        "tornado_narrow": tornado_svg(swings, result.ratio, _("How the ratio moves with each assumption"),
                                      narrow=True, words=_tornado_words()),
        "break_even_fall": f"{overall:.1f}" if overall >= 0 else None,
        "break_even_rise": f"{(model.investment / result.present_value):,.1f}" if overall < 0 else None,
        "break_even": [{"label": p.label, "assumption": p.assumption.replace("_", "-"),
                        "current": f"{p.current:,.2f}".rstrip("0").rstrip("."),
                        "value": "–" if p.break_even is None else f"{p.break_even:,.2f}",
                        "why_not": p.why_not} for p in points],
    }


def _scenarios(user, council, year, price_year, exact: bool) -> list[dict]:
    """Stories of the council's year with a costed scenario. Roles that see no identifiable records get
    only stories the person agreed to share, and never a link to the person."""
    start, end = financial_year(year)
    stories = Story.objects.filter(ward__council=council, scenario_events__isnull=False,
                                   written_on__range=(start, end)).distinct()
    if exact:
        stories = scoping.scoped(user, stories)
    else:
        stories = stories.filter(consent_to_share=True)
    out = []
    for story in stories.prefetch_related("scenario_events").order_by("-written_on")[:50]:
        try:
            s = scenario(story, price_year)
        except EconomicsError as e:
            out.append({"story": story, "why": str(e)})
            continue
        out.append({"story": story, "with": pounds(s.total("with_lac")),
                    "without": pounds(s.total("without_lac")), "difference": s.difference,
                    "difference_text": pounds(abs(s.difference))})
    return out


def _tornado_words() -> dict[str, str]:
    """The tornado chart's own words in the page's language (the chart itself is Django-free)."""
    return {"base": _("base"), "break_even": _("break-even"), "axis": _("£ of value for each £1 invested"),
            "range": _("{low} to {high}"),
            "desc": _("SROI ratio when each assumption is moved on its own; base ratio {base}.")}
