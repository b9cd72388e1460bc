"""A person's rights, exercised by the practitioners who hold their record: everything held
about them (subject access), and erasure of their identifiers (a manager's decision)."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from alongside import scoping
from alongside.accounts.models import Role
from alongside.audit.log import record
from alongside.audit.models import AuditEvent
from alongside.people.privacy import erase, subject_access
from alongside.reports.writing import render_pdf

from .forms import GovukForm
from .pages import render_page
from .viewing import audited


@login_required
def subject_access_view(request, reference):
    person = scoping.person_or_404(request.user, reference)
    fmt = request.GET.get("format", "html")
    if fmt not in ("html", "json", "pdf"):
        fmt = "html"
    record(request, AuditEvent.Action.EXPORT, person, what="subject access", format=fmt)
    held = subject_access(person)
    held["produced"] = timezone.localtime().isoformat(timespec="minutes")
    held["produced_by"] = request.user.get_full_name() or request.user.get_username()
    name = f"subject-access-{person.reference}"
    if fmt == "json":
        response = HttpResponse(json.dumps(held, indent=2, ensure_ascii=False, default=str),
                                content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    html = render_to_string("front/subject_access.html", {
        "held": held, "person": person, "language": get_language(), "pdf": fmt == "pdf"}, request)
    if fmt == "pdf":
        response = HttpResponse(render_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    return HttpResponse(html)


class EraseForm(GovukForm):
    reason = forms.ChoiceField(label=_l("Why are the identifiers being erased?"), widget=forms.RadioSelect,
                               choices=[("request", _l("The person asked (right to erasure)")),
                                        ("retention", _l("The retention period has passed")),
                                        ("other", _l("Another reason agreed with information governance"))])
    confirm = forms.CharField(label=_l("Type the person’s reference to confirm"), max_length=12)

    def __init__(self, *args, reference: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.reference = reference

    def clean_confirm(self):
        typed = self.cleaned_data["confirm"].strip().upper()
        if typed != self.reference:
            raise forms.ValidationError(_("Type %(reference)s exactly to confirm")
                                        % {"reference": self.reference})
        return typed


@login_required
@audited("erase page")
def erase_view(request, reference):
    if request.user.role != Role.MANAGER:
        raise PermissionDenied(_("Only a manager can erase a person’s identifiers."))
    person = scoping.person_or_404(request.user, reference)
    if person.erased_on:
        messages.info(request, _("This person’s identifiers were already erased."))
        return redirect("person", reference)
    form = EraseForm(request.POST or None, reference=person.reference)
    if request.method == "POST" and form.is_valid():
        blanked = erase(person)
        record(request, AuditEvent.Action.ERASE, person, reason=form.cleaned_data["reason"],
               records=blanked)
        messages.success(request, _("Identifiers erased. The anonymous record stays in the counts."))
        return redirect("person", reference)
    return render_page(request, "front/erase.html", {
        "form": form, "person": person, "heading": _("Erase identifiers"), "caption": str(person),
        "back": reverse("person", args=[reference]), "submit": _("Erase identifiers"),
    })
