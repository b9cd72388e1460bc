"""The self-review pages: a manager reviews their site against the ten principles each quarter and
signs it off; commissioners and Network analysts compare sites' measures and ratings, suppressed."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from alongside import scoping
from alongside.accounts.models import Role
from alongside.audit.log import record
from alongside.front.forms import GovukForm
from alongside.front.pages import render_page
from alongside.reports.figures import Period, quarter, recent_quarters

from .measures import BY_KEY, DEFINITIONS, LISTED, Figure, behind, by_principle, measure
from .models import Judgement, SelfReview
from .principles import PRINCIPLES, RATING_HINTS, RATINGS

COMPARERS = (Role.MANAGER, Role.COMMISSIONER, Role.ANALYST)
TREND_QUARTERS = 4


def _manager_council(user):
    if user.role != Role.MANAGER or not user.council_id:
        raise PermissionDenied("The self-review is written by the site's manager.")
    return user.council


def _quarter(request) -> Period:
    code = request.GET.get("quarter") or recent_quarters()[0].code
    try:
        return quarter(code)
    except ValueError:
        raise Http404("No such quarter.") from None


def _url(name: str, period: Period, **more) -> str:
    return f"{reverse(name)}?{urlencode({'quarter': period.code, **more})}"


def latest(council, code: str, signed_off: bool = False) -> SelfReview | None:
    qs = SelfReview.objects.filter(council=council, quarter=code)
    if signed_off:
        qs = qs.filter(signed_off_at__isnull=False)
    return qs.order_by("-version").first()


def principle_rows(figures: list[Figure], review: SelfReview | None, exact: bool,
                   records: Period | None = None) -> list[dict]:
    """The ten principles in order, each with its measures and the review's judgement of it;
    with `records`, each measure links to the records it counts in that quarter."""
    grouped = by_principle(figures)
    judged = {j.principle: j for j in review.judgements.all()} if review else {}
    rows = []
    for p in PRINCIPLES:
        j = judged.get(p.key)
        rows.append({"principle": p, "judgement": j,
                     "rating": dict(RATINGS).get(j.rating) if j else None,
                     "measures": [{"label": f.definition.label, "counts": f.definition.counts,
                                   "target": f.definition.target, "text": f.text(exact), "met": f.met,
                                   "records": _url("fidelity_records", records, measure=f.key)
                                   if records and f.key != "signposted" else None}
                                  for f in grouped.get(p.key, [])]})
    return rows


def review_figures(review: SelfReview) -> list[Figure]:
    return [Figure.from_dict(d) for d in review.measures]


@login_required
def index(request):
    """The manager's quarters, newest first, and each measure's trend; others go to the comparison."""
    if request.user.role in (Role.COMMISSIONER, Role.ANALYST):
        return redirect("fidelity_compare")
    council = _manager_council(request.user)
    wards = scoping.wards(request.user)
    quarters = recent_quarters()
    reviews = {}
    for r in SelfReview.objects.filter(council=council, quarter__in=[q.code for q in quarters]) \
            .select_related("signed_off_by").order_by("version"):
        reviews[r.quarter] = r  # the latest version wins
    signed = set(SelfReview.objects.filter(council=council, signed_off_at__isnull=False)
                 .values_list("quarter", flat=True))
    trend_quarters = list(reversed(quarters[:TREND_QUARTERS]))
    measured = [measure(wards, q.start, q.end) for q in trend_quarters]
    trends = []
    for i, d in enumerate(DEFINITIONS):
        trends.append({"definition": d, "principle": next(p.name for p in PRINCIPLES if p.key == d.principle),
                       "cells": [m[i].text(True) for m in measured]})
    return render_page(request, "fidelity/index.html", {
        "council": council,
        "quarters": [{"period": q, "review": reviews.get(q.code), "signed": q.code in signed,
                      "url": _url("fidelity_review", q)} for q in quarters],
        "trend_quarters": trend_quarters, "trends": trends,
    })


@login_required
def review(request):
    council = _manager_council(request.user)
    period = _quarter(request)
    versions = list(SelfReview.objects.filter(council=council, quarter=period.code)
                    .select_related("written_by", "signed_off_by").order_by("-version"))
    shown = versions[0] if versions else None
    wanted = request.GET.get("version")
    if wanted:
        shown = next((v for v in versions if str(v.version) == wanted), None)
        if shown is None:
            raise Http404("No such version.")
    figures = review_figures(shown) if shown else measure(scoping.wards(request.user), period.start,
                                                          period.end)
    return render_page(request, "fidelity/review.html", {
        "council": council, "period": period, "review": shown, "versions": versions,
        "is_latest": shown is not None and shown == versions[0],
        "rows": principle_rows(figures, shown, exact=True, records=period),
        "edit_url": _url("fidelity_edit", period), "sign_off_url": _url("fidelity_sign_off", period),
        "review_url": _url("fidelity_review", period), "stale": request.GET.get("stale") == "1",
    })


@login_required
def records(request):
    """The people and groups one measure counts in the quarter, as references, for the manager
    to check a figure by: only their own council's, through the scoping layer."""
    council = _manager_council(request.user)
    period = _quarter(request)
    key = request.GET.get("measure", "")
    if key not in BY_KEY:
        raise Http404("No such measure.")
    refs, names, n = behind(scoping.wards(request.user), period.start, period.end, key)
    return render_page(request, "fidelity/records.html", {
        "council": council, "period": period, "definition": BY_KEY[key], "references": refs,
        "groups": names, "people": n, "listed": LISTED, "back": _url("fidelity_review", period),
    })


