"""The result cache: a repeated query is answered by the main process, never with stale data."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import FIXTURES, REPO, Service, start_service

ORG = "http://www.w3.org/ns/org#"
EX = "http://example.org/cache/"
GRAPH = "http://example.org/graph/cache-test"
JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def cached(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """The ontology (so that inference has axioms) and the small fixture graphs."""
    running = start_service(
        tmp_path_factory.mktemp("result-cache"),
        load_dirs=[REPO / "ontology", FIXTURES / "graphs"],
    )
    yield running
    running.stop()


def counts(service: Service) -> tuple[int, int]:
    """The cache's hits and misses from /metrics."""
    text = httpx.get(f"{service.url}/metrics").text
    found = dict(re.findall(r"^osaamiskartta_result_cache_(hits|misses)_total (\S+)$", text, re.M))
    return int(float(found.get("hits", "0"))), int(float(found.get("misses", "0")))


def query(service: Service, text: str, accept: str = JSON, **params: str) -> httpx.Response:
    r = httpx.get(
        f"{service.url}/sparql", params={"query": text, **params}, headers={"Accept": accept}
    )
    assert r.status_code == 200, r.text
    return r


def update(service: Service, text: str) -> None:
    r = httpx.post(
        f"{service.url}/update",
        content=text,
        headers={"Content-Type": "application/sparql-update", **service.auth},
    )
    assert r.status_code in (200, 204), r.text


def number(response: httpx.Response) -> int:
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_a_repeated_query_is_answered_from_the_cache_with_the_same_headers(
    cached: Service,
) -> None:
    text = "SELECT ?label WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }"
    hits, misses = counts(cached)
    first = query(cached, text)
    assert counts(cached) == (hits, misses + 1)
    again = query(cached, text)
    assert counts(cached) == (hits + 1, misses + 1)
    assert again.content == first.content
    for header in ("content-type", "vary", "etag", "last-modified", "cache-control"):
        assert again.headers[header] == first.headers[header], header
    revalidated = httpx.get(
        f"{cached.url}/sparql",
        params={"query": text},
        headers={"Accept": JSON, "If-None-Match": first.headers["etag"]},
    )
    assert revalidated.status_code == 304 and revalidated.content == b""
    head = httpx.head(f"{cached.url}/sparql", params={"query": text}, headers={"Accept": JSON})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == first.headers["content-type"]


def test_a_write_is_seen_by_the_next_query(cached: Service) -> None:
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}-write> {{ ?s ?p ?o }} }}"
    assert number(query(cached, text)) == 0
    assert number(query(cached, text)) == 0
    update(cached, f"INSERT DATA {{ GRAPH <{GRAPH}-write> {{ <{EX}a> <{EX}p> 1 }} }}")
    assert number(query(cached, text)) == 1
    hits, misses = counts(cached)
    assert number(query(cached, text)) == 1
    assert counts(cached) == (hits + 1, misses)
    update(cached, f"DELETE DATA {{ GRAPH <{GRAPH}-write> {{ <{EX}a> <{EX}p> 1 }} }}")
    assert number(query(cached, text)) == 0


def test_each_accept_gets_its_own_format(cached: Service) -> None:
    text = "SELECT ?n WHERE { VALUES ?n { 1 2 3 } }"
    formats = {
        JSON: b'"bindings"',
        "application/sparql-results+xml": b"<sparql",
        "text/csv": b"n\r\n1\r\n",
        "text/tab-separated-values": b"?n\n1\n",
    }
    first = {accept: query(cached, text, accept) for accept in formats}
    hits, _ = counts(cached)
    for accept, marker in formats.items():
        r = query(cached, text, accept)
        assert r.headers["content-type"].startswith(accept), (accept, r.headers)
        assert marker in r.content and r.content == first[accept].content
    assert counts(cached)[0] == hits + len(formats)
    by_parameter = httpx.get(f"{cached.url}/sparql", params={"query": text, "format": "csv"})
    assert by_parameter.headers["content-type"].startswith("text/csv")


def test_inference_false_and_default_graph_uri_are_separate_answers(cached: Service) -> None:
    cause = f"GRAPH <{GRAPH}-inference> {{ <{EX}network> <{ORG}hasMember> <{EX}member> }}"
    update(cached, f"INSERT DATA {{ {cause} }}")
    ask = f"ASK {{ <{EX}member> <{ORG}memberOf> <{EX}network> }}"
    variants: list[dict[str, str]] = [
        {},
        {"inference": "false"},
        {"default-graph-uri": f"{GRAPH}-inference"},
    ]
    expected = [True, False, False]
    for _ in range(2):  # the second round comes from the cache
        answers = [query(cached, ask, **params).json()["boolean"] for params in variants]
        assert answers == expected
    hits, _ = counts(cached)
    assert [query(cached, ask, **p).json()["boolean"] for p in variants] == expected
    assert counts(cached)[0] == hits + len(variants)


