"""Limits of a public endpoint: the query time limit and the caps on queries and answers."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import FIXTURES, Service, start_service

# Twelve patterns over the same few triples: a cross product of ~10^10 rows.
RUNAWAY = (
    "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(12)) + " }"
)
ASK = "ASK { ?s ?p ?o }"
LIMITS = {
    "OSAAMISKARTTA_QUERY_TIMEOUT": "2",
    "OSAAMISKARTTA_MAX_RESULT_ROWS": "20",
    "OSAAMISKARTTA_MAX_RESPONSE_BYTES": "3000",
    "OSAAMISKARTTA_MAX_QUERY_LENGTH": "2000",
    "OSAAMISKARTTA_MAX_UPDATE_LENGTH": "2000",
    "OSAAMISKARTTA_MAX_BODY_BYTES": "10000",
}


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """A disk store (the production path: checkpoints opened read-only by the workers)."""
    workdir = tmp_path_factory.mktemp("limits")
    running = start_service(
        workdir, store=str(workdir / "store"), load_dirs=[FIXTURES / "graphs"], env=LIMITS
    )
    yield running
    running.stop()


def children(pid: int) -> set[int]:
    """Process ids whose parent is ``pid`` (the query workers)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def ask(service: Service) -> httpx.Response:
    return httpx.get(f"{service.url}/sparql", params={"query": ASK}, timeout=60)


def test_runaway_query_is_stopped_with_503_and_its_worker_replaced(limited: Service) -> None:
    workers = children(limited.process.pid)
    assert len(workers) == 2
    outcome: dict[str, object] = {}

    def run() -> None:
        outcome["response"] = httpx.get(
            f"{limited.url}/sparql", params={"query": RUNAWAY}, timeout=120
        )
        outcome["finished"] = time.monotonic()

    thread = threading.Thread(target=run)
    thread.start()
    answered: list[tuple[int, float]] = []
    while thread.is_alive():  # other clients are served while it runs
        r = ask(limited)
        answered.append((r.status_code, time.monotonic()))
    thread.join()
    response = outcome["response"]
    assert isinstance(response, httpx.Response)
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["title"] == "Query time limit exceeded"
    assert "limit of 2 s" in problem["detail"]
    assert answered and all(status == 200 for status, _ in answered)
    assert any(at < outcome["finished"] for _, at in answered)  # type: ignore[operator]
    # The worker that ran it is gone (killed, its memory freed) and a fresh one took its place.
    after = children(limited.process.pid)
    assert len(after) == 2 and len(workers - after) == 1
    gone = (workers - after).pop()
    assert not os.path.exists(f"/proc/{gone}") or "Z" in Path(f"/proc/{gone}/stat").read_text()
    assert ask(limited).json()["boolean"] is True  # and after


def counter(service: Service, name: str) -> float:
    """A counter's value from /metrics."""
    for line in httpx.get(f"{service.url}/metrics").text.splitlines():
        if line.startswith(f"{name} "):
            return float(line.split()[1])
    raise AssertionError(f"{name} is not in /metrics")


def test_queries_whose_clients_left_stop_and_leave_the_queue(limited: Service) -> None:
    """Four runaway queries for two workers, each client giving up after 1.5 s: the two
    running are stopped then (before the 2 s limit), the two queued never start, and the
    next query is answered at once."""
    abandoned = counter(limited, "osaamiskartta_queries_abandoned_total")
    timeouts = counter(limited, "osaamiskartta_query_timeouts_total")

    def give_up() -> None:
        with pytest.raises(httpx.ReadTimeout):
            httpx.get(f"{limited.url}/sparql", params={"query": RUNAWAY}, timeout=1.5)

    clients = [threading.Thread(target=give_up) for _ in range(4)]
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    started = time.monotonic()
    assert ask(limited).json()["boolean"] is True
    assert time.monotonic() - started < 1.5
    time.sleep(2.5)  # past the time limit: a query still running would have been stopped by now
    assert counter(limited, "osaamiskartta_queries_abandoned_total") == abandoned + 2
    assert counter(limited, "osaamiskartta_query_timeouts_total") == timeouts
    assert len(children(limited.process.pid)) == 2


