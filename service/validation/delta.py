"""What a write changes: the quads it adds and removes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from service.store.base import Change, GraphChange, GraphDrop, Store


@dataclass(frozen=True)
class Delta:
    """The quads a write adds and removes (each set disjoint from the other)."""

    added: frozenset[ox.Quad]
    removed: frozenset[ox.Quad]

    @classmethod
    def between(cls, before: Iterable[ox.Quad], after: Iterable[ox.Quad]) -> Delta:
        """The change that turns ``before`` into ``after``."""
        old, new = set(before), set(after)
        return cls(frozenset(new - old), frozenset(old - new))

    def __bool__(self) -> bool:
        return bool(self.added or self.removed)

    def graphs(self) -> set[str]:
        """IRIs of the named graphs the change touches."""
        return {
            q.graph_name.value
            for q in self.added | self.removed
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
