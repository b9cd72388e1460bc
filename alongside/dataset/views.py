"""Exports of the minimum dataset from the browser: asked for here, built by a worker, downloaded
when whole. A manager exports their own council, as its own records; a Network analyst makes the
pseudonymised research export of the councils that share, when the Network's key is set up."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from alongside.accounts.models import Role
from alongside.audit.log import record
from alongside.front.forms import GovukForm
from alongside.front.pages import render_page
from alongside.operations import files, work
from alongside.operations.models import Job

from .export import FORMATS

KINDS = (Job.Kind.EXPORT, Job.Kind.RESEARCH_EXPORT)


class ExportForm(GovukForm):
    format = forms.ChoiceField(label=_l("Format"), widget=forms.RadioSelect, initial="csv", choices=[
        ("csv", _l("CSV files, one a table")), ("xlsx", _l("One Excel workbook")),
        ("parquet", _l("Parquet files, for analysis software"))])


def _kind_for(user) -> str:
    if user.role == Role.MANAGER:
        return Job.Kind.EXPORT
    if user.role == Role.ANALYST:
        return Job.Kind.RESEARCH_EXPORT
    raise PermissionDenied("Exports are for managers (their council) and Network analysts (research).")


def visible_jobs(user):
    """Exports this user may see: a manager's own council's, an analyst's research exports."""
    kind = _kind_for(user)
    jobs = Job.objects.filter(kind=kind)
    if kind == Job.Kind.EXPORT:
        jobs = jobs.filter(council_id=user.council_id)
    return jobs.select_related("council", "requested_by")


@login_required
def exports(request):
    kind = _kind_for(request.user)
    key_file = getattr(settings, "ALONGSIDE_RESEARCH_KEY_FILE", "")
    can_ask = kind == Job.Kind.EXPORT or bool(key_file)
    form = ExportForm(request.POST or None)
    if request.method == "POST" and can_ask and form.is_valid():
        options = {"format": form.cleaned_data["format"]}
        if kind == Job.Kind.RESEARCH_EXPORT:
            options["key_file"] = key_file
        with transaction.atomic():
            job = Job.objects.create(kind=kind, requested_by=request.user, options=options,
                                     council_id=request.user.council_id if kind == Job.Kind.EXPORT else None)
            work.queue(job)
        return redirect("export", job.pk)
    return render_page(request, "dataset/exports.html", {
        "form": form, "kind": kind, "can_ask": can_ask, "formats": FORMATS,
        "jobs": visible_jobs(request.user)[:30]})


def _job_or_404(user, pk: int) -> Job:
    try:
        return visible_jobs(user).get(pk=pk)
    except Job.DoesNotExist:
        raise Http404("No such export.") from None


@login_required
def export_status(request, pk: int):
    job = _job_or_404(request.user, pk)
    return render_page(request, "dataset/export.html", {
        "job": job, "no_worker": job.waiting and not work.worker_alive(),
        "rows": sum(job.summary.get("rows", {}).values()) if job.summary else 0})


@login_required
def export_download(request, pk: int):
    job = _job_or_404(request.user, pk)
    path = files.path_of(job) if job.status == Job.Status.DONE else None
    if path is None:
        raise Http404(_("This export is not ready, or has been removed."))
    record(request, "export", None, what=job.kind, file=job.file_name)
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.file_name.split("-", 2)[2],
                        content_type="application/zip")
