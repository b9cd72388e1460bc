"""The configuration area's councils and wards, in the service's own pages (not the Django
admin): an administrator adds a council and its wards, by hand or from a CSV of ward codes and
names; a manager sees their own council's. Every change goes in the audit trail.

ONS codes are checked by their shape: a council's is E06–E09 or W06 and six digits, a ward's
E05 or W05 and six digits (the ONS's GSS codes for local authorities and electoral wards).
"""

from __future__ import annotations

import csv
import io
import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from alongside.accounts.models import Role
from alongside.audit.log import record
from alongside.codes.language import LANGUAGES
from alongside.front.forms import GovukModelForm
from alongside.front.pages import render_page

from .models import Council, Ward

COUNCIL_CODE = re.compile(r"^(E0[6-9]|W06)\d{6}$")
WARD_CODE = re.compile(r"^[EW]05\d{6}$")
MAX_CSV = 1024 * 1024


def _administrator(user) -> None:
    if user.role != Role.ADMINISTRATOR:
        raise PermissionDenied("Councils and wards are set up by an administrator.")


def _council_for(user, pk: int) -> Council:
    """An administrator's any council; a manager's own only (to read)."""
    if user.role == Role.ADMINISTRATOR:
        return get_object_or_404(Council, pk=pk)
    if user.role == Role.MANAGER and user.council_id == pk:
        return user.council
    raise PermissionDenied("Only your own council.")