class SelfReviewForm(GovukForm):
    """For each principle: a rating on the four-point scale, the evidence for it, and the actions."""

    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, f"{label} – {RATING_HINTS[n]}") for n, label in RATINGS]
        for p in PRINCIPLES:
            self.fields[f"{p.key}-rating"] = forms.TypedChoiceField(
                label=_l("Rating"), choices=choices, coerce=int, widget=forms.RadioSelect,
                error_messages={"required": _l("Choose a rating for this principle")})
            self.fields[f"{p.key}-evidence"] = forms.CharField(
                label=_l("Evidence"), required=False, widget=forms.Textarea,
                help_text=_l("What the measures, stories and partners show."))
            self.fields[f"{p.key}-actions"] = forms.CharField(
                label=_l("Actions for next quarter"), required=False, widget=forms.Textarea)

    def hidden(self):
        return self["based_on"]

    def principles(self):
        parts = ("rating", "evidence", "actions")
        return [{"principle": p, "fields": [self[f"{p.key}-{part}"] for part in parts]} for p in PRINCIPLES]

    @classmethod
    def initial_from(cls, review: SelfReview | None) -> dict:
        if review is None:
            return {"based_on": 0}
        out = {"based_on": review.version}
        for j in review.judgements.all():
            out.update({f"{j.principle}-rating": j.rating, f"{j.principle}-evidence": j.evidence,
                        f"{j.principle}-actions": j.actions})
        return out


@login_required
def edit(request):
    council = _manager_council(request.user)
    period = _quarter(request)
    current = latest(council, period.code)
    form = SelfReviewForm(request.POST or None, initial=SelfReviewForm.initial_from(current))
    now_at = current.version if current else 0
    if request.method == "POST" and form.is_valid() and form.cleaned_data["based_on"] != now_at:
        # Saved on top of a version this manager has not read: no lost update, their text kept.
        data = request.POST.copy()
        data["based_on"] = now_at
        form = SelfReviewForm(data)
        form.is_valid()
        form.add_error(None, _("Version %(v)s was saved by %(who)s while you were writing. Read it "
                               "on the review page, then save yours again.")
                       % {"v": now_at, "who": current.written_by.get_full_name() if current.written_by
                          else _("someone else")})
    elif request.method == "POST" and form.is_valid():
        figures = measure(scoping.wards(request.user), period.start, period.end)
        try:
            with transaction.atomic():
                version = (current.version + 1) if current else 1
                new = SelfReview.objects.create(council=council, quarter=period.code, version=version,
                                                written_by=request.user,
                                                measures=[f.as_dict() for f in figures])
                d = form.cleaned_data
                Judgement.objects.bulk_create([
                    Judgement(review=new, principle=p.key, rating=d[f"{p.key}-rating"],
                              evidence=d[f"{p.key}-evidence"], actions=d[f"{p.key}-actions"])
                    for p in PRINCIPLES])
        except IntegrityError:
            # Someone saved a version in the same moment: theirs stands, and this one is shown
            # again, still filled in, to be saved on top of it.
            form.add_error(None, _("Someone else saved this self-review just now. Open it in another "
                                   "tab to read their version, then save yours again."))
        else:
            return _saved(request, council, period, version)
    return render_page(request, "fidelity/edit.html", {
        "form": form, "council": council, "period": period, "current": current,
        "back": _url("fidelity_review", period),
    })


def _saved(request, council, period: Period, version: int):
    record(request, "create", None, what="fidelity_review", council=council.pk,
           quarter=period.code, version=version)
    messages.success(request, _("Self-review saved as version %(v)s. It is not signed off yet.")
                     % {"v": version})
    return redirect(_url("fidelity_review", period))


@login_required
@require_POST
def sign_off(request):
    council = _manager_council(request.user)
    period = _quarter(request)
    current = latest(council, period.code)
    if current is None:
        raise Http404("There is no self-review to sign off.")
    if str(current.version) != request.POST.get("version"):
        # Only the version the manager has read may be signed off.
        return redirect(_url("fidelity_review", period, stale="1"))
    if current.signed_off_at is None:
        current.signed_off_by, current.signed_off_at = request.user, timezone.now()
        current.save(update_fields=["signed_off_by", "signed_off_at"])
        record(request, "update", None, what="fidelity_review_sign_off", council=council.pk,
               quarter=period.code, version=current.version)
        messages.success(request, _("Version %(v)s signed off.") % {"v": current.version})
    return redirect(_url("fidelity_review", period))


def _rating(n: int | None) -> str:
    return f"{n} – {dict(RATINGS)[n]}" if n else "–"


@login_required
def compare(request):
    """Sites side by side: each site's measures for the quarter and its signed-off ratings.
    Counts only, suppressed for everyone: a manager's own council included, as on Sites compared."""
    if request.user.role not in COMPARERS:
        raise PermissionDenied("No sites to compare for this role.")
    councils = list(scoping.aggregate_councils(request.user).order_by("name"))
    if not councils:
        raise PermissionDenied("No sites to compare for this role.")
    period = _quarter(request)
    columns = []
    for c in councils:
        figures = measure(scoping.aggregate_wards(request.user, within=c), period.start, period.end)
        review = latest(c, period.code, signed_off=True)
        ratings = {j.principle: j.rating for j in review.judgements.all()} if review else {}
        columns.append({"council": c, "figures": figures, "ratings": ratings, "review": review})
    rows = []
    for p in PRINCIPLES:
        rows.append({"principle": p,
                     "ratings": [_rating(col["ratings"].get(p.key)) for col in columns],
                     "measures": [{"definition": d,
                                   "cells": [col["figures"][i].text(False) for col in columns]}
                                  for i, d in enumerate(DEFINITIONS) if d.principle == p.key]})
    return render_page(request, "fidelity/compare.html", {
        "period": period, "columns": columns, "rows": rows, "span": len(columns) + 1,
        "quarters": [(q.code, q.label()) for q in recent_quarters()],
    })
