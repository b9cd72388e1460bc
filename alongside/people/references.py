"""New pseudonymous references, and the Coordinator who takes on a person in a ward: the same
for a person introduced by hand and for one imported from a spreadsheet."""

from __future__ import annotations

import secrets

from alongside.accounts.models import Role, User
from alongside.places.models import Ward

from .models import Person

# No 0/O, 1/I: a reference is read aloud over the phone.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
BATCH = 2000


def new_references(n: int) -> list[str]:
    """n new random references, none already in use (collisions checked, not assumed away)."""
    out: set[str] = set()
    while len(out) < n:
        # Checked in batches: SQLite allows a limited number of query parameters.
        batch = {"P-" + "".join(secrets.choice(ALPHABET) for _ in range(7))
                 for _ in range(min(n - len(out), BATCH))} - out
        taken = set(Person.objects.filter(reference__in=batch).values_list("reference", flat=True))
        out |= batch - taken
    return list(out)


def new_reference() -> str:
    return new_references(1)[0]


def coordinator_for(ward: Ward) -> User | None:
    return (User.objects.filter(role=Role.COORDINATOR, wards=ward, is_active=True)
            .order_by("id").first())
