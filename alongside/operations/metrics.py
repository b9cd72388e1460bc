"""Prometheus metrics: request latency and errors per view, and the background queue's depth
and failures. Served at /metrics only to a scraper holding ALONGSIDE_METRICS_TOKEN; with no
token set the endpoint does not exist."""

from __future__ import annotations

import hmac
import os

from django.conf import settings
from django.http import Http404, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

LATENCY = Histogram("alongside_request_seconds", "Time to answer a request, by view",
                    ["view", "method"], buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30))
ERRORS = Counter("alongside_request_errors_total", "Requests answered with a server error, by view",
                 ["view"])


class Queue:
    """Read at each scrape from the queue itself, so every web process reports the same."""

    def collect(self):
        from .work import queue_depth, worker_alive

        depth = queue_depth()
        g = GaugeMetricFamily("alongside_tasks", "Background tasks by state", labels=["state"])
        for state, n in depth.items():
            g.add_metric([state.lower()], n)
        yield g
        yield GaugeMetricFamily("alongside_worker_seen", "1 if a worker beat in the last minute",
                                value=1 if worker_alive() else 0)


def registry() -> CollectorRegistry:
    r = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Several gunicorn workers: each writes its counts to this folder; the scrape adds them up.
        MultiProcessCollector(r)
    else:
        from prometheus_client import REGISTRY

        r = REGISTRY
    if not getattr(r, "_alongside_queue", False):
        r.register(Queue())
        r._alongside_queue = True
    return r


def metrics(request):
    token = settings.ALONGSIDE_METRICS_TOKEN
    if not token:
        raise Http404("Metrics are not switched on (ALONGSIDE_METRICS_TOKEN).")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        response = HttpResponse("A bearer token is needed.\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
