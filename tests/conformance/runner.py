"""Execute a manifest case's HTTP requests against the live service and check each response."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import httpx
from rdflib import Graph
from rdflib.compare import isomorphic

from tests.conformance.manifest import Case, ExpectedResponse

RESULT_TYPES = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
BOOLEAN_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/n-quads": "nquads",
    "application/trig": "trig",
}
SRX = "{http://www.w3.org/2005/sparql-results#}"

# The manifests name the endpoints /sparql/ and /gsp; the service serves /sparql and /data.
PATH_PREFIXES = (("/sparql/", "/sparql"), ("/gsp", "/data"))


def map_path(path: str) -> str:
    """The manifest's request path on this service."""
    for old, new in PATH_PREFIXES:
        if path.startswith(old):
            return new + path[len(old) :]
    return path


def media_type(response: httpx.Response) -> str:
    """The response's media type without parameters."""
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def read_boolean(response: httpx.Response) -> bool:
    """The boolean of an ASK result in SPARQL JSON or XML."""
    if media_type(response) == "application/sparql-results+json":
        return bool(json.loads(response.content)["boolean"])
    element = ET.fromstring(response.content).find(f"{SRX}boolean")
    assert element is not None, "the XML result has no <boolean>"
    return (element.text or "").strip() == "true"


def check(response: httpx.Response, expected: ExpectedResponse, label: str) -> None:
    """Assert that a response matches what the manifest expects."""
    assert any(s.matches(response.status_code) for s in expected.statuses), (
        f"{label}: status {response.status_code}, expected {expected.statuses}: "
        f"{response.text[:500]}"
    )
    if expected.format == "boolean":
        assert media_type(response) in BOOLEAN_TYPES, f"{label}: {media_type(response)}"
    elif expected.format == "tabular":
        assert media_type(response) in RESULT_TYPES, f"{label}: {media_type(response)}"
    elif expected.format == "RDF":
        assert media_type(response) in RDF_TYPES, f"{label}: {media_type(response)}"
        Graph().parse(data=response.content, format=RDF_TYPES[media_type(response)])
    if expected.boolean is not None:
        assert read_boolean(response) is expected.boolean, f"{label}: wrong boolean"
    for name, value in expected.headers:
        got = response.headers.get(name, "")
        assert _normalise(got) == _normalise(value), f"{label}: {name} is {got!r}, not {value!r}"
    if expected.body is not None:
        content_type = dict(expected.headers).get("content-type", "text/turtle")
        fmt = RDF_TYPES[content_type.split(";")[0].strip()]
        want = Graph().parse(data=expected.body, format=fmt)
        got_graph = Graph().parse(data=response.content, format=RDF_TYPES[media_type(response)])
        assert isomorphic(want, got_graph), (
            f"{label}: graph differs:\n{response.text}\n--- expected ---\n{expected.body}"
        )


def _normalise(header: str) -> str:
    return ";".join(part.strip().lower() for part in header.split(";"))


def reset(client: httpx.Client, auth: dict[str, str]) -> None:
    """Empty the store so every case starts from nothing."""
    r = client.post(
        "/update",
        content=b"DROP ALL",
        headers={"Content-Type": "application/sparql-update", **auth},
    )
    assert r.status_code == 204, r.text


def run_case(client: httpx.Client, case: Case, auth: dict[str, str]) -> None:
    """Load the case's data, then send its requests in order, checking each response."""
    reset(client, auth)
    for path, graph in case.graph_data:
        r = client.put(
            "/data",
            params={"graph": graph},
            content=path.read_bytes(),
            headers={"Content-Type": "application/n-triples", **auth},
        )
        assert r.status_code in (201, 204), r.text
    variables: dict[str, str] = {}
    for i, request in enumerate(case.requests):
        path, body = map_path(request.path), request.body
        for name, value in variables.items():
            path = path.replace(name, value)
            body = body.replace(name, value) if body is not None else None
        headers = dict(request.headers)
        headers.update(auth)
        response = client.request(
            request.method,
            httpx.URL(client.base_url.join(path)),
            headers=headers,
            content=body.encode("utf-8") if body is not None else None,
        )
        check(response, request.expected, f"{case.id} request {i + 1} {request.method} {path}")
        if request.expected.location_variable:
            variables[request.expected.location_variable] = response.headers["location"]
