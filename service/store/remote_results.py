"""An engine's answers read into pyoxigraph terms, so that the rest of the service never
knows the store is remote: result documents are normalised (the engine's blank-node labels,
the old ``typed-literal``) and re-read by pyoxigraph, graphs are parsed into triples."""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox

from service.errors import StoreFailure
from service.sparql.formats import Format, Kind
from service.store.oxigraph_result import OxigraphResult, rdf_format
from service.store.remote_client import Answer
from service.store.remote_dialect import Dialect

Term = ox.NamedNode | ox.BlankNode | ox.Literal
JsonTerm = dict[str, Any]

_RDF_MEDIA_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


class GraphResult:
    """A CONSTRUCT or DESCRIBE answer held as triples."""

    def __init__(self, triples: list[ox.Triple]) -> None:
        self.triples = triples

    @property
    def kind(self) -> Kind:
        return Kind.GRAPH

    def serialize(self, fmt: Format) -> bytes:
        return ox.serialize(self.triples, format=rdf_format(fmt)) or b""


def results_document(answer: Answer, dialect: Dialect) -> dict[str, Any]:
    """A SPARQL JSON results document with blank nodes labelled as pyoxigraph's."""
    try:
        document = json.loads(answer.body)
    except ValueError as exc:
        raise StoreFailure(f"the SPARQL engine sent unreadable results: {exc}") from exc
    for row in document.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("type") == "bnode":
                term["value"] = dialect.blank_node(term["value"]).value
            elif term.get("type") == "typed-literal":
                term["type"] = "literal"
    return dict(document)


def triples(answer: Answer, dialect: Dialect) -> list[ox.Triple]:
    """The triples of an RDF answer (blank-node labels are the engine's own, kept stable)."""
    fmt = _RDF_MEDIA_TYPES.get(answer.media_type, ox.RdfFormat.N_TRIPLES)
    try:
        parsed = [q.triple for q in ox.parse(answer.body, format=fmt)]
    except SyntaxError as exc:
        raise StoreFailure(f"the SPARQL engine sent unreadable RDF: {exc}") from exc
    if not dialect.result_prefix:
        return parsed
    return [ox.Triple(*(_relabel(t, dialect) for t in triple)) for triple in parsed]  # type: ignore[arg-type]


def _relabel(term: object, dialect: Dialect) -> object:
    return dialect.blank_node(term.value) if isinstance(term, ox.BlankNode) else term


def query_result(answer: Answer, dialect: Dialect) -> OxigraphResult | GraphResult:
    """The engine's answer as a query result the service serialises like its own."""
    if answer.media_type in _RDF_MEDIA_TYPES:
        return GraphResult(triples(answer, dialect))
    document = json.dumps(results_document(answer, dialect)).encode()
    try:
        parsed = ox.parse_query_results(document, format=ox.QueryResultsFormat.JSON)
    except SyntaxError as exc:
        raise StoreFailure(f"the SPARQL engine sent unreadable results: {exc}") from exc
    return OxigraphResult(parsed)  # type: ignore[arg-type]


def term(value: JsonTerm) -> Term:
    """One normalised SPARQL JSON term as a pyoxigraph term."""
    kind = value["type"]
    if kind == "uri":
        return ox.NamedNode(value["value"])
    if kind == "bnode":
        return ox.BlankNode(value["value"])
    if "xml:lang" in value:
        return ox.Literal(value["value"], language=value["xml:lang"])
    if "datatype" in value:
        return ox.Literal(value["value"], datatype=ox.NamedNode(value["datatype"]))
    return ox.Literal(value["value"])
