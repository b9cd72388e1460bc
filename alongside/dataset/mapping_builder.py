"""Building a mapping file in the browser instead of writing YAML by hand: the spreadsheet's
header and the values found in it are read, each minimum-dataset field is offered the column
whose name is most like it, and each value found the code whose label is most like it. The
officer checks the choices, names the mapping and saves it for their council; the spreadsheet is
then sent, through the new mapping, as a check-only import.

Steps (one page each, the choices kept in the session): the columns, the values, the name.
The spreadsheet waits in a folder of its own under the work folder until it is sent."""

from __future__ import annotations

import hashlib
import json
import secrets
import shutil
import time
from pathlib import Path

import yaml
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.text import get_valid_filename, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from rapidfuzz import fuzz, process, utils

from alongside.accounts.models import Role
from alongside.codes.models import Code
from alongside.front.forms import GovukForm
from alongside.front.pages import render_page
from alongside.operations import files, work
from alongside.operations.models import Job
from alongside.places.models import Council, Ward

from . import legacy
from .models import SavedMapping

SESSION_KEY = "mapping_builder"
# Enough rows to meet the values a column holds; a council's whole history is not read here.
SCAN_ROWS = 5000
DISTINCT = 30
# A column's name must be at least this like one of a field's words to be suggested for it.
COLUMN_CUTOFF = 85
VALUE_CUTOFF = 60

FIELD_LABELS = {
    "given_name": _l("Given name"), "family_name": _l("Family name"),
    "introducing_organisation": _l("Introducing organisation"),
    "introduced_on": _l("Date of introduction"), "ended_on": _l("Date the support ended"),
    "birth_date": _l("Date of birth"), "ward": _l("Ward"), "age_band": _l("Age band"),
    "gender": _l("Gender"), "ethnicity": _l("Ethnicity"),
    "long_term_condition": _l("Long-term condition"),
    "relationship_to_services": _l("Relationship to services"), "consent": _l("Consent"),
    "lawful_basis": _l("Lawful basis"), "route": _l("Who made the introduction"),
    "reasons": _l("Reasons for the introduction"), "level": _l("Level of support"),
    "status": _l("Status"), "exit_point": _l("Exit point"), "exit_response": _l("Exit response"),
    "exit_outcome": _l("Exit outcome"),
}
# The words councils' spreadsheets use for each field (and for the ID), compared with the
# column names; the field's own name is always one of them.
SYNONYMS = {
    "key": ["id", "client id", "person id", "ref", "reference", "case number", "record id"],
    "given_name": ["given name", "first name", "forename", "christian name"],
    "family_name": ["family name", "surname", "last name"],
    "introducing_organisation": ["introducing organisation", "referring organisation", "referrer",
                                 "organisation", "agency"],
    "introduced_on": ["introduced on", "referral date", "date referred", "date in", "date introduced",
                      "start date", "date of referral"],
    "ended_on": ["ended on", "closed date", "date closed", "end date", "closure date", "date out"],
    "birth_date": ["birth date", "date of birth", "dob", "birth"],
    "ward": ["ward", "area", "neighbourhood", "locality", "patch"],
    "age_band": ["age band", "age group"],
    "gender": ["gender", "sex"],
    "ethnicity": ["ethnicity", "ethnic origin", "ethnic group"],
    "long_term_condition": ["long term condition", "ltc", "disability", "health condition"],
    "relationship_to_services": ["relationship to services", "known to services"],
    "consent": ["consent", "consent status"],
    "lawful_basis": ["lawful basis", "legal basis"],
    "route": ["route", "referred by", "how referred", "referral source", "source", "introduced by"],
    "reasons": ["reasons", "reason", "main reason", "reason for referral", "presenting issue"],
    "level": ["level", "support level", "level of support", "support"],
    "status": ["status", "case status", "open or closed"],
    "exit_point": ["exit point", "closure stage"],
    "exit_response": ["exit response"],
    "exit_outcome": ["exit outcome", "closure reason", "why closed", "reason closed", "outcome"],
}
DATE_FORMATS = [("%d/%m/%Y", "dd/mm/yyyy"), ("%Y-%m-%d", "yyyy-mm-dd"), ("%d-%m-%Y", "dd-mm-yyyy"),
                ("%m/%d/%Y", "mm/dd/yyyy")]


