"""Reading RDF payloads into triples with pyoxigraph's parsers."""

from __future__ import annotations

import pyoxigraph as ox

from service.errors import SyntaxProblem
from service.nesting import check_nesting
from service.sparql.formats import RDF_XML, Format
from service.store.oxigraph import rdf_format
from service.xml_guard import check_entities


def parse_triples(data: bytes, fmt: Format, base_iri: str | None = None) -> tuple[ox.Triple, ...]:
    """Parse ``data``; graph names in quad formats are dropped (the caller picks the graph).

    Raises SyntaxProblem with the parser's line and column.
    """
    if fmt.name == RDF_XML.name:
        check_entities(data)
    else:
        check_nesting(data, f"{fmt.name} document")
    try:
        return tuple(q.triple for q in ox.parse(data, format=rdf_format(fmt), base_iri=base_iri))
    except SyntaxError as exc:
        raise SyntaxProblem.from_exception(exc, fmt.name) from exc
    except ValueError as exc:
        raise SyntaxProblem(str(exc), language=fmt.name) from exc
