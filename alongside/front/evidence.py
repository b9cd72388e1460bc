"""Evidence pages built from the records: the study's Figures 5–12 (problems, activities,
outcomes and their cross-tabulations), the non-engagement funnel, and QCA on live data.

Everyone who may count a site's records sees them: Coordinators their wards, managers their
council, commissioners their council and Network analysts the sharing councils, with numbers
from 1 to 4 shown as "<5" to the roles that do not see identifiable records.
"""

from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from alongside import scoping
from alongside.accounts.models import Role
from alongside.audit.log import record
from alongside.caching import cached
from alongside.codes.models import Code
from alongside.community.models import CommunityGroup
from alongside.evidence import cells, qca
from alongside.evidence.disclosure import count_text, is_small, rounded, share_percent, share_text
from alongside.evidence.patterns import case_table, crosstab, frequencies
from alongside.evidence.qca.minimize import parse_dir_exp
from alongside.evidence.qca.necessity import expression_membership
from alongside.evidence.sankey import flows, svg
from alongside.journeys.cases import by_council, cases
from alongside.journeys.funnel import EARLY, GROUPS, STAGES, funnel
from alongside.journeys.models import Connection
from alongside.journeys.timeline import LEVELS, level_labels
from alongside.operations import replica

from .forms import GovukForm
from .pages import chosen_period, query_id, render_page

PERIODS = {"12": 365, "24": 730, "all": None}
PERIOD_LABELS = [("12", _l("Last 12 months")), ("24", _l("Last 2 years")), ("all", _l("All time"))]


class Where:
    """The wards a page counts (the user's, narrowed by ?council= and ?ward=) and the period."""

    def __init__(self, request):
        user = request.user
        allowed = scoping.aggregate_wards(user).select_related("council")
        if not allowed.exists():
            raise PermissionDenied("No records to count for this role.")
        self.exact = user.sees_identifiable_records
        self.councils = sorted({(w.council_id, w.council.name) for w in allowed}, key=lambda c: c[1])
        self.council = _int(request.GET.get("council"))
        wards = allowed
        if self.council and any(c == self.council for c, _ in self.councils):
            wards = wards.filter(council_id=self.council)
        else:
            self.council = None
        self.ward_choices = [(w.pk, w.name) for w in wards.order_by("name")]
        self.ward = _int(request.GET.get("ward"))
        if self.ward and any(w == self.ward for w, _ in self.ward_choices):
            wards = wards.filter(pk=self.ward)
        else:
            self.ward = None
        self.wards = wards
        self.period, self.since = chosen_period(request, PERIODS, "12")

    def hidden(self, n: int) -> bool:
        """A count of 1–4 that this user may not see."""
        return not self.exact and is_small(n)

    def count(self, n: int) -> str:
        return count_text(n, self.exact)

    def share(self, n: int, total: int) -> str:
        return share_text(n, total, self.exact)

    def percent(self, n: int, total: int) -> float | None:
        return share_percent(n, total, self.exact)

    def rounded(self, n: int) -> int:
        """n as it may be drawn: a chart's sizes tell no more than its numbers."""
        return n if self.exact else rounded(n)

    def context(self) -> dict:
        return {"councils": self.councils, "council": self.council, "ward_choices": self.ward_choices,
                "ward": self.ward, "period": self.period, "periods": PERIOD_LABELS, "exact": self.exact}


def _cached(request, where: "Where", name: str, build):
    """Counting a whole network takes tens of seconds; the figures need not be fresher than ten
    minutes (as on the sites-compared page). Keyed by the wards counted, the query and the
    language, and whether counts are exact, so no role ever gets another's figures."""
    return cached(f"evidence-{name}", [get_language(), where.exact, request.GET.urlencode(),
                                       *where.wards.values_list("pk", flat=True)], build)


def _int(value) -> int | None:
    return query_id(value)


def _labels(list_name: str, top: bool = True) -> dict[str, str]:
    qs = Code.objects.filter(list=list_name)
    if top:
        qs = qs.filter(parent__isnull=True)
    return {c.code: c.local_label for c in qs.only("code", "label", "label_cy")}


