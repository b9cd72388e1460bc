"""Ending, pausing and resuming walking alongside.

"Safe waiting" keeps the door open: the engagement is dormant, not closed, so a person
who comes back is not a new introduction. An exit is coded as the study coded
non-engagement (where in the journey, why, and what happened next).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from alongside import scoping
from alongside.audit.log import record
from alongside.codes.lookup import code
from alongside.journeys.models import Engagement, Exit

from .forms import CodeChoiceField, DateField, GovukForm
from .pages import render_page
from .viewing import audited

END = "exit"
WAIT = "safe_waiting"
RESUME = "active"


class ExitForm(GovukForm):
    choice = forms.ChoiceField(label=_l("What is happening?"), widget=forms.RadioSelect)
    on = DateField(label=_l("Date"))
    point = CodeChoiceField("exit_point", label=_l("Where in the journey did it end?"),
                            required=False)
    response = CodeChoiceField("exit_response", label=_l("Why did it end?"), required=False)
    outcome = CodeChoiceField("exit_outcome", label=_l("What happened next?"), required=False)
    note = forms.CharField(label=_l("Note"), widget=forms.Textarea, required=False)

    def __init__(self, *args, status: str, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(END, _("Close: walking alongside has ended"))]
        if status == "safe_waiting":
            choices.insert(0, (RESUME, _("Active again: they are back in touch")))
        else:
            choices.insert(0, (WAIT, _("Safe waiting: dormant, but the door stays open")))
        self.fields["choice"].choices = choices
        for name in ("point", "outcome"):
            self.fields[name].conditional = True  # needed to close

    def clean(self):
        d = super().clean()
        if d.get("choice") == END:
            for name in ("point", "outcome"):
                if not d.get(name):
                    self.add_error(name, _("Needed to close"))
        return d


@login_required
@audited("close or wait form")
def exit_or_wait(request, reference):
    person = scoping.person_or_404(request.user, reference, recording=True)
    engagement = person.engagements.exclude(status__code="closed").order_by("-started_on").first()
    back = reverse("person", args=[person.reference])
    if engagement is None:
        messages.success(request, _("There is no open engagement to close."))
        return redirect(back)
    form = ExitForm(request.POST or None, status=engagement.status.code)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with transaction.atomic():
            # Read again under a lock: someone may have closed it (or paused it) since this page
            # read it, and saving the older copy would leave an exit on an engagement still
            # waiting (issue 29: 4 of 21 simultaneous close / safe-waiting pairs).
            engagement = (Engagement.objects.select_for_update().select_related("status")
                          .get(pk=engagement.pk))
            if engagement.status.code == "closed":
                messages.error(request, _("Someone else closed this while you were deciding: "
                                          "nothing was changed."))
                return redirect(back)
            if d["choice"] == END:
                engagement.status = code("engagement_status", "closed")
                engagement.ended_on = d["on"]
                Exit.objects.create(engagement=engagement, person=person, exited_on=d["on"],
                                    point=d["point"], response=d["response"],
                                    outcome=d["outcome"], note=d["note"],
                                    recorded_by=request.user)
                text = _("Walking alongside closed")
            elif d["choice"] == WAIT:
                engagement.status = code("engagement_status", "safe_waiting")
                engagement.waiting_since = d["on"]
                engagement.waiting_recorded_at = timezone.now()
                text = _("Now in safe waiting")
            else:
                engagement.status = code("engagement_status", "active")
                engagement.waiting_since = None
                engagement.waiting_recorded_at = None
                text = _("Active again")
            engagement.save()
            record(request, "update", person, what="engagement", to=d["choice"])
        messages.success(request, text)
        return redirect(back)
    return render_page(request, "front/record.html", {
        "form": form, "heading": _("Close, pause or resume"), "caption": str(person),
        "back": back, "lead": _("Currently: %(level)s, %(status)s since %(on)s") % {
            "level": engagement.level.local_label, "status": engagement.status.local_label,
            "on": (engagement.waiting_since or engagement.started_on).strftime("%-d %b %Y")},
    })
