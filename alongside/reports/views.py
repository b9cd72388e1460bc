"""Asking for a report, watching it being written, and opening it as a web page or a PDF.

Site reports are for the council's manager and commissioner (and Network analysts, for councils
that share with the Network); the Network report is for Network analysts. A report holds counts
only, with small numbers suppressed, but it is still shown only to those who could have asked
for it.
"""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from alongside import scoping
from alongside.accounts.models import Role
from alongside.audit.log import record
from alongside.front.forms import GovukForm
from alongside.front.pages import render_page
from alongside.operations import work

from . import figures
from .models import Report
from .writing import period_of

SITE_ROLES = (Role.MANAGER, Role.COMMISSIONER, Role.ANALYST)


def _may_ask(user) -> bool:
    return user.role in SITE_ROLES


class ReportForm(GovukForm):
    kind = forms.ChoiceField(label=_l("Report"), widget=forms.RadioSelect)
    council = forms.ModelChoiceField(None, label=_l("Site"), required=False, empty_label=None)
    quarter = forms.ChoiceField(label=_l("Quarter"), required=False)
    year = forms.ChoiceField(label=_l("Financial year"), required=False)
    language = forms.ChoiceField(label=_l("Language"), widget=forms.RadioSelect,
                                 choices=[("en", "English"), ("cy", "Cymraeg")])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [(Report.Kind.SITE, _("Quarterly site report, for a council committee"))]
        if user.role == Role.ANALYST:
            kinds.append((Report.Kind.NETWORK, _("Annual Network report")))
        self.fields["kind"].choices = kinds
        self.fields["kind"].initial = Report.Kind.SITE
        self.fields["council"].queryset = scoping.aggregate_councils(user).order_by("name")
        self.fields["council"].initial = user.council_id
        self.fields["quarter"].choices = [(p.code, p.label()) for p in figures.recent_quarters()]
        self.fields["year"].choices = [(p.code, p.label()) for p in figures.recent_years()]
        self.fields["language"].initial = "cy" if get_language() == "cy" else "en"
        for name in ("council", "quarter", "year"):  # each needed by one kind of report
            self.fields[name].conditional = True

    def clean(self):
        d = super().clean()
        if d.get("kind") == Report.Kind.SITE and not d.get("council"):
            self.add_error("council", _("Choose the site"))
        return d

    def report(self, user) -> Report:
        d = self.cleaned_data
        site = d["kind"] == Report.Kind.SITE
        return Report(kind=d["kind"], council=d["council"] if site else None,
                      period=d["quarter"] if site else d["year"], language=d["language"], requested_by=user)


def visible_reports(user):
    """Reports this user may open: site reports of the councils they count, and for analysts the
    Network's."""
    if not _may_ask(user):
        return Report.objects.none()
    councils = scoping.aggregate_councils(user)
    mine = Report.objects.filter(kind=Report.Kind.SITE, council__in=councils)
    if user.role == Role.ANALYST:
        mine = mine | Report.objects.filter(kind=Report.Kind.NETWORK)
    return mine.select_related("council", "requested_by")


def _report_or_404(user, pk: int) -> Report:
    try:
        return visible_reports(user).get(pk=pk)
    except Report.DoesNotExist:
        raise Http404("No such report.") from None


@login_required
def reports(request):
    user = request.user
    if not _may_ask(user):
        raise PermissionDenied("Reports are for managers, commissioners and Network analysts.")
    form = ReportForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        report = form.report(user)
        with transaction.atomic():
            report.save()
            work.queue(report)
        record(request, "export", None, what=f"{report.kind} report", period=report.period)
        return redirect("report", report.pk)
    return render_page(request, "reports/list.html", {
        "form": form, "reports": visible_reports(user).defer("html", "pdf")[:30]})


@login_required
def report(request, pk: int):
    r = _report_or_404(request.user, pk)
    return render_page(request, "reports/status.html", {
        "report": r, "period": _label(r), "no_worker": r.waiting and not work.worker_alive()})


def _label(r: Report) -> str:
    try:
        return period_of(r).label()
    except ValueError:
        return r.period


@login_required
# A written report is a standalone document with its own stylesheet in the page, written before
# any request (so with no nonce): its styles are allowed inline; scripts stay forbidden.
@csp_update({"style-src": [UNSAFE_INLINE]})
def report_html(request, pk: int):
    r = _report_or_404(request.user, pk)
    if r.status != Report.Status.DONE:
        return redirect("report", pk)
    return HttpResponse(r.html)


@login_required
def report_pdf(request, pk: int):
    r = _report_or_404(request.user, pk)
    if r.status != Report.Status.DONE:
        return redirect("report", pk)
    name = f"alongside-{r.kind}-{(r.council.name if r.council else 'network')}-{r.period}-{r.language}"
    name = name.replace(" ", "-").replace("/", "-").lower()
    response = HttpResponse(bytes(r.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response
