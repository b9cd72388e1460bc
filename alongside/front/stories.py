"""Stories: the qualitative evidence, in a structure that can be compared — life before,
what happened, what changed, what would likely have happened without LAC, and quotes —
coded against the logic model so stories can be found by problem, activity and outcome."""

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from alongside import scoping
from alongside.accounts.models import Role
from alongside.audit.log import record
from alongside.codes.models import Code
from alongside.economics import prices
from alongside.economics.scenarios import scenario
from alongside.evidence.economics.model_file import EconomicsError
from alongside.evidence.economics.money import pounds
from alongside.journeys.models import ScenarioEvent, Story

from .community_map import group_or_404
from .forms import CodeMultipleChoiceField, DateField, GovukModelForm, language_choice
from .pages import render_page
from .viewing import audited, story_person

CODED = [  # (field, code list, label): the logic model's columns
    ("problems", "problem", _l("Problems it shows")),
    ("activities", "activity", _l("Activities it shows")),
    ("outcomes", "outcome", _l("Outcomes it shows")),
    ("insulators", "insulator", _l("Insulators it shows")),
]


class StoryForm(GovukModelForm):
    written_on = DateField(label=_l("Date"))
    written_in = language_choice(_l("Written in"))

    class Meta:
        model = Story
        fields = ["title", "written_on", "before", "what_happened", "what_changed", "without_lac",
                  "quotes", "written_in", "consent_to_share"]
        labels = {"title": _l("Title"), "before": _l("Life before LAC"),
                  "what_happened": _l("What happened"), "what_changed": _l("What changed"),
                  "without_lac": _l("What would likely have happened without LAC"),
                  "quotes": _l("Quotes, in their words"), "written_in": _l("Written in"),
                  "consent_to_share": _l("They agreed this story may be shared (without their name)")}
        widgets = {f: forms.Textarea for f in ("before", "what_happened", "what_changed",
                                               "without_lac", "quotes")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, list_name, label in CODED:
            qs = Code.objects.filter(list=list_name, active=True)
            if list_name in ("problem", "activity"):
                qs = qs.filter(parent__isnull=True)
            self.fields[name] = CodeMultipleChoiceField(list_name, label=label, required=False,
                                                        queryset=qs)

    def chosen_codes(self) -> list[Code]:
        return [c for name, _list, _label in CODED for c in self.cleaned_data[name]]


def stories_for(user):
    return scoping.scoped(user, Story.objects.select_related("ward", "person", "group"))


@login_required
def stories(request):
    scoping.require_identifiable(request.user)
    return render_page(request, "front/stories.html", {
        "stories": stories_for(request.user).order_by("-written_on")[:200],
    })


@login_required
@audited("story", story_person)
def story(request, pk):
    scoping.require_identifiable(request.user)
    try:
        s = stories_for(request.user).prefetch_related("codes", "scenario_events").get(pk=pk)
    except Story.DoesNotExist:
        raise Http404("No such story in your wards.") from None
    may_check = request.user.role == Role.MANAGER and s.consent_to_share
    if request.method == "POST" and "checked_for_reports" in request.POST:
        if not may_check:
            raise PermissionDenied("A manager checks a shareable story before it goes in a report.")
        Story.objects.filter(pk=s.pk).update(checked_for_reports_on=date.today(),
                                             checked_for_reports_by=request.user)
        record(request, "update", s.person, what="story checked for reports", story=s.pk)
        messages.success(request, _("Checked: the story may be told in the council’s reports"))
        return redirect("story", s.pk)
    return render_page(request, "front/story.html", {"story": s, "scenario": _costed(s),
                                                     "may_check": may_check})


def _costed(s: Story) -> dict | None:
    """The story's scenario priced at the unit cost table's year, or why it cannot be."""
    if not s.scenario_events.all():
        return None
    try:
        sc = scenario(s)
    except EconomicsError as e:
        return {"why": str(e)}
    pathways = []
    for key, title in (("with_lac", _("With LAC (what happened)")),
                       ("without_lac", _("Without LAC (what would likely have happened)"))):
        pathways.append({"title": title, "events": [
            {"month": e.month, "description": e.description, "quantity": e.quantity,
             "cost": pounds(e.cost), "present": pounds(e.present_cost(sc.discount_rate)), "trace": e.trace}
            for e in sc.pathways[key]], "total": pounds(sc.total(key))})
    return {"pathways": pathways, "difference": pounds(abs(sc.difference)), "avoided": sc.difference >= 0,
            "price_year": sc.price_year}


@login_required
def story_new(request):
    scoping.require_identifiable(request.user)
    person = group = None
    if request.GET.get("person"):
        person = scoping.person_or_404(request.user, request.GET["person"])
    elif request.GET.get("group"):
        group = group_or_404(request.user, request.GET["group"])
    else:
        raise Http404("A story is about a person or a group.")
    form = StoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            s = form.save(commit=False)
            s.person, s.group = person, group
            s.ward = person.ward if person else group.ward
            s.recorded_by = request.user
            s.save()
            s.codes.set(form.chosen_codes())
            record(request, "create", person, what="story")
        messages.success(request, _("Story saved"))
        return redirect("story", s.pk)
    back = reverse("person", args=[person.reference]) if person else reverse("group", args=[group.pk])
    return render_page(request, "front/record.html", {
        "form": form, "heading": _("Write a story"), "caption": str(person or group), "back": back,
        "lead": _("Before, what happened, what changed, and what would likely have happened "
                  "without Local Area Coordination."),
    })


class ScenarioEventForm(GovukModelForm):
    class Meta:
        model = ScenarioEvent
        fields = ["pathway", "month", "service", "quantity", "note"]
        labels = {"pathway": _l("Pathway"), "month": _l("Months after the introduction"),
                  "service": _l("Service"), "quantity": _l("How many"), "note": _l("What happened")}
        widgets = {"pathway": forms.RadioSelect}
        help_texts = {"month": "", "service": ""}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pathway"].choices = [("with_lac", _("With LAC (what happened)")),
                                          ("without_lac", _("Without LAC (what would likely have happened)"))]
        self.fields["pathway"].inline = True
        self.fields["service"] = forms.ChoiceField(label=_("Service"), choices=prices.service_choices())
        self.fields["quantity"].widget.attrs["step"] = "any"


