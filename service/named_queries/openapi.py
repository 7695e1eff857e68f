"""The named queries as OpenAPI 3.1 operations: one path per query, typed parameters and the
schema of each answer format."""

from __future__ import annotations

from typing import Any

from service.named_queries.answer import ANSWER_FORMATS
from service.named_queries.catalogue import SchemeConcepts
from service.named_queries.params import Parameter
from service.named_queries.registry import NamedQuery, QueryRegistry
from service.named_queries.runner import MAX_OFFSET

PROBLEM = "application/problem+json"
_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

COMPONENT_SCHEMAS: dict[str, Any] = {
    "Problem": {
        "type": "object",
        "description": "An RFC 9457 problem document.",
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "parameter": {"type": "string", "description": "The parameter that was refused."},
            "reason": {"type": "string", "description": "Why it was refused."},
        },
        "required": ["title", "status", "detail"],
    },
    "Page": {
        "type": "object",
        "description": "Which slice of the answer this is, and where the neighbouring ones are.",
        "properties": {
            "limit": {"type": "integer", "minimum": 1},
            "offset": {"type": "integer", "minimum": 0},
            "next": {"type": ["string", "null"], "format": "uri"},
            "previous": {"type": ["string", "null"], "format": "uri"},
        },
        "required": ["limit", "offset", "next", "previous"],
    },
    "SparqlResults": {
        "type": "object",
        "description": "SPARQL 1.1 Query Results JSON.",
        "properties": {
            "head": {"type": "object", "properties": {"vars": {"type": "array"}}},
            "results": {"type": "object", "properties": {"bindings": {"type": "array"}}},
        },
        "required": ["head", "results"],
    },
}


def _typed(parameter: Parameter, raw: str) -> Any:
    if parameter.type == "integer":
        return int(raw)
    if parameter.type == "boolean":
        return raw.lower() in ("true", "1")
    return raw


def parameter_schema(parameter: Parameter, concepts: SchemeConcepts) -> dict[str, Any]:
    """The JSON Schema of one parameter's values."""
    schema: dict[str, Any]
    if parameter.type in ("iri", "concept"):
        schema = {"type": "string", "format": "uri"}
        choices = concepts.get(parameter.scheme or "", [])
        if choices:
            schema["enum"] = [c.iri for c in choices]
    elif parameter.type == "enum":
        schema = {"type": "string", "enum": list(parameter.values)}
    elif parameter.type == "integer":
        schema = {"type": "integer"}
        if parameter.minimum is not None:
            schema["minimum"] = parameter.minimum
        if parameter.maximum is not None:
            schema["maximum"] = parameter.maximum
    elif parameter.type == "date":
        schema = {"type": "string", "format": "date"}
    elif parameter.type == "boolean":
        schema = {"type": "boolean"}
    else:
        schema = {"type": "string"}
    if parameter.default is not None:
        schema["default"] = _typed(parameter, parameter.default)
    return schema


def _parameter(parameter: Parameter, concepts: SchemeConcepts) -> dict[str, Any]:
    described: dict[str, Any] = {
        "name": parameter.name,
        "in": "query",
        "required": parameter.required,
        "description": parameter.description.get("en", parameter.name),
        "schema": parameter_schema(parameter, concepts),
    }
    if parameter.description.get("fi"):
        described["x-description-fi"] = parameter.description["fi"]
    if parameter.rdf_class:
        described["x-rdf-class"] = parameter.rdf_class
    if parameter.scheme:
        described["x-concept-scheme"] = parameter.scheme
    if parameter.example is not None:
        described["example"] = _typed(parameter, parameter.example)
    if parameter.name == "lang":
        described["description"] += " (default: from Accept-Language, else the default)"
    return described


