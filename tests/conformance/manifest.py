"""Read the W3C SPARQL 1.1 Protocol and Graph Store Protocol manifests into plain test cases."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

_NAMED_STATUS = {
    "OK": 200,
    "Created": 201,
    "NoContent": 204,
    "NotFound": 404,
    "BadRequest": 400,
    "MethodNotAllowed": 405,
}


@dataclass(frozen=True)
class Status:
    """An acceptable status: an exact code or a class (``2xx``)."""

    code: int | None = None
    klass: int | None = None

    def matches(self, status: int) -> bool:
        """True when ``status`` is this code or in this class."""
        return status == self.code if self.code is not None else status // 100 == self.klass


@dataclass(frozen=True)
class ExpectedResponse:
    """What one response must look like."""

    statuses: tuple[Status, ...]
    format: str | None = None  # "boolean", "tabular" or "RDF"
    boolean: bool | None = None
    location_variable: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    body: str | None = None


@dataclass(frozen=True)
class Request:
    """One HTTP request of a test."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: str | None
    expected: ExpectedResponse


@dataclass(frozen=True)
class Case:
    """One manifest entry: data to load under graph names, then requests in order."""

    id: str
    name: str
    requests: tuple[Request, ...]
    graph_data: tuple[tuple[Path, str], ...] = field(default=())


def _list(graph: Graph, head: Node | None) -> list[Node]:
    return list(Collection(graph, head)) if head is not None else []


def _headers(graph: Graph, node: Node) -> tuple[tuple[str, str], ...]:
    headers = []
    for h in _list(graph, graph.value(node, HT.headers)):
        headers.append((str(graph.value(h, HT.fieldName)), str(graph.value(h, HT.fieldValue))))
    return tuple(headers)


def _status(node: Node) -> Status:
    local = str(node).rsplit("#", 1)[-1]
    if local.startswith("StatusCode") and local.endswith("xx"):
        return Status(klass=int(local[len("StatusCode")]))
    return Status(code=_NAMED_STATUS[local])


def _body(graph: Graph, node: Node) -> str | None:
    body = graph.value(node, HT.body)
    return None if body is None else str(graph.value(body, CNT.chars))


def _response(graph: Graph, node: Node) -> ExpectedResponse:
    boolean = graph.value(node, MF.expectedBoolean)
    fmt = graph.value(node, MF.expectedFormat)
    location = graph.value(node, MF.expectedLocation)
    return ExpectedResponse(
        statuses=tuple(_status(s) for s in graph.objects(node, MF.expectedStatus)),
        format=None if fmt is None else str(fmt),
        boolean=None if boolean is None else bool(boolean.toPython()),
        location_variable=None if location is None else str(location),
        headers=_headers(graph, node),
        body=_body(graph, node),
    )


def _case(graph: Graph, test: URIRef, base: Path) -> Case:
    action = graph.value(test, MF.action)
    requests = []
    for req in _list(graph, graph.value(action, HT.requests)):
        requests.append(
            Request(
                method=str(graph.value(req, HT.methodName)),
                path=str(graph.value(req, HT.absolutePath)),
                headers=_headers(graph, req),
                body=_body(graph, req),
                expected=_response(graph, graph.value(req, HT.resp)),
            )
        )
    data = []
    for gd in graph.objects(test, UT.graphData):
        file_iri = str(graph.value(gd, UT.graph))
        data.append((base / file_iri.rsplit("/", 1)[-1], str(graph.value(gd, RDFS.label))))
    return Case(
        id=str(test).rsplit("#", 1)[-1],
        name=str(graph.value(test, MF.name)),
        requests=tuple(requests),
        graph_data=tuple(sorted(data, key=lambda d: d[1])),
    )


def read_unlisted_case(path: Path, case_id: str) -> Case:
    """A test defined in a manifest but left out of its ``mf:entries``."""
    graph = Graph()
    graph.parse(path, format="turtle", publicID=path.as_uri())
    test = next(t for t in graph.subjects(RDF.type, None) if str(t).endswith("#" + case_id))
    assert isinstance(test, URIRef)
    return _case(graph, test, path.parent)


def read_manifest(path: Path) -> list[Case]:
    """The entries of a manifest (following ``mf:include``), in manifest order."""
    graph = Graph()
    graph.parse(path, format="turtle", publicID=path.as_uri())
    manifest = URIRef(path.as_uri())
    cases: list[Case] = []
    for included in _list(graph, graph.value(manifest, MF.include)):
        cases += read_manifest(Path(str(included).removeprefix("file://")))
    for entry in _list(graph, graph.value(manifest, MF.entries)):
        assert isinstance(entry, URIRef)
        if (entry, RDF.type, None) in graph:
            cases.append(_case(graph, entry, path.parent))
    return cases
