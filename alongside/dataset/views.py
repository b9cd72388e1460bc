"""The minimum dataset in and out of the browser, done by a worker: exports of a manager's own
council; the LAC Network's pseudonymised research export, asked for by an administrator (who
passes it on under the data sharing agreement; no row-level records reach an analyst through
the web); and imports of a council's earlier records through its mapping file (managers for
their own council, administrators for any)."""

import hashlib
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from alongside.accounts.models import Role
from alongside.front.forms import GovukForm
from alongside.front.pages import render_page
from alongside.operations import files, work
from alongside.operations.models import Job
from alongside.operations.views import visible_jobs

from . import undo as undoing

# Bigger than any council's years of spreadsheets (a 250,000-row CSV is about 40 MB).
MAX_UPLOAD = 100 * 1024 * 1024


class ExportForm(GovukForm):
    format = forms.ChoiceField(label=_l("Format"), widget=forms.RadioSelect, initial="csv", choices=[
        ("csv", _l("CSV files, one a table")), ("xlsx", _l("One Excel workbook")),
        ("parquet", _l("Parquet files, for analysis software"))])


@login_required
def exports(request):
    if request.user.role != Role.MANAGER:
        raise PermissionDenied("Exports of a council's records are for its managers.")
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            job = Job.objects.create(kind=Job.Kind.EXPORT, requested_by=request.user,
                                     options={"format": form.cleaned_data["format"]},
                                     council_id=request.user.council_id)
            work.queue(job)
        return redirect("job", job.pk)
    return render_page(request, "dataset/exports.html", {
        "form": form, "jobs": visible_jobs(request.user).filter(kind=Job.Kind.EXPORT)[:30]})


@login_required
def research_export(request):
    if request.user.role != Role.ADMINISTRATOR:
        raise PermissionDenied("The Network's research export is made by an administrator.")
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            job = Job.objects.create(kind=Job.Kind.RESEARCH, requested_by=request.user,
                                     options={"format": form.cleaned_data["format"]})
            work.queue(job)
        return redirect("job", job.pk)
    return render_page(request, "dataset/research_export.html", {
        "form": form, "jobs": visible_jobs(request.user).filter(kind=Job.Kind.RESEARCH)[:30]})


class ImportForm(GovukForm):
    data = forms.FileField(label=_l("The spreadsheet"),
                           help_text=_l("CSV or Excel (.xlsx), one row a person, as the council keeps it"))
    mapping = forms.FileField(label=_l("Its mapping file"),
                              help_text=_l("YAML: which column holds which minimum-dataset field"))
    dry_run = forms.BooleanField(label=_l("Check only: write nothing"), required=False, initial=True)

    def clean_data(self):
        f = self.cleaned_data["data"]
        if Path(f.name).suffix.lower() not in (".csv", ".xlsx"):
            raise forms.ValidationError(_("The spreadsheet must be a .csv or .xlsx file"))
        if f.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The spreadsheet is larger than 100 MB; split it by year"))
        return f

    def clean_mapping(self):
        f = self.cleaned_data["mapping"]
        if Path(f.name).suffix.lower() not in (".yaml", ".yml"):
            raise forms.ValidationError(_("The mapping file must be a .yaml file"))
        if f.size > 1024 * 1024:
            raise forms.ValidationError(_("The mapping file is larger than 1 MB"))
        return f


@login_required
def imports(request):
    user = request.user
    if user.role not in (Role.MANAGER, Role.ADMINISTRATOR):
        raise PermissionDenied("Imports are for managers (their council) and administrators.")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        names = {k: get_valid_filename(Path(d[k].name).name) for k in ("data", "mapping")}
        with transaction.atomic():
            job = Job.objects.create(
                kind=Job.Kind.IMPORT, requested_by=user,
                council_id=user.council_id if user.role == Role.MANAGER else None,
                options={"file": names["data"], "mapping": names["mapping"], "dry_run": d["dry_run"]})
            folder = files.upload_dir(job)
            for k in ("data", "mapping"):
                digest = hashlib.sha256()
                with (folder / names[k]).open("wb") as out:
                    for chunk in d[k].chunks():
                        out.write(chunk)
                        digest.update(chunk)
                # The history names the very file: the same name can hold another year's rows.
                job.options[f"{k}_sha256"] = digest.hexdigest()
            job.options["size"] = d["data"].size
            job.save(update_fields=["options"])
            work.queue(job)
        return redirect("job", job.pk)
    return render_page(request, "dataset/imports.html", {
        "form": form, "jobs": visible_jobs(user).filter(kind=Job.Kind.IMPORT)[:30]})


@login_required
def import_undo(request, pk):
    """Undo a whole import (a POST from its page): exactly what it created goes, if nothing has
    been recorded on top of it since."""
    if request.method != "POST":
        return redirect("job", pk)
    job = visible_jobs(request.user).filter(kind=Job.Kind.IMPORT, pk=pk).first()
    if job is None:
        raise Http404("No such import of yours.")
    try:
        removed = undoing.undo(job, request.user)
    except ValueError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("Import undone: %(people)s people and %(activities)s activities "
                                    "removed.") % removed)
    return redirect("job", pk)