# --- Reading the spreadsheet and suggesting ------------------------------------------------

def scan(path: Path, rows: int = SCAN_ROWS, distinct: int = DISTINCT) -> dict:
    """The header and up to `distinct` values of each column, from the first `rows` rows.
    Raises ValueError on a file that cannot be read."""
    about: dict = {}
    header, table = legacy.read_table(path, None, None, None, about)
    columns = [h for h in dict.fromkeys(header) if h]
    found: dict[str, list[str]] = {c: [] for c in columns}
    count = 0
    try:
        for _n, row in table:
            count += 1
            for c in columns:
                v = row.get(c)
                text = "" if v is None else str(v).strip()
                if text and len(found[c]) < distinct and text not in found[c]:
                    found[c].append(text)
            if count >= rows:
                break
    finally:
        table.close()
    return {"columns": columns, "values": found, "rows": count, "about": about}


def suggest_columns(columns: list[str]) -> dict[str, str]:
    """Field (and "key") → the column whose name is most like the field's words; each column is
    given to one field at most, the likest pairs first."""
    scored = []
    for fld, words in SYNONYMS.items():
        for word in words:
            hit = process.extractOne(word, columns, scorer=fuzz.WRatio, processor=utils.default_process,
                                     score_cutoff=COLUMN_CUTOFF)
            if hit:
                exact = utils.default_process(hit[0]) == utils.default_process(word)
                scored.append((exact, hit[1], fld, hit[0]))
    chosen: dict[str, str] = {}
    for _exact, _score, fld, column in sorted(scored, reverse=True):
        if fld not in chosen and column not in chosen.values():
            chosen[fld] = column
    return chosen


def suggest_code(value: str, choices: list[tuple[str, str]]) -> str | None:
    """The code most like a spreadsheet's value: its code or label written the same, case aside,
    else the likest label or code ("GP Surgery" → gp)."""
    folded = legacy._folded(value)
    for code, label in choices:
        if folded in (legacy._folded(code), legacy._folded(label)):
            return code
    candidates = {}
    for i, (code, label) in enumerate(choices):
        candidates[(i, "code")] = code
        candidates[(i, "label")] = label
    hit = process.extractOne(value, candidates, scorer=fuzz.WRatio, processor=utils.default_process,
                             score_cutoff=VALUE_CUTOFF)
    return choices[hit[2][0]][0] if hit else None


def code_choices(list_name: str) -> list[tuple[str, str]]:
    """A code list as (code, label), a finer code shown under its parent's label."""
    codes = list(Code.objects.filter(list=list_name, active=True).select_related("parent"))
    return [(c.code, f"{c.parent.local_label}: {c.local_label}" if c.parent_id else c.local_label)
            for c in codes]


def ward_choices(council: Council) -> list[tuple[str, str]]:
    return [(w.ons_code, w.name) for w in Ward.objects.filter(council=council).order_by("name")]


def values_to_map(fld: str, found: list[str], split: str = ";") -> list[str]:
    if fld != "reasons":
        return found
    parts = [p.strip() for v in found for p in v.split(split)]
    return list(dict.fromkeys(p for p in parts if p))


def build_yaml(council: Council, state: dict, name: str) -> str:
    """The mapping file of the officer's choices, written so that it reads back as text."""
    cols = state["columns"]
    data = {"council": council.name, "system": state["system"], "key": cols["key"],
            "date_format": state["date_format"],
            "columns": {f: cols[f] for f in legacy.FIELDS if cols.get(f)}}
    values = {f: dict(v) for f, v in state.get("values", {}).items() if v}
    if values:
        data["values"] = values
    if state.get("defaults"):
        data["defaults"] = dict(state["defaults"])
    head = f"# {name}: built in Alongside from {state['file']}\n"
    return head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)


# --- Who may, and the session's state ----------------------------------------------------

def allowed(user) -> None:
    if user.role not in (Role.MANAGER, Role.ADMINISTRATOR):
        raise PermissionDenied("Imports are for managers (their council) and administrators.")


def visible_mappings(user):
    if user.role == Role.ADMINISTRATOR:
        return SavedMapping.objects.select_related("council")
    return SavedMapping.objects.filter(council_id=user.council_id).select_related("council")


