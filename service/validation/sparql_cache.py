"""Prepared SPARQL for pySHACL: its SPARQL-based constraints send the same query text for every
focus node, and rdflib would parse it again each time (a third of a second per parse)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rdflib.plugins.sparql import processor
from rdflib.plugins.sparql.sparql import Query

_original_query = processor.SPARQLProcessor.query


@lru_cache(maxsize=256)
def _prepared(text: str, base: str | None, namespaces: tuple[tuple[str, str], ...]) -> Query:
    return processor.translateQuery(processor.parseQuery(text), base, dict(namespaces))


def _query(
    self: processor.SPARQLProcessor,
    strOrQuery: Any,
    initBindings: Any = None,
    initNs: Any = None,
    base: str | None = None,
    DEBUG: bool = False,
) -> Any:
    if isinstance(strOrQuery, str):
        namespaces = tuple(sorted((str(k), str(v)) for k, v in (initNs or {}).items()))
        strOrQuery = _prepared(strOrQuery, base, namespaces)
    return _original_query(self, strOrQuery, initBindings, initNs, base, DEBUG)


def install() -> None:
    """Route rdflib's SPARQL processor through the cache of prepared queries (idempotent)."""
    processor.SPARQLProcessor.query = _query  # type: ignore[method-assign]
