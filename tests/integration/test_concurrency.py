"""Queries run off the event loop: a short query is answered while a long one runs."""

from __future__ import annotations

import threading
import time

import httpx

from tests.conftest import Service

LONG = """SELECT (COUNT(*) AS ?n) WHERE {
  GRAPH <http://example.org/g/numbers> {
    ?a <http://example.org/value> ?x . ?b <http://example.org/value> ?y .
    ?c <http://example.org/value> ?z .
  }
  FILTER(?x + ?y + ?z > -1)
}"""
SIZE = 220  # 220^3 ≈ 10.6 million rows: several seconds of work


def test_short_query_is_answered_while_long_query_runs(service: Service) -> None:
    data = "".join(
        f"<http://example.org/n{i}> <http://example.org/value> {i} .\n" for i in range(SIZE)
    )
    r = httpx.put(
        f"{service.url}/data",
        params={"graph": "http://example.org/g/numbers"},
        content=data,
        headers={"Content-Type": "text/turtle", **service.auth},
    )
    assert r.status_code in (201, 204)

    long_result: dict[str, object] = {}

    def run_long() -> None:
        response = httpx.post(
            f"{service.url}/sparql",
            content=LONG,
            timeout=120,
            headers={
                "Content-Type": "application/sparql-query",
                "Accept": "application/sparql-results+json",
            },
        )
        long_result["count"] = response.json()["results"]["bindings"][0]["n"]["value"]

    thread = threading.Thread(target=run_long)
    thread.start()
    time.sleep(0.3)  # let the long query get going
    for _ in range(5):
        r = httpx.get(
            f"{service.url}/sparql",
            params={"query": "ASK { ?s ?p ?o }"},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert r.json()["boolean"] is True
    still_running = thread.is_alive()
    thread.join()

    # Every short query was answered while the long one was still running: had the long query
    # blocked the event loop, they would have waited for it to finish. (An ordering, not a
    # timing: speed is measured in bench/.)
    assert still_running, f"the long query finished too soon ({long_result}) to show anything"
    assert long_result["count"] == str(SIZE**3)
