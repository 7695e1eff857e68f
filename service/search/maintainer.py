"""Keeps the search index in step with the store: a write observer and the start-up check."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

import pyoxigraph as ox

from service.search.fields import FIELD_OF
from service.search.index import SearchIndex, Text, combine
from service.store.base import Store, StreamingMatches, prefetch
from service.store.oxigraph_result import Term
from service.writes import Write, WriteContext, WriteResult

log = logging.getLogger("uvicorn.error")
_PREDICATES = tuple(ox.NamedNode(p) for p in FIELD_OF)
_ORDER = {p: i for i, p in enumerate(_PREDICATES)}


class SearchMaintainer:
    """Indexes the searchable literals of the graphs ``indexed`` accepts."""

    def __init__(self, store: Store, index: SearchIndex, indexed: Callable[[str], bool]) -> None:
        self.store = store
        self.index = index
        self._indexed_graph = indexed

    def _indexed(self, quad: ox.Quad) -> bool:
        graph = quad.graph_name
        if isinstance(graph, ox.NamedNode) and not self._indexed_graph(graph.value):
            return False
        return (
            quad.predicate.value in FIELD_OF
            and isinstance(quad.object, ox.Literal)
            and not isinstance(quad.subject, ox.Triple)
        )

    def _quads(self) -> Iterator[ox.Quad]:
        """Every indexed quad of the store, read predicate by predicate (lazily on a store
        that can: at 10M triples they are millions)."""
        store = self.store
        for p in _PREDICATES:
            if isinstance(store, StreamingMatches):
                quads: Iterable[ox.Quad] = store.iter_match(None, p, None)
            else:
                quads = store.match(None, p, None)
            yield from filter(self._indexed, quads)

    def fingerprint(self) -> int:
        """The fingerprint of the store's indexed quads as they are now."""
        return combine(0, (str(q) for q in self._quads()), ())

    def ensure_fresh(self) -> bool:
        """Rebuild the index when it does not match the store; True when it was rebuilt."""
        current = self.fingerprint()
        if self.index.meta("fingerprint") == str(current):
            return False
        log.info("search index is stale; rebuilding it")
        self.rebuild(current)
        return True

    def rebuild(self, fingerprint: int | None = None) -> None:
        """Index every resource again from the store."""
        grouped: dict[str, list[Text]] = defaultdict(list)
        for quad in self._quads():
            grouped[_key(quad.subject)].append(_text(quad))
        if fingerprint is None:
            fingerprint = self.fingerprint()
        documents = ((iri, list(dict.fromkeys(texts))) for iri, texts in grouped.items())
        self.index.replace(documents, fingerprint=fingerprint, clear=True)

    def committed(self, write: Write, context: WriteContext, result: WriteResult) -> None:
        """Re-index the resources whose searchable literals the write changed."""
        if any(map(self._indexed_graph, result.delta.loaded)):
            # Whole graphs were bulk-loaded (a first start on big files): indexing everything
            # again beats reading millions of quads back into Python and resource by resource.
            self.rebuild()
            return
        added = [q for q in result.delta.added if self._indexed(q)]
        removed = [q for q in result.delta.removed if self._indexed(q)]
        if not (added or removed):
            return
        subjects = {q.subject for q in (*added, *removed)}
        fingerprint = combine(
            int(self.index.meta("fingerprint") or 0),
            (str(q) for q in added),
            (str(q) for q in removed),
        )
        self.index.replace(self._documents(subjects), fingerprint=fingerprint)

    def _documents(self, subjects: Iterable[Term]) -> list[tuple[str, list[Text]]]:
        documents = []
        subjects = list(subjects)
        prefetch(self.store, subjects)  # type: ignore[arg-type]
        for subject in subjects:
            assert isinstance(subject, ox.NamedNode | ox.BlankNode)
            # One read of the subject's triples, not one per searchable predicate (17): on a
            # remote store each read is an HTTP request. In the predicates' order, as a rebuild
            # reads them: the index then holds the same texts in the same order either way.
            quads = [q for q in self.store.match(subject, None, None) if self._indexed(q)]
            quads.sort(key=lambda q: _ORDER[q.predicate])
            texts = dict.fromkeys(_text(q) for q in quads)
            documents.append((_key(subject), list(texts)))
        return documents


def _key(subject: Term) -> str:
    """IRIs as they are; blank nodes as ``_:id`` (found, though not linkable)."""
    return subject.value if isinstance(subject, ox.NamedNode) else str(subject)


def _text(quad: ox.Quad) -> Text:
    literal = quad.object
    assert isinstance(literal, ox.Literal)
    return Text(FIELD_OF[quad.predicate.value], literal.language or "", literal.value)
