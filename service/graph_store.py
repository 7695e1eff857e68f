"""The SPARQL 1.1 Graph Store HTTP Protocol, without web-framework types."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from typing import IO

import pyoxigraph as ox

from service.errors import BadRequest, NotFound, UnsupportedMediaType
from service.rdf import parse_triples
from service.sparql.conneg import negotiate
from service.sparql.endpoint import Payload
from service.sparql.formats import (
    DATASET_FORMATS,
    GRAPH_FORMATS,
    Format,
    rdf_format_for_media_type,
)
from service.sparql.protocol import media_type_of
from service.store.base import GraphChange, GraphDrop, Store, WritingOut
from service.writes import GraphWrite, WriteContext, Writer, WriteResult


@dataclass(frozen=True)
class Target:
    """The graph a request acts on: ``graph`` None with ``default`` True is the default graph;
    neither means the whole graph store."""

    graph: str | None = None
    default: bool = False

    @property
    def is_store(self) -> bool:
        """True when the request names no graph (the graph store itself)."""
        return self.graph is None and not self.default


def resolve_target(params: Sequence[tuple[str, str]], direct_iri: str | None) -> Target:
    """Read ``?graph=`` / ``?default`` or direct identification (the request URL)."""
    graphs = [v for k, v in params if k == "graph"]
    default = any(k == "default" for k, _ in params)
    if len(graphs) > 1:
        raise BadRequest("name one graph: the request has several 'graph' parameters")
    if graphs and default:
        raise BadRequest("use either ?graph= or ?default, not both")
    if graphs:
        iri = graphs[0]
        try:
            node = ox.NamedNode(iri)
        except ValueError as exc:
            raise BadRequest(f"graph={iri!r} is not an absolute IRI: {exc}") from exc
        if ":" not in iri:
            raise BadRequest(f"graph={iri!r} is not an absolute IRI")
        return Target(node.value)
    if default:
        return Target(default=True)
    if direct_iri is not None:
        try:
            return Target(ox.NamedNode(direct_iri).value)
        except ValueError as exc:
            raise BadRequest(f"the request URL is not a valid graph IRI: {exc}") from exc
    return Target()


def read(store: Store, target: Target, accept: str | None, format_param: str | None) -> Payload:
    """GET: one graph, or the whole store as a dataset. Raises NotFound or NotAcceptable."""
    fmt = read_format(store, target, accept, format_param)
    if target.is_store:
        return Payload(fmt, store.dump(fmt))
    return Payload(fmt, store.serialize_graph(target.graph, fmt))


def read_format(
    store: Store, target: Target, accept: str | None, format_param: str | None
) -> Format:
    """The format a GET is answered in, once the target is known to exist (NotFound or
    NotAcceptable otherwise)."""
    if target.is_store:
        return negotiate(accept, format_param, DATASET_FORMATS)
    fmt = negotiate(accept, format_param, GRAPH_FORMATS)
    if target.graph is not None and not store.has_graph(target.graph):
        raise NotFound(f"there is no graph <{target.graph}>")
    return fmt


def write_out(store: WritingOut, target: Target, fmt: Format, output: IO[bytes]) -> None:
    """GET, written into ``output`` as the store reads (see ``read_format``)."""
    if target.is_store:
        store.write_dump(output, fmt)
    else:
        store.write_graph(output, target.graph, fmt)


def parse_body(
    content_type: str | None, body: bytes, base_iri: str | None
) -> tuple[ox.Triple, ...]:
    """The triples in a request body (an RDF document or multipart/form-data of several).

    Raises UnsupportedMediaType or SyntaxProblem.
    """
    media_type, _ = media_type_of(content_type)
    if media_type == "multipart/form-data":
        return _parse_multipart(content_type or "", body, base_iri)
    fmt = rdf_format_for_media_type(media_type)
    if fmt is None:
        if not media_type:
            raise UnsupportedMediaType("the request has no Content-Type; send an RDF media type")
        raise UnsupportedMediaType(f"{media_type} is not an RDF format this service reads")
    return parse_triples(body, fmt, base_iri)


def _parse_multipart(content_type: str, body: bytes, base_iri: str | None) -> tuple[ox.Triple, ...]:
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    if not message.is_multipart():
        raise BadRequest("the multipart body cannot be read")
    triples: list[ox.Triple] = []
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            raise BadRequest("a multipart part has no content")
        triples += parse_body(part.get("Content-Type"), payload, base_iri)
    return tuple(triples)


def put(
    writer: Writer, target: Target, content_type: str | None, body: bytes, agent: str = "anonymous"
) -> WriteResult:
    """PUT: replace the graph's content."""
    if target.is_store:
        raise BadRequest("PUT needs a graph: add ?graph=<iri> or ?default")
    triples = parse_body(content_type, body, target.graph)
    result = writer.apply(
        GraphWrite((GraphChange(target.graph, triples, replace=True),)),
        WriteContext("graph-store", "PUT", agent),
    )
    return result


def post(
    writer: Writer,
    graph: str | None,
    content_type: str | None,
    body: bytes,
    agent: str = "anonymous",
) -> WriteResult:
    """POST: merge the body's triples into the graph (None: the default graph)."""
    triples = parse_body(content_type, body, graph)
    result = writer.apply(
        GraphWrite((GraphChange(graph, triples, replace=False),)),
        WriteContext("graph-store", "POST", agent),
    )
    return result


def delete(writer: Writer, target: Target, agent: str = "anonymous") -> WriteResult:
    """DELETE: drop the graph (or empty the default graph). Raises NotFound."""
    if target.is_store:
        raise BadRequest("DELETE needs a graph: add ?graph=<iri> or ?default")
    if target.graph is not None and not writer.store.has_graph(target.graph):
        raise NotFound(f"there is no graph <{target.graph}>")
    result = writer.apply(
        GraphWrite((GraphDrop(target.graph),)), WriteContext("graph-store", "DELETE", agent)
    )
    if target.graph is not None and result.missing_graphs:
        raise NotFound(f"there is no graph <{target.graph}>")
    return result
