"""The retention rule, applied by an administrator from the browser: first a count of who it
would reach, then the erasure, both done by a worker."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _l

from alongside.accounts.models import Role
from alongside.front.forms import GovukForm
from alongside.front.pages import render_page
from alongside.operations import work
from alongside.operations.models import Job
from alongside.operations.views import visible_jobs


class RetentionForm(GovukForm):
    years = forms.IntegerField(label=_l("Years after support ended"), min_value=1, max_value=100)
    dry_run = forms.TypedChoiceField(
        label=_l("What to do"), widget=forms.RadioSelect, coerce=lambda v: v == "yes", initial="yes",
        choices=[("yes", _l("Count who the rule reaches; erase nothing")),
                 ("no", _l("Erase their identifiers now (this cannot be undone)"))])


@login_required
def retention(request):
    if request.user.role != Role.ADMINISTRATOR:
        raise PermissionDenied("The retention rule is applied by an administrator.")
    form = RetentionForm(request.POST or None, initial={"years": settings.ALONGSIDE_RETENTION_YEARS})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            job = Job.objects.create(kind=Job.Kind.RETENTION, requested_by=request.user,
                                     options={"years": form.cleaned_data["years"],
                                              "dry_run": form.cleaned_data["dry_run"]})
            work.queue(job)
        return redirect("job", job.pk)
    return render_page(request, "people/retention.html", {
        "form": form, "jobs": visible_jobs(request.user).filter(kind=Job.Kind.RETENTION)[:30]})
