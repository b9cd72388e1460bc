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
    coded = [type(records[0])._meta.get_field(f) for f in fields]
    found = Code.objects.in_bulk({getattr(r, f.attname) for r in records for f in coded} - {None})
    for f in coded:
        for r in records:
            f.set_cached_value(r, found.get(getattr(r, f.attname)))
