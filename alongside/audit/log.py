"""Writing the audit trail. Views call `record`, never AuditEvent directly."""

from django.http import HttpRequest

from .models import AuditEvent


def _event(request: HttpRequest | None, action: str, person, detail: dict, user=None) -> AuditEvent:
    # `user` for the one who acts before signing in (a password set from an e-mailed link), or
    # for a domain function called without a request (people/merging.py from a test or command)
    user = user or request.user
    return AuditEvent(
        user=user,
        username=user.get_username(),
        role=getattr(user, "role", ""),
        action=action,
        person=person,
        person_reference=person.reference if person is not None else "",
        path=request.get_full_path()[:300] if request is not None else "",
        detail=detail,
    )


def record(request: HttpRequest | None, action: str, person=None, *, user=None, **detail) -> AuditEvent:
    event = _event(request, action, person, detail, user)
    event.save()
    return event


def record_many(request: HttpRequest, action: str, people: list, **detail) -> None:
    """One row per person, written together: an API page of people is as many views."""
    AuditEvent.objects.bulk_create([_event(request, action, p, detail) for p in people])
