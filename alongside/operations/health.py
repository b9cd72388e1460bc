"""GET /healthz: is each part working? For a load balancer or an uptime check. Says nothing
about anyone's records."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils import timezone


def checks() -> dict[str, dict]:
    parts: dict[str, dict] = {}
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as c:
            c.execute("SELECT 1")
        parts["database"] = {"ok": True}
    except Exception as e:  # the database is the one part whose failure must still be answered
        parts["database"] = {"ok": False, "reason": f"not reachable: {type(e).__name__}"}
        parts["migrations"] = {"ok": False, "reason": "database not reachable"}
        parts["worker"] = {"ok": False, "reason": "database not reachable"}
        return parts
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    waiting = executor.migration_plan(executor.loader.graph.leaf_nodes())
    parts["migrations"] = {"ok": not waiting} if not waiting else {
        "ok": False, "reason": f"{len(waiting)} not applied: run alongside migrate"}
    from .work import last_seen

    seen = last_seen()
    ago = (timezone.now() - seen).total_seconds() if seen else None
    parts["worker"] = {"ok": ago is not None and ago <= 60,
                       "seen_seconds_ago": None if ago is None else round(ago)}
    if not parts["worker"]["ok"]:
        parts["worker"]["reason"] = "no worker seen in the last minute: run alongside worker"
    return parts


def healthz(request):
    parts = checks()
    ok = all(p["ok"] for p in parts.values())
    return JsonResponse({"ok": ok, **parts}, status=200 if ok else 503)
