"""Quick records made as things happen: an activity, a connection, a trigger, an
outcome, an insulator, a ripple. Each is one short form, defaults filled in, so that
a Coordinator between home visits records it in a few taps."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from alongside import scoping
from alongside.audit.log import record
from alongside.codes.lookup import code
from alongside.codes.models import Code
from alongside.community.models import CommunityAsset, CommunityGroup
from alongside.economics import prices
from alongside.journeys.models import (
    Activity,
    Connection,
    Context,
    Insulator,
    Outcome,
    Ripple,
    ServiceUseChange,
    Trigger,
)
from alongside.journeys.models.service_use import CHANGES as SERVICE_CHANGES

from .forms import CodeChoiceField, DateField, GovukForm
from .pages import render_page
from .viewing import audited


def activity_types():
    """Finer types first (what a Coordinator actually did), then the A1–A7 headings."""
    return (Code.objects.filter(list="activity", active=True)
            .annotate(heading=Case(When(parent__isnull=True, then=Value(1)), default=Value(0),
                                   output_field=IntegerField()))
            .order_by("heading", "position"))


class ActivityTypeField(CodeChoiceField):
    def label_from_instance(self, obj: Code) -> str:
        parent = obj.parent.code if obj.parent_id else obj.code
        text = super().label_from_instance(obj)
        return text if not obj.parent_id else f"{text} ({parent})"


class ActivityForm(GovukForm):
    kind = ActivityTypeField("activity", label=_l("What did you do?"), widget=forms.RadioSelect,
                             queryset=activity_types().select_related("parent"))
    minutes = forms.IntegerField(label=_l("Minutes"), min_value=1, max_value=24 * 60,
                                 required=False, help_text=_l("Including travel."))
    level = CodeChoiceField("activity_level", label=_l("Level"), widget=forms.RadioSelect,
                            required=False,
                            help_text=_l("Leave blank to use the usual level for this activity."))
    done_on = DateField(label=_l("Date"))
    note = forms.CharField(label=_l("Note"), widget=forms.Textarea, required=False)

    title = _l("Record an activity")

    def save(self, person, user, group=None) -> Activity:
        d = self.cleaned_data
        kind = d["kind"]
        heading = kind.parent if kind.parent_id else kind
        level = d["level"] or code("activity_level", kind.attrs.get(
            "level", "community" if group else "individual"))
        return Activity.objects.create(
            person=person, group=group, coordinator=user, activity=heading,
            kind=kind if kind.parent_id else None, level=level, done_on=d["done_on"],
            minutes=d["minutes"], note=d["note"])


class ConnectionForm(GovukForm):
    kind = CodeChoiceField("connection_kind", label=_l("Connected to"), widget=forms.RadioSelect)
    group = forms.ModelChoiceField(CommunityGroup.objects.none(), label=_l("Community group"),
                                   required=False)
    asset = forms.ModelChoiceField(CommunityAsset.objects.none(), label=_l("Community asset"),
                                   required=False)
    other_person = forms.CharField(label=_l("Person (first name or role)"), required=False,
                                   max_length=160)
    service = CodeChoiceField("service", label=_l("Service"), required=False)
    made_on = DateField(label=_l("Date"))

    title = _l("Record a connection")

    def __init__(self, *args, person, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = CommunityGroup.objects.filter(ward=person.ward, active=True)
        # Scoped as well as the person's ward: an asset id posted from another ward is refused
        # as not one of the choices, whoever the person is.
        self.fields["asset"].queryset = scoping.scoped(
            user, CommunityAsset.objects.filter(ward=person.ward, active=True)).order_by("name")
        for name in ("group", "asset", "other_person", "service"):
            self.fields[name].conditional = True  # one of them, as chosen above

    def clean(self):
        d = super().clean()
        needs = {"group": "group", "asset": "asset", "person": "other_person", "service": "service"}
        kind = d.get("kind")
        if kind and not d.get(needs[kind.code]):
            self.add_error(needs[kind.code], _("Say which one"))
        return d

    def save(self, person, user) -> Connection:
        d = self.cleaned_data
        kind = d["kind"].code
        return Connection.objects.create(
            person=person, kind=d["kind"], made_on=d["made_on"], recorded_by=user,
            group=d["group"] if kind == "group" else None,
            asset=d["asset"] if kind == "asset" else None,
            service=d["service"] if kind == "service" else None,
            other_person=d["other_person"] if kind == "person" else "")


class TriggerForm(GovukForm):
    trigger = CodeChoiceField("trigger", label=_l("What happened?"), widget=forms.RadioSelect)
    occurred_on = DateField(label=_l("When"))
    note = forms.CharField(label=_l("Note"), widget=forms.Textarea, required=False)

    title = _l("Record a trigger")

    def save(self, person, user) -> Trigger:
        return Trigger.objects.create(person=person, recorded_by=user, **self.cleaned_data)


class ContextForm(GovukForm):
    context = CodeChoiceField("context", label=_l("Context"), widget=forms.RadioSelect)
    noted_on = DateField(label=_l("Date"))

    title = _l("Record the context of their life")

    def save(self, person, user) -> Context:
        return Context.objects.create(person=person, recorded_by=user, **self.cleaned_data)


class OutcomeForm(GovukForm):
    outcome = CodeChoiceField("outcome", label=_l("Outcome"), show_code=True,
                              queryset=Code.objects.filter(list="outcome", active=True)
                              .exclude(code="CG"))
    present = forms.TypedChoiceField(
        label=_l("Has it happened?"), widget=forms.RadioSelect, coerce=lambda v: v == "yes",
        choices=[("yes", _l("Yes")), ("no", _l("Not yet"))], initial="yes")
    evidence = forms.CharField(label=_l("Evidence"), widget=forms.Textarea,
                               help_text=_l("A quote in their words, or what you observed."))
    observed_on = DateField(label=_l("Date"))

    title = _l("Record an outcome")

    def save(self, person, user) -> Outcome:
        return Outcome.objects.create(person=person, recorded_by=user, **self.cleaned_data)


class InsulatorForm(GovukForm):
    insulator = CodeChoiceField("insulator", label=_l("Insulator built"), widget=forms.RadioSelect)
    evidence = forms.CharField(label=_l("Evidence"), widget=forms.Textarea,
                               help_text=_l("A quote in their words, or what you observed."))
    observed_on = DateField(label=_l("Date"))

    title = _l("Record an insulator")

    def save(self, person, user) -> Insulator:
        return Insulator.objects.create(person=person, recorded_by=user, **self.cleaned_data)


class RippleForm(GovukForm):
    ripple = CodeChoiceField("ripple", label=_l("How are they contributing?"),
                             widget=forms.RadioSelect)
    group = forms.ModelChoiceField(CommunityGroup.objects.none(), label=_l("Community group"),
                                   required=False)
    evidence = forms.CharField(label=_l("Evidence"), widget=forms.Textarea, required=False)
    observed_on = DateField(label=_l("Date"))

    title = _l("Record a ripple")

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = CommunityGroup.objects.filter(ward=person.ward)

    def save(self, person, user) -> Ripple:
        return Ripple.objects.create(person=person, recorded_by=user, **self.cleaned_data)


RECORDS = {
    "activity": ActivityForm,
    "connection": ConnectionForm,
    "trigger": TriggerForm,
    "context": ContextForm,
    "outcome": OutcomeForm,
    "insulator": InsulatorForm,
    "ripple": RippleForm,
}
NEEDS_PERSON = (ConnectionForm, RippleForm)
NEEDS_USER = (ConnectionForm,)


@login_required
@audited("recording form")
def record_for_person(request, reference, what):
    person = scoping.person_or_404(request.user, reference, recording=True)
    form_class = RECORDS.get(what)
    if form_class is None:
        raise Http404("Nothing of that kind to record.")
    kwargs = {"person": person} if form_class in NEEDS_PERSON else {}
    if form_class in NEEDS_USER:
        kwargs["user"] = request.user
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        form.save(person, request.user)
        record(request, "create", person, what=what)
        messages.success(request, _("Saved"))
        return redirect("person", person.reference)
    return render_page(request, "front/record.html", {
        "form": form, "heading": form_class.title, "caption": str(person),
        "back": reverse("person", args=[person.reference]),
    })


class ServiceUseForm(GovukForm):
    """A change in the person's use of another service, priced from the unit cost table."""

    service = forms.ChoiceField(label=_l("Which service?"))
    change = forms.ChoiceField(label=_l("What changed?"), widget=forms.RadioSelect, choices=SERVICE_CHANGES)
    quantity = forms.DecimalField(label=_l("How many?"), min_value=Decimal("0.01"), max_digits=9,
                                  decimal_places=2, widget=forms.NumberInput(attrs={"step": "any"}),
                                  help_text=_l("In the service's own unit: attendances, hours, weeks…"))
    evidence = forms.CharField(label=_l("Why do you think so?"), widget=forms.Textarea,
                               help_text=_l("What the person, family or service said, or what you saw. "
                                            "Finance officers will read this."))
    observed_on = DateField(label=_l("Date"))

    title = _l("Record a change in use of other services")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = prices.service_choices()

    def save(self, person, user) -> ServiceUseChange:
        return ServiceUseChange.objects.create(person=person, recorded_by=user, **self.cleaned_data)


RECORDS["service-use"] = ServiceUseForm
