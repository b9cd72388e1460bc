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
