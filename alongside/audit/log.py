"""Writing the audit trail. Views call `record`, never AuditEvent directly."""

from django.http import HttpRequest

from .models import AuditEvent


def record(request: HttpRequest, action: str, person=None, **detail) -> AuditEvent:
    user = request.user
    return AuditEvent.objects.create(
        user=user,
        username=user.get_username(),
        role=getattr(user, "role", ""),
        action=action,
        person=person,
        person_reference=person.reference if person is not None else "",
        path=request.get_full_path()[:300],
        detail=detail,
    )


def record_many(request: HttpRequest, action: str, people: list, **detail) -> None:
    """One row per person, written together: an API page of people is as many views."""
    user = request.user
    path = request.get_full_path()[:300]
    AuditEvent.objects.bulk_create([
        AuditEvent(user=user, username=user.get_username(), role=getattr(user, "role", ""),
                   action=action, person=p, person_reference=p.reference, path=path, detail=detail)
        for p in people])
