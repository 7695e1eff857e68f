"""Reading the data the shapes see, as it is or as it would be after a change."""

from __future__ import annotations

from collections.abc import Callable, Collection

import pyoxigraph as ox

from service.store.base import MatchingPredicates, Store, prefetch, prefetch_pointing_at
from service.validation.delta import Delta

Subject = ox.NamedNode | ox.BlankNode
Object = ox.NamedNode | ox.BlankNode | ox.Literal
# An index of pending quads: ("s", subject), ("p", predicate) or ("o", object).
_Key = tuple[str, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]


class DataReads:
    """Triple lookups over the validated graphs of a store, optionally with a pending change.

    Shapes see every graph except the excluded ones (the shapes themselves, system graphs);
    the same triple in two graphs is one triple to them.
    """

    def __init__(
        self, store: Store, excluded: Callable[[str], bool], pending: Delta | None = None
    ) -> None:
        self._store = store
        self._excluded = excluded
        self._added: dict[_Key, list[ox.Quad]] = {}
        for quad in pending.added if pending else ():
            for key in (("s", quad.subject), ("p", quad.predicate), ("o", quad.object)):
                self._added.setdefault(key, []).append(quad)
        self._removed = pending.removed if pending else frozenset()
        self._matches_predicates = isinstance(store, MatchingPredicates)

    def _visible(self, quad: ox.Quad) -> bool:
        graph = quad.graph_name
        return not (isinstance(graph, ox.NamedNode) and self._excluded(graph.value))

    def triples(
        self,
        subject: Subject | None = None,
        predicate: ox.NamedNode | None = None,
        obj: Object | None = None,
    ) -> set[ox.Triple]:
        """The visible triples matching a pattern (None matches anything)."""
        found = {
            q.triple
            for q in self._store.match(subject, predicate, obj, ...)
            if q not in self._removed and self._visible(q)
        }
        if subject is not None:
            candidates = self._added.get(("s", subject), [])
        elif obj is not None:
            candidates = self._added.get(("o", obj), [])
        elif predicate is not None:
            candidates = self._added.get(("p", predicate), [])
        else:
            candidates = [q for (kind, _), qs in self._added.items() if kind == "s" for q in qs]
        for q in candidates:
            if (
                (subject is None or q.subject == subject)
                and (predicate is None or q.predicate == predicate)
                and (obj is None or q.object == obj)
                and self._visible(q)
            ):
                found.add(q.triple)
        return found

    def pointing_at(self, obj: Object, predicates: Collection[ox.NamedNode]) -> set[ox.Triple]:
        """The visible triples whose object is ``obj`` and whose predicate is one of
        ``predicates`` (one read on a store that matches several predicates at once)."""
        if not predicates:
            return set()
        if self._matches_predicates:
            quads = self._store.match_predicates(predicates, obj)  # type: ignore[attr-defined]
        else:
            quads = [q for p in predicates for q in self._store.match(None, p, obj, ...)]
        found = {q.triple for q in quads if q not in self._removed and self._visible(q)}
        for q in self._added.get(("o", obj), []):
            if q.predicate in predicates and self._visible(q):
                found.add(q.triple)
        return found

    def prefetch(
        self,
        nodes: Collection[Object],
        *,
        as_object: bool = False,
        predicate: ox.NamedNode | None = None,
    ) -> None:
        """About to ask ``triples`` of each node as subject (or object) with ``predicate``: a
        remote store reads them all in a few requests."""
        prefetch(self._store, nodes, as_object=as_object, predicate=predicate)

    def prefetch_pointing_at(
        self, objects: Collection[Object], predicates: Collection[ox.NamedNode]
    ) -> None:
        """About to ask ``pointing_at`` of each object with ``predicates``."""
        prefetch_pointing_at(self._store, objects, predicates)
