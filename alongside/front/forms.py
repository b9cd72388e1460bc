"""Form plumbing shared by the practice pages: GOV.UK Frontend classes on Django's widgets,
code-list choice fields, and today's date as the default for anything that just happened."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from alongside.codes.models import Code

WIDGET_CLASSES = {
    forms.RadioSelect: "govuk-radios__input",
    forms.CheckboxSelectMultiple: "govuk-checkboxes__input",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.Select: "govuk-select",
    forms.Textarea: "govuk-textarea",
    forms.DateInput: "govuk-input govuk-input--width-10",
    forms.NumberInput: "govuk-input govuk-input--width-4",
    forms.TextInput: "govuk-input",
    forms.EmailInput: "govuk-input",
}


class GovukDateInput(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes. A browser's own picker shows dates
    in its own locale's order (1 Dec 2026 as 12/01/2026); three labelled boxes cannot be
    misread, and the date is filled in for anything that just happened, so it costs no taps.

    A form posted with the date as one ISO value (`done_on=2026-12-01`, as scripts and the
    tests post it) is read as that."""

    template_name = "front/_date_input.html"
    PARTS = (("day", _("Day"), 2), ("month", _("Month"), 2), ("year", _("Year"), 4))

    def __init__(self, attrs=None):
        super().__init__({name: forms.TextInput() for name, _label, _w in self.PARTS}, attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value.count("-") == 2:  # an ISO value posted whole
            year, month, day = value.split("-")
            return [day, month, year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        if name in data:
            return data[name]
        day, month, year = (str(data.get(f"{name}_{part}", "")).strip() for part, _l, _w in self.PARTS)
        if not (day or month or year):
            return ""
        if not (day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4):
            return f"{year}/{month}/{day}"  # not a date: the field says so
        return f"{year}-{month}-{day}"

    def value_omitted_from_data(self, data, files, name):
        return name not in data and all(f"{name}_{part}" not in data for part, _l, _w in self.PARTS)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for sub, (_part, label, width) in zip(context["widget"]["subwidgets"], self.PARTS, strict=True):
            sub["label"], sub["width"] = label, width
        context["widget"]["error"] = (attrs or {}).get("aria-invalid") == "true"
        return context


class DateField(forms.DateField):
    """A date in the GOV.UK date input, today's date by default."""

    widget = GovukDateInput
    default_error_messages = {"invalid": _("Enter a real date, for example 27 3 2026")}

    def __init__(self, *, today: bool = True, past: bool = True, **kwargs):
        """`today`: start at today's date; `past`: refuse a date that has not happened yet
        (review dates and due dates are the future ones)."""
        if today:
            kwargs.setdefault("initial", date.today)
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        super().__init__(**kwargs)
        if past:
            self.validators.append(_not_in_future)


def _not_in_future(value: date) -> None:
    if value > date.today():
        raise ValidationError(_("Enter a date that is today or in the past"))


class GovukMixin:
    """Adds GOV.UK Frontend classes; templates render fields with front/_field.html."""

    template_name = "front/_form_fields.html"
    # Fields whose default is nearly always right (today's date, no note): folded under a
    # summary so that on a phone the Save button is on the first screen.
    folded: tuple[str, ...] = ()
    folded_summary = _("Date (today) and note")

    def main_fields(self) -> list:
        return [f for f in self.visible_fields() if f.name not in self.folded]

    def folded_fields(self) -> list:
        return [f for f in self.visible_fields() if f.name in self.folded]

    def folded_open(self) -> bool:
        """Open when a folded field holds an error or was changed from its default."""
        return any(name in self.errors for name in self.folded)

    def __getitem__(self, name):
        # styled on first render, so fields that subclasses replace in __init__ get it too
        field = self.fields[name]
        widget = field.widget
        if not getattr(widget, "_govuk", False):
            for kind in type(widget).__mro__:
                if kind in WIDGET_CLASSES:
                    widget.attrs.setdefault("class", WIDGET_CLASSES[kind])
                    break
            if isinstance(widget, forms.NumberInput):
                widget.attrs.setdefault("inputmode", "numeric")
            if isinstance(widget, forms.Textarea) and widget.attrs.get("rows") in (None, "10"):
                widget.attrs["rows"] = 3  # Django's own 10 rows push Save off a phone's screen
            widget._govuk = True
        return super().__getitem__(name)


class GovukForm(GovukMixin, forms.Form):
    pass


class GovukModelForm(GovukMixin, forms.ModelForm):
    pass


def _label(code: Code) -> str:
    if get_language() == "cy" and code.label_cy:
        return code.label_cy
    return code.label


class CodeChoiceField(forms.ModelChoiceField):
    """One value from a code list, shown by its label (Welsh when there is one)."""

    def __init__(self, list_name: str, *, show_code: bool = False, queryset=None, **kwargs):
        self.show_code = show_code
        queryset = queryset if queryset is not None else Code.objects.filter(list=list_name, active=True)
        kwargs.setdefault("empty_label", None if kwargs.get("widget") is forms.RadioSelect else "")
        super().__init__(queryset=queryset, **kwargs)

    def label_from_instance(self, obj: Code) -> str:
        return f"{obj.code} {_label(obj)}" if self.show_code else _label(obj)


class CodeMultipleChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, list_name: str, *, show_code: bool = True, queryset=None, **kwargs):
        self.show_code = show_code
        queryset = queryset if queryset is not None else Code.objects.filter(list=list_name, active=True)
        super().__init__(queryset=queryset, **kwargs)

    def label_from_instance(self, obj: Code) -> str:
        if obj.parent_id:
            return "– " + _label(obj)
        return f"{obj.code} {_label(obj)}" if self.show_code else _label(obj)


def language_choice(label, help_text="") -> forms.ChoiceField:
    """English or Cymraeg (each named in itself), or neither said."""
    from alongside.codes.language import LANGUAGES

    return forms.ChoiceField(label=label, help_text=help_text, required=False,
                             widget=forms.RadioSelect, choices=LANGUAGES)