@login_required
@replica.reads
def hub(request):
    where = Where(request)
    role = request.user.role
    return render_page(request, "front/evidence/hub.html", {
        "exact": where.exact, "economics": role in (Role.MANAGER, Role.COMMISSIONER, Role.ANALYST),
        "reports": role in (Role.MANAGER, Role.COMMISSIONER, Role.ANALYST),
        "exports": role == Role.MANAGER})


# Figures 5–12 of the multi-site study, in its order.
FIGURES = [
    ("5", _l("Problems addressed"), "problems", "problem", None),
    ("7", _l("Activities (person level)"), "activities", "activity", None),
    ("9", _l("Short-term outcomes"), "outcomes", "outcome", "short"),
    ("11", _l("Medium-term outcomes"), "outcomes", "outcome", "medium"),
]
CROSSES = [
    ("8", _l("Problems addressed and activities"), "problems", "problem", None),
    ("10", _l("Activities and short-term outcomes"), "outcomes", "outcome", "short"),
    ("12", _l("Activities and medium-term outcomes"), "outcomes", "outcome", "medium"),
]


def _order(list_name: str, term: str | None) -> dict[str, str]:
    labels = _labels(list_name)
    if term:
        terms = dict(Code.objects.filter(list=list_name).values_list("code", "attrs"))
        labels = {c: lab for c, lab in labels.items() if terms[c].get("term") == term}
    return labels


@login_required
@replica.reads
def patterns(request):
    """Figures 5–12 from the records: how many people had each problem, activity and outcome,
    and how they go together; per site and across sites."""
    where = Where(request)
    figures = _cached(request, where, "patterns", lambda: _patterns(where))
    return render_page(request, "front/evidence/patterns.html", {**where.context(), **figures})


def _patterns(where: "Where") -> dict:
    found = cases(where.wards, where.since)
    sites = by_council(found) if len(where.councils) > 1 and not where.council else {}
    figures = []
    for number, title, kind, list_name, term in FIGURES:
        labels = _order(list_name, term)
        columns = [(_("All"), found)] + list(sites.items())
        per = [frequencies(cs, lambda c, k=kind: c.codes(k), list(labels)) for _, cs in columns]
        shares_of = "codings" if kind in ("problems", "activities") else "cases"
        of = [sum(f.cases for f in col) if shares_of == "codings" else len(cs)
              for col, (_name, cs) in zip(per, columns, strict=True)]
        rows = []
        for i, (code, label) in enumerate(labels.items()):
            cells = []
            for col, total in zip(per, of, strict=True):
                n = col[i].cases
                share = where.percent(n, total)
                cells.append({"n": where.count(n), "share": where.share(n, total),
                              "bar": 0 if share is None else round(share)})
            rows.append({"code": code, "label": label, "cells": cells})
        figures.append({"number": number, "title": title, "rows": rows, "shares_of": shares_of,
                        "columns": [name for name, _ in columns]})
    subthemes = _subthemes(found, where)
    activities = _labels("activity")
    crosses = []
    for number, title, kind, list_name, term in CROSSES:
        if kind == "problems":
            rows_l, cols_l = _labels("problem"), activities
            table = crosstab(found, lambda c: c.problems, lambda c: c.activities, list(rows_l), list(cols_l))
        else:
            rows_l, cols_l = activities, _order(list_name, term)
            table = crosstab(found, lambda c: c.activities, lambda c: c.outcomes, list(rows_l), list(cols_l))
        table = [[where.rounded(n) for n in r] for r in table]  # the shading tells no more
        top = max([max(r) for r in table] + [1])
        crosses.append({"number": number, "title": title, "cols": list(cols_l.items()),
                        "rows": [{"code": code, "label": label, "cells": [
                            {"n": where.count(n), "shade": 0 if where.hidden(n) else round(4 * n / top)}
                            for n in table[i]]}
                            for i, (code, label) in enumerate(rows_l.items())]})
    return {"people": where.count(len(found)), "figures": figures, "crosses": crosses,
            "subthemes": subthemes}


def _subthemes(found, where) -> list[dict]:
    """Figure 6, for every problem: the finer reasons recorded under it."""
    finer = Code.objects.filter(list="problem", parent__isnull=False).select_related("parent")
    out: dict[str, dict] = {}
    for code in finer:
        n = sum(1 for c in found if code.code in c.reasons)
        group = out.setdefault(code.parent.code, {"code": code.parent.code, "label": code.parent.local_label,
                                                   "rows": []})
        group["rows"].append({"label": code.local_label, "n": where.count(n)})
    return list(out.values())


