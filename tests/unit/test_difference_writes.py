"""A graph replaced by nearly the same triples is written as its difference: the writer hands
the store the few quads removed and added instead of the whole graph, and the store ends as
the replacement would leave it, graphs created, emptied and dropped included."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox
import pytest

from service.store.base import Change, GraphChange, GraphDrop
from service.store.oxigraph import OxigraphStore
from service.writes import GraphWrite, Write, WriteContext, Writer, WriteResult

EX = "https://example.org/"
BIG = f"{EX}graph/data/big"
SMALL = f"{EX}graph/data/small"
NEW = f"{EX}graph/data/new"
LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")


class CountingStore(OxigraphStore):
    """An on-disk store that counts how its writes arrive."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.differences: list[tuple[int, int]] = []

    def apply_difference(
        self,
        removed: Collection[ox.Quad],
        added: Collection[ox.Quad],
        graphs: Mapping[str, bool],
    ) -> None:
        self.differences.append((len(removed), len(added)))
        super().apply_difference(removed, added, graphs)


def labels(count: int, changed: Collection[int] = ()) -> tuple[ox.Triple, ...]:
    """``count`` labelled things; those in ``changed`` with another label."""
    return tuple(
        ox.Triple(
            ox.NamedNode(f"{EX}id/thing/{n}"),
            LABEL,
            ox.Literal(f"Asia {n}{' (uusi)' if n in changed else ''}", language="fi"),
        )
        for n in range(count)
    )


def state(store: OxigraphStore) -> tuple[set[ox.Quad], list[str]]:
    return set(store.match()), store.named_graphs()


def written(store: CountingStore, changes: Sequence[Change]) -> CountingStore:
    Writer(store).apply(GraphWrite(tuple(changes)), WriteContext("cli"))
    return store


@pytest.fixture
def stores(tmp_path: Path) -> tuple[CountingStore, OxigraphStore]:
    """The same starting data in a store the writer writes and one written directly."""
    start = [GraphChange(BIG, labels(500)), GraphChange(SMALL, labels(3))]
    counted = CountingStore(tmp_path / "counted")
    reference = OxigraphStore(tmp_path / "reference")
    for store in (counted, reference):
        store.apply(start)
    return counted, reference


def test_nearly_the_same_graph_is_written_as_its_difference(
    stores: tuple[CountingStore, OxigraphStore],
) -> None:
    counted, reference = stores
    changes = [
        GraphChange(BIG, labels(501, changed={7, 300}), replace=True),
        GraphDrop(SMALL),
        GraphChange(NEW, (), replace=True),
    ]
    written(counted, changes)
    reference.apply(changes)
    # Two labels replaced and one thing added; the small graph's three triples removed.
    assert counted.differences == [(5, 3)]
    assert state(counted) == state(reference)
    assert NEW in counted.named_graphs() and SMALL not in counted.named_graphs()
    assert len(counted.match(graph=BIG)) == 501


def test_a_graph_replaced_by_other_triples_is_written_whole(
    stores: tuple[CountingStore, OxigraphStore],
) -> None:
    counted, reference = stores
    other = tuple(ox.Triple(t.subject, ox.NamedNode(f"{EX}name"), t.object) for t in labels(500))
    changes = [GraphChange(BIG, other, replace=True)]
    written(counted, changes)
    reference.apply(changes)
    assert counted.differences == []
    assert state(counted) == state(reference)


def test_blank_nodes_in_the_difference_take_the_whole_write(
    stores: tuple[CountingStore, OxigraphStore],
) -> None:
    counted, _ = stores
    anonymous = ox.Triple(ox.BlankNode(), LABEL, ox.Literal("Nimetön", language="fi"))
    changes = [GraphChange(BIG, (*labels(500), anonymous), replace=True)]
    written(counted, changes)
    assert counted.differences == []
    quads = counted.match(graph=BIG)
    assert len(quads) == 501
    assert sum(isinstance(q.subject, ox.BlankNode) for q in quads) == 1


def test_an_observer_that_fails_leaves_the_write_standing_and_the_others_told() -> None:
    """The write has committed when observers hear of it: a failing one is logged, the
    client is told the write stands, and the observers after it still hear of it."""
    store = OxigraphStore(None)
    heard: list[WriteResult] = []

    class Failing:
        def committed(self, write: Write, context: WriteContext, result: WriteResult) -> None:
            raise RuntimeError("an index that cannot keep up")

    class Listening:
        def committed(self, write: Write, context: WriteContext, result: WriteResult) -> None:
            heard.append(result)

    triple = ox.Triple(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("x"))
    writer = Writer(store, observers=[Failing(), Listening()])
    result = writer.apply(
        GraphWrite((GraphChange("http://e/g", (triple,), replace=True),)), WriteContext("cli")
    )
    assert heard == [result]
    assert store.match(graph="http://e/g") == [ox.Quad(*triple, ox.NamedNode("http://e/g"))]