def write_upload(folder: Path, name: str, chunks) -> str:
    """Write an uploaded file into `folder` and give its SHA-256: an import's history names the
    very file, since the same name can hold another year's rows."""
    digest = hashlib.sha256()
    with (folder / name).open("wb") as out:
        for chunk in chunks:
            out.write(chunk)
            digest.update(chunk)
    return digest.hexdigest()


def _folder(token: str) -> Path:
    return files.work_dir() / "uploads" / f"mapping-{token}"


def start(request, upload, dry_run: bool = True) -> None:
    """Keep the spreadsheet sent on the imports page, read it, and begin the steps. Raises
    ValueError (with the reason) when it cannot be read."""
    discard(request)
    forget_abandoned()
    token = secrets.token_hex(16)
    folder = _folder(token)
    folder.mkdir(parents=True, mode=0o700)
    name = get_valid_filename(Path(upload.name).name)
    sha256 = write_upload(folder, name, upload.chunks())
    try:
        found = scan(folder / name)
    except (ValueError, OSError):
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if not found["columns"]:
        shutil.rmtree(folder, ignore_errors=True)
        raise ValueError(_("no column names were found in its first rows"))
    (folder / "scan.json").write_text(json.dumps(found), encoding="utf-8")
    request.session[SESSION_KEY] = {"token": token, "file": name, "sha256": sha256,
                                    "size": upload.size, "user": request.user.pk}


def forget_abandoned(hours: int = 24) -> None:
    """Spreadsheets left waiting by builders never finished (they hold people's details)."""
    cutoff = time.time() - hours * 3600
    for d in (files.work_dir() / "uploads").glob("mapping-*"):
        try:
            if d.stat().st_mtime < cutoff:
                shutil.rmtree(d, ignore_errors=True)
        except OSError:
            pass


def discard(request) -> None:
    state = request.session.pop(SESSION_KEY, None)
    if state:
        shutil.rmtree(_folder(state["token"]), ignore_errors=True)


