"""A piece of background work's own page: how far it has got, then its result (a file to
download, a summary to read, or what went wrong). Each kind is shown only to those who could
have asked for it."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from alongside.accounts.models import Role
from alongside.audit.log import record
from alongside.front.pages import render_page

from . import files, work
from .models import Job


def visible_jobs(user):
    """A manager: their own council's exports and imports. An administrator: imports, the
    retention rule and the Network's pseudonymised research export. Nobody else any (analysts
    receive no row-level records from the web)."""
    if user.role == Role.MANAGER:
        q = Q(kind__in=(Job.Kind.EXPORT, Job.Kind.IMPORT), council_id=user.council_id)
    elif user.role == Role.ADMINISTRATOR:
        q = Q(kind__in=(Job.Kind.IMPORT, Job.Kind.RETENTION, Job.Kind.RESEARCH))
    else:
        return Job.objects.none()
    return Job.objects.filter(q).select_related("council", "requested_by")


def _job_or_404(user, pk: int) -> Job:
    try:
        return visible_jobs(user).get(pk=pk)
    except Job.DoesNotExist:
        raise Http404("No such piece of work.") from None


BACK = {Job.Kind.EXPORT: "exports", Job.Kind.IMPORT: "imports", Job.Kind.RETENTION: "retention",
        Job.Kind.RESEARCH: "research_export"}


@login_required
def job(request, pk: int):
    j = _job_or_404(request.user, pk)
    rows = j.summary.get("rows", {}) if isinstance(j.summary, dict) else {}
    return render_page(request, "operations/job.html", {
        "job": j, "back": BACK[j.kind], "no_worker": j.waiting and not work.worker_alive(),
        "rows": sum(rows.values()) if rows else 0})


@login_required
def job_download(request, pk: int):
    j = _job_or_404(request.user, pk)
    path = files.path_of(j) if j.status == Job.Status.DONE else None
    if path is None:
        raise Http404(_("This export is not ready, or has been removed."))
    record(request, "export", None, what=j.kind, file=j.file_name)
    return FileResponse(path.open("rb"), as_attachment=True, filename=j.file_name.split("-", 2)[2],
                        content_type="application/zip")
