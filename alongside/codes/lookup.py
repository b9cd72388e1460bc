"""Look codes up by list and code without scattering queries through the app."""

from functools import cache

from .models import Code


def code(list_name: str, value: str) -> Code:
    return Code.objects.get(list=list_name, code=value)


def codes(list_name: str):
    return Code.objects.filter(list=list_name, active=True)


@cache
def _ids() -> dict[tuple[str, str], int]:
    return {(c.list, c.code): c.pk for c in Code.objects.all()}


def code_ids() -> dict[tuple[str, str], int]:
    """(list, code) → primary key, for bulk writers. Call `code_ids.cache_clear()` after loading."""
    return _ids()


code_ids.cache_clear = _ids.cache_clear  # type: ignore[attr-defined]


def attach_codes(records, fields) -> None:
    """Fill the coded foreign keys `fields` of `records` from one query for all of them.

    A join per code list (select_related) costs PostgreSQL more to plan than to run once
    there are five or six of them; one lookup by primary key is cheaper.
    """
    records = list(records)
    if not records:
        return
    model = type(records[0])
    wanted = {getattr(r, f"{f}_id") for r in records for f in fields} - {None}
    found = Code.objects.in_bulk(wanted)
    for f in fields:
        field = model._meta.get_field(f)
        for r in records:
            value = getattr(r, f"{f}_id")
            field.set_cached_value(r, found.get(value) if value is not None else None)
