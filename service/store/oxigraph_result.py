"""pyoxigraph's side of the service's formats, and its query answers serialised by pyoxigraph."""

from __future__ import annotations

import pyoxigraph as ox

from service.errors import BadRequest
from service.sparql import formats as f
from service.sparql.formats import Format, Kind

_RDF = {
    f.TURTLE.name: ox.RdfFormat.TURTLE,
    f.N_TRIPLES.name: ox.RdfFormat.N_TRIPLES,
    f.RDF_XML.name: ox.RdfFormat.RDF_XML,
    f.JSON_LD.name: ox.RdfFormat.JSON_LD,
    f.N_QUADS.name: ox.RdfFormat.N_QUADS,
    f.TRIG.name: ox.RdfFormat.TRIG,
}
_RESULTS = {
    f.SPARQL_JSON.name: ox.QueryResultsFormat.JSON,
    f.SPARQL_XML.name: ox.QueryResultsFormat.XML,
    f.SPARQL_CSV.name: ox.QueryResultsFormat.CSV,
    f.SPARQL_TSV.name: ox.QueryResultsFormat.TSV,
}


def rdf_format(fmt: Format) -> ox.RdfFormat:
    """pyoxigraph's RdfFormat for one of the service's RDF formats."""
    try:
        return _RDF[fmt.name]
    except KeyError:
        raise ValueError(f"{fmt.name} is not an RDF format") from None


Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


class OxigraphResult:
    """A pyoxigraph query answer, serialised by pyoxigraph itself."""

    def __init__(self, result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> None:
        self._result = result
        if isinstance(result, ox.QuerySolutions):
            self._kind = Kind.BINDINGS
        elif isinstance(result, ox.QueryBoolean):
            self._kind = Kind.BOOLEAN
        else:
            self._kind = Kind.GRAPH

    @property
    def kind(self) -> Kind:
        return self._kind

    @property
    def raw(self) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """pyoxigraph's own answer object."""
        return self._result

    def serialize_to(self, fmt: Format, output: object) -> None:
        """Write the result into a binary file-like ``output`` as pyoxigraph produces it."""
        target = _RESULTS.get(fmt.name) if self._kind != Kind.GRAPH else _RDF.get(fmt.name)
        if target is None:
            raise ValueError(f"a {self._kind.value} result cannot be written as {fmt.name}")
        self._result.serialize(output, format=target)  # type: ignore[arg-type]

    def serialize(self, fmt: Format) -> bytes:
        target = _RESULTS.get(fmt.name) if self._kind != Kind.GRAPH else _RDF.get(fmt.name)
        if target is None:
            raise ValueError(f"a {self._kind.value} result cannot be written as {fmt.name}")
        try:
            out = self._result.serialize(format=target)  # type: ignore[arg-type]
        except (ValueError, RuntimeError, OSError) as exc:
            # Evaluation is lazy: errors such as an unsupported SERVICE call surface here.
            raise BadRequest(f"query evaluation failed: {exc}") from exc
        return out if out is not None else b""
