"""The minimum dataset in and out of the browser, done by a worker: exports of a manager's own
council; the LAC Network's pseudonymised research export, asked for by an administrator (who
passes it on under the data sharing agreement; no row-level records reach an analyst through
the web); and imports of a council's earlier records through its mapping file (managers for
their own council, administrators for any)."""

from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils.text import get_valid_filename, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from alongside.accounts.models import Role
from alongside.front.forms import GovukForm
from alongside.front.pages import render_page
from alongside.operations import files, work
from alongside.operations.models import Job
from alongside.operations.views import visible_jobs

from . import mapping_builder
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


BUILD = "build"


class ImportForm(GovukForm):
    data = forms.FileField(label=_l("The spreadsheet"),
                           help_text=_l("CSV or Excel (.xlsx), up to 100 MB, as the council keeps it: one "
                                        "row a person, a contact or a community group"))
    mapping = forms.FileField(label=_l("Its mapping file"), required=False,
                              help_text=_l("YAML: which column holds which minimum-dataset field. "
                                           "Leave it out to use a saved mapping or build one below"))
    use = forms.ChoiceField(label=_l("Or use a mapping kept in Alongside"), required=False)
    dry_run = forms.BooleanField(label=_l("Check only: write nothing"), required=False, initial=True)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.saved = {str(m.pk): m for m in mapping_builder.visible_mappings(user)} if user else {}
        admin = user is not None and user.role == Role.ADMINISTRATOR
        self.fields["use"].choices = [
            ("", _("No: I am sending its mapping file")),
            (BUILD, _("Build a mapping from this spreadsheet")),
            *[(pk, f"{m.name} ({m.council.name})" if admin else m.name) for pk, m in self.saved.items()]]

    def clean_data(self):
        f = self.cleaned_data["data"]
        if Path(f.name).suffix.lower() not in (".csv", ".xlsx"):
            raise forms.ValidationError(_("The spreadsheet must be a .csv or .xlsx file"))
        if f.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The spreadsheet is larger than 100 MB; split it by year"))
        return f

    def clean_mapping(self):
        f = self.cleaned_data["mapping"]
        if f is None:
            return f
        if Path(f.name).suffix.lower() not in (".yaml", ".yml"):
            raise forms.ValidationError(_("The mapping file must be a .yaml file"))
        if f.size > 1024 * 1024:
            raise forms.ValidationError(_("The mapping file is larger than 1 MB"))
        return f

    def clean(self):
        d = super().clean()
        if "mapping" in d and "use" in d:
            if d["mapping"] and d["use"]:
                self.add_error("use", _("Send a mapping file or choose one here, not both"))
            elif not d["mapping"] and not d["use"]:
                self.add_error("mapping", _("Send its mapping file, or choose a saved mapping or to "
                                            "build one"))
        return d


@login_required
def imports(request):
    user = request.user
    mapping_builder.allowed(user)
    form = ImportForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if d["use"] == BUILD:
            try:
                mapping_builder.start(request, d["data"])
            except (ValueError, OSError) as e:
                form.add_error("data", _("The spreadsheet cannot be read: %(reason)s") % {"reason": e})
            else:
                return redirect("mapping_columns")
        else:
            saved = form.saved.get(d["use"]) if d["use"] else None
            data_name = get_valid_filename(Path(d["data"].name).name)
            mapping_name = get_valid_filename(f"{slugify(saved.name) or 'mapping'}.mapping.yaml") \
                if saved else get_valid_filename(Path(d["mapping"].name).name)
            with transaction.atomic():
                job = Job.objects.create(
                    kind=Job.Kind.IMPORT, requested_by=user,
                    council_id=user.council_id if user.role == Role.MANAGER else None,
                    options={"file": data_name, "mapping": mapping_name, "dry_run": d["dry_run"]})
                folder = files.upload_dir(job)
                write = mapping_builder.write_upload
                job.options["data_sha256"] = write(folder, data_name, d["data"].chunks())
                if saved:
                    job.options["saved_mapping"] = saved.pk
                    job.options["mapping_sha256"] = write(folder, mapping_name, [saved.yaml.encode("utf-8")])
                else:
                    job.options["mapping_sha256"] = write(folder, mapping_name, d["mapping"].chunks())
                job.options["size"] = d["data"].size
                job.save(update_fields=["options"])
                work.queue(job)
            return redirect("job", job.pk)
    return render_page(request, "dataset/imports.html", {
        "form": form, "jobs": visible_jobs(user).filter(kind=Job.Kind.IMPORT)[:30],
        "saved_mappings": mapping_builder.visible_mappings(user)})


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
