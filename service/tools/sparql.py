"""The tools' SPARQL: `.rq` files in `rq/`, terms bound as VALUES, answers as simple rows."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from importlib.resources import files

import pyoxigraph as ox

from service.named_queries.binding import bind, bind_rows
from service.sparql.formats import SPARQL_JSON
from service.store.base import Store

Row = dict[str, str]


@cache
def load(name: str) -> str:
    """The text of `rq/{name}.rq`."""
    return (files("service.tools") / "rq" / f"{name}.rq").read_text(encoding="utf-8")


def rows(store: Store, name: str, **values: ox.NamedNode | ox.Literal) -> list[Row]:
    """The solutions of the SELECT `name` as plain strings by variable (unbound: absent)."""
    return _answer(store, bind(load(name), values) if values else load(name))


def rows_for_each(
    store: Store,
    name: str,
    variable: str,
    terms: Sequence[ox.NamedNode],
    values: Mapping[str, ox.NamedNode | ox.Literal],
) -> list[Row]:
    """As `rows`, with `variable` bound to each of `terms` in turn (one VALUES row each)."""
    return _answer(store, bind(bind_rows(load(name), variable, terms), values))


def _answer(store: Store, query: str) -> list[Row]:
    document = json.loads(store.query(query).serialize(SPARQL_JSON))
    return [
        {var: term["value"] for var, term in binding.items()}
        for binding in document["results"]["bindings"]
    ]


def lang(language: str) -> ox.Literal:
    """The label language as a bindable literal."""
    return ox.Literal(language)
