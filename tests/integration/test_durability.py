"""Crash safety on a directory store: kill -9 mid-write, and a soak of readers and writers."""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from pathlib import Path

import httpx

from tests.conftest import FIXTURES, Service, start_service
from tests.integration.test_limits import RUNAWAY, children

BIG_GRAPH = "http://e/g/big"
SIZE = 20_000


def count(service: Service, graph: str, predicate: str = "") -> int:
    pattern = f"?s {predicate or '?p'} ?o"
    r = httpx.get(
        f"{service.url}/sparql",
        params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ {pattern} }} }}"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_kill_9_during_a_large_write_leaves_before_or_after_and_stops_the_workers(
    tmp_path: Path,
) -> None:
    store = str(tmp_path / "store")
    service = start_service(
        tmp_path,
        store=store,
        load_dirs=[FIXTURES / "graphs"],
        env={"OSAAMISKARTTA_QUERY_TIMEOUT": "600"},
    )
    workers = children(service.process.pid)
    assert len(workers) == 2
    body = "".join(f"<http://e/s{i}> <http://e/p> {i} .\n" for i in range(SIZE)).encode()
    outcome: dict[str, object] = {}

    def put() -> None:
        try:
            outcome["status"] = httpx.put(
                f"{service.url}/data",
                params={"graph": BIG_GRAPH},
                content=body,
                headers={"Content-Type": "application/n-triples", **service.auth},
                timeout=120,
            ).status_code
        except httpx.TransportError as exc:
            outcome["error"] = exc

    def runaway() -> None:
        with contextlib.suppress(httpx.TransportError):
            httpx.get(f"{service.url}/sparql", params={"query": RUNAWAY}, timeout=120)

    writer = threading.Thread(target=put)
    busy = threading.Thread(target=runaway)
    busy.start()
    writer.start()
    time.sleep(0.5)  # somewhere in the middle of receiving, parsing, validating or committing
    service.process.send_signal(signal.SIGKILL)
    service.process.wait(timeout=30)
    writer.join()
    busy.join()
    # The worker running the runaway query dies with the service (it does not go on burning).
    deadline = time.monotonic() + 30  # waiting for the kernel, not measuring speed
    while time.monotonic() < deadline and any(_running(pid) for pid in workers):
        time.sleep(0.1)
    assert not any(_running(pid) for pid in workers)

    restarted = start_service(tmp_path, store=store)
    try:
        found = count(restarted, BIG_GRAPH)
        assert found in (0, SIZE), found
        if outcome.get("status") in (201, 204):
            assert found == SIZE  # acknowledged, so it must be there
    finally:
        restarted.stop()


def test_soak_readers_see_whole_writes_and_no_acknowledged_write_is_lost(
    tmp_path: Path,
) -> None:
    store = str(tmp_path / "store")
    service = start_service(tmp_path, store=store)
    graph = "http://e/g/soak"
    acknowledged: list[int] = []
    problems: list[str] = []
    stop = time.monotonic() + 3.0
    lock = threading.Lock()

    def writer(worker: int) -> None:
        n = 0
        with httpx.Client(timeout=60) as client:
            while time.monotonic() < stop:
                key = worker * 100_000 + n
                # Each write adds a pair of triples: a reader must see both or neither.
                update = (
                    f"INSERT DATA {{ GRAPH <{graph}> {{ <http://e/w{key}> <http://e/a> {key} ; "
                    f"<http://e/b> {key} }} }}"
                )
                r = client.post(
                    f"{service.url}/update",
                    content=update,
                    headers={"Content-Type": "application/sparql-update", **service.auth},
                )
                if r.status_code == 204:
                    with lock:
                        acknowledged.append(key)
                else:
                    problems.append(f"write {r.status_code} {r.text}")
                n += 1

    def reader() -> None:
        seen = 0
        query = (
            f"SELECT (SUM(IF(?p = <http://e/a>, 1, 0)) AS ?a) "
            f"(SUM(IF(?p = <http://e/b>, 1, 0)) AS ?b) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        )
        with httpx.Client(timeout=60) as client:
            while time.monotonic() < stop:
                r = client.get(
                    f"{service.url}/sparql",
                    params={"query": query},
                    headers={"Accept": "application/sparql-results+json"},
                )
                row = r.json()["results"]["bindings"][0]
                a = int(row.get("a", {"value": "0"})["value"])
                b = int(row.get("b", {"value": "0"})["value"])
                if a != b:
                    problems.append(f"half a write seen: {a} vs {b}")
                if a < seen:
                    problems.append(f"went back in time: {a} after {seen}")
                seen = a

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(2)]
    threads += [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not problems, problems[:5]
    assert acknowledged
    # A hard crash right after: every acknowledged write is still there on restart.
    service.process.send_signal(signal.SIGKILL)
    service.process.wait(timeout=30)
    restarted = start_service(tmp_path, store=store)
    try:
        assert count(restarted, graph, "<http://e/a>") == len(acknowledged)
        r = httpx.get(
            f"{restarted.url}/sparql",
            params={"query": f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s <http://e/a> ?o }} }}"},
            headers={"Accept": "application/sparql-results+json"},
        )
        found = {int(b["o"]["value"]) for b in r.json()["results"]["bindings"]}
        assert found == set(acknowledged)
    finally:
        restarted.stop()


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
