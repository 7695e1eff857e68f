"""Operations: /ready, /metrics, request ids in access lines, graceful shutdown."""

from __future__ import annotations

import json
import signal
import threading
import time
from pathlib import Path

import httpx

from tests.conftest import Service


def test_ready_says_the_store_is_loaded_and_workers_run(service: Service) -> None:
    r = httpx.get(f"{service.url}/ready")
    assert r.status_code == 200 and r.json()["status"] == "ready"
    assert "etag" not in r.headers


def test_metrics_count_requests_timeouts_refused_writes_and_validation(service: Service) -> None:
    httpx.get(f"{service.url}/sparql", params={"query": "ASK {}"})
    httpx.post(
        f"{service.url}/update",
        content="INSERT DATA {}",
        headers={"Content-Type": "application/sparql-update"},
    )
    r = httpx.get(f"{service.url}/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    text = r.text
    assert 'osaamiskartta_requests_total{method="GET",route="/sparql",status="200"}' in text
    assert 'osaamiskartta_request_duration_seconds_bucket{le="0.005",route="/sparql"}' in text
    assert 'osaamiskartta_refused_writes_total{status="401"}' in text
    for name in (
        "osaamiskartta_query_timeouts_total",
        "osaamiskartta_validation_failures_total",
        "osaamiskartta_query_worker_restarts_total",
    ):
        assert name in text


def test_access_lines_carry_request_id_status_and_query_time(service: Service) -> None:
    r = httpx.get(
        f"{service.url}/sparql",
        params={"query": "ASK { ?s ?p ?o }"},
        headers={"X-Request-ID": "trace-42"},
    )
    assert r.headers["x-request-id"] == "trace-42"
    generated = httpx.get(f"{service.url}/health", headers={"X-Request-ID": "bad id; <script>"})
    assert generated.headers["x-request-id"] != "bad id; <script>"
    lines = [
        json.loads(line) for line in service.log.read_text().splitlines() if line.startswith("{")
    ]
    mine = [line for line in lines if line["request_id"] == "trace-42"]
    assert len(mine) == 1
    assert mine[0]["status"] == 200 and mine[0]["path"] == "/sparql"
    assert mine[0]["query_seconds"] >= 0 and mine[0]["seconds"] >= mine[0]["query_seconds"]


def test_sigterm_lets_the_request_in_flight_finish(service_factory: object, tmp_path: Path) -> None:
    service: Service = service_factory()  # type: ignore[operator]
    data = "".join(f"<http://e/n{i}> <http://e/v> {i} .\n" for i in range(200))
    httpx.put(
        f"{service.url}/data",
        params={"graph": "http://e/numbers"},
        content=data,
        headers={"Content-Type": "text/turtle", **service.auth},
    )
    query = """SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://e/numbers> {
      ?a <http://e/v> ?x . ?b <http://e/v> ?y . ?c <http://e/v> ?z } FILTER(?x + ?y + ?z > -1) }"""
    outcome: dict[str, object] = {}

    def run() -> None:
        outcome["response"] = httpx.get(
            f"{service.url}/sparql",
            params={"query": query},
            headers={"Accept": "application/sparql-results+json"},
            timeout=120,
        )

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.5)
    service.process.send_signal(signal.SIGTERM)
    thread.join()
    # uvicorn re-raises the captured SIGTERM once it has shut down cleanly.
    assert service.process.wait(timeout=60) in (0, -signal.SIGTERM)
    response = outcome["response"]
    assert isinstance(response, httpx.Response) and response.status_code == 200
    assert response.json()["results"]["bindings"][0]["n"]["value"] == str(200**3)
