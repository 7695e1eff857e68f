"""Error statuses and problem documents, the service description and the browser page."""

from __future__ import annotations

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, URIRef

from tests.conftest import Service

SD = "http://www.w3.org/ns/sparql-service-description#"


def test_malformed_query_is_400_with_parser_message_and_position(service: Service) -> None:
    r = httpx.get(f"{service.url}/sparql", params={"query": "SELECT * WHERE {\n  ?s ?p"})
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["status"] == 400 and problem["line"] == 2 and problem["column"] > 0
    assert "expected" in problem["detail"]


def test_malformed_update_is_400_with_position(service: Service) -> None:
    r = httpx.post(
        f"{service.url}/update",
        content="INSERT DATA { <a> }",
        headers={"Content-Type": "application/sparql-update", **service.auth},
    )
    assert r.status_code == 400
    assert r.json()["line"] == 1


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("PUT", "/sparql", 405),
        ("DELETE", "/sparql", 405),
        ("GET", "/update", 405),
        ("PATCH", "/data", 405),
        ("GET", "/nowhere", 404),
    ],
)
def test_wrong_method_or_path_gets_problem_json(
    service: Service, method: str, path: str, status: int
) -> None:
    r = httpx.request(method, f"{service.url}{path}")
    assert r.status_code == status
    assert r.headers["content-type"] == "application/problem+json"
    if status == 405:
        assert "allow" in r.headers


def test_unsupported_body_type_is_415(service: Service) -> None:
    r = httpx.post(
        f"{service.url}/sparql", content="ASK {}", headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 415
    r = httpx.put(
        f"{service.url}/data?default",
        content="{}",
        headers={"Content-Type": "image/png", **service.auth},
    )
    assert r.status_code == 415


def test_unacceptable_format_is_406(service: Service) -> None:
    r = httpx.get(
        f"{service.url}/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"}
    )
    assert r.status_code == 406
    r = httpx.get(f"{service.url}/sparql", params={"query": "ASK {}", "format": "turtle"})
    assert r.status_code == 406


def test_accept_q_values_choose_the_format(service: Service) -> None:
    r = httpx.get(
        f"{service.url}/sparql",
        params={"query": "SELECT (1 AS ?x) {}"},
        headers={"Accept": "application/sparql-results+json;q=0.5, text/csv"},
    )
    assert r.headers["content-type"].startswith("text/csv")
    r = httpx.get(
        f"{service.url}/sparql",
        params={"query": "SELECT (1 AS ?x) {}", "format": "tsv"},
        headers={"Accept": "text/csv"},
    )
    assert r.headers["content-type"].startswith("text/tab-separated-values")


def test_error_is_rdf_when_rdf_was_asked_for(service: Service) -> None:
    r = httpx.get(
        f"{service.url}/data",
        params={"graph": "http://example.org/none"},
        headers={"Accept": "text/turtle"},
    )
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=r.text, format="turtle")) > 0


def test_too_large_body_is_413(service_factory) -> None:  # type: ignore[no-untyped-def]
    small = service_factory(env={"OSAAMISKARTTA_MAX_BODY_BYTES": "100"})
    r = httpx.post(
        f"{small.url}/sparql",
        content="ASK {}" + " " * 200,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert r.status_code == 413


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_get_without_query_returns_the_service_description(
    service: Service, accept: str, fmt: str
) -> None:
    r = httpx.get(f"{service.url}/sparql", headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=r.text, format=fmt)
    endpoint = URIRef(f"{service.url}/sparql")
    assert (endpoint, URIRef(SD + "feature"), URIRef(SD + "UnionDefaultGraph")) in graph
    assert (endpoint, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Update")) in graph
    names = set(graph.objects(None, URIRef(SD + "name")))
    assert URIRef("https://w3id.org/osaamiskartta/graph/graphs/people") in names


def test_browser_gets_an_html_query_page(service: Service) -> None:
    r = httpx.get(
        f"{service.url}/sparql",
        headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<textarea id="query" name="query"' in r.text
    assert "https://w3id.org/osaamiskartta/graph/graphs/people" in r.text


methods = st.sampled_from(["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS"])
paths = st.sampled_from(["/sparql", "/update", "/data", "/data/x/y", "/"])
content_types = st.sampled_from(
    [
        None,
        "application/sparql-query",
        "application/sparql-update",
        "text/turtle",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=zz",
        "multipart/form-data",
        "application/ld+json",
        "application/rdf+xml",
        "application/sparql-query; charset=latin-1",
        "application/n-quads",
        "text/plain",
    ]
)
param_names = st.sampled_from(
    [
        "query",
        "update",
        "graph",
        "default",
        "default-graph-uri",
        "named-graph-uri",
        "using-graph-uri",
        "format",
        "x",
    ]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    method=methods,
    path=paths,
    content_type=content_types,
    params=st.lists(st.tuples(param_names, st.text(max_size=30)), max_size=4),
    body=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)),
    accept=st.one_of(
        st.none(),
        st.text(max_size=40),
        st.sampled_from(["text/turtle", "*/*;q=x", "application/ld+json", ";;;", "text/html"]),
    ),
)
def test_garbage_requests_never_get_a_server_error(
    service: Service,
    method: str,
    path: str,
    content_type: str | None,
    params: list[tuple[str, str]],
    body: bytes,
    accept: str | None,
) -> None:
    headers = dict(service.auth)
    if content_type:
        headers["Content-Type"] = content_type
    # httpx refuses to send a header value with surrounding whitespace, so such values never
    # reach the service.
    sendable = accept is not None and accept == accept.strip()
    if accept is not None and sendable and accept.isprintable() and accept.isascii():
        headers["Accept"] = accept
    r = httpx.request(
        method, f"{service.url}{path}", params=params, content=body, headers=headers, timeout=30
    )
    assert r.status_code < 500, (r.status_code, r.text)
