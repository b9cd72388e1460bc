"""Asking a light outcome measure (never required, "declined" and "not now" are answers), and
distance travelled per site or ward with who was never asked shown beside it."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from alongside import scoping
from alongside.audit.log import record
from alongside.codes.language import page_language
from alongside.evidence.disclosure import suppress
from alongside.evidence.distance.scoring import Measure, measures
from alongside.journeys.distance import group_changes
from alongside.journeys.models import Measurement
from alongside.operations import replica

from .forms import DateField, GovukForm
from .pages import render_page
from .viewing import audited


class MeasurementForm(GovukForm):
    status = forms.ChoiceField(label=_l("How did it go?"), widget=forms.RadioSelect,
                               choices=Measurement.Status.choices, initial=Measurement.Status.ANSWERED)
    taken_on = DateField(label=_l("Date"))

    def __init__(self, *args, measure: Measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
        for item in measure.items:
            if item.options:
                choices = [(str(v), label) for v, label in item.options]
                help_text = ""
            else:
                lo, hi = measure.scale
                choices = [(str(v), str(v)) for v in range(lo, hi + 1)]
                help_text = f"{lo} = {measure.scale_labels[0]}, {hi} = {measure.scale_labels[1]}"
            f = forms.ChoiceField(label=item.wording, choices=choices, required=False,
                                  widget=forms.RadioSelect, help_text=help_text)
            f.inline = not item.options
            f.conditional = True  # needed only when answered: no "(optional)"
            self.fields[item.key] = f

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Measurement.Status.ANSWERED:
            for item in self.measure.items:
                if not cleaned.get(item.key):
                    self.add_error(item.key, _("Choose an answer, or record that they declined"))
        return cleaned

    def save(self, person, user) -> Measurement:
        answered = self.cleaned_data["status"] == Measurement.Status.ANSWERED
        answers = {i.key: int(self.cleaned_data[i.key]) for i in self.measure.items} if answered else {}
        return Measurement.objects.create(person=person, measure=self.measure.key, recorded_by=user,
                                          taken_on=self.cleaned_data["taken_on"],
                                          status=self.cleaned_data["status"], answers=answers)


@login_required
@audited("measure form")
def measure_for_person(request, reference, measure):
    person = scoping.person_or_404(request.user, reference, recording=True)
    m = measures(page_language()).get(measure)
    if m is None:
        raise Http404("No such measure.")
    form = MeasurementForm(request.POST or None, measure=m)
    if request.method == "POST" and form.is_valid():
        form.save(person, request.user)
        record(request, "create", person, what=f"measure:{measure}")
        messages.success(request, _("Saved"))
        return redirect("person", person.reference)
    return render_page(request, "front/record.html", {
        "form": form, "heading": m.name, "caption": str(person),
        "lead": _("Only if the moment is right: the relationship comes first. Read the questions as "
                  "written. Source: %(source)s.") % {"source": m.source},
        "back": reverse("person", args=[person.reference]),
    })


@login_required
@replica.reads
def distance_travelled(request):
    wards = scoping.aggregate_wards(request.user)
    if not wards.exists():
        raise PermissionDenied("No wards to show for this role.")
    by = request.GET.get("by", "council")
    if by not in ("council", "ward"):
        by = "council"
    groups = []
    for g in group_changes(wards, by):
        rows = []
        for item in g.measure.reported:
            c = g.changes[item.key]
            rows.append({"label": item.label, "better": item.better, "n": suppress(c.n), "change": c})
        groups.append({"group": g.group, "measure": g.measure, "rows": rows,
                       "level2": suppress(g.level2), "answered": suppress(g.answered),
                       "declined": suppress(g.declined_only), "never": suppress(g.never_asked)})
    return render_page(request, "front/distance.html", {"groups": groups, "by": by})
