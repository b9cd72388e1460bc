"""Introductions: how a person comes to Local Area Coordination.

One page records it in under a minute. It warns of a person already known, hands a
person who lives in another ward to that ward's Coordinator, and records someone who
lives outside the area as a signposting, without creating a person at all.
"""

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from alongside import scoping
from alongside.accounts.models import Role
from alongside.audit.log import record
from alongside.codes.lookup import age_band, code
from alongside.codes.models import Code
from alongside.journeys.introducing import (
    council_wards,
    introduce_new_person,
    possible_duplicates,
    start,
)
from alongside.journeys.models import Signposting

from .forms import CodeChoiceField, CodeMultipleChoiceField, DateField, GovukForm
from .pages import render_page
from .viewing import audited

OUTSIDE = "outside"
PROFILE = ("age_band", "gender", "ethnicity", "long_term_condition", "relationship_to_services")


class IntroductionForm(GovukForm):
    """What the minimum dataset needs from an introduction; everything else can wait."""

    introduced_on = DateField(label=_l("Date of the introduction"))
    route = CodeChoiceField("introduction_route", label=_l("Who made the introduction?"))
    introducing_organisation = forms.CharField(
        label=_l("Introducing organisation or person"), required=False, max_length=160)
    reasons = CodeMultipleChoiceField(
        "problem", label=_l("Why were they introduced?"), help_text=_l("Select all that apply."))
    level_requested = CodeChoiceField(
        "level_of_support", label=_l("Level of support"), widget=forms.RadioSelect,
        queryset=Code.objects.filter(list="level_of_support", code__in=["L1", "L2"]))
    consent = CodeChoiceField("consent_status", label=_l("Consent to keep a record"),
                              widget=forms.RadioSelect)
    lawful_basis = CodeChoiceField("lawful_basis", label=_l("Lawful basis"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lawful_basis"].initial = code("lawful_basis", "6.1.e").pk
        self.fields["consent"].initial = code("consent_status", "given").pk


class NewPersonForm(IntroductionForm):
    given_name = forms.CharField(label=_l("First name"), max_length=80)
    family_name = forms.CharField(label=_l("Last name"), max_length=80, required=False)
    birth_month = forms.DateField(
        label=_l("Month of birth"), required=False, input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_l("For example, 1958-03. Helps tell apart two people with the same name."))
    postcode = forms.CharField(label=_l("Postcode"), max_length=8, required=False)
    ward = forms.ChoiceField(label=_l("Where do they live?"))
    lives_in = forms.CharField(label=_l("Town or area they live in"), required=False,
                               max_length=160)
    signposted_to = forms.CharField(label=_l("Signposted to"), required=False, max_length=200,
                                    help_text=_l("For example, the Local Area Coordinator in their area."))
    different_person = forms.BooleanField(
        label=_l("This is a different person from those listed above"), required=False)
    # The minimum dataset's mandatory facts about a person, asked now so nobody starts
    # incomplete; each list's "not stated" / "not known" is the answer for "prefer not to say".
    age_band = CodeChoiceField("age_band", label=_l("Age band"), required=False)
    gender = CodeChoiceField("gender", label=_l("Gender"), required=False)
    ethnicity = CodeChoiceField("ethnicity", label=_l("Ethnic group"), required=False)
    long_term_condition = CodeChoiceField("yes_no_unknown", label=_l("Long-term condition"),
                                          required=False)
    relationship_to_services = CodeChoiceField("relationship_to_services",
                                               label=_l("Relationship to services"), required=False)

    field_order = ["given_name", "family_name", "birth_month", "postcode", "ward", "lives_in",
                   "signposted_to", "introduced_on", "route", "introducing_organisation",
                   "reasons", "level_requested", "consent", "lawful_basis", "different_person",
                   *PROFILE]

    def __init__(self, *args, wards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].choices = [(str(w.pk), w.name) for w in wards] + [
            (OUTSIDE, _("Outside our area (signpost only)"))]
        for name in PROFILE:
            self.fields[name].conditional = True  # asked for everyone but a signposting
            self.fields[name].help_text = _("Choose “Not stated” or “Not known” if they prefer not to say.")
        self.fields["age_band"].help_text = _(
            "Worked out from the month of birth if you leave it. Choose “Not known” if they prefer not "
            "to say.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("ward") == OUTSIDE:
            for name in ("lives_in", "signposted_to"):
                if not cleaned.get(name):
                    self.add_error(name, _("Enter this for someone outside the area"))
        else:
            born, on = cleaned.get("birth_month"), cleaned.get("introduced_on")
            chosen = cleaned.get("age_band")
            if born and on and "age_band" not in self.errors:
                # The month of birth already says the band; a band that contradicts it is a slip.
                band = age_band(born, on, list(self.fields["age_band"].queryset))
                if chosen is None:
                    cleaned["age_band"] = band
                elif band is not None and chosen != band and not chosen.attrs.get("unknown"):
                    self.add_error("age_band", _("Born in %(month)s, they are in the %(band)s band on "
                                                 "the day of the introduction") % {
                        "month": born.strftime("%m/%Y"),
                        "band": self.fields["age_band"].label_from_instance(band)})
            for name in PROFILE:
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Choose one, or “Not stated” / “Not known” if they prefer "
                                           "not to say"))
        return cleaned


@login_required
def new_introduction(request):
    scoping.require_identifiable(request.user)
    user = request.user
    own_wards = list(scoping.wards(user).order_by("name"))
    council = council_wards(user)
    ward_choices = own_wards + [w for w in council if w not in own_wards]
    form = NewPersonForm(request.POST or None, wards=ward_choices,
                         initial={"ward": str(own_wards[0].pk) if own_wards else ""})
    shown, elsewhere = [], []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["ward"] == OUTSIDE:
            return _signpost(request, form, own_wards)
        shown, elsewhere = possible_duplicates(user, council, data["given_name"],
                                               data["family_name"], data["birth_month"],
                                               ward=int(data["ward"]))
        for p in [*shown, *elsewhere]:  # a probe that shows someone is a view of them
            record(request, "view", p, what="duplicate check")
        if (shown or elsewhere) and not data["different_person"]:
            form.add_error("different_person", _("Check the people listed: is this one of them?"))
        else:
            return _create(request, form, council.get(pk=data["ward"]))
    return render_page(request, "front/introduction_new.html", {
        "form": form, "shown": shown, "elsewhere": elsewhere,
    })


@transaction.atomic
def _create(request, form, ward):
    data = form.cleaned_data
    made = introduce_new_person(
        request.user, ward, given_name=data["given_name"], family_name=data["family_name"],
        birth_month=data["birth_month"], postcode=data["postcode"], details=data,
        profile={name: data[name] for name in PROFILE})
    person = made.person
    record(request, "create", person, what="introduction")
    if not made.handed_over:
        messages.success(request, _("Introduction recorded for %(name)s") % {"name": person})
        return redirect("person", person.reference)
    coordinator = person.coordinator
    who = coordinator.get_full_name() if coordinator else _("the manager (no Coordinator yet)")
    record(request, "hand-over", person, ward=ward.name, to=coordinator.username if coordinator else "")
    messages.success(request, _("%(name)s lives in %(ward)s: handed over to %(who)s") % {
        "name": person, "ward": ward.name, "who": who})
    return redirect("caseload")


def _signpost(request, form, own_wards):
    data = form.cleaned_data
    if not own_wards:
        form.add_error("ward", _("Only a Coordinator with a ward can record a signposting"))
        return render_page(request, "front/introduction_new.html", {"form": form})
    reasons = list(data["reasons"])
    Signposting.objects.create(
        ward=own_wards[0], recorded_on=data["introduced_on"], route=data["route"],
        introducing_organisation=data["introducing_organisation"], lives_in=data["lives_in"],
        signposted_to=data["signposted_to"], reason=reasons[0] if reasons else None,
        recorded_by=request.user)
    record(request, "create", None, what="signposting")
    messages.success(request, _("Signposting recorded. No personal details were kept."))
    return redirect("caseload")


@login_required
@audited("reintroduction form")
def reintroduction(request, reference):
    """A person known before, introduced again: a new cycle of the same journey."""
    person = scoping.person_or_404(request.user, reference, recording=True)
    form = IntroductionForm(request.POST or None,
                            initial={"level_requested": code("level_of_support", "L2").pk})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            coordinator = person.coordinator or (
                request.user if request.user.role == Role.COORDINATOR else None)
            start(person, form.cleaned_data, request.user, person.ward, coordinator)
            record(request, "create", person, what="introduction")
        messages.success(request, _("Introduction recorded"))
        return redirect("person", person.reference)
    return render_page(request, "front/record.html", {
        "form": form, "heading": _("New introduction"), "caption": str(person),
        "back": reverse("person", args=[person.reference]),
    })


def signpostings_for(user, since: date | None = None):
    qs = scoping.scoped(user, Signposting.objects.select_related("route", "ward"))
    return qs.filter(recorded_on__gte=since) if since else qs
