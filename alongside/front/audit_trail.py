"""The audit trail, reviewable: who viewed, changed, exported or erased whose record.

A manager reviews their own council (events about its people and events by its staff); an
administrator reviews everything and can check the hash chain. Nobody else sees the trail.
The trail names people only by their pseudonymous reference.
"""

import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from alongside.accounts.models import Role, User
from alongside.audit import chain
from alongside.audit.log import record
from alongside.audit.models import AuditEvent
from alongside.evidence import cells

from .forms import DateField, GovukForm
from .pages import render_page

PAGE_SIZE = 50


def trail(user: User) -> QuerySet[AuditEvent]:
    if user.role == Role.ADMINISTRATOR:
        return AuditEvent.objects.all()
    if user.role == Role.MANAGER and user.council_id:
        return AuditEvent.objects.filter(Q(person__ward__council_id=user.council_id)
                                         | Q(user__council_id=user.council_id))
    raise PermissionDenied(_("Only managers and administrators review the audit trail."))


class TrailFilter(GovukForm):
    who = forms.CharField(label=_l("User name"), required=False, max_length=150)
    person = forms.CharField(label=_l("Person reference"), required=False, max_length=12,
                             help_text=_l("For example P-AB12CD3"))
    action = forms.ChoiceField(label=_l("What they did"), required=False,
                               choices=[("", _l("Anything"))] + AuditEvent.Action.choices)
    since = DateField(label=_l("From"), required=False, today=False)
    until = DateField(label=_l("To"), required=False, today=False)

    def apply(self, qs: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        f = self.cleaned_data
        if f.get("who"):
            qs = qs.filter(username__iexact=f["who"].strip())
        if f.get("person"):
            qs = qs.filter(person_reference__iexact=f["person"].strip())
        if f.get("action"):
            qs = qs.filter(action=f["action"])
        if f.get("since"):
            qs = qs.filter(at__date__gte=f["since"])
        if f.get("until"):
            qs = qs.filter(at__date__lte=f["until"])
        return qs


def _csv(events: QuerySet[AuditEvent]) -> HttpResponse:
    out = io.StringIO()
    writer = cells.writer(out)  # what people typed (path, detail) never opens as a formula
    writer.writerow(["id", "at", "username", "role", "action", "person_reference", "path", "detail",
                     "previous_hash", "hash"])
    for e in events.order_by("id").iterator(chunk_size=2000):
        writer.writerow([e.id, e.at.isoformat(), e.username, e.role, e.action, e.person_reference,
                         e.path, e.detail, e.previous_hash, e.hash])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="audit-trail-{stamp}.csv"'
    return response


@login_required
def audit_trail(request):
    events = trail(request.user)
    form = TrailFilter(request.GET or None)
    if form.is_bound and form.is_valid():
        events = form.apply(events)
    elif form.is_bound:
        events = events.none()
    if request.GET.get("format") == "csv":
        response = _csv(events)
        record(request, AuditEvent.Action.EXPORT, None, what="audit trail",
               filters={k: v for k, v in request.GET.items() if k != "format" and v})
        return response
    verdict = None
    if request.method == "POST" and request.user.role == Role.ADMINISTRATOR:
        verdict = chain.verify()
    page = Paginator(events.order_by("-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render_page(request, "front/audit_trail.html", {
        "form": form, "page": page, "query": query.urlencode(), "verdict": verdict,
        "may_check": request.user.role == Role.ADMINISTRATOR,
    })
