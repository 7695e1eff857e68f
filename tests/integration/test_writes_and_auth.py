"""Writes need the bearer token; a refused or failing write changes nothing."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import FIXTURES, Service

INSERT = (
    "INSERT DATA { GRAPH <http://example.org/g/auth> "
    "{ <http://example.org/x> <http://example.org/p> 1 } }"
)
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def count(service: Service) -> int:
    r = httpx.get(
        f"{service.url}/sparql",
        params={"query": COUNT},
        headers={"Accept": "application/sparql-results+json"},
    )
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def write_requests(service: Service, headers: dict[str, str]) -> list[httpx.Response]:
    u = service.url
    data = {"Content-Type": "text/turtle", **headers}
    return [
        httpx.post(
            f"{u}/update",
            content=INSERT,
            headers={"Content-Type": "application/sparql-update", **headers},
        ),
        httpx.post(f"{u}/sparql", data={"update": INSERT}, headers=headers),
        httpx.put(
            f"{u}/data",
            params={"graph": "http://example.org/g/new"},
            content="<http://example.org/a> <http://example.org/b> 1 .",
            headers=data,
        ),
        httpx.post(
            f"{u}/data",
            params={"default": ""},
            content="<http://example.org/a> <http://example.org/b> 1 .",
            headers=data,
        ),
        httpx.delete(f"{u}/data", params={"graph": "http://example.org/g/new"}, headers=headers),
    ]


def test_update_without_token_is_refused_and_changes_nothing(service: Service) -> None:
    before = count(service)
    responses = write_requests(service, {})
    assert [r.status_code for r in responses] == [401] * 5
    assert all(r.headers["content-type"] == "application/problem+json" for r in responses)
    assert responses[0].headers["www-authenticate"].startswith("Bearer")
    assert count(service) == before


def test_update_with_wrong_token_is_forbidden_and_changes_nothing(service: Service) -> None:
    before = count(service)
    responses = write_requests(service, {"Authorization": "Bearer not-the-token"})
    assert [r.status_code for r in responses] == [403] * 5
    assert count(service) == before


def test_service_without_configured_token_is_read_only(service_factory) -> None:  # type: ignore[no-untyped-def]
    readonly = service_factory(token=None, load_dirs=[FIXTURES / "graphs"])
    before = count(readonly)
    responses = write_requests(readonly, {"Authorization": "Bearer anything"})
    assert [r.status_code for r in responses] == [403] * 5
    assert count(readonly) == before


def test_update_with_token_is_applied(service: Service) -> None:
    r = httpx.post(
        f"{service.url}/update",
        content=INSERT,
        headers={"Content-Type": "application/sparql-update", **service.auth},
    )
    assert r.status_code == 204
    r = httpx.get(
        f"{service.url}/data",
        params={"graph": "http://example.org/g/auth"},
        headers={"Accept": "application/n-triples"},
    )
    assert r.text.strip() == (
        "<http://example.org/x> <http://example.org/p> "
        '"1"^^<http://www.w3.org/2001/XMLSchema#integer> .'
    )


def test_failing_update_is_atomic(service: Service) -> None:
    before = count(service)
    # The first operation succeeds on its own; the second fails (graph exists), so neither
    # may be applied.
    update = (
        "INSERT DATA { GRAPH <http://example.org/g/atomic> { <http://example.org/a> "
        "<http://example.org/b> 1 } } ; CREATE GRAPH <http://example.org/g/atomic>"
    )
    r = service.update(update)
    assert r.status_code == 400
    assert count(service) == before


@pytest.mark.parametrize(
    "body",
    [
        "<http://example.org/a> <http://example.org/b> .",
        "@prefix broken",
    ],
)
def test_graph_put_with_bad_rdf_is_400_with_position_and_changes_nothing(
    service: Service, body: str
) -> None:
    graph = "http://example.org/g/people"
    httpx.put(
        f"{service.url}/data",
        params={"graph": graph},
        content="<http://example.org/a> <http://example.org/b> 1 .",
        headers={"Content-Type": "text/turtle", **service.auth},
    )
    before = httpx.get(f"{service.url}/data", params={"graph": graph}).text
    r = httpx.put(
        f"{service.url}/data",
        params={"graph": graph},
        content=body,
        headers={"Content-Type": "text/turtle", **service.auth},
    )
    assert r.status_code == 400
    problem = r.json()
    assert problem["line"] == 1 and "column" in problem
    assert httpx.get(f"{service.url}/data", params={"graph": graph}).text == before
