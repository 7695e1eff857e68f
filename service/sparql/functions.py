"""The service's SPARQL extension functions: their IRIs, and stand-ins for places that parse
or run queries without the service around them (they answer nothing)."""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox

NAMESPACE = "https://w3id.org/osaamiskartta/fn#"
# okfn:textScore(?resource, "words"): the resource's full-text search score, or unbound.
TEXT_SCORE = ox.NamedNode(NAMESPACE + "textScore")


def _nothing(*_: object) -> None:
    return None


# What an extension function answers: a term, or None (the variable stays unbound).
Answer = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None


def stand_ins() -> dict[ox.NamedNode, Callable[..., Answer]]:
    """Every extension function, answering nothing (so queries using them still parse)."""
    return {TEXT_SCORE: _nothing}


def uses_text_search(query: str) -> bool:
    """True when a query may call the service's extension functions, which read the full-text
    index of this process (the query workers have none). The namespace must appear in the text,
    in a PREFIX or a full IRI, for a query to call one."""
    return NAMESPACE in query
