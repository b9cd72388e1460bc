"""A person's details and consent: changed by the Coordinator as life changes (a new phone,
a move within the ward, consent withdrawn), without ever losing another Coordinator's edit."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from alongside import scoping
from alongside.audit.log import record
from alongside.audit.models import AuditEvent
from alongside.codes.lookup import code
from alongside.people.models import ConsentRecord, Person

from .forms import CodeChoiceField, DateField, GovukForm, GovukMixin, language_choice
from .pages import render_page
from .versioned import VersionedForm, save_unless_changed
from .viewing import audited


class MonthHidden(forms.DateInput):
    """The month of birth as the form started from it, in the month field's own format."""

    input_type = "hidden"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m")


class DetailsForm(GovukMixin, VersionedForm):
    age_band = CodeChoiceField("age_band", label=_l("Age band"), required=False)
    gender = CodeChoiceField("gender", label=_l("Gender"), required=False)
    ethnicity = CodeChoiceField("ethnicity", label=_l("Ethnic group"), required=False)
    long_term_condition = CodeChoiceField("yes_no_unknown", label=_l("Long-term condition"),
                                          required=False)
    birth_month = forms.DateField(
        label=_l("Month of birth"), required=False, input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
    birth_month.hidden_widget = MonthHidden
    preferred_language = language_choice(
        _l("Preferred language"), _l("The language they would like to be spoken and written to in."))

    class Meta:
        model = Person
        fields = ["given_name", "family_name", "birth_month", "postcode", "phone", "age_band",
                  "gender", "ethnicity", "long_term_condition", "preferred_language"]
        labels = {"given_name": _l("First name"), "family_name": _l("Last name"),
                  "postcode": _l("Postcode"), "phone": _l("Phone")}

    def clean_postcode(self):
        return self.cleaned_data["postcode"].strip().upper()


def last_change(person: Person) -> AuditEvent | None:
    return AuditEvent.objects.filter(person=person, action=AuditEvent.Action.UPDATE).order_by("-id").first()


@login_required
@audited("details")
def details(request, reference):
    person = scoping.person_or_404(request.user, reference)
    if person.erased_on:
        messages.error(request, _("This person’s identifiers were erased; there is nothing to change."))
        return redirect("person", reference)
    form = DetailsForm(request.POST or None, instance=person)
    conflict = None
    if request.method == "POST" and form.is_valid():
        changed = [n for n in form.changed_data if n != "version"]
        conflict = save_unless_changed(form, last_change)
        if conflict is None:
            record(request, AuditEvent.Action.UPDATE, person, what="details", fields=changed)
            messages.success(request, _("Details saved"))
            return redirect("person", reference)
    return render_page(request, "front/details.html", {
        "form": form, "conflict": conflict, "heading": _("Change details"),
        "caption": str(person), "back": reverse("person", args=[reference]),
    })


class ConsentForm(GovukForm):
    status = CodeChoiceField("consent_status", label=_l("Consent to keep a record"),
                             widget=forms.RadioSelect)
    lawful_basis = CodeChoiceField("lawful_basis", label=_l("Lawful basis"))
    special_category_condition = CodeChoiceField(
        "lawful_basis", label=_l("Condition for health or other special category data"),
        required=False)
    recorded_on = DateField(label=_l("Date"))
    note = forms.CharField(label=_l("Note"), widget=forms.Textarea, required=False,
                           help_text=_l("For example, how consent was given or why it was withdrawn."))


@login_required
@audited("consent")
def consent(request, reference):
    person = scoping.person_or_404(request.user, reference)
    history = person.consents.select_related("status", "lawful_basis", "special_category_condition",
                                             "recorded_by")
    latest = history.first()
    form = ConsentForm(request.POST or None, initial={
        "status": latest.status_id if latest else code("consent_status", "given").pk,
        "lawful_basis": latest.lawful_basis_id if latest else code("lawful_basis", "6.1.e").pk,
        "special_category_condition": latest.special_category_condition_id if latest else None,
    })
    if request.method == "POST" and form.is_valid():
        row = ConsentRecord.objects.create(person=person, recorded_by=request.user, **form.cleaned_data)
        record(request, AuditEvent.Action.UPDATE, person, what="consent", consent=row.status.code)
        messages.success(request, _("Consent recorded"))
        return redirect("consent", reference)
    return render_page(request, "front/consent.html", {
        "form": form, "history": history, "person": person, "heading": _("Consent and lawful basis"),
        "caption": str(person), "back": reverse("person", args=[reference]),
    })
