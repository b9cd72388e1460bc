"""No lost updates: a record's `version` goes up by one on every save through a form, and a
save made from an older version is refused.

Each field also carries the value the user started from (Django's `show_hidden_initial`), so
that a refused save can be merged: fields only the user changed keep the user's entry, fields
only the other person changed take theirs, and fields both changed are shown side by side for
the user to choose. Nothing is saved until the user has seen the merge and saved again.
"""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.forms.models import model_to_dict

from alongside.audit.models import AuditEvent


class VersionedForm(forms.ModelForm):
    """Mix into a ModelForm whose model has a `version` field."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["version"].initial = self.instance.version
        else:                       # a new record has nothing to be out of date with
            self.fields["version"].required = False
        for name, f in self.fields.items():
            if name != "version":
                f.show_hidden_initial = True


@dataclass
class Conflict:
    current: Model
    by: AuditEvent | None
    both: list[dict] = field(default_factory=list)     # fields both changed: label, yours, theirs
    theirs: list[str] = field(default_factory=list)    # labels of fields taken from the saved version


def _value(f: forms.Field, raw) -> object:
    try:
        return f.to_python(raw)
    except ValidationError:
        return raw


def _as(widget: forms.Widget, f: forms.Field, value) -> list[str]:
    """A value as this widget writes it into the page: comparing these, rather than Python
    values, compares at the form's own resolution (a month of birth to the month)."""
    shown = widget.format_value(f.prepare_value(value))
    if isinstance(shown, list | tuple):
        return [str(v) for v in shown if v not in (None, "")]
    return [] if shown in (None, "") else [str(shown)]


def _started_from(form: forms.Form, name: str) -> list[str]:
    key = form.add_initial_prefix(name)
    raw = form.data.getlist(key) if hasattr(form.data, "getlist") else [form.data.get(key)]
    return [str(v) for v in raw if v not in (None, "")]


def save_unless_changed(form: VersionedForm, last_change) -> Conflict | None:
    """Save the valid form if nobody has saved the record since the user opened it.

    `last_change(record)` returns the audit entry of the latest change, to say who made it.
    Otherwise returns the conflict and rebinds the form to the merge, at the current version.
    """
    model = type(form.instance)
    with transaction.atomic():
        current = model.objects.select_for_update().get(pk=form.instance.pk)
        if current.version == form.cleaned_data["version"]:
            form.instance.version = current.version + 1
            form.save()
            return None
    conflict = Conflict(current, last_change(current))
    saved = model_to_dict(current)
    merged = form.data.copy()
    for name, f in form.fields.items():
        if name == "version":
            continue
        theirs = _as(f.hidden_widget(), f, saved.get(name))
        if theirs == _started_from(form, name):
            continue                                  # they did not change this field
        key = form.add_prefix(name)
        shown = _as(f.widget, f, saved.get(name))
        if name in form.changed_data and _as(f.hidden_widget(), f, form.cleaned_data.get(name)) != theirs:
            conflict.both.append({"label": f.label, "yours": _shown(f, form.cleaned_data.get(name)),
                                  "theirs": _shown(f, _value(f, shown if len(shown) != 1 else shown[0]))})
        else:
            conflict.theirs.append(f.label)
            merged.setlist(key, shown or [""])
        # the next save starts from the saved version, so it is not refused again
        merged.setlist(form.add_initial_prefix(name), theirs or [""])
    merged[form.add_prefix("version")] = str(current.version)
    form.data = merged
    form.is_bound = True
    form._errors = None
    return conflict


def _shown(f: forms.Field, value) -> str:
    if value in (None, ""):
        return "–"
    if isinstance(f, forms.ModelChoiceField):
        return f.label_from_instance(value)
    if isinstance(f, forms.BooleanField):
        return "✓" if value else "✗"
    return str(value)