class CouncilForm(GovukModelForm):
    class Meta:
        model = Council
        fields = ["name", "name_cy", "ons_code", "nation", "first_language", "shares_with_network"]
        labels = {"name": _l("Name"), "name_cy": _l("Name in Welsh"), "ons_code": _l("ONS code"),
                  "nation": _l("Nation"), "first_language": _l("The language its staff see first"),
                  "shares_with_network": _l("Shares pseudonymised records with the LAC Network")}
        help_texts = {"ons_code": _l("The local authority's code, for example E06000052 or W06000015"),
                      "name_cy": _l("For a Welsh council, and any council whose pages are shown in Welsh"),
                      "shares_with_network": _l("Under the LAC Network's data sharing agreement: its "
                                                "analysts then see this council's counts beside others'")}
        widgets = {"nation": forms.RadioSelect, "first_language": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nation"].choices = [("england", _("England")), ("wales", _("Wales"))]
        self.fields["first_language"].choices = [(c, n) for c, n in LANGUAGES if c]

    def clean_ons_code(self):
        code = self.cleaned_data["ons_code"].strip().upper()
        if not COUNCIL_CODE.match(code):
            raise forms.ValidationError(_("Enter the council's ONS code: E06, E07, E08, E09 or W06 and six "
                                          "digits, for example E06000052"))
        return code


class WardForm(GovukModelForm):
    class Meta:
        model = Ward
        fields = ["name", "ons_code", "population"]
        labels = {"name": _l("Name"), "ons_code": _l("ONS ward code"), "population": _l("Population")}
        help_texts = {"ons_code": _l("E05 or W05 and six digits, for example E05011000")}

    def clean_ons_code(self):
        code = self.cleaned_data["ons_code"].strip().upper()
        if not WARD_CODE.match(code):
            raise forms.ValidationError(_("Enter the ward's ONS code: E05 or W05 and six digits"))
        return code


class WardFileForm(forms.Form):
    wards = forms.FileField(label=_l("A CSV of the council's wards"),
                            help_text=_l("Columns: code, name and population (a header row first), for "
                                         "example E05011000,Central,9200"))


def read_wards(text: str, council: Council) -> tuple[list[Ward], list[str]]:
    """The wards a CSV holds, or the problems with it by row (nothing is added if any)."""
    rows = list(csv.reader(io.StringIO(text)))
    problems: list[str] = []
    wards: list[Ward] = []
    if not rows:
        return [], [_("The file is empty")]
    header = [h.strip().lower() for h in rows[0]]
    if header[:3] != ["code", "name", "population"]:
        return [], [_("Row 1: the header must be code, name, population")]
    taken = set(Ward.objects.values_list("ons_code", flat=True))
    seen: dict[str, int] = {}
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        code, name, population = ([c.strip() for c in row] + ["", "", ""])[:3]
        code = code.upper()
        if not WARD_CODE.match(code):
            problems.append(_("Row %(n)s, code %(code)s: not an ONS ward code (E05 or W05 and six digits)")
                            % {"n": n, "code": code or "–"})
        elif code in seen:
            problems.append(_("Row %(n)s, code %(code)s: the same code as row %(first)s")
                            % {"n": n, "code": code, "first": seen[code]})
        elif code in taken:
            problems.append(_("Row %(n)s, code %(code)s: already a ward in Alongside")
                            % {"n": n, "code": code})
        seen.setdefault(code, n)
        if not name or len(name) > 120:
            problems.append(_("Row %(n)s: a name of 1 to 120 characters is needed") % {"n": n})
        if not population.isdigit():
            problems.append(_("Row %(n)s, population %(p)s: a whole number is needed")
                            % {"n": n, "p": population or "–"})
        wards.append(Ward(council=council, ons_code=code, name=name,
                          population=int(population) if population.isdigit() else 0))
    if not wards and not problems:
        problems.append(_("The file has a header but no wards"))
    return wards, problems


@login_required
def councils(request):
    if request.user.role == Role.MANAGER:
        return redirect("settings_council", request.user.council_id)
    _administrator(request.user)
    return render_page(request, "places/councils.html", {
        "councils": Council.objects.prefetch_related("wards"), "steps": first_steps()})


def first_steps() -> list[dict]:
    """Going live, in order, each with whether it is done: what the configuration area walks a
    new administrator through."""
    from alongside.accounts.models import Invitation, User

    coordinators = User.objects.filter(role=Role.COORDINATOR)
    first = Council.objects.first()
    return [
        {"text": _("Add the council"), "done": first is not None, "url": reverse("settings_council_new")},
        {"text": _("Add its wards"), "done": Ward.objects.exists(),
         "url": reverse("settings_council", args=[first.pk]) if first else reverse("settings_council_new")},
        {"text": _("Invite the people who will use Alongside"),
         "done": Invitation.objects.exists() or coordinators.exists(), "url": reverse("settings_people")},
        {"text": _("Check the code lists"), "done": None, "url": reverse("settings_code_lists")},
        {"text": _("The first Coordinator signs in"), "done": coordinators.filter(last_login__isnull=False)
         .exists(), "url": reverse("settings_people")},
    ]


@login_required
def council_edit(request, pk: int | None = None):
    _administrator(request.user)
    council = get_object_or_404(Council, pk=pk) if pk else None
    form = CouncilForm(request.POST or None, instance=council)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save()
            record(request, "create" if council is None else "update", None, what="council",
                   council=saved.pk, changed=form.changed_data)
        messages.success(request, _("Council saved"))
        return redirect("settings_council", saved.pk)
    return render_page(request, "front/record.html", {
        "form": form, "heading": _("Add a council") if council is None else _("Change the council"),
        "caption": council.name if council else "",
        "back": reverse("settings_council", args=[council.pk]) if council else reverse("settings")})


@login_required
def council(request, pk: int):
    c = _council_for(request.user, pk)
    may_change = request.user.role == Role.ADMINISTRATOR
    ward_form = WardForm(request.POST if "add_ward" in request.POST else None)
    file_form = WardFileForm(request.POST if "upload" in request.POST else None,
                             request.FILES if "upload" in request.POST else None)
    problems: list[str] = []
    if request.method == "POST":
        _administrator(request.user)
        if "add_ward" in request.POST and ward_form.is_valid():
            with transaction.atomic():
                ward = ward_form.save(commit=False)
                ward.council = c
                ward.save()
                record(request, "create", None, what="ward", ward=ward.ons_code, council=c.pk)
            messages.success(request, _("Ward %(name)s added") % {"name": ward.name})
            return redirect("settings_council", c.pk)
        if "upload" in request.POST and file_form.is_valid():
            f = file_form.cleaned_data["wards"]
            if f.size > MAX_CSV:
                problems = [_("The file is larger than 1 MB")]
            else:
                try:
                    text = f.read().decode("utf-8-sig")
                except UnicodeDecodeError:
                    problems = [_("The file is not UTF-8 text: save it as CSV UTF-8")]
                else:
                    wards, problems = read_wards(text, c)
                    if not problems:
                        with transaction.atomic():
                            Ward.objects.bulk_create(wards)
                            record(request, "create", None, what="wards", council=c.pk,
                                   wards=[w.ons_code for w in wards])
                        messages.success(request, _("%(n)s wards added") % {"n": len(wards)})
                        return redirect("settings_council", c.pk)
    return render_page(request, "places/council.html", {
        "council": c, "wards": c.wards.all(), "may_change": may_change, "ward_form": ward_form,
        "file_form": file_form, "problems": problems})