def _state(request) -> tuple[dict, dict] | tuple[None, None]:
    state = request.session.get(SESSION_KEY)
    if not state or state.get("user") != request.user.pk:
        return None, None
    try:
        found = json.loads((_folder(state["token"]) / "scan.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, None
    return state, found


def _council(request, state) -> Council | None:
    if request.user.role == Role.MANAGER:
        return request.user.council
    return Council.objects.filter(pk=state.get("council")).first()


# --- The forms -------------------------------------------------------------------------

class ColumnsForm(GovukForm):
    def __init__(self, *args, columns: list[str], user, initial_file: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("None of the columns")), *[(c, c) for c in columns]]
        if user.role == Role.ADMINISTRATOR:
            self.fields["council"] = forms.ModelChoiceField(
                label=_("Council"), queryset=Council.objects.all(), empty_label="",
                help_text=_("The council whose records these are"))
        self.fields["system"] = forms.CharField(
            label=_("The system the spreadsheet comes from"), max_length=80,
            initial=slugify(Path(initial_file).stem)[:80],
            help_text=_("A short name, the same every year: people already imported from it are "
                        "found again by their ID"))
        self.fields["key"] = forms.ChoiceField(
            label=_("The council's own ID for each person"), choices=choices,
            error_messages={"required": _("Choose the column of the council's own IDs: a person "
                                          "imported again is found by it")})
        for fld in legacy.FIELDS:
            self.fields[f"col_{fld}"] = forms.ChoiceField(
                label=FIELD_LABELS[fld], choices=choices, required=fld in legacy.REQUIRED,
                error_messages={"required": _("Choose the column that holds this: every person "
                                              "needs it")})
        self.fields["date_format"] = forms.ChoiceField(
            label=_("How the dates are written"), choices=DATE_FORMATS, widget=forms.RadioSelect)
        for fld, list_name in legacy.CODED.items():
            self.fields[f"default_{fld}"] = forms.ChoiceField(
                label=_("%(field)s when the spreadsheet has none") % {"field": FIELD_LABELS[fld]},
                choices=[("", ""), *code_choices(list_name)], required=False)

    def column_fields(self):
        return [self[f"col_{f}"] for f in legacy.FIELDS]

    def default_fields(self):
        return [self[f"default_{f}"] for f in legacy.CODED]

    def clean(self):
        d = super().clean()
        used: dict[str, str] = {}
        for name in ["key", *(f"col_{f}" for f in legacy.FIELDS)]:
            column = d.get(name)
            if column and name != "key":
                if column in used:
                    self.add_error(name, _("The column %(column)s is already chosen for %(field)s")
                                   % {"column": column, "field": self.fields[used[column]].label})
                else:
                    used[column] = name
        return d


class ValuesForm(GovukForm):
    """For each coded field given a column (and the ward), a select for each value found."""

    def __init__(self, *args, groups: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = groups
        for g in groups:
            g["names"] = []
            for i, value in enumerate(g["values"]):
                name = f"v_{g['field']}_{i}"
                self.fields[name] = forms.ChoiceField(
                    label=value, choices=[("", ""), *g["choices"]], required=True,
                    initial=suggest_code(value, g["choices"]),
                    error_messages={"required": _("Choose what %(value)s means") % {"value": value}})
                g["names"].append(name)

    def bound_groups(self):
        return [{**g, "bound": [self[n] for n in g["names"]]} for g in self.groups]

    def chosen(self) -> dict[str, dict[str, str]]:
        return {g["field"]: {v: self.cleaned_data[n] for v, n in zip(g["values"], g["names"], strict=True)}
                for g in self.groups}


class SaveForm(GovukForm):
    name = forms.CharField(label=_l("Name of the mapping"), max_length=120,
                           help_text=_l("For example, the system and the years, so that it can be "
                                        "chosen again for next year's spreadsheet"))

    def __init__(self, *args, council: Council, **kwargs):
        super().__init__(*args, **kwargs)
        self.council = council

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if SavedMapping.objects.filter(council=self.council, name=name).exists():
            raise forms.ValidationError(_("%(council)s already has a mapping called %(name)s: choose "
                                          "another name") % {"council": self.council.name, "name": name})
        return name


# --- The pages -------------------------------------------------------------------------

def _lost(request):
    """No spreadsheet is waiting (the session ended, or it was sent): start again."""
    response = render_page(request, "dataset/mapping_lost.html", {})
    response.status_code = 400
    return response


@login_required
def columns(request):
    allowed(request.user)
    state, found = _state(request)
    if state is None:
        return _lost(request)
    suggested = suggest_columns(found["columns"])
    if "columns" in state:
        initial = {"system": state["system"], "date_format": state["date_format"],
                   "council": state.get("council"), "key": state["columns"].get("key", ""),
                   **{f"col_{f}": c for f, c in state["columns"].items() if f != "key"},
                   **{f"default_{f}": c for f, c in state.get("defaults", {}).items()}}
    else:
        initial = {"key": suggested.get("key", ""), "date_format": _guess_date_format(found, suggested),
                   **{f"col_{f}": c for f, c in suggested.items() if f != "key"}}
        if request.user.role == Role.MANAGER:
            initial["council"] = request.user.council_id
    form = ColumnsForm(request.POST or None, initial=initial, columns=found["columns"],
                       user=request.user, initial_file=state["file"])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        state["columns"] = {"key": d["key"], **{f: d[f"col_{f}"] for f in legacy.FIELDS if d[f"col_{f}"]}}
        state["system"] = d["system"].strip()
        state["date_format"] = d["date_format"]
        state["defaults"] = {f: d[f"default_{f}"] for f in legacy.CODED if d[f"default_{f}"]}
        state["council"] = d["council"].pk if "council" in d else request.user.council_id
        state.pop("values", None)
        request.session[SESSION_KEY] = state
        return redirect("mapping_values")
    return render_page(request, "dataset/mapping_columns.html", {
        "form": form, "state": state, "found": found})


def _guess_date_format(found: dict, suggested: dict) -> str:
    """The format that reads the most of the introduction dates found."""
    from datetime import datetime

    samples = [v for f in legacy.DATES if (c := suggested.get(f)) for v in found["values"].get(c, [])]

    def reads(fmt):
        n = 0
        for v in samples:
            try:
                datetime.strptime(v.split(" ")[0], fmt)
                n += 1
            except ValueError:
                pass
        return n

    return max((fmt for fmt, _label in DATE_FORMATS), key=reads) if samples else DATE_FORMATS[0][0]


def _groups(state: dict, found: dict, council: Council) -> list[dict]:
    groups = []
    for fld in ("ward", *legacy.CODED):
        column = state["columns"].get(fld)
        if not column:
            continue
        values = values_to_map(fld, found["values"].get(column, []))
        if not values:
            continue
        choices = ward_choices(council) if fld == "ward" else code_choices(legacy.CODED[fld])
        groups.append({"field": fld, "label": FIELD_LABELS[fld], "column": column, "values": values,
                       "choices": choices})
    return groups


@login_required
def values(request):
    allowed(request.user)
    state, found = _state(request)
    if state is None:
        return _lost(request)
    if "columns" not in state:
        return redirect("mapping_columns")
    council = _council(request, state)
    if council is None:
        return redirect("mapping_columns")
    groups = _groups(state, found, council)
    initial = {}
    for g in groups:
        before = state.get("values", {}).get(g["field"], {})
        initial.update({f"v_{g['field']}_{i}": before[v] for i, v in enumerate(g["values"]) if v in before})
    form = ValuesForm(request.POST or None, groups=groups, initial=initial)
    if request.method == "POST" and form.is_valid():
        state["values"] = form.chosen()
        request.session[SESSION_KEY] = state
        return redirect("mapping_save")
    return render_page(request, "dataset/mapping_values.html", {
        "form": form, "groups": form.bound_groups(), "state": state, "council": council})


@login_required
def save(request):
    allowed(request.user)
    state, found = _state(request)
    if state is None:
        return _lost(request)
    if "values" not in state:
        return redirect("mapping_values" if "columns" in state else "mapping_columns")
    council = _council(request, state)
    if council is None:
        return redirect("mapping_columns")
    form = SaveForm(request.POST or None, council=council)
    text = build_yaml(council, state, _("New mapping"))
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"]
        text = build_yaml(council, state, name)
        file_name = get_valid_filename(f"{slugify(name) or 'mapping'}.mapping.yaml")
        try:
            legacy.Mapping.from_text(text, file_name)
        except legacy.MappingError as e:
            form.add_error(None, _("The mapping cannot be used: %(reason)s") % {"reason": str(e)})
        else:
            job = _send(request, state, council, name, text, file_name)
            return redirect("job", job.pk)
    return render_page(request, "dataset/mapping_save.html", {
        "form": form, "state": state, "council": council, "yaml": text, "found": found})


def _send(request, state, council, name, text, file_name) -> Job:
    """Save the mapping and send the spreadsheet through it as a check-only import, as the
    imports page sends an uploaded mapping."""
    user = request.user
    folder_from = _folder(state["token"])
    with transaction.atomic():
        saved = SavedMapping.objects.create(council=council, name=name, yaml=text, created_by=user)
        job = Job.objects.create(
            kind=Job.Kind.IMPORT, requested_by=user,
            council_id=user.council_id if user.role == Role.MANAGER else None,
            options={"file": state["file"], "mapping": file_name, "dry_run": True,
                     "saved_mapping": saved.pk, "data_sha256": state["sha256"], "size": state["size"]})
        folder = files.upload_dir(job)
        shutil.move(folder_from / state["file"], folder / state["file"])
        job.options["mapping_sha256"] = write_upload(folder, file_name, [text.encode("utf-8")])
        job.save(update_fields=["options"])
        work.queue(job)
    request.session.pop(SESSION_KEY, None)
    shutil.rmtree(folder_from, ignore_errors=True)
    return job


@login_required
def cancel(request):
    allowed(request.user)
    if request.method == "POST":
        discard(request)
    return redirect("imports")


@login_required
def saved_mapping(request, pk):
    """A saved mapping's YAML, for its council's managers and for administrators."""
    allowed(request.user)
    mapping = get_object_or_404(visible_mappings(request.user), pk=pk)
    if request.method == "POST" and request.POST.get("delete"):
        mapping.delete()
        return redirect("imports")
    return render_page(request, "dataset/saved_mapping.html", {"mapping": mapping})
