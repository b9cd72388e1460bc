"""The container's entry points, run here outside a container (this machine cannot run one:
podman fails with "crun: setrlimit `RLIMIT_NOFILE`: Operation not permitted"). The same
scripts/entrypoint starts gunicorn and a worker against a database of their own, with the
static files collected as the image collects them."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = str(Path(sys.executable).parent) + "/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, headers: dict | None = None):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_web_and_worker_entry_points_serve_the_demo_and_report_health(tmp_path):
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "ALONGSIDE_DATA_DIR": str(tmp_path), "ALONGSIDE_COLLECTED_STATIC": "1",
           "ALONGSIDE_STATIC_ROOT": str(tmp_path / "static"), "ALONGSIDE_BIN": BIN,
           "ALONGSIDE_BIND": f"127.0.0.1:{port}", "ALONGSIDE_WEB_WORKERS": "1",
           "ALONGSIDE_METRICS_TOKEN": "scrape-me-please", "PYTHONPATH": str(REPO)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    entry = str(REPO / "scripts/entrypoint")
    subprocess.run([entry, "collectstatic", "--no-input", "-v0"], env=env, check=True, timeout=300)
    subprocess.run([entry, "migrate_once"], env=env, check=True, timeout=300, capture_output=True)
    subprocess.run([entry, "demo", "--scale", "demo"], env=env, check=True, timeout=300, capture_output=True)
    web = subprocess.Popen([entry, "web"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
    worker = subprocess.Popen([entry, "worker"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        end = time.monotonic() + 60
        health = None
        while time.monotonic() < end:
            try:
                health = _get(f"{base}/healthz")
                if health[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.3)
        assert health is not None and health[0] == 200, health
        body = json.loads(health[2])
        assert body["database"]["ok"] and body["migrations"]["ok"] and body["worker"]["ok"]

        status, headers, page = _get(f"{base}/sign-in/")
        assert status == 200 and headers["X-Request-ID"]
        # A stylesheet by its hashed name, cached for good; the unhashed name is not what pages use.
        css = re.search(rb'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page)
        assert css, "the sign-in page links no hashed stylesheet"
        status, headers, _ = _get(base + css.group(1).decode())
        assert status == 200 and "immutable" in headers.get("Cache-Control", "")

        assert _get(f"{base}/metrics")[0] == 401
        status, _, text = _get(f"{base}/metrics", {"Authorization": "Bearer scrape-me-please"})
        assert status == 200 and b'alongside_request_seconds_count{method="GET",view="login"}' in text
    finally:
        for p in (web, worker):
            p.send_signal(signal.SIGTERM)
        for p in (web, worker):
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
    out = web.stdout.read()
    # The web server's log lines are JSON, each with the request's id.
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    served = [line for line in lines if line.get("logger") == "alongside.request"]
    assert served and all(len(line["request_id"]) == 32 for line in served)
