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
