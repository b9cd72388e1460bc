"""Look codes up by list and code without scattering queries through the app.

The code lists are small (a couple of hundred rows) and change only when a new version is
loaded or an administrator corrects a label, yet nearly every record points at three or four
of them. Each worker keeps one copy (`catalogue`) and records are given their codes from it,
instead of a join per coded field in every query. A change made in this process clears the
copy at once; another worker picks it up within CATALOGUE_SECONDS, and a code it has never
seen (new since it last read them) is read at once.
"""

import time
from collections.abc import Iterable
from datetime import date

from django.db.models import Field

from .models import Code

CATALOGUE_SECONDS = 60

_catalogue: tuple[float, dict[int, Code]] | None = None


def code(list_name: str, value: str) -> Code:
    return Code.objects.get(list=list_name, code=value)


def codes(list_name: str):
    return Code.objects.filter(list=list_name, active=True)


def catalogue(refresh: bool = False) -> dict[int, Code]:
    """Every code by primary key, as this worker last read them (see the module's note)."""
    global _catalogue
    if refresh or _catalogue is None or time.monotonic() - _catalogue[0] > CATALOGUE_SECONDS:
        _catalogue = (time.monotonic(), Code.objects.in_bulk())
    return _catalogue[1]


def forget_codes(**_kwargs) -> None:
    """Drop this worker's copy (connected to Code's save and delete signals)."""
    global _catalogue
    _catalogue = None


def code_by_pk(pk: int | None) -> Code | None:
    if pk is None:
        return None
    found = catalogue().get(pk)
    return found if found is not None else catalogue(refresh=True).get(pk)


def list_codes(list_name: str) -> list[Code]:
    """One list's codes in the file's order, active or not, from the catalogue."""
    return sorted((c for c in catalogue().values() if c.list == list_name),
                  key=lambda c: c.position)


def coded_fields(model) -> list[Field]:
    return [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is Code]


def attach_codes(records: Iterable, fields: Iterable[str] | None = None) -> list:
    """Give `records` their coded foreign keys (`fields`, or all of them) from the catalogue,
    so reading `record.outcome.label` asks the database nothing. Returns the records."""
    records = list(records)
    if not records:
        return records
    model = type(records[0])
    coded = ([model._meta.get_field(f) for f in fields] if fields is not None
             else coded_fields(model))
    for f in coded:
        for r in records:
            f.set_cached_value(r, code_by_pk(getattr(r, f.attname)))
    return records


def age_band(born: date, on: date, bands: list[Code]) -> Code | None:
    """The band of `bands` a person born on `born` is in on `on` (None if none fits)."""
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return next((b for b in bands if "min" in b.attrs and b.attrs["min"] <= age <= b.attrs["max"]), None)
