"""Quick records made as things happen: an activity, a connection, a trigger, an
outcome, an insulator, a ripple. Each is one short form, defaults filled in, so that
a Coordinator between home visits records it in a few taps."""

from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, Count, IntegerField, Value, When
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

USUAL_TYPES = 5  # what fits a phone's first screen beside minutes and Save
USUAL_DAYS = 90


def activity_types(group: bool = False):
    """Finer types first (what a Coordinator actually did), then the A1–A7 headings.

    With a group, only the work a group can be part of: the community- and system-level
    types, and the headings that have any (a group has no home visit or shared agreement).
    """
    types = (Code.objects.filter(list="activity", active=True)
             .annotate(heading=Case(When(parent__isnull=True, then=Value(1)), default=Value(0),
                                    output_field=IntegerField()))
             .order_by("heading", "position"))
    if group:
        wider = [c for c in types if c.parent_id and c.attrs.get("level") in ("community", "system")]
        keep = {c.pk for c in wider} | {c.parent_id for c in wider}
        types = types.filter(pk__in=keep)
    return types


def usual_activity_types(user, types: list[Code], group: bool = False) -> list[Code]:
    """The finer types this user recorded most in the last USUAL_DAYS, topped up in list order."""
    since = date.today() - timedelta(days=USUAL_DAYS)
    counts = (Activity.objects.filter(coordinator=user, done_on__gte=since, kind__isnull=False,
                                      group__isnull=not group)
              .values("kind").annotate(n=Count("id")).order_by("-n", "kind"))
    finer = [c for c in types if c.parent_id]
    by_pk = {c.pk: c for c in finer}
    usual = [by_pk[row["kind"]] for row in counts[:USUAL_TYPES] if row["kind"] in by_pk]
    usual += [c for c in finer if c not in usual][:USUAL_TYPES - len(usual)]
    return usual


class ActivityTypeField(CodeChoiceField):
    def label_from_instance(self, obj: Code) -> str:
        text = super().label_from_instance(obj)
        # A heading is offered as "something else of this kind", so it does not read as a
        # repeat of the finer types listed above it.
        return text if obj.parent_id else _("Other: %(heading)s") % {"heading": text}


class ActivityForm(GovukForm):
    kind = ActivityTypeField("activity", label=_l("What did you do?"), widget=forms.RadioSelect)
    minutes = forms.IntegerField(label=_l("Minutes, including travel"), min_value=1,
                                 max_value=24 * 60, required=False)
    level = CodeChoiceField("activity_level", label=_l("Level"), widget=forms.RadioSelect,
                            required=False,
                            help_text=_l("Leave blank to use the usual level for this activity."))
    done_on = DateField(label=_l("Date"))
    note = forms.CharField(label=_l("Note"), widget=forms.Textarea, required=False)

    title = _l("Record an activity")
    template = "front/record_activity.html"
    # Asked only when it differs from the usual: today, the type's own level, no note.
    folded = ("done_on", "level", "note")
    folded_summary = _l("Date (today), level, note")

    def __init__(self, *args, user=None, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        types = list(activity_types(group is not None).select_related("parent"))
        self.fields["kind"].queryset = Code.objects.filter(pk__in=[c.pk for c in types])
        usual = usual_activity_types(user, types, group is not None) if user else types[:USUAL_TYPES]
        self.usual_kinds = {str(c.pk) for c in usual}
        order = usual + [c for c in types if c not in usual]
        # The queryset checks what is posted; the page wants the usual types first.
        self.fields["kind"].choices = [(c.pk, self.fields["kind"].label_from_instance(c)) for c in order]

    def kind_choices(self):
        """The radios split into the usual ones, shown first, and the rest, under "More types"."""
        radios = list(self["kind"])
        return ([r for r in radios if str(r.data["value"]) in self.usual_kinds],
                [r for r in radios if str(r.data["value"]) not in self.usual_kinds])

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
    folded = ("made_on",)
    folded_summary = _l("Date (today)")

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
    folded = ("occurred_on", "note")

    def save(self, person, user) -> Trigger:
        return Trigger.objects.create(person=person, recorded_by=user, **self.cleaned_data)


class ContextForm(GovukForm):
    context = CodeChoiceField("context", label=_l("Context"), widget=forms.RadioSelect)
    noted_on = DateField(label=_l("Date"))

    title = _l("Record the context of their life")
    folded = ("noted_on",)
    folded_summary = _l("Date (today)")

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
    folded = ("observed_on",)
    folded_summary = _l("Date (today)")

    def save(self, person, user) -> Outcome:
        return Outcome.objects.create(person=person, recorded_by=user, **self.cleaned_data)


class InsulatorForm(GovukForm):
    insulator = CodeChoiceField("insulator", label=_l("Insulator built"), widget=forms.RadioSelect)
    evidence = forms.CharField(label=_l("Evidence"), widget=forms.Textarea,
                               help_text=_l("A quote in their words, or what you observed."))
    observed_on = DateField(label=_l("Date"))

    title = _l("Record an insulator")
    folded = ("observed_on",)
    folded_summary = _l("Date (today)")

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
    folded = ("observed_on",)
    folded_summary = _l("Date (today)")

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
NEEDS_USER = (ConnectionForm, ActivityForm)


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
    return render_page(request, getattr(form, "template", "front/record.html"), {
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