@login_required
@replica.reads
def non_engagement(request):
    where = Where(request)
    funnels = funnel(where.wards, where.since)
    route_labels = {"all": _("All introductions"), "community": _("Community, family, self"),
                    "voluntary": _("Voluntary sector"), "housing": _("Housing association"),
                    "statutory": _("Statutory services"), "other": _("Other")}
    stage_labels = {"introduced": _("Introduced"), "first_contact": _("First contact made"),
                    "first_meeting": _("First meeting"), "walking_alongside": _("Walking alongside")}
    responses = _labels("exit_response")
    responses["not_recorded"] = _("Not recorded")
    rows = []
    for g in ("all", *GROUPS):
        f = funnels[g]
        st = f.stages
        rows.append({"label": route_labels[g], "all": g == "all", "cells": [
            {"n": where.count(st[s]), "share": where.share(st[s], f.introduced)} for s in STAGES],
            "stopped": where.count(f.stopped_early),
            "stopped_share": where.share(f.stopped_early, f.introduced)})
    total_early = funnels["all"].stopped_early
    statutory = funnels["statutory"].stopped_early
    points = _labels("exit_point")
    reasons = []
    for point in EARLY:
        counts = funnels["all"].reasons[point]
        reasons.append({"point": points[point], "rows": [
            {"label": responses.get(r, r), "n": where.count(n), "share": where.share(n, sum(counts.values()))}
            for r, n in sorted(counts.items(), key=lambda kv: -kv[1])]})
    return render_page(request, "front/evidence/funnel.html", {
        **where.context(), "stages": [stage_labels[s] for s in STAGES], "rows": rows,
        "reasons": reasons, "statutory_share": where.share(statutory, total_early),
        "stopped": where.count(total_early)})


# --- The strengths-based model across people ---------------------------------------------------

def _final(case) -> str:
    if any(o == "IC" or o.startswith("IC.") for o in case.outcomes):
        return "in_control"
    if any(o.startswith("MTO") for o in case.outcomes):
        return "medium"
    if any(o.startswith("STO") for o in case.outcomes):
        return "short"
    return "none_yet"


@login_required
@replica.reads
def model_flows(request):
    """Part Four of the study for a ward or site: from context and triggers, through the levels
    the Coordinators worked at, to insulators and outcomes; each column adds up to the people."""
    where = Where(request)
    level = request.GET.get("level", "")
    # Community groups are offered within one site: a whole network has thousands.
    groups = list(CommunityGroup.objects.filter(ward__in=where.wards).order_by("name")
                  .values_list("pk", "name")) if len(where.councils) == 1 or where.council else []
    group = _int(request.GET.get("group"))
    group = group if any(pk == group for pk, _name in groups) else None
    flows_context = _cached(request, where, "model", lambda: _model_flows(where, level, group))
    return render_page(request, "front/evidence/model.html", {
        **where.context(), **flows_context, "level": level,
        "levels": [("", _("All levels")), *level_labels().items()], "groups": groups, "group": group})


