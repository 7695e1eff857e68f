"""Namespaces and small term helpers for the RDF the publishing code writes itself."""

from __future__ import annotations

import pyoxigraph as ox

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
FOAF = "http://xmlns.com/foaf/0.1/"
VOID = "http://rdfs.org/ns/void#"
VCARD = "http://www.w3.org/2006/vcard/ns#"
SPDX = "http://spdx.org/rdf/terms#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ADMS = "http://www.w3.org/ns/adms#"

TYPE = ox.NamedNode(f"{RDF}type")


def iri(value: str) -> ox.NamedNode:
    """A named node."""
    return ox.NamedNode(value)


def text(value: str, lang: str | None = None) -> ox.Literal:
    """A string, language-tagged when `lang` is given."""
    return ox.Literal(value, language=lang) if lang else ox.Literal(value)


def typed(value: object, datatype: str) -> ox.Literal:
    """A literal of an XSD datatype (`datatype` is the local name, e.g. `integer`)."""
    return ox.Literal(str(value), datatype=ox.NamedNode(f"{XSD}{datatype}"))


class Graph:
    """A list of triples built up statement by statement."""

    def __init__(self) -> None:
        self.triples: list[ox.Triple] = []

    def add(
        self, s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal
    ) -> None:
        """Add one triple; `p` is the predicate IRI."""
        self.triples.append(ox.Triple(s, ox.NamedNode(p), o))

    def typed_as(self, s: ox.NamedNode | ox.BlankNode, *classes: str) -> None:
        """Give `s` its classes."""
        for c in classes:
            self.triples.append(ox.Triple(s, TYPE, ox.NamedNode(c)))


def namespace(iri_value: str) -> str:
    """The namespace of an IRI: up to and including its last `#` or `/`."""
    cut = max(iri_value.rfind("#"), iri_value.rfind("/"))
    return iri_value[: cut + 1]
