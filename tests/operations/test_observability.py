"""/healthz, /metrics and the logs, as a council's IT team would check them."""

import json
import logging

from django.utils import timezone

from alongside.operations.logs import Json, RequestId, request_id
from alongside.operations.models import WorkerBeat
from alongside.operations.work import beat
from tests.conftest import signed_in


def test_healthz_reports_each_part_and_fails_without_a_worker(client, db):
    r = client.get("/healthz")
    body = r.json()
    assert r.status_code == 503 and body["ok"] is False
    assert body["database"] == {"ok": True} and body["migrations"] == {"ok": True}
    assert body["worker"]["ok"] is False and "alongside worker" in body["worker"]["reason"]
    beat("w1", timezone.now())
    body = client.get("/healthz").json()
    assert body["ok"] is True and body["worker"]["seen_seconds_ago"] == 0
    WorkerBeat.objects.update(seen_at=timezone.now() - timezone.timedelta(seconds=61))
    assert client.get("/healthz").status_code == 503


def test_metrics_refuse_anonymous_and_wrong_tokens_and_count_by_view(client, world, settings):
    settings.ALONGSIDE_METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404  # switched off
    settings.ALONGSIDE_METRICS_TOKEN = "s3cret-scraper-token"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer guess"}).status_code == 401
    signed_in(client, world.admin)  # a signed-in administrator is still not the scraper
    assert client.get("/metrics").status_code == 401
    client.get(f"/people/{world.person_a.reference}/")
    r = client.get("/metrics", headers={"Authorization": "Bearer s3cret-scraper-token"})
    text = r.content.decode()
    assert r.status_code == 200 and "alongside_request_seconds_bucket" in text
    assert 'alongside_tasks{state="ready"}' in text and "alongside_worker_seen 0.0" in text
    # Labelled by view name, never by path: no person's reference reaches the metrics.
    assert world.person_a.reference not in text and 'view="person"' in text


def test_every_response_carries_its_request_id(client, world):
    r = client.get("/sign-in/", headers={"X-Request-ID": "lb-4f2a9c1e"})
    assert r["X-Request-ID"] == "lb-4f2a9c1e"
    made_up = client.get("/sign-in/", headers={"X-Request-ID": "<script>"})["X-Request-ID"]
    assert len(made_up) == 32 and made_up.isalnum()  # a nonsense id is replaced, not echoed


def test_json_lines_have_the_request_id_and_no_query_strings():
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1,
                               "Not Found: %s", ("/people/?q=Bethan+Jones",), None)
    token = request_id.set("abc123def456")
    try:
        RequestId().filter(record)
    finally:
        request_id.reset(token)
    line = json.loads(Json().format(record))
    assert line["request_id"] == "abc123def456" and line["level"] == "WARNING"
    assert line["logger"] == "django.request" and "Bethan" not in json.dumps(line)
    assert line["message"] == "Not Found: /people/?…"
