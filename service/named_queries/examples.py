"""The named queries as SHACL SPARQL executables (the `sparql-examples` convention), so query
editors can offer them as ready examples."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Triple

from service.named_queries.binding import bind
from service.named_queries.registry import NamedQuery, QueryRegistry

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SCHEMA = "http://schema.org/"
DCT = "http://purl.org/dc/terms/"


def ready_text(query: NamedQuery) -> str:
    """The SPARQL with defaults (and examples of required parameters) bound, so it runs as is."""
    values = {}
    for parameter in query.parameters:
        raw = parameter.default
        if raw is None and parameter.required:
            raw = parameter.example
        if raw is not None:
            values[parameter.name] = parameter.to_term(raw)
    return bind(query.text, values)


def example_triples(
    registry: QueryRegistry, base_iri: str, endpoint: str, api: str
) -> list[Triple]:
    """One executable per query, named ``{base}id/query/{name}``; ``api`` is where it runs."""
    triples: list[Triple] = []
    for query in registry:
        node = NamedNode(f"{base_iri}id/query/{query.name}")

        def add(predicate: str, obj: NamedNode | Literal, node: NamedNode = node) -> None:
            triples.append(Triple(node, NamedNode(predicate), obj))

        triples.append(Triple(node, RDF_TYPE, NamedNode(SH + "SPARQLExecutable")))
        triples.append(Triple(node, RDF_TYPE, NamedNode(SH + "SPARQLSelectExecutable")))
        add(SH + "select", Literal(ready_text(query)))
        for lang, title in sorted(query.title.items()):
            add(RDFS + "label", Literal(title, language=lang))
        for lang, description in sorted(query.description.items()):
            add(RDFS + "comment", Literal(description, language=lang))
        for tag in query.tags:
            add(SCHEMA + "keywords", Literal(tag))
        add(SCHEMA + "target", NamedNode(endpoint))
        add(DCT + "identifier", Literal(query.name))
        add(RDFS + "seeAlso", NamedNode(f"{api}/{query.name}"))
    return triples
