"""Clients' queries known to be cheap are evaluated on the event loop, before routing: only after
a first run in a query worker at the same data version, never with an answer older than the
last write, and never for a query that was refused."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import FIXTURES, REPO, Service, start_service

JSON = "application/sparql-results+json"
EX = "http://example.org/inline/"
COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{EX}p> ?o }}"


@pytest.fixture(scope="module")
def inline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """A directory store, as served by default, with the result cache off so that every
    request evaluates, and a cap of 1,000 rows."""
    workdir = tmp_path_factory.mktemp("inline-queries")
    running = start_service(
        workdir,
        store=str(workdir / "store"),
        load_dirs=[REPO / "ontology", FIXTURES / "graphs"],  # the ontology: 1,239 triples
        env={"OSAAMISKARTTA_RESULT_CACHE_BYTES": "0", "OSAAMISKARTTA_MAX_RESULT_ROWS": "1000"},
    )
    yield running
    running.stop()


def inline_count(service: Service) -> int | None:
    """The count of queries evaluated on the event loop, or None when there is no such count."""
    text = httpx.get(f"{service.url}/metrics").text
    found = re.search(r"^osaamiskartta_inline_queries_total (\S+)$", text, re.M)
    return int(float(found.group(1))) if found else None


def ask(service: Service, text: str, method: str = "GET", **params: str) -> httpx.Response:
    return httpx.request(
        method,
        f"{service.url}/sparql",
        params={"query": text, **params},
        headers={"Accept": JSON},
    )


def count(service: Service) -> int:
    r = ask(service, COUNT)
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def insert(service: Service, subject: str) -> None:
    r = httpx.post(
        f"{service.url}/update",
        content=f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}{subject}> <{EX}p> 1 }} }}",
        headers={"Content-Type": "application/sparql-update", **service.auth},
    )
    assert r.status_code == 204, r.text


def test_a_repeated_query_runs_in_a_worker_first_then_on_the_event_loop(inline: Service) -> None:
    text = (
        "SELECT ?label WHERE { <http://example.org/verkosto> "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label }"
    )
    before = inline_count(inline)
    assert before is not None
    first = ask(inline, text)
    assert first.status_code == 200, first.text
    assert inline_count(inline) == before  # the first run is in a worker, under the limit
    for _ in range(3):
        again = ask(inline, text)
        assert again.content == first.content
        for header in ("content-type", "vary", "etag", "cache-control"):
            assert again.headers[header] == first.headers[header], header
    assert inline_count(inline) == before + 3
    head = ask(inline, text, "HEAD")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == first.headers["content-type"]
    assert inline_count(inline) == before + 4
    # Another Accept is another request: its first run is in a worker again.
    xml = httpx.get(
        f"{inline.url}/sparql",
        params={"query": text},
        headers={"Accept": "application/sparql-results+xml"},
    )
    assert xml.status_code == 200 and xml.text.lstrip().startswith("<?xml")
    assert inline_count(inline) == before + 4


def test_after_a_write_the_answer_is_new_and_comes_from_a_worker_first(inline: Service) -> None:
    insert(inline, "a")
    counted = count(inline)
    count(inline)
    before = inline_count(inline)
    assert count(inline) == counted
    assert inline_count(inline) == before + 1  # known cheap: evaluated inline
    insert(inline, "b")
    # The write moved the data version on: the timing is forgotten and the answer is new.
    assert count(inline) == counted + 1
    assert inline_count(inline) == before + 1
    assert count(inline) == counted + 1
    assert inline_count(inline) == before + 2


def test_a_refused_query_is_refused_every_time_and_never_inline(inline: Service) -> None:
    before = inline_count(inline)
    for _ in range(3):
        r = ask(inline, "SELECT ?s WHERE { ?s ?p }")
        assert r.status_code == 400, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert "expected" in r.json()["detail"]  # the parser's message
    assert inline_count(inline) == before


def test_a_query_whose_cost_varies_from_run_to_run_stays_in_the_workers(
    inline: Service,
) -> None:
    """Half the runs read every triple (over the cap: 400), half read nothing (cheap). Were a
    cheap run to vouch for the next, a later one would run inline, past the cap."""
    gated = "SELECT * WHERE { { BIND(RAND() AS ?r) FILTER(?r < 0.5) } ?s ?p ?o }"
    before = inline_count(inline)
    statuses = set()
    for _ in range(16):
        r = ask(inline, gated)
        statuses.add(r.status_code)
        if r.status_code == 200:
            assert r.json()["results"]["bindings"] == []
        else:
            assert r.status_code == 400 and "1000 rows" in r.json()["detail"], r.text
    assert statuses <= {200, 400}
    assert inline_count(inline) == before


def test_a_query_calling_the_full_text_function_stays_in_the_workers(inline: Service) -> None:
    """Spelt so that the text does not show the function's namespace: the worker tells that it
    was called (what it answers is the search index, not the store's data)."""
    text = (
        "SELECT ?score WHERE { BIND(<https://w3id.org/osaamiskartta/fn\\u0023textScore>"
        '(<http://example.org/verkosto>, "ohjausverkosto") AS ?score) }'
    )
    before = inline_count(inline)
    first = ask(inline, text)
    assert first.status_code == 200, first.text
    for _ in range(3):
        assert ask(inline, text).status_code == 200
    assert inline_count(inline) == before


def test_inference_false_is_its_own_request_inline_too(inline: Service) -> None:
    r = httpx.post(
        f"{inline.url}/update",
        content=(
            "INSERT DATA { GRAPH <http://example.org/inline/g2> { "
            "<http://example.org/inline/net> <http://www.w3.org/ns/org#hasMember> "
            "<http://example.org/inline/member> } }"
        ),
        headers={"Content-Type": "application/sparql-update", **inline.auth},
    )
    assert r.status_code == 204, r.text
    member = (
        "ASK { <http://example.org/inline/member> <http://www.w3.org/ns/org#memberOf> "
        "<http://example.org/inline/net> }"
    )
    for _ in range(2):
        ask(inline, member)
        ask(inline, member, inference="false")
    before = inline_count(inline)
    assert ask(inline, member).json()["boolean"] is True  # inferred
    assert ask(inline, member, inference="false").json()["boolean"] is False
    assert inline_count(inline) == before + 2


def test_no_query_is_inline_when_the_limit_is_zero(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    workdir = tmp_path_factory.mktemp("inline-off")
    service = start_service(
        workdir,
        load_dirs=[FIXTURES / "graphs"],
        env={
            "OSAAMISKARTTA_RESULT_CACHE_BYTES": "0",
            "OSAAMISKARTTA_INLINE_QUERIES_BELOW_MS": "0",
        },
    )
    try:
        answers = {count(service) for _ in range(3)}
        assert len(answers) == 1
        assert inline_count(service) is None
    finally:
        service.stop()
