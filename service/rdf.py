"""Reading RDF payloads into triples with pyoxigraph's parsers, and the guards they need."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from service.errors import SyntaxProblem, TripleTermUnsupported
from service.nesting import check_nesting
from service.sparql.formats import N_TRIPLES, RDF_XML, TURTLE, Format
from service.store.oxigraph_result import rdf_format
from service.xml_guard import check_entities

# Formats a file can be bulk-loaded from into one graph: they hold triples only (TriG,
# N-Quads and JSON-LD may name graphs, which a load merges into the file's graph).
TRIPLE_FORMATS = (TURTLE.name, N_TRIPLES.name, RDF_XML.name)
_CHUNK = 1 << 20


def parse_triples(data: bytes, fmt: Format, base_iri: str | None = None) -> tuple[ox.Triple, ...]:
    """Parse ``data``; graph names in quad formats are dropped (the caller picks the graph).

    Raises SyntaxProblem with the parser's line and column, TripleTermUnsupported for data
    holding an RDF 1.2 triple term.
    """
    if fmt.name == RDF_XML.name:
        check_entities(data)
    else:
        check_nesting(data, f"{fmt.name} document")
    try:
        triples = tuple(q.triple for q in ox.parse(data, format=rdf_format(fmt), base_iri=base_iri))
    except SyntaxError as exc:
        raise SyntaxProblem.from_exception(exc, fmt.name) from exc
    except ValueError as exc:
        raise SyntaxProblem(str(exc), language=fmt.name) from exc
    for triple in triples:
        if isinstance(triple.object, ox.Triple):
            raise TripleTermUnsupported(str(triple))
    return triples


def check_file(path: Path, fmt: Format) -> None:
    """The guards of ``parse_triples`` for a file pyoxigraph will read itself (a bulk load), in
    bounded memory: the file is read whole only when it has what a guard looks at.

    Measured on pyoxigraph 0.5: its streaming Turtle and N-Triples parsers take blank nodes and
    collections nested 200,000 deep, but quoted triple terms (``<<( … )>>``) recurse and crash
    the process; RDF/XML nests fine but expands entities without bound.
    """
    if fmt.name == RDF_XML.name:
        if _contains(path, b"<!ENTITY"):
            check_entities(path.read_bytes())
    elif _contains(path, b"<<"):
        check_nesting(path.read_bytes(), f"{fmt.name} document")


def _contains(path: Path, marker: bytes) -> bool:
    overlap = len(marker) - 1
    tail = b""
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            if marker in tail + chunk:
                return True
            tail = chunk[-overlap:]
    return False
