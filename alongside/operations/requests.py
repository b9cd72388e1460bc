"""Every request gets an id (the proxy's X-Request-ID if it sent a sensible one), which is on every
log line while the request runs and goes back in the response; and its time and outcome go to
the metrics by view name, never by path (a path can hold a person's reference)."""

from __future__ import annotations

import logging
import re
import time
import uuid

from . import metrics
from .logs import request_id

log = logging.getLogger("alongside.request")
SENSIBLE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdAndMetrics:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        rid = given if SENSIBLE.match(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            match = getattr(request, "resolver_match", None)
            view = match.view_name if match and match.view_name else "unmatched"
            metrics.LATENCY.labels(view, request.method).observe(seconds)
            if response.status_code >= 500:
                metrics.ERRORS.labels(view).inc()
            response["X-Request-ID"] = rid
            log.info("%s %s %s", request.method, view, response.status_code,
                     extra={"view": view, "status": response.status_code, "ms": round(seconds * 1000, 1)})
            return response
        finally:
            request_id.reset(token)