def test_refused_answers_are_not_kept(cached: Service) -> None:
    broken = "SELECT ?x WHERE { ?x ?y }"
    hits, misses = counts(cached)
    for _ in range(2):
        r = httpx.get(f"{cached.url}/sparql", params={"query": broken})
        assert r.status_code == 400
    assert counts(cached) == (hits, misses + 2)


def test_a_zero_budget_turns_the_cache_off(tmp_path: Path) -> None:
    service = start_service(
        tmp_path, load_dirs=[FIXTURES / "graphs"], env={"OSAAMISKARTTA_RESULT_CACHE_BYTES": "0"}
    )
    try:
        text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        answers = {number(query(service, text)) for _ in range(3)}
        assert len(answers) == 1 and answers.pop() > 0
        assert counts(service) == (0, 0)
    finally:
        service.stop()


def named_counts(service: Service) -> tuple[int, int]:
    """The named-answer cache's hits and misses from /metrics."""
    text = httpx.get(f"{service.url}/metrics").text
    pattern = r"^osaamiskartta_named_answer_cache_(hits|misses)_total (\S+)$"
    found = dict(re.findall(pattern, text, re.M))
    return int(float(found.get("hits", "0"))), int(float(found.get("misses", "0")))


def add_member(service: Service, network: str, member: str) -> None:
    update(
        service,
        f"INSERT DATA {{ GRAPH <{GRAPH}-named> {{ <{network}> "
        f"a <{ORG}OrganizationalCollaboration> ; <{ORG}hasMember> <{member}> }} }}",
    )


def members(service: Service, network: str, **headers: str) -> httpx.Response:
    r = httpx.get(
        f"{service.url}/api/queries/network-members",
        params={"network": network, "lang": "fi", "limit": "1"},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    return r


def test_a_repeated_named_query_is_answered_from_the_cache_until_a_write(
    cached: Service,
) -> None:
    network = f"{EX}network-named"
    add_member(cached, network, f"{EX}a")
    add_member(cached, network, f"{EX}b")
    hits, misses = named_counts(cached)
    first = members(cached, network)
    assert named_counts(cached) == (hits, misses + 1)
    again = members(cached, network)
    assert named_counts(cached) == (hits + 1, misses + 1)
    assert again.content == first.content
    for header in ("content-type", "link", "vary", "etag", "last-modified", "cache-control"):
        assert again.headers[header] == first.headers[header], header
    assert 'rel="next"' in first.headers["link"]  # a page of one of two members
    revalidated = httpx.get(
        f"{cached.url}/api/queries/network-members",
        params={"network": network, "lang": "fi", "limit": "1"},
        headers={"If-None-Match": first.headers["etag"]},
    )
    assert revalidated.status_code == 304 and revalidated.content == b""
    head = httpx.head(
        f"{cached.url}/api/queries/network-members",
        params={"network": network, "lang": "fi", "limit": "1"},
    )
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == first.headers["content-type"]
    # A write: the next answer is the query's again, and sees it.
    update(
        cached,
        f"DELETE DATA {{ GRAPH <{GRAPH}-named> {{ <{network}> <{ORG}hasMember> <{EX}a> }} }}",
    )
    after = members(cached, network)
    assert [r["member"] for r in after.json()["records"]] == [f"{EX}b"]
    assert 'rel="next"' not in after.headers["link"]


def test_named_answers_differ_by_format_language_and_host(cached: Service) -> None:
    network = f"{EX}network-variants"
    add_member(cached, network, f"{EX}c")
    variants = [
        {},
        {"Accept": "text/csv"},
        {"Accept": JSON},
        {"Accept-Language": "en"},
        {"Host": "osaamiskartta.example.org"},
    ]
    first = [members(cached, network, **headers) for headers in variants]
    hits, misses = named_counts(cached)
    again = [members(cached, network, **headers) for headers in variants]
    assert named_counts(cached) == (hits + len(variants), misses)
    assert [r.content for r in again] == [r.content for r in first]
    assert first[1].content.startswith(b"network,") and first[2].json()["head"]["vars"]
    assert "osaamiskartta.example.org" in first[4].headers["link"]
    assert "osaamiskartta.example.org" not in again[0].headers["link"]


def test_refused_named_queries_are_not_kept(cached: Service) -> None:
    hits, misses = named_counts(cached)
    for _ in range(2):
        r = httpx.get(f"{cached.url}/api/queries/network-members", params={"network": "x y"})
        assert r.status_code == 400
        assert httpx.get(f"{cached.url}/api/queries/no-such-query").status_code == 404
    assert named_counts(cached) == (hits, misses)
