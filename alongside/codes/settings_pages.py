"""Code lists in the configuration area: an administrator adds a code, relabels one in English
and Welsh, or retires it, without editing YAML. A retired code is offered for nothing new but
stays readable on the records that hold it. What is set here is marked (`set_here`), so that a
new version of the shipped lists does not undo it. Every change is audited."""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from alongside.accounts.models import Role
from alongside.audit.log import record
from alongside.front.forms import GovukForm
from alongside.front.pages import render_page

from .language import page_language
from .loader import read_codelists
from .models import Code

CODE_SHAPE = re.compile(r"^[a-z][a-z0-9_]{1,38}$")


def _administrator(user) -> None:
    if user.role != Role.ADMINISTRATOR:
        raise PermissionDenied("Code lists are an administrator's.")


def _titles() -> dict[str, str]:
    """Each list's title in the page's language (the file carries both)."""
    welsh = page_language() == "cy"
    return {name: (spec.get("title_cy") if welsh else None) or spec.get("title", name)
            for name, spec in read_codelists()["lists"].items()}


class CodeForm(GovukForm):
    label = forms.CharField(label=_l("Label in English"), max_length=200)
    label_cy = forms.CharField(label=_l("Label in Welsh"), max_length=200)
    active = forms.BooleanField(label=_l("Offered for new records"), required=False,
                                help_text=_l("Untick to retire it: records that hold it keep it"))


class NewCodeForm(CodeForm):
    code = forms.CharField(label=_l("Code"), max_length=40,
                           help_text=_l("Lower-case letters, digits and _, starting with a letter: it "
                                        "is stored with the records and in exports, never shown"))
    field_order = ["code", "label", "label_cy"]

    def __init__(self, *args, list_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.list_name = list_name
        del self.fields["active"]

    def clean_code(self):
        value = self.cleaned_data["code"].strip()
        if not CODE_SHAPE.match(value):
            raise forms.ValidationError(_("Use lower-case letters, digits and _, starting with a letter"))
        if Code.objects.filter(list=self.list_name, code=value).exists():
            raise forms.ValidationError(_("This list has that code already"))
        return value


@login_required
def code_lists(request):
    _administrator(request.user)
    titles = _titles()
    counts = {}
    for c in Code.objects.values_list("list", "active"):
        counts.setdefault(c[0], [0, 0])[0 if c[1] else 1] += 1
    return render_page(request, "codes/lists.html", {
        "lists": [(name, title, *counts.get(name, [0, 0])) for name, title in titles.items()]})


@login_required
def code_list(request, name: str):
    _administrator(request.user)
    titles = _titles()
    if name not in titles:
        raise Http404("No such code list.")
    form = NewCodeForm(request.POST or None, list_name=name)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with transaction.atomic():
            position = (Code.objects.filter(list=name).aggregate(p=Max("position"))["p"] or 0) + 1
            made = Code.objects.create(list=name, code=d["code"], label=d["label"], label_cy=d["label_cy"],
                                       position=position, version="local", attrs={"set_here": True})
            record(request, "create", None, what="code", list=name, code=made.code)
        messages.success(request, _("Code %(label)s added") % {"label": made.label})
        return redirect("settings_code_list", name)
    return render_page(request, "codes/list.html", {
        "name": name, "title": titles[name], "codes": Code.objects.filter(list=name).order_by("position"),
        "form": form})


@login_required
def code_edit(request, pk: int):
    _administrator(request.user)
    c = get_object_or_404(Code, pk=pk)
    form = CodeForm(request.POST or None, initial={"label": c.label, "label_cy": c.label_cy,
                                                   "active": c.active})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        before = {"label": c.label, "label_cy": c.label_cy, "active": c.active}
        with transaction.atomic():
            c.label, c.label_cy, c.active = d["label"], d["label_cy"], d["active"]
            c.attrs = {**(c.attrs or {}), "set_here": True}
            c.save()
            record(request, "update", None, what="code", list=c.list, code=c.code,
                   changed={k: [before[k], d[k]] for k in before if before[k] != d[k]})
        messages.success(request, _("Code saved"))
        return redirect("settings_code_list", c.list)
    return render_page(request, "front/record.html", {
        "form": form, "heading": _("Change a code"), "caption": c.local_label,
        "back": f"/settings/codes/{c.list}/"})