def _paging(max_page_size: int) -> list[dict[str, Any]]:
    return [
        {
            "name": "limit",
            "in": "query",
            "description": "Rows per page.",
            "schema": {"type": "integer", "minimum": 1, "maximum": max_page_size, "default": 100},
        },
        {
            "name": "offset",
            "in": "query",
            "description": "Rows to skip.",
            "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0},
        },
        {
            "name": "format",
            "in": "query",
            "description": "Answer format; overrides the Accept header.",
            "schema": {"type": "string", "enum": [f.short_names[0] for f in ANSWER_FORMATS]},
        },
        {
            "name": "inference",
            "in": "query",
            "description": "false: asserted triples only, without the inferred graph.",
            "schema": {"type": "boolean", "default": True},
        },
    ]


def records_schema(query: NamedQuery) -> dict[str, Any]:
    """The JSON Schema of the plain JSON answer of ``query``."""
    value = {
        "type": ["string", "number", "boolean", "null"],
        "description": "IRI or literal value as a string; numbers and booleans as JSON values; "
        "null when unbound.",
    }
    return {
        "type": "object",
        "properties": {
            "query": {"type": "string", "const": query.name},
            "parameters": {"type": "object", "description": "The values the query ran with."},
            "columns": {"type": "array", "items": {"type": "string"}},
            "records": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {column: value for column in query.columns},
                    "required": list(query.columns),
                },
            },
            "page": {"$ref": "#/components/schemas/Page"},
        },
        "required": ["query", "parameters", "columns", "records", "page"],
    }


def operation(query: NamedQuery, concepts: SchemeConcepts, max_page_size: int) -> dict[str, Any]:
    """The GET operation that runs ``query``."""
    problem = {PROBLEM: {"schema": _PROBLEM_REF}}
    text = {"schema": {"type": "string"}}
    link = {
        "description": "RFC 8288 links to the first, previous and next page.",
        "schema": {"type": "string"},
    }
    return {
        "operationId": query.name,
        "summary": query.title.get("en", query.name),
        "description": query.description.get("en", ""),
        "x-title-fi": query.title.get("fi", ""),
        "x-description-fi": query.description.get("fi", ""),
        "tags": list(query.tags),
        "parameters": [_parameter(p, concepts) for p in query.parameters] + _paging(max_page_size),
        "responses": {
            "200": {
                "description": "One page of the answer.",
                "headers": {"Link": link},
                "content": {
                    "application/json": {"schema": records_schema(query)},
                    "text/csv": text,
                    "application/sparql-results+json": {
                        "schema": {"$ref": "#/components/schemas/SparqlResults"}
                    },
                    "text/html": text,
                },
            },
            "400": {
                "description": "A parameter is wrong; the problem names it.",
                "content": problem,
            },
            "404": {"description": "No such query.", "content": problem},
            "406": {"description": "No format fits the Accept header.", "content": problem},
        },
    }


_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def unique_operation_ids(document: dict[str, Any]) -> dict[str, Any]:
    """Give each method of a many-method route its own operationId (FastAPI names them all
    after the first method, which makes the document invalid)."""
    for item in document.get("paths", {}).values():
        for method, operation in item.items():
            if method not in _METHODS or not isinstance(operation, dict):
                continue
            identifier = operation.get("operationId", "")
            base, _, suffix = identifier.rpartition("_")
            if base and suffix in _METHODS and suffix != method:
                operation["operationId"] = f"{base}_{method}"
    return document


def add_named_queries(
    document: dict[str, Any],
    registry: QueryRegistry,
    concepts: SchemeConcepts,
    max_page_size: int,
) -> dict[str, Any]:
    """``document`` with one path per named query and the schemas they refer to."""
    paths = document.setdefault("paths", {})
    for query in registry:
        paths[f"/api/queries/{query.name}"] = {"get": operation(query, concepts, max_page_size)}
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(COMPONENT_SCHEMAS)
    tags = document.setdefault("tags", [])
    known = {t["name"] for t in tags}
    for name in sorted({tag for query in registry for tag in query.tags} - known):
        tags.append({"name": name})
    return unique_operation_ids(document)