def _model_flows(where: "Where", level: str, group: int | None = None) -> dict:
    found = cases(where.wards, where.since)
    if level in LEVELS:
        found = [c for c in found if level in c.activity_levels]
    if group:
        connected = set(Connection.objects.filter(group_id=group).values_list("person_id", flat=True))
        found = [c for c in found if c.person in connected]
    trigger_level = dict(Code.objects.filter(list="trigger").values_list("code", "attrs__level"))
    insulator_level = dict(Code.objects.filter(list="insulator").values_list("code", "attrs__level"))
    contexts = _labels("context")
    lv = level_labels()
    labels = {**contexts, **{f"t:{k}": v for k, v in lv.items()}, **{f"a:{k}": v for k, v in lv.items()},
              **{f"i:{k}": v for k, v in lv.items()},
              "none": _("None recorded"), "t:none": _("None recorded"), "a:none": _("None recorded"),
              "i:none": _("None built yet"), "in_control": _("In control of own life"),
              "medium": _("A medium-term outcome"), "short": _("Short-term outcomes only"),
              "none_yet": _("No outcome recorded yet")}
    paths = [[c.contexts or {"none"},
              {f"t:{trigger_level[t]}" for t in c.triggers} or {"t:none"},
              {f"a:{a}" for a in c.activity_levels} or {"a:none"},
              {f"i:{insulator_level[i]}" for i in c.insulators} or {"i:none"},
              {_final(c)}] for c in found]
    stages = [[*contexts, "none"], [f"t:{k}" for k in (*LEVELS, "none")],
              [f"a:{k}" for k in (*LEVELS, "none")], [f"i:{k}" for k in (*LEVELS, "none")],
              ["in_control", "medium", "short", "none_yet"]]
    titles = [_("Context"), _("Triggers"), _("Activities"), _("Insulators"), _("Outcome")]
    links = flows(paths)
    small = where.hidden(len(found))
    table = []
    for (i, a, b), v in sorted(links.items(), key=lambda kv: (kv[0][0], -kv[1])):
        n = round(v)
        table.append({"from": f"{titles[i]}: {labels.get(a, a)}",
                      "to": f"{titles[i + 1]}: {labels.get(b, b)}", "n": where.count(n)})
    # For a role that sees small numbers suppressed, bands of fewer than 5 people are not drawn
    # (their width would give the number away) and the nodes' numbers follow the table's rule.
    drawn = links if where.exact else {k: where.rounded(round(v)) for k, v in links.items()
                                       if not where.hidden(round(v))}
    picture = None if small or not found or not drawn else svg(
        stages, titles, drawn, labels, title=_("Flows of people through the strengths-based model"),
        count=lambda v: where.count(round(v)))
    return {"people": where.count(len(found)), "svg": picture, "table": table,
            "undrawn": len(links) - len(drawn)}


# --- QCA on live data -------------------------------------------------------------------------

def _coded(code: str, label: str) -> str:
    """A code list's own short code (A3, PA1, STO2) is shown with its label; a finer internal
    key (IC.navigate) is not."""
    return label if "." in code else f"{code} {label}"


def _condition_choices():
    acts = [(f"activities:{c}", _coded(c, lab)) for c, lab in _labels("activity").items()]
    probs = [(f"problems:{c}", _coded(c, lab)) for c, lab in _labels("problem").items()]
    ctx = [(f"contexts:{c}", lab) for c, lab in _labels("context").items()]
    rel = [(f"relationship:{c}", lab) for c, lab in _labels("relationship_type").items()]
    how_many = [(f"breadth:{key}", str(b.label)) for key, b in BREADTH.items()]
    return [(_("Activities"), acts), (_("Problems at introduction"), probs), (_("Context"), ctx),
            (_("Relationship with the Coordinator"), rel),
            (_("How many (multi-value: 0, 1 or 2)"), how_many)]


@dataclass(frozen=True)
class Breadth:
    """A multi-value condition counted from a case's codes and banded into 0, 1, 2: how
    widely the Coordinator worked, which the study read from its stories."""

    name: str  # as R QCA writes it: KINDS[2]
    label: str
    kind: str  # the Case field counted
    bands: tuple[str, str, str]  # what 0, 1 and 2 mean, for the page
    upper: tuple[int, int]  # the most codes that still score 0, then 1

    def value(self, case) -> int:
        n = len(case.codes(self.kind))
        return 0 if n <= self.upper[0] else 1 if n <= self.upper[1] else 2


BREADTH = {
    "kinds": Breadth("KINDS", _l("Kinds of activity (A1 to A7)"), "activities",
                     (_l("one or none"), _l("two or three"), _l("four or more")), (1, 3)),
    "levels": Breadth("LEVELS", _l("Levels worked at (individual, community, system)"),
                      "activity_levels", (_l("one or none"), _l("two"), _l("all three")), (1, 2)),
    "problems": Breadth("PROBLEMS", _l("Problems at introduction (PA1 to PA4)"), "problems",
                        (_l("one or none"), _l("two"), _l("three or more")), (1, 2)),
}


def _outcome_choices():
    outcomes = [(f"outcomes:{c.code}", _coded(c.code, c.local_label)) for c in
                Code.objects.filter(list="outcome").exclude(attrs__term="community")]
    insulators = [(f"insulators:{c}", lab) for c, lab in _labels("insulator").items()]
    return [(_("Outcomes"), outcomes), (_("Insulators"), insulators)]


