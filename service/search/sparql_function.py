"""Full-text search inside SPARQL: ``okfn:textScore(?resource, "query")``.

The function answers the resource's search score (xsd:double, higher is better) or leaves the
variable unbound when the resource does not match, so ``FILTER(BOUND(?score))`` keeps the hits.
It reads the same index as /api/search; the set of matches is computed once per query text
and index version.
"""

from __future__ import annotations

import threading

import pyoxigraph as ox

from service.search.index import SearchIndex
from service.sparql.functions import TEXT_SCORE
from service.store.oxigraph_result import Term

__all__ = ["TEXT_SCORE", "TextScore"]
XSD_DOUBLE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#double")
MAX_MATCHES = 10_000
_CACHED = 32


class TextScore:
    """The SPARQL extension function, bound to one index."""

    def __init__(self, index: SearchIndex) -> None:
        self.index = index
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, int], dict[str, float]] = {}

    def _scores(self, text: str) -> dict[str, float]:
        key = (text, self.index.generation)
        with self._lock:
            found = self._cache.get(key)
        if found is not None:
            return found
        terms = self.index.terms(text)
        found = {} if terms is None else self.index.scores(terms, MAX_MATCHES)
        with self._lock:
            if len(self._cache) >= _CACHED:
                self._cache.clear()
            self._cache[key] = found
        return found

    def matches(self, text: str) -> list[ox.NamedNode] | None:
        """The resources the function scores for ``text``, or None when a blank node is
        among them (a query cannot name one, so it cannot be bound beforehand)."""
        found = self._scores(text)
        if any(key.startswith("_:") for key in found):
            return None
        return [ox.NamedNode(key) for key in found]

    def name_matches(self, text: str) -> list[ox.NamedNode] | None:
        """The resources with a name that may contain ``text`` (ignoring case), or None when
        the index cannot narrow them down (a short text, very many, or a blank node)."""
        found = self.index.name_matches(text, MAX_MATCHES)
        if found is None or any(key.startswith("_:") for key in found):
            return None
        return [ox.NamedNode(key) for key in found]

    def __call__(self, resource: Term, query: Term) -> ox.Literal | None:
        if not isinstance(query, ox.Literal):
            return None
        if isinstance(resource, ox.NamedNode):
            key = resource.value
        elif isinstance(resource, ox.BlankNode):
            key = str(resource)
        else:
            return None
        score = self._scores(query.value).get(key)
        return None if score is None else ox.Literal(repr(round(score, 6)), datatype=XSD_DOUBLE)
