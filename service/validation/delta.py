"""What a write changes: the quads it adds and removes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from service.store.base import Change, GraphChange, GraphDrop, Store


class Delta:
    """The quads a write adds and removes (each set disjoint from the other).

    Graphs a write loaded whole from files (a bulk load into new graphs) are named in
    ``loaded``; their quads join ``added`` only when it is first read, from the store, so a
    write of millions of quads does not hold them all in memory unless an observer asks.
    """

    __slots__ = ("_added", "_removed", "_store", "_with_loaded", "loaded")

    def __init__(
        self,
        added: frozenset[ox.Quad],
        removed: frozenset[ox.Quad],
        *,
        loaded: tuple[str, ...] = (),
        store: Store | None = None,
    ) -> None:
        if loaded and store is None:
            raise ValueError("a delta with loaded graphs needs the store to read them from")
        self._added = added
        self._removed = removed
        self.loaded = loaded
        self._store = store
        self._with_loaded: frozenset[ox.Quad] | None = None

    @property
    def added(self) -> frozenset[ox.Quad]:
        """Every quad the write added, the loaded graphs' included (read once, when asked)."""
        if not self.loaded:
            return self._added
        if self._with_loaded is None:
            assert self._store is not None
            quads = set(self._added)
            for graph in self.loaded:
                quads.update(self._store.match(graph=graph))
            self._with_loaded = frozenset(quads)
        return self._with_loaded

    @property
    def removed(self) -> frozenset[ox.Quad]:
        """Every quad the write removed."""
        return self._removed

    @classmethod
    def between(cls, before: Iterable[ox.Quad], after: Iterable[ox.Quad]) -> Delta:
        """The change that turns ``before`` into ``after``."""
        old, new = set(before), set(after)
        return cls(frozenset(new - old), frozenset(old - new))

    def __bool__(self) -> bool:
        return bool(self._added or self._removed or self.loaded)

    def __repr__(self) -> str:
        return (
            f"Delta(added={len(self._added)}, removed={len(self._removed)}, loaded={self.loaded!r})"
        )

    def graphs(self) -> set[str]:
        """IRIs of the named graphs the change touches (the loaded ones without reading them)."""
        return set(self.loaded) | {
            q.graph_name.value
            for q in self._added | self._removed
            if isinstance(q.graph_name, ox.NamedNode)
        }


def _graph_name(graph: str | None) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if graph is None else ox.NamedNode(graph)


def delta_of_changes(store: Store, changes: Sequence[Change]) -> Delta:
    """The exact effect of Graph Store changes, computed before they are applied."""
    state: dict[str | None, set[ox.Quad]] = {}

    def current(graph: str | None) -> set[ox.Quad]:
        if graph not in state:
            state[graph] = set(store.match(graph=graph))
        return state[graph]

    before: dict[str | None, frozenset[ox.Quad]] = {}
    for change in changes:
        quads = current(change.graph)
        before.setdefault(change.graph, frozenset(quads))
        if isinstance(change, GraphDrop) or (isinstance(change, GraphChange) and change.replace):
            quads.clear()
        if isinstance(change, GraphChange):
            name = _graph_name(change.graph)
            quads.update(ox.Quad(t.subject, t.predicate, t.object, name) for t in change.triples)
    added: set[ox.Quad] = set()
    removed: set[ox.Quad] = set()
    for graph, old in before.items():
        step = Delta.between(old, state[graph])
        added |= step.added
        removed |= step.removed
    return Delta(frozenset(added), frozenset(removed))