MAX_CONDITIONS = 8
# One row per person, even without references, is row-level data: the site's own managers
# only. Analysts (and commissioners) get the analysis, never the cases (issue 29).
CASE_TABLE_ROLES = (Role.MANAGER,)


class QCAForm(GovukForm):
    outcome = forms.ChoiceField(label=_l("Outcome"))
    conditions = forms.MultipleChoiceField(
        label=_l("Conditions"), widget=forms.CheckboxSelectMultiple,
        help_text=_l("Choose 2 to 8. Each is present (1) or absent (0) for each person; a "
                     "“how many” condition takes 0, 1 or 2 and is written KINDS[2]."))
    incl_cut = forms.FloatField(label=_l("Consistency cut-off"), min_value=0.5, max_value=1, initial=0.8)
    n_cut = forms.IntegerField(label=_l("Fewest cases per row"), min_value=1, max_value=100, initial=1)
    dir_exp = forms.CharField(
        label=_l("Directional expectations"), required=False, max_length=500,
        help_text=_l("For the intermediate solution: the conditions you expect to go with the "
                     "outcome when present, or absent with ~, in R's notation. For example "
                     "A1, ~PA3, KINDS[1,2] or, for a combination, ~A4*A5."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = _outcome_choices()
        self.fields["conditions"].choices = _condition_choices()

    def clean_conditions(self):
        chosen = self.cleaned_data["conditions"]
        if not 2 <= len(chosen) <= MAX_CONDITIONS:
            raise forms.ValidationError(_("Choose from 2 to %(n)d conditions") % {"n": MAX_CONDITIONS})
        return chosen

    def clean(self):
        d = super().clean()
        text = (d.get("dir_exp") or "").strip()
        if text and d.get("conditions"):
            names = [_name(c) for c in d["conditions"]]
            levels = [3 if c.startswith("breadth:") else 2 for c in d["conditions"]]
            try:
                parse_dir_exp(text, names, levels)
            except qca.QCAError as e:
                self.add_error("dir_exp", str(e).removeprefix("dir_exp: "))
        return d


def _test(choice: str):
    kind, code = choice.split(":", 1)
    if kind == "breadth":
        return BREADTH[code].value
    if kind == "relationship":
        return lambda c: c.relationship == code
    return lambda c: code in c.codes(kind)


def _name(choice: str) -> str:
    """A QCA condition name: letters, digits and underscores, as R QCA wants."""
    kind, code = choice.split(":", 1)
    if kind == "breadth":
        return BREADTH[code].name
    name = code.upper().replace(".", "_") if kind in ("activities", "problems", "outcomes") else code.upper()
    return "".join(ch if ch.isalnum() else "_" for ch in name)


@login_required
@replica.reads
def qca_page(request):
    """An analyst picks an outcome and conditions; the page builds the case table from the
    records (Level 2 people, including those who stopped early), then the truth table, the
    solutions and the XY plot; the case table downloads as CSV for R's QCA package."""
    where = Where(request)
    form = QCAForm(request.GET if "outcome" in request.GET else None)
    result = None
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        found = cases(where.wards, where.since)
        conditions = {_name(c): _test(c) for c in d["conditions"]}
        outcome_name = _name(d["outcome"])
        names, rows = case_table(found, _test(d["outcome"]), conditions)
        if request.GET.get("format") == "csv":
            if request.user.role not in CASE_TABLE_ROLES:
                raise PermissionDenied("The case table is one row per person: the site's managers only.")
            record(request, "export", None, what="qca case table", cases=len(rows))
            return _csv(names, outcome_name, rows)
        breadth = {BREADTH[c.split(":")[1]].name: BREADTH[c.split(":")[1]]
                   for c in d["conditions"] if c.startswith("breadth:")}
        result = _analyse(names, outcome_name, rows, d, where, breadth)
    return render_page(request, "front/evidence/qca.html", {
        **where.context(), "form": form, "result": result, "query": request.GET.urlencode(),
        "may_download": request.user.role in CASE_TABLE_ROLES})


def _csv(names, outcome, rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="qca-cases.csv"'
    w = cells.writer(response)  # memberships stay numbers; no text cell opens as a formula
    w.writerow(["case", *names, outcome])
    # Case numbers only: the table never carries a reference, so it can go to R as it is.
    for i, r in enumerate(rows, start=1):
        w.writerow([f"C{i}", *r])
    return response


QCA_TIME_LIMIT = 10  # seconds per chart: a page must answer, and says when it stopped early


def _analyse(names, outcome, rows, d, where, breadth=None) -> dict:
    n = len(rows)
    if n < 2:
        return {"error": _("Fewer than 2 people in this selection: nothing to analyse."), "n": n}
    for j, name in enumerate(names):
        b = (breadth or {}).get(name)
        empty = [v for v in range(3) if b and not any(r[j] == v for r in rows)]
        if empty:
            # R QCA (and ours) want every value of a multi-value condition present
            return {"error": _("Nobody in this selection has %(c)s %(band)s (%(name)s[%(v)d]): "
                               "choose another condition or a wider selection.")
                    % {"c": b.label, "band": b.bands[empty[0]], "name": name, "v": empty[0]},
                    "n": n}
    columns = {name: [r[j] for r in rows] for j, name in enumerate(names)}
    columns[outcome] = [r[-1] for r in rows]
    data = qca.from_columns([f"C{i}" for i in range(1, n + 1)], columns, source="records")
    try:
        tt = qca.truth_table(data, outcome, names, incl_cut=d["incl_cut"], n_cut=d["n_cut"])
        solutions = []
        asked = [("", None, _("Conservative solution")), ("?", None, _("Parsimonious solution"))]
        if d.get("dir_exp"):
            asked.append(("?", d["dir_exp"], _("Intermediate solution")))
        for include, dir_exp, label in asked:
            try:
                sol = qca.minimize(tt, include=include, dir_exp=dir_exp, time_limit=QCA_TIME_LIMIT)
                out = sol.as_dict()
                solutions.append({"label": label, "lines": sol.lines(), "models": out["models"],
                                  "note": out["note"], "pairs": out.get("pairs", []),
                                  "terms": out["terms"] if len(out["models"]) > 1 else []})
            except qca.QCAError as e:
                solutions.append({"label": label, "error": str(e)})
    except qca.QCAError as e:
        return {"error": str(e), "n": n}
    with_outcome = sum(r[-1] for r in rows)
    tt_rows = []
    for r in tt.rows:
        hidden = where.hidden(r.n)
        tt_rows.append({"values": r.values, "out": r.out, "n": where.count(r.n),
                        "incl": "–" if hidden or r.incl is None else f"{r.incl:.3f}",
                        "pri": "–" if hidden or r.pri is None else f"{r.pri:.3f}"})
    xy = _xy(data, rows, solutions, where) if solutions and "models" in solutions[-1] else None
    bands = [{"name": name, "label": b.label, "bands": b.bands}
             for name, b in (breadth or {}).items()]
    return {"n": where.count(n), "with_outcome": where.count(with_outcome), "names": names,
            "outcome": outcome, "tt": tt_rows, "solutions": solutions, "xy": xy, "bands": bands}


def _xy(data, rows, solutions, where) -> dict:
    """The XY plot of the first parsimonious model against the outcome. With crisp sets each
    case sits in one of four corners; the plot shows how many are in each."""
    model = solutions[-1]["models"][0]
    terms = [t["term"] for t in model["terms"]]
    x = expression_membership(" + ".join(terms), data) if terms else [0] * len(rows)
    corners = {(0, 0): 0, (0, 1): 0, (1, 0): 0, (1, 1): 0}
    for xi, r in zip(x, rows, strict=True):
        corners[(int(xi > 0.5), r[-1])] += 1
    corners = {k: where.rounded(n) for k, n in corners.items()}  # the circles tell no more
    biggest = max(corners.values()) or 1
    fit = model["fit"]
    return {"expression": model["expression"], "consistency": fit.get("inclS"), "coverage": fit.get("covS"),
            "table": [[where.count(corners[(0, 0)]), where.count(corners[(0, 1)])],
                      [where.count(corners[(1, 0)]), where.count(corners[(1, 1)])]],
            # A suppressed corner gets the smallest circle: its size would give the count away.
            "points": [{"x": 60 + 300 * cx, "y": 340 - 300 * cy, "n": where.count(n),
                        "r": 0 if not n else 8 if where.hidden(n)
                        else 8 + 30 * (n / biggest) ** 0.5}
                       for (cx, cy), n in corners.items()]}