@login_required
@audited("story scenario", story_person)
def story_scenario(request, pk):
    """The costed scenario of a story, as a case conference would draw it up: the service events
    of what happened, and of what would likely have happened without LAC."""
    scoping.require_identifiable(request.user)
    try:
        s = stories_for(request.user).get(pk=pk)
    except Story.DoesNotExist:
        raise Http404("No such story in your wards.") from None
    events = forms.modelformset_factory(ScenarioEvent, form=ScenarioEventForm, extra=3, can_delete=True)
    formset = events(request.POST or None, queryset=s.scenario_events.all(), prefix="event")
    formset.heading, formset.item = _("Service events"), _("Event")
    formset.hint = _("Leave a row empty to skip it; tick Delete to remove one.")
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            changed = formset.save(commit=False)  # also lists formset.deleted_objects
            for obj in formset.deleted_objects:
                obj.delete()
            for event in changed:
                event.story = s
                event.save()
            record(request, "update", s.person, what="story scenario")
        messages.success(request, _("Costed scenario saved"))
        return redirect("story", s.pk)
    return render_page(request, "front/record.html", {
        "form": None, "formsets": [formset], "heading": _("Costed scenario"), "caption": s.title,
        "back": reverse("story", args=[s.pk]),
        "lead": _("List the services used with LAC, and those that would likely have been used without "
                  "it, with when they happened. Unit costs come from the unit cost table."),
    })