def test_answer_with_more_rows_than_the_cap_is_refused_in_every_format(limited: Service) -> None:
    numbers = " ".join(str(i) for i in range(30))
    query = f"SELECT ?n WHERE {{ VALUES ?n {{ {numbers} }} }}"  # 30 short rows
    for accept in (
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ):
        r = httpx.get(f"{limited.url}/sparql", params={"query": query}, headers={"Accept": accept})
        assert r.status_code == 400, (accept, r.text)
        assert r.json()["title"] == "Result too large"
        assert "more than 20 rows" in r.json()["detail"]
    ok = httpx.get(
        f"{limited.url}/sparql",
        params={"query": query + " LIMIT 5"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert ok.status_code == 200 and len(ok.json()["results"]["bindings"]) == 5
    construct = (
        f"CONSTRUCT {{ <http://e/s> <http://e/p> ?n }} WHERE {{ VALUES ?n {{ {numbers} }} }}"
    )
    for accept in ("text/turtle", "application/n-triples"):
        r = httpx.get(
            f"{limited.url}/sparql", params={"query": construct}, headers={"Accept": accept}
        )
        assert r.status_code == 400 and "more than 20 rows" in r.text  # told in Turtle
    r = httpx.get(
        f"{limited.url}/sparql",
        params={"query": construct + " LIMIT 3"},
        headers={"Accept": "text/turtle"},
    )
    assert r.status_code == 200 and r.text.count("<http://e/p>") + r.text.count(",") >= 3


def test_answer_larger_than_the_byte_cap_is_refused(limited: Service) -> None:
    query = 'SELECT ?s (CONCAT(STR(?o), "' + "x" * 400 + '") AS ?long) WHERE { ?s ?p ?o }'
    r = httpx.get(f"{limited.url}/sparql", params={"query": query})
    assert r.status_code == 400
    assert "larger than 3000 bytes" in r.json()["detail"]
    small = httpx.get(f"{limited.url}/sparql", params={"query": query + " LIMIT 2"})
    assert small.status_code == 200 and len(small.json()["results"]["bindings"]) == 2


def test_overlong_query_update_and_body_are_413_and_change_nothing(limited: Service) -> None:
    long_query = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 2000
    r = httpx.post(f"{limited.url}/sparql", data={"query": long_query})
    assert r.status_code == 413 and "limit of 2000" in r.json()["detail"]
    before = httpx.get(f"{limited.url}/data", headers={"Accept": "application/n-quads"}).text
    update = 'INSERT DATA { <http://e/a> <http://e/b> "' + "y" * 2100 + '" }'
    r = httpx.post(
        f"{limited.url}/update",
        content=update,
        headers={"Content-Type": "application/sparql-update", **limited.auth},
    )
    assert r.status_code == 413 and "update has" in r.json()["detail"]
    body = '<http://e/a> <http://e/b> "' + "z" * 12000 + '" .'
    r = httpx.put(
        f"{limited.url}/data",
        params={"graph": "http://e/g"},
        content=body,
        headers={"Content-Type": "text/turtle", **limited.auth},
    )
    assert r.status_code == 413
    after = httpx.get(f"{limited.url}/data", headers={"Accept": "application/n-quads"}).text
    assert after == before


def cpu_ticks(pid: int) -> int:
    """User and system CPU time a process has used, in clock ticks."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def test_one_clients_queries_in_turn_go_to_the_same_worker(limited: Service) -> None:
    """Idle workers are handed out last in, first out, so queries one after another run in one
    worker, whose engine caches are warm for them, rather than alternating between cold ones."""
    workers = sorted(children(limited.process.pid))
    before = {pid: cpu_ticks(pid) for pid in workers}
    five_patterns = " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(5))
    for turn in range(8):  # each query different (a comment), so none comes from the cache
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ {five_patterns} }} # turn {turn}"
        r = httpx.get(f"{limited.url}/sparql", params={"query": query}, timeout=60)
        assert r.status_code == 200, r.text
    used = sorted(cpu_ticks(pid) - before[pid] for pid in workers)
    assert used[-1] >= 20, used  # the queries cost the busy worker a fifth of a second at least
    assert used[0] * 10 <= used[-1], used


OKFN = "PREFIX okfn: <https://w3id.org/osaamiskartta/fn#> "
SCORED = (
    OKFN + "SELECT DISTINCT ?s WHERE {{ ?s ?p ?o "
    'BIND(okfn:textScore(?s, "{words}") AS ?score) FILTER(BOUND(?score)) }}'
)


def scored(service: Service, words: str) -> set[str]:
    r = httpx.get(
        f"{service.url}/sparql",
        params={"query": SCORED.format(words=words)},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert r.status_code == 200, r.text
    return {row["s"]["value"] for row in r.json()["results"]["bindings"]}


def test_a_runaway_text_search_query_is_stopped_with_503_too(limited: Service) -> None:
    """okfn:textScore reads the full-text index; on a disk store the workers read the index
    file too, so a query calling it runs under the time limit like any other."""
    workers = children(limited.process.pid)
    runaway = OKFN + RUNAWAY.removesuffix(" }") + ' BIND(okfn:textScore(?s0, "ohjaus") AS ?x) }'
    r = httpx.get(f"{limited.url}/sparql", params={"query": runaway}, timeout=120)
    assert r.status_code == 503, r.text
    assert r.json()["title"] == "Query time limit exceeded"
    after = children(limited.process.pid)
    assert len(after) == 2 and len(workers - after) == 1
    assert ask(limited).json()["boolean"] is True


def test_text_search_in_a_worker_finds_what_a_write_just_indexed(limited: Service) -> None:
    assert "http://example.org/verkosto" in scored(limited, "ohjausverkosto")
    assert scored(limited, "kuukausikatsaus") == set()
    added = (
        "INSERT DATA { GRAPH <http://example.org/graph/review> { <http://example.org/review> "
        '<http://www.w3.org/2004/02/skos/core#prefLabel> "Kuukausikatsaus"@fi } }'
    )
    r = limited.update(added)
    assert r.status_code in (200, 204), r.text
    assert scored(limited, "kuukausikatsaus") == {"http://example.org/review"}
    search = httpx.get(f"{limited.url}/api/search", params={"q": "kuukausikatsaus"}).json()
    assert [hit["iri"] for hit in search["hits"]] == ["http://example.org/review"]
    named = httpx.get(
        f"{limited.url}/api/queries/text-search",
        params={"text": "kuukausikatsaus"},
        headers={"Accept": "application/json"},
    )
    assert named.status_code == 200, named.text
    assert [r["thing"] for r in named.json()["records"]] == ["http://example.org/review"]
