"""The minimum dataset in and out of the browser, done by a worker: exports (a manager's own
council, or a Network analyst's pseudonymised research export when the Network's key is set up)
and imports of a council's earlier records through its mapping file (managers for their own
council, administrators for any)."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
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

# Bigger than any council's years of spreadsheets (a 250,000-row CSV is about 40 MB).
MAX_UPLOAD = 100 * 1024 * 1024


class ExportForm(GovukForm):
    format = forms.ChoiceField(label=_l("Format"), widget=forms.RadioSelect, initial="csv", choices=[
        ("csv", _l("CSV files, one a table")), ("xlsx", _l("One Excel workbook")),
        ("parquet", _l("Parquet files, for analysis software"))])


def _export_kind(user) -> str:
    if user.role == Role.MANAGER:
        return Job.Kind.EXPORT
    if user.role == Role.ANALYST:
        return Job.Kind.RESEARCH_EXPORT
    raise PermissionDenied("Exports are for managers (their council) and Network analysts (research).")


@login_required
def exports(request):
    kind = _export_kind(request.user)
    key_file = settings.ALONGSIDE_RESEARCH_KEY_FILE
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
        return redirect("job", job.pk)
    return render_page(request, "dataset/exports.html", {
        "form": form, "kind": kind, "can_ask": can_ask,
        "jobs": visible_jobs(request.user).filter(kind=kind)[:30]})


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
                with (folder / names[k]).open("wb") as out:
                    for chunk in d[k].chunks():
                        out.write(chunk)
            work.queue(job)
        return redirect("job", job.pk)
    return render_page(request, "dataset/imports.html", {
        "form": form, "jobs": visible_jobs(user).filter(kind=Job.Kind.IMPORT)[:30]})
