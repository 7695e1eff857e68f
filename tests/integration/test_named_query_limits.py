"""Named queries on a directory store run in the query workers, under the time limit, unless
their last run at this data version was cheap; the full-text ones stay in the main process."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import FIXTURES, REPO, Service, start_service

RUNAWAY = (
    "#+ title:\n#+   fi: Karkaava kysely\n#+   en: A runaway query\n"
    "#+ description:\n#+   fi: Ristitulo, joka ei valmistu aikarajassa.\n"
    "#+   en: A cross product that does not finish within the time limit.\n"
    "SELECT (COUNT(*) AS ?n) WHERE { "
    + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(12))
    + " }\n"
)


@pytest.fixture(scope="module")
def named(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """A disk store, answers not cached, and two named queries: the label search and a
    runaway one."""
    workdir = tmp_path_factory.mktemp("named-in-workers")
    queries = workdir / "queries"
    queries.mkdir()
    (queries / "runaway.rq").write_text(RUNAWAY, encoding="utf-8")
    search = (REPO / "queries" / "label-search.rq").read_text(encoding="utf-8")
    (queries / "search.rq").write_text(search, encoding="utf-8")
    running = start_service(
        workdir,
        store=str(workdir / "store"),
        load_dirs=[FIXTURES / "graphs"],
        env={
            "OSAAMISKARTTA_RESULT_CACHE_BYTES": "0",
            "OSAAMISKARTTA_QUERY_TIMEOUT": "3",
            "OSAAMISKARTTA_QUERIES_DIR": str(queries),
        },
    )
    yield running
    running.stop()


def metric(service: Service, name: str) -> int:
    text = httpx.get(f"{service.url}/metrics").text
    found = re.search(rf"^{name} (\S+)$", text, re.M)
    return int(float(found.group(1))) if found else 0


def test_a_slow_named_query_is_stopped_at_the_time_limit(named: Service) -> None:
    timeouts = metric(named, "osaamiskartta_query_timeouts_total")
    started = time.monotonic()
    r = httpx.get(f"{named.url}/api/queries/runaway", timeout=60)
    assert r.status_code == 503, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert time.monotonic() - started < 30
    assert metric(named, "osaamiskartta_query_timeouts_total") == timeouts + 1
    found = httpx.get(f"{named.url}/api/queries/search", params={"text": "kuopio"})
    assert found.status_code == 200
    assert [r["thing"] for r in found.json()["records"]] == ["http://example.org/kuopio"]


def test_a_named_query_whose_client_left_is_stopped(named: Service) -> None:
    abandoned = metric(named, "osaamiskartta_queries_abandoned_total")
    with contextlib.suppress(httpx.TimeoutException):  # the client gives up after 1.5 s
        httpx.get(f"{named.url}/api/queries/runaway", timeout=1.5)
    deadline = time.monotonic() + 10
    while metric(named, "osaamiskartta_queries_abandoned_total") == abandoned:
        assert time.monotonic() < deadline, "the abandoned query was not stopped"
        time.sleep(0.2)


def test_a_cheap_named_query_runs_in_a_worker_first_then_on_the_event_loop(
    named: Service,
) -> None:
    params = {"text": "o", "lang": "fi"}
    inline_before = metric(named, "osaamiskartta_inline_reads_total")
    first = httpx.get(f"{named.url}/api/queries/search", params=params)
    assert first.status_code == 200
    for _ in range(5):
        again = httpx.get(f"{named.url}/api/queries/search", params=params)
        assert again.content == first.content
    assert metric(named, "osaamiskartta_inline_reads_total") > inline_before


def test_a_bad_parameter_is_refused_before_any_worker_runs(named: Service) -> None:
    r = httpx.get(f"{named.url}/api/queries/search", params={"lang": "sv", "text": "x"})
    assert r.status_code == 400, r.text
    missing = httpx.get(f"{named.url}/api/queries/search")
    assert missing.status_code == 400, missing.text


ESCAPED_SEARCH = (
    "#+ title:\n#+   fi: Tekstihaku\n#+   en: Text search\n"
    "#+ description:\n#+   fi: Tekstihaun funktio toisin kirjoitettuna.\n"
    "#+   en: The full-text function spelled otherwise.\n"
    "#+ params:\n#+   text:\n#+     type: string\n#+     required: true\n"
    "SELECT ?thing ?score WHERE {\n"
    "  ?thing <http://www.w3.org/2004/02/skos/core#prefLabel> ?label .\n"
    "  BIND (<https://w3id.org/osaamiskartta/fn\\u0023textScore>(?thing, ?text) AS ?score)\n"
    "  FILTER (BOUND(?score))\n"
    "}\nORDER BY DESC(?score) ?thing\n"
)


def test_a_named_query_calling_the_text_index_otherwise_spelled_runs_where_the_index_is(
    tmp_path: Path,
) -> None:
    """A disk store with the search index in memory: the workers have no index. A named query
    whose full-text call the route does not recognise is sent back by the worker and answered
    in the service's process, not refused with a 500."""
    queries = tmp_path / "queries"
    queries.mkdir()
    (queries / "escaped.rq").write_text(ESCAPED_SEARCH, encoding="utf-8")
    running = start_service(
        tmp_path,
        store=str(tmp_path / "store"),
        load_dirs=[FIXTURES / "graphs"],
        env={
            "OSAAMISKARTTA_RESULT_CACHE_BYTES": "0",
            "OSAAMISKARTTA_SEARCH_INDEX": "memory",
            "OSAAMISKARTTA_QUERIES_DIR": str(queries),
        },
    )
    try:
        for _ in range(2):
            r = httpx.get(f"{running.url}/api/queries/escaped", params={"text": "kuopio"})
            assert r.status_code == 200, r.text
            assert [x["thing"] for x in r.json()["records"]] == ["http://example.org/kuopio"]
    finally:
        running.stop()
