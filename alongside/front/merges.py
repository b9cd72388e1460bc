"""A manager merges a person recorded twice (people/merging.py does the merge): the other
record's reference, then both records side by side, then the merge, which stays undoable from
the kept person's page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from alongside import scoping
from alongside.accounts.models import Role
from alongside.audit.log import record
from alongside.audit.models import AuditEvent
from alongside.people import merging
from alongside.people.models import Person, PersonMerge

from .forms import GovukForm
from .pages import render_page
from .viewing import audited

RELATED = ("ward", "coordinator")


class MergeForm(GovukForm):
    reference = forms.CharField(
        label=_l("Reference of the other record"), max_length=12,
        help_text=_l("The reference of the record to merge into this one, for example P-AB23CDE. "
                     "It is shown under the person’s name on their page."))

    def __init__(self, *args, kept: Person, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept, self.user, self.duplicate = kept, user, None

    def clean_reference(self):
        typed = self.cleaned_data["reference"].strip().upper()
        # Scoped, merged records included (so that one is named as already merged); the same
        # words for a reference that does not exist and one outside the council.
        other = (scoping.scoped(self.user, Person.objects.filter(reference=typed))
                 .select_related(*RELATED).first())
        if other is None:
            raise forms.ValidationError(merging.not_found())
        if why := merging.refusal(self.kept, other, self.user):
            raise forms.ValidationError(why)
        self.duplicate = other
        return typed


def _manager_and_kept(request, reference: str) -> Person:
    # The person first: another council's reference is a 404 to everyone, as on every page.
    kept = scoping.person_or_404(request.user, reference, related=RELATED)
    if request.user.role != Role.MANAGER:
        raise PermissionDenied(_("Only a manager can merge records."))
    return kept


def _summary(person: Person) -> dict:
    engagements = list(person.engagements.select_related("level", "status"))
    return {"person": person, "introductions": person.introductions.count(),
            "activities": person.activities.count(),
            "engagement": engagements[-1] if engagements else None}


@login_required
@audited("merge")
def merge_start(request, reference):
    kept = _manager_and_kept(request, reference)
    form = MergeForm(request.POST or None, kept=kept, user=request.user)
    if request.method == "POST" and form.is_valid():
        return redirect(reverse("merge_check", args=[kept.reference]) + "?"
                        + urlencode({"with": form.duplicate.reference}))
    return _start_page(request, kept, form)


def _start_page(request, kept: Person, form: MergeForm):
    return render_page(request, "front/merge.html", {
        "form": form, "person": kept, "heading": _("Merge with another record"), "caption": str(kept),
        "back": reverse("person", args=[kept.reference]),
    })


@login_required
@audited("merge check")
def merge_check(request, reference):
    kept = _manager_and_kept(request, reference)
    typed = request.POST.get("reference") if request.method == "POST" else request.GET.get("with", "")
    if not typed and request.method == "GET":
        return _start_page(request, kept, MergeForm(kept=kept, user=request.user))
    form = MergeForm({"reference": typed or ""}, kept=kept, user=request.user)
    if not form.is_valid():
        # Whatever changed since the reference was entered, the manager sees why on its page.
        return _start_page(request, kept, form)
    duplicate = form.duplicate
    if request.method == "POST":
        try:
            done = merging.merge(kept, duplicate, request.user, request)
        except merging.MergeRefused as refused:
            form.add_error("reference", str(refused))
            return _start_page(request, kept, form)
        moved = sum(merging.moved_counts(done).values())
        messages.success(request, _("%(duplicate)s is merged into this record: %(n)s records moved. "
                                    "You can undo this under “Merged records”.")
                         % {"duplicate": duplicate.reference, "n": moved})
        return redirect("person", kept.reference)
    both = [_summary(kept), _summary(duplicate)]
    # The page shows the other record's identifiers too: a view of them in the trail as well.
    record(request, AuditEvent.Action.VIEW, duplicate, what="merge check", kept=kept.reference)
    return render_page(request, "front/merge_check.html", {
        "kept": both[0], "duplicate": both[1], "kept_and_duplicate": both,
        "heading": _("Check the records before merging"),
        "caption": str(kept), "back": reverse("merge", args=[kept.reference]),
        "swap": reverse("merge_check", args=[duplicate.reference]) + "?"
        + urlencode({"with": kept.reference}),
    })


@login_required
@require_POST
def merge_undo(request, reference, merge_id):
    kept = _manager_and_kept(request, reference)
    done = PersonMerge.objects.filter(pk=merge_id, kept=kept).select_related("duplicate").first()
    if done is None:
        raise Http404("No such merge of this person.")
    try:
        merging.undo(done, request.user, request)
    except merging.MergeRefused as refused:
        messages.error(request, str(refused))
        return redirect("person", kept.reference)
    messages.success(request, _("Merge undone: %(duplicate)s is a record of its own again.")
                     % {"duplicate": done.duplicate.reference})
    return redirect("person", kept.reference)


def merged_records(person: Person) -> list[PersonMerge]:
    """The records merged into this person and not undone, for the person's page."""
    return list(PersonMerge.objects.filter(kept=person, undone_at__isnull=True)
                .select_related("duplicate", "merged_by"))
