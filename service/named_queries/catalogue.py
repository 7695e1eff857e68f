"""What a client needs to know to call the named queries: their descriptions and the concepts
their concept parameters take, with labels from the store."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from service.named_queries.params import Parameter
from service.named_queries.registry import NamedQuery
from service.named_queries.runner import rq
from service.sparql.formats import SPARQL_JSON
from service.store.base import Store


@dataclass(frozen=True)
class Concept:
    """One SKOS concept a concept parameter can take, with its labels by language."""

    iri: str
    labels: dict[str, str] = field(default_factory=dict)

    def label(self, lang: str) -> str:
        """The label in ``lang``, else in Finnish, else any, else the IRI."""
        return (
            self.labels.get(lang)
            or self.labels.get("fi")
            or next(iter(self.labels.values()), self.iri)
        )


# Concepts by the IRI of their scheme, in the schemes' own order (notation, then IRI).
SchemeConcepts = dict[str, list[Concept]]


def scheme_concepts(store: Store) -> SchemeConcepts:
    """Every scheme's concepts with their labels, in one query."""
    document = json.loads(store.query(rq("scheme_concepts")).serialize(SPARQL_JSON))
    schemes: dict[str, dict[str, Concept]] = {}
    for row in document["results"]["bindings"]:
        concepts = schemes.setdefault(row["scheme"]["value"], {})
        iri = row["concept"]["value"]
        concept = concepts.setdefault(iri, Concept(iri))
        label = row.get("label")
        if label is not None:
            concept.labels.setdefault(label.get("xml:lang", ""), label["value"])
    return {scheme: list(concepts.values()) for scheme, concepts in schemes.items()}


def describe_parameter(parameter: Parameter, concepts: SchemeConcepts) -> dict[str, Any]:
    """One parameter for the listing: its type, whether it is required, and what it takes."""
    described: dict[str, Any] = {
        "name": parameter.name,
        "type": parameter.type,
        "required": parameter.required,
        "default": parameter.default,
        "example": parameter.example,
        "description": parameter.description,
    }
    if parameter.type == "enum":
        described["values"] = list(parameter.values)
    if parameter.rdf_class:
        described["class"] = parameter.rdf_class
    if parameter.type == "integer":
        described["minimum"] = parameter.minimum
        described["maximum"] = parameter.maximum
    if parameter.lang:
        described["language"] = parameter.lang
    if parameter.scheme:
        described["scheme"] = parameter.scheme
        described["values"] = [
            {"iri": c.iri, "label": c.labels} for c in concepts.get(parameter.scheme, [])
        ]
    return described


def describe(query: NamedQuery, concepts: SchemeConcepts, url: str) -> dict[str, Any]:
    """One named query for the listing; ``url`` is where it runs."""
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "tags": list(query.tags),
        "columns": list(query.columns),
        "parameters": [describe_parameter(p, concepts) for p in query.parameters],
        "links": {
            "run": url,
            "openapi": "/openapi.json#/paths/" + url_path_pointer(query.name),
            "examples": "/.well-known/sparql-examples",
        },
    }


def url_path_pointer(name: str) -> str:
    """The JSON Pointer token of the query's path in the OpenAPI document."""
    return f"~1api~1queries~1{name}"
