"""The figures of the quarterly site report and the annual Network report, counted from the
records. Reports go to council committees and are published, so every count from 1 to 4 is shown
as "<5" and its share is left out, whoever asks for the report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from alongside.codes.models import Code
from alongside.community.models import CommunityGroup, GroupSupport
from alongside.dataset.quality import all_rows, quality
from alongside.economics import prices
from alongside.economics.balance_sheet import balance_sheet_data, counts_by_council
from alongside.economics.social_return import programme_cost
from alongside.evidence.bars import Bar, bar_chart_svg
from alongside.evidence.disclosure import (
    SMALL_NUMBER_THRESHOLD,
    count_text,
    share_percent,
    share_text,
)
from alongside.evidence.economics.ccf import CHANGES, read_balance_sheet
from alongside.evidence.economics.model_file import financial_year_code, financial_year_start
from alongside.evidence.economics.money import pounds
from alongside.evidence.patterns import frequencies
from alongside.journeys.cases import cases
from alongside.journeys.funnel import GROUPS, funnel
from alongside.journeys.models import (
    Connection,
    Engagement,
    Exit,
    Insulator,
    Introduction,
    Outcome,
    Ripple,
    Story,
)
from alongside.places.models import Council, ProgrammeCost, Ward

# The minimum dataset's record titles, named here so they are in the Welsh catalogue.
RECORD_TITLES = [_l("Person"), _l("Introduction"), _l("Engagement"), _l("Activity"), _l("Exit"),
                 _l("Outcome"), _l("Insulator")]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


@dataclass(frozen=True)
class Period:
    code: str  # "2026/27-Q2" or "2025/26"
    start: date
    end: date

    @property
    def financial_year(self) -> str:
        return financial_year_code(financial_year_start(self.start))

    def label(self) -> str:
        span = _("%(first)s to %(last)s") % {
            "first": f"{_(MONTHS[self.start.month - 1])} {self.start.year}",
            "last": f"{_(MONTHS[self.end.month - 1])} {self.end.year}"}
        if "-Q" in self.code:
            return _("Quarter %(q)s of %(year)s (%(span)s)") % {
                "q": self.code[-1], "year": self.financial_year, "span": span}
        return _("Financial year %(year)s (%(span)s)") % {"year": self.code, "span": span}


def quarter(code: str) -> Period:
    """"2026/27-Q2" → July to September 2026 (financial quarters start in April)."""
    try:
        year, q = code.split("-Q")
        start_year, n = int(year[:4]), int(q)
        if not (1 <= n <= 4 and year == financial_year_code(start_year)):
            raise ValueError
    except ValueError:
        raise ValueError(f"{code!r} is not a financial quarter such as 2026/27-Q2") from None
    month = 4 + 3 * (n - 1)
    start = date(start_year + (month > 12), (month - 1) % 12 + 1, 1)
    after = date(start.year + (start.month + 3 > 12), (start.month + 2) % 12 + 1, 1)
    return Period(code, start, after - timedelta(days=1))


def financial_year(code: str) -> Period:
    try:
        start_year = int(code[:4])
        if code != financial_year_code(start_year):
            raise ValueError
    except ValueError:
        raise ValueError(f"{code!r} is not a financial year such as 2025/26") from None
    return Period(code, date(start_year, 4, 1), date(start_year + 1, 3, 31))


def recent_quarters(today: date | None = None, n: int = 8) -> list[Period]:
    """The last n whole quarters, newest first."""
    today = today or date.today()
    out = []
    fy, q = financial_year_start(today), (((today.month - 4) % 12) // 3) + 1
    for _i in range(n):
        q -= 1
        if q == 0:
            fy, q = fy - 1, 4
        out.append(quarter(f"{financial_year_code(fy)}-Q{q}"))
    return out


def recent_years(today: date | None = None, n: int = 5) -> list[Period]:
    """The last n whole financial years, newest first."""
    fy = financial_year_start(today or date.today())
    return [financial_year(financial_year_code(y)) for y in range(fy - 1, fy - 1 - n, -1)]


# --- showing counts -----------------------------------------------------------------------------

def _label(code: Code) -> str:
    return code.label_cy if get_language() == "cy" and code.label_cy else code.label


def _labels(list_name: str, term: str | None = None) -> dict[str, str]:
    qs = Code.objects.filter(list=list_name, parent__isnull=True).order_by("position")
    return {c.code: _label(c) for c in qs if term is None or c.attrs.get("term") == term}


@dataclass
class Chart:
    """A chart and the same figures as a table."""

    title: str
    svg: str
    rows: list[tuple[str, str, str]]  # label, count, share
    count_heading: str
    share_heading: str


def _chart(title: str, items: list[tuple[str, int]], total: int, count_heading: str,
           share_heading: str) -> Chart:
    bars = [Bar(label, share_percent(n, total),
                share_text(n, total) if total else count_text(n)) for label, n in items]
    return Chart(title, bar_chart_svg(bars, title, maximum=100),
                 [(label, count_text(n), share_text(n, total)) for label, n in items],
                 count_heading, share_heading)


# --- the figures --------------------------------------------------------------------------------

def completeness(wards: QuerySet[Ward], start: date, end: date) -> dict:
    """Mandatory fields filled, per record and overall, for records of the period."""
    rows = all_rows(wards, start, groups=(), until=end)
    per = []
    filled = applicable = 0
    for scores in quality(wards, (), rows=rows).values():
        if not scores:
            continue
        s = scores[0]
        cells = [f for f in s.fields.values() if f.spec.mandatory]
        a = sum(f.applicable for f in cells)
        fl = sum(f.filled for f in cells)
        filled, applicable = filled + fl, applicable + a
        per.append({"record": _(s.record.title), "records": count_text(s.records),
                    "percent": "–" if not a else f"{100 * fl / a:.0f}%"})
    return {"overall": "–" if not applicable else f"{100 * filled / applicable:.0f}%",
            "overall_value": None if not applicable else 100 * filled / applicable, "records": per}


def headline(wards: QuerySet[Ward], start: date, end: date) -> list[tuple[str, str]]:
    span = (start, end)
    person = Q(person__ward__in=wards)
    during = Q(started_on__lte=end) & (Q(ended_on__isnull=True) | Q(ended_on__gte=start))
    eng = Engagement.objects.filter(person, during)

    def people(qs) -> int:
        return qs.values("person").distinct().count()

    items = [
        (_("Introductions received"),
         Introduction.objects.filter(ward__in=wards, introduced_on__range=span).count()),
        (_("People walked alongside (Level 2)"), people(eng.filter(level__code="L2"))),
        (_("People given information or a connection (Level 1)"), people(eng.filter(level__code="L1"))),
        (_("People who started being walked alongside"),
         people(Engagement.objects.filter(person, level__code="L2", started_on__range=span))),
        (_("Planned endings"), Exit.objects.filter(person, exited_on__range=span,
                                                   point__code="planned_ending").count()),
        (_("People connected to a community group"),
         people(Connection.objects.filter(person, made_on__range=span, group__isnull=False))),
        (_("People with an outcome recorded"),
         people(Outcome.objects.filter(person, observed_on__range=span, present=True))),
        (_("People with an insulator recorded"),
         people(Insulator.objects.filter(person, observed_on__range=span))),
        (_("People who went on to volunteer, run a group or lead"),
         people(Ripple.objects.filter(person, observed_on__range=span))),
        (_("Community groups supported"), GroupSupport.objects.filter(
            group__ward__in=wards, given_on__range=span).values("group").distinct().count()),
        (_("New community groups started"), CommunityGroup.objects.filter(
            ward__in=wards, is_new=True, started_on__range=span).count()),
    ]
    return [(label, count_text(n)) for label, n in items]


def routes(wards: QuerySet[Ward], start: date, end: date) -> Chart:
    f = funnel(wards, start, end)
    names = {"community": _("Community, family, self"), "voluntary": _("Voluntary sector"),
             "housing": _("Housing association"), "statutory": _("Statutory services"), "other": _("Other")}
    total = f["all"].introduced
    return _chart(_("Who made the introductions"), [(names[g], f[g].introduced) for g in GROUPS], total,
                  _("Introductions"), _("Share"))


def engagement(wards: QuerySet[Ward], start: date, end: date) -> dict:
    f = funnel(wards, start, end)
    a = f["all"]
    stages = [(_("Introduced"), a.stages["introduced"]), (_("First contact made"), a.stages["first_contact"]),
              (_("First meeting"), a.stages["first_meeting"]),
              (_("Walking alongside"), a.stages["walking_alongside"])]
    chart = _chart(_("From introduction to walking alongside"), stages, a.introduced, _("People"),
                   _("Share of introductions"))
    return {"chart": chart, "stopped": count_text(a.stopped_early),
            "statutory_share": share_text(f["statutory"].stopped_early, a.stopped_early)}


def patterns(wards: QuerySet[Ward], start: date, end: date) -> dict:
    """Figures 5, 7 and 9 of the study for Level 2 people whose support started in the period."""
    found = cases(wards, start, end)
    charts = []
    for title, kind, labels, of_codings in (
        (_("Problems people came with"), "problems", _labels("problem"), True),
        (_("What Coordinators did (activities)"), "activities", _labels("activity"), True),
        (_("Short-term outcomes"), "outcomes", _labels("outcome", "short"), False),
    ):
        freq = frequencies(found, lambda c, k=kind: c.codes(k), list(labels))
        codings = sum(f.cases for f in freq)
        total = codings if of_codings else len(found)
        charts.append(_chart(title, [(labels[f.code], f.cases) for f in freq], total, _("People"),
                             _("Share of all codings") if of_codings else _("Share of people")))
    return {"people": count_text(len(found)), "charts": charts}


def money(council: Council, period: Period, counts: dict | None = None) -> dict:
    """The programme cost of the financial year and the service-use changes the records price."""
    year = period.financial_year
    counts = counts or counts_by_council(council.wards.all(), year)[council.pk]
    saved = ProgrammeCost.objects.filter(council=council, year=year).select_related("council").first()
    pc = programme_cost(saved, counts)
    price_year = prices.table_year()
    data = balance_sheet_data(council, year, [], counts, price_year, hide_below=SMALL_NUMBER_THRESHOLD)
    data.pop("hidden")
    sheet = read_balance_sheet(data, council.name, prices.table(), prices.index())
    system = sheet.level_summary("system")
    changes = [(_(CHANGES[ch]), pounds(system[f"{ch}_monetised"])) for ch in CHANGES
               if system[f"{ch}_monetised"]]
    per = []
    if pc:
        for label, n in ((_("per person supported"), pc.people_supported),
                         (_("per person walked alongside (Level 2)"), pc.level2_people),
                         (_("per ward resident"), pc.ward_residents)):
            v = pc.per(n)
            per.append((label, "–" if v is None else pounds(v), count_text(n)))
    per_level2 = pc.per(pc.level2_people) if pc else None
    return {"year": year, "total": pounds(pc.total) if pc else None, "per": per, "price_year": price_year,
            "changes": changes, "total_value": pc.total if pc else None,
            "per_level2": "–" if per_level2 is None else pounds(per_level2)}


def story(wards: QuerySet[Ward], end: date) -> Story | None:
    """The latest story the person agreed may be shared and a manager has checked, told without
    their name; never one about a person since erased or whose consent is now refused or
    withdrawn."""
    from alongside.people.models import ConsentRecord

    latest = ConsentRecord.objects.filter(person=OuterRef("person")).order_by("-recorded_on", "-pk")
    return (Story.objects.filter(ward__in=wards, consent_to_share=True, written_on__lte=end,
                                 checked_for_reports_on__isnull=False)
            .annotate(consent_now=Subquery(latest.values("status__code")[:1]))
            .filter(Q(person__isnull=True) | Q(person__erased_on__isnull=True,
                                                   consent_now__in=("given", "not_asked")))
            .order_by("-written_on", "-pk").first())


def site_report(council: Council, period: Period, progress) -> dict:
    wards = council.wards.all()
    year_start = period.end - timedelta(days=364)
    progress(10, _("Scoring the completeness of the data"))
    figures = {"council": council, "period": period,
               "completeness": completeness(wards, period.start, period.end)}
    progress(25, _("Counting introductions, people and groups"))
    figures["headline"] = headline(wards, period.start, period.end)
    figures["routes"] = routes(wards, period.start, period.end)
    progress(40, _("Following introductions to walking alongside"))
    figures["engagement"] = engagement(wards, year_start, period.end)
    progress(55, _("Counting problems, activities and outcomes"))
    figures["patterns"] = patterns(wards, year_start, period.end)
    progress(70, _("Costing the year"))
    figures["money"] = money(council, period)
    figures["story"] = story(wards, period.end)
    figures["year_start"] = year_start
    figures["fidelity"] = fidelity(council, period)
    return figures


def fidelity(council: Council, period: Period) -> dict:
    """The quarter's signed-off self-review against the ten principles, with the measures it was
    judged on (suppressed: the report is published); without one, the measures alone."""
    from alongside.fidelity.measures import measure
    from alongside.fidelity.views import latest, principle_rows, review_figures

    review = latest(council, period.code, signed_off=True)
    figures = review_figures(review) if review else measure(council.wards.all(), period.start, period.end)
    return {"review": review, "rows": principle_rows(figures, review, exact=False)}


def network_report(period: Period, progress) -> dict:
    councils = list(Council.objects.filter(shares_with_network=True).annotate(n_wards=Count("wards"))
                    .order_by("name"))
    wards = Ward.objects.filter(council__in=councils)
    span = (period.start, period.end)
    progress(10, _("Scoring the completeness of the data"))
    figures = {"period": period, "completeness": completeness(wards, period.start, period.end)}
    progress(20, _("Counting introductions, people and groups"))
    figures["headline"] = headline(wards, period.start, period.end)
    figures["routes"] = routes(wards, period.start, period.end)
    intros = dict(Introduction.objects.filter(ward__in=wards, introduced_on__range=span)
                  .values_list("ward__council_id").annotate(n=Count("pk")))
    progress(35, _("Costing each site's year"))
    counts = counts_by_council(wards, period.code)
    rows, total_cost, total_l2 = [], Decimal(0), 0
    for c in councils:
        k = counts.get(c.pk)
        m = money(c, period, k)
        l2 = k["level2_people"] if k else 0
        if m["total_value"] is not None:
            total_cost += m["total_value"]
            total_l2 += l2
        rows.append({"name": c.name, "nation": c.get_nation_display(), "wards": c.n_wards,
                     "introductions": count_text(intros.get(c.pk, 0)), "level2": count_text(l2),
                     "cost": m["total"] or "–", "per_level2": m["per_level2"]})
    figures["sites"] = rows
    figures["network_cost"] = pounds(total_cost) if total_cost else "–"
    figures["network_per_level2"] = pounds(total_cost / total_l2) if total_l2 and total_cost else "–"
    progress(50, _("Following introductions to walking alongside"))
    figures["engagement"] = engagement(wards, period.start, period.end)
    progress(65, _("Counting problems, activities and outcomes"))
    figures["patterns"] = patterns(wards, period.start, period.end)
    progress(75, _("Scoring each site's data"))
    per_site = {s.group[0]: s for s in quality(wards, ("council",), rows={
        "person": all_rows(wards, period.start, ("person",), ("council",), period.end)["person"]})["person"]}
    for r in rows:
        s = per_site.get(r["name"])
        p = s.mandatory_percent if s else None
        r["completeness"] = "–" if p is None else f"{p:.0f}%"
    figures["councils"] = len(councils)
    figures["all_councils"] = Council.objects.count()
    figures["wards"] = wards.count()
    figures["residents"] = f"{wards.aggregate(n=Sum('population'))['n'] or 0:,}"
    return figures
