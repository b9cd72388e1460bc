"""Finding a council by the name someone typed on the command line."""

from django.core.management.base import CommandError

from .models import Council


def council_named(name: str) -> Council:
    """The council, or a CommandError listing the names Alongside knows."""
    council = Council.objects.filter(name=name).first()
    if council is None:
        names = ", ".join(Council.objects.values_list("name", flat=True)) or "none yet"
        raise CommandError(f"no council called {name!r} (known: {names})")
    return council
