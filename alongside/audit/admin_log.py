"""Changes made in the Django admin go into the audit chain too, not only into Django's own
admin log (which anyone with database access can edit without trace): who, what and how."""

from __future__ import annotations

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry

from .models import AuditEvent

ACTIONS = {ADDITION: AuditEvent.Action.CREATE, CHANGE: AuditEvent.Action.UPDATE,
           DELETION: AuditEvent.Action.ERASE}


def audit(entry: LogEntry) -> AuditEvent:
    user = entry.user
    ct = entry.content_type
    what = f"{ct.app_label}.{ct.model}" if ct else ""
    return AuditEvent.objects.create(
        user=user, username=user.get_username(), role=getattr(user, "role", ""),
        action=ACTIONS.get(entry.action_flag, AuditEvent.Action.UPDATE),
        path=f"admin:{what}/{entry.object_id or ''}"[:300],
        detail={"via": "admin", "what": what, "object": entry.object_repr[:200],
                "change": entry.get_change_message()[:500]})


def connect() -> None:
    """Every admin log entry passes through LogEntryManager.log_actions (Django 5.1+), one
    object or many (bulk_create, which sends no signal): wrap it once, so no change escapes."""
    manager = type(LogEntry.objects)
    if getattr(manager.log_actions, "audited", False):
        return
    original = manager.log_actions

    def log_actions(self, *args, **kwargs):
        made = original(self, *args, **kwargs)
        for entry in (made if isinstance(made, list) else [made]):
            audit(entry)
        return made

    log_actions.audited = True
    manager.log_actions = log_actions
