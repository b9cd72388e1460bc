"""Stories: the qualitative evidence, in a structure that can be compared — life before,
what happened, what changed, what would likely have happened without LAC, and quotes —
coded against the logic model so stories can be found by problem, activity and outcome."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from alongside import scoping
from alongside.audit.log import record
from alongside.codes.models import Code
from alongside.journeys.models import Story

from .community_map import group_or_404
from .forms import CodeMultipleChoiceField, DateField, GovukModelForm
from .pages import render_page

CODED = [  # (field, code list, label): the logic model's columns
    ("problems", "problem", _l("Problems it shows")),
    ("activities", "activity", _l("Activities it shows")),
    ("outcomes", "outcome", _l("Outcomes it shows")),
    ("insulators", "insulator", _l("Insulators it shows")),
]


class StoryForm(GovukModelForm):
    written_on = DateField(label=_l("Date"))

    class Meta:
        model = Story
        fields = ["title", "written_on", "before", "what_happened", "what_changed", "without_lac",
                  "quotes", "consent_to_share"]
        labels = {"title": _l("Title"), "before": _l("Life before LAC"),
                  "what_happened": _l("What happened"), "what_changed": _l("What changed"),
                  "without_lac": _l("What would likely have happened without LAC"),
                  "quotes": _l("Quotes, in their words"),
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
def story(request, pk):
    scoping.require_identifiable(request.user)
    try:
        s = stories_for(request.user).prefetch_related("codes").get(pk=pk)
    except Story.DoesNotExist:
        raise Http404("No such story in your wards.") from None
    return render_page(request, "front/story.html", {"story": s})


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
