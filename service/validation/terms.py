"""Moving RDF terms between pyoxigraph (the store) and rdflib (pySHACL's graphs)."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from service.errors import TripleTermUnsupported
from service.store.base import subject_of

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


def to_rdflib(term: OxTerm) -> Node:
    """The rdflib term for a store term; blank nodes keep their store identifier."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == XSD_STRING:
        return Literal(term.value)
    # Keep the lexical form as stored: rdflib would otherwise normalise "01" to "1".
    return Literal(term.value, datatype=URIRef(datatype), normalize=False)


def object_to_rdflib(term: OxTerm | ox.Triple) -> Node:
    """``to_rdflib`` for a triple's object, which may be a triple term (RDF 1.2)."""
    if isinstance(term, ox.Triple):  # client writes are refused earlier; a bulk load is not
        raise TripleTermUnsupported(str(term))
    return to_rdflib(term)


def triple_to_rdflib(triple: ox.Triple) -> tuple[Node, Node, Node]:
    """The rdflib triple for a store triple."""
    return (
        to_rdflib(subject_of(triple)),
        to_rdflib(triple.predicate),
        object_to_rdflib(triple.object),
    )


def to_oxigraph(term: Node) -> OxTerm:
    """The store term for an rdflib term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != XSD_STRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")
