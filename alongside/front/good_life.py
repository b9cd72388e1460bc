"""The good-life conversation, the shared agreement and its reviews.

The vision is kept in the person's own words; gifts and strengths are items of their
own (they are what the evidence counts, not an aside in a note); a review records what
changed and which actions were done, so the next review can start from there.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from alongside import scoping
from alongside.audit.log import record
from alongside.journeys.models import (
    AgreementAction,
    Conversation,
    Review,
    SharedAgreement,
    Strength,
)

from .forms import CodeChoiceField, DateField, GovukForm, language_choice
from .pages import render_page
from .viewing import audited


class ConversationForm(GovukForm):
    held_on = DateField(label=_l("Date of the conversation"))
    vision = forms.CharField(label=_l("What does a good life look like, in their words?"),
                             widget=forms.Textarea)
    own_gifts = forms.CharField(
        label=_l("What can you do using your gifts, skills and experiences?"),
        widget=forms.Textarea, required=False)
    friends_family_community = forms.CharField(
        label=_l("What can your friends, family and community do to help?"),
        widget=forms.Textarea, required=False)
    services_funding = forms.CharField(
        label=_l("What role is there for services and funding?"), widget=forms.Textarea,
        required=False)
    written_in = language_choice(_l("Written in"))


class StrengthForm(GovukForm):
    kind = CodeChoiceField("strength_kind", label=_l("Kind"), required=False)
    description = forms.CharField(label=_l("Gift or strength"), max_length=200, required=False)

    def clean(self):
        d = super().clean()
        if d.get("description") and not d.get("kind"):
            self.add_error("kind", _("Choose what kind of strength this is"))
        return d


class ActionForm(GovukForm):
    description = forms.CharField(label=_l("Action"), max_length=300, required=False)
    who = forms.CharField(label=_l("Who"), max_length=80, required=False,
                          help_text=_l("The person, family, you, a group, a service…"))
    due_on = DateField(label=_l("By when"), required=False, today=False, past=False)

    def clean(self):
        d = super().clean()
        if d.get("description") and not d.get("who"):
            self.add_error("who", _("Say who will do this"))
        return d


def _formset(form_class, extra, prefix, data, heading, item, hint=""):
    fs = forms.formset_factory(form_class, extra=extra)(data, prefix=prefix)
    fs.heading, fs.item, fs.hint = heading, item, hint
    return fs


def _filled(formset):
    return [f.cleaned_data for f in formset if f.cleaned_data.get("description")]


@login_required
@audited("conversation form")
def conversation(request, reference):
    person = scoping.person_or_404(request.user, reference, recording=True)
    data = request.POST or None
    form = ConversationForm(data)
    strengths = _formset(StrengthForm, 4, "strength", data, _("Gifts and strengths"),
                         _("Strength"), _("Leave blank any you do not need."))
    if request.method == "POST" and form.is_valid() and strengths.is_valid():
        with transaction.atomic():
            talk = Conversation.objects.create(person=person, recorded_by=request.user,
                                               **form.cleaned_data)
            for s in _filled(strengths):
                Strength.objects.create(person=person, conversation=talk, kind=s["kind"],
                                        description=s["description"])
            record(request, "create", person, what="conversation")
        messages.success(request, _("Good-life conversation saved"))
        return redirect("person", person.reference)
    return render_page(request, "front/record.html", {
        "form": form, "formsets": [strengths], "heading": _("Good-life conversation"),
        "caption": str(person), "back": reverse("person", args=[person.reference]),
    })


class AgreementForm(GovukForm):
    agreed_on = DateField(label=_l("Date agreed"))
    next_review_on = DateField(label=_l("Next review"), today=False, past=False)


@login_required
@audited("agreement form")
def agreement(request, reference):
    person = scoping.person_or_404(request.user, reference, recording=True)
    data = request.POST or None
    form = AgreementForm(data)
    actions = _formset(ActionForm, 4, "action", data, _("Actions"), _("Action"),
                       _("What each person will do. Leave blank any you do not need."))
    if request.method == "POST" and form.is_valid() and actions.is_valid():
        filled = _filled(actions)
        if not filled:
            form.add_error(None, _("Add at least one action"))
        else:
            with transaction.atomic():
                plan = SharedAgreement.objects.create(person=person, recorded_by=request.user,
                                                      **form.cleaned_data)
                for a in filled:
                    AgreementAction.objects.create(agreement=plan, **a)
                record(request, "create", person, what="agreement")
            messages.success(request, _("Shared agreement saved"))
            return redirect("person", person.reference)
    return render_page(request, "front/record.html", {
        "form": form, "formsets": [actions], "heading": _("Shared agreement"),
        "caption": str(person), "back": reverse("person", args=[person.reference]),
    })


class ReviewForm(GovukForm):
    reviewed_on = DateField(label=_l("Date of the review"))
    done = forms.ModelMultipleChoiceField(AgreementAction.objects.none(), required=False,
                                          widget=forms.CheckboxSelectMultiple,
                                          label=_l("Which actions are done?"))
    what_changed = forms.CharField(label=_l("What has changed since the last review?"),
                                   widget=forms.Textarea)
    next_review_on = DateField(label=_l("Next review"), today=False, past=False,
                               required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["done"]
        field.queryset = plan.actions.filter(done_on__isnull=True)
        field.label_from_instance = lambda a: f"{a.description} ({a.who})"


@login_required
@audited("review form")
def review(request, reference, agreement_id):
    person = scoping.person_or_404(request.user, reference, recording=True)
    plan = get_object_or_404(SharedAgreement, pk=agreement_id, person=person)
    data = request.POST or None
    form = ReviewForm(data, plan=plan)
    actions = _formset(ActionForm, 2, "action", data, _("New actions"), _("Action"),
                       _("Anything newly agreed. Leave blank if nothing."))
    if request.method == "POST" and form.is_valid() and actions.is_valid():
        d = form.cleaned_data
        with transaction.atomic():
            Review.objects.create(agreement=plan, reviewed_on=d["reviewed_on"],
                                  what_changed=d["what_changed"],
                                  next_review_on=d["next_review_on"], recorded_by=request.user)
            d["done"].update(done_on=d["reviewed_on"])
            for a in _filled(actions):
                AgreementAction.objects.create(agreement=plan, **a)
            record(request, "create", person, what="review")
        messages.success(request, _("Review saved"))
        return redirect("person", person.reference)
    return render_page(request, "front/review.html", {
        "form": form, "formsets": [actions], "heading": _("Review the shared agreement"),
        "caption": str(person), "back": reverse("person", args=[person.reference]),
        "plan": plan, "reviews": plan.reviews.all(), "actions": plan.actions.all(),
    })
