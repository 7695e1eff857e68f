"""The SPARQL the publishing pages need: `.rq` files in `rq/`, with terms bound as VALUES."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from typing import Any

import pyoxigraph as ox

from service.named_queries.binding import bind
from service.sparql.formats import N_TRIPLES, SPARQL_JSON
from service.store.base import QueryResult, Store

Binding = dict[str, dict[str, Any]]


@cache
def load(name: str) -> str:
    """The text of `rq/{name}.rq`."""
    return (files("service.publishing") / "rq" / f"{name}.rq").read_text(encoding="utf-8")


def text(name: str, values: Mapping[str, ox.NamedNode | ox.Literal] | None = None) -> str:
    """The query `name` with `values` bound to its variables."""
    return bind(load(name), values or {})


def run(store: Store, name: str, **values: ox.NamedNode | ox.Literal) -> QueryResult:
    """Evaluate the query `name` with terms bound."""
    return store.query(text(name, values))


def rows(store: Store, name: str, **values: ox.NamedNode | ox.Literal) -> list[Binding]:
    """The solutions of a SELECT as SPARQL JSON bindings."""
    return rows_of(store, text(name, values))


def rows_of(store: Store, query: str) -> list[Binding]:
    """The solutions of the SELECT ``query`` (an `.rq` file's text with its terms bound)."""
    document = json.loads(store.query(query).serialize(SPARQL_JSON))
    return list(document["results"]["bindings"])


def ask(store: Store, name: str, **values: ox.NamedNode | ox.Literal) -> bool:
    """The answer of an ASK."""
    return bool(json.loads(run(store, name, **values).serialize(SPARQL_JSON))["boolean"])


def triples(result: QueryResult) -> list[ox.Triple]:
    """A CONSTRUCT answer as pyoxigraph triples (for pages; RDF clients get it serialised)."""
    data = result.serialize(N_TRIPLES)
    return [q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]


def number(binding: Binding, name: str, default: int = 0) -> int:
    """An integer value of a solution."""
    term = binding.get(name)
    return int(term["value"]) if term else default
