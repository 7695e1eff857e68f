"""Backup of the whole store to one N-Quads file, and restore from such a file.

A restore replaces every graph in one transaction (the store is as before or as after, never
in between) and goes through the writer, so it waits for other writes and moves the data
version on. The backup was a valid state, so it is not revalidated on the way back in.
"""

from __future__ import annotations

from typing import TypeVar

import pyoxigraph as ox

from service.errors import SyntaxProblem
from service.sparql.formats import N_QUADS, Format
from service.store.base import Change, GraphChange, GraphDrop, Store
from service.store.oxigraph_result import rdf_format
from service.writes import STARTUP, GraphWrite, WriteContext, Writer, WriteResult

# A subject or an object: a renamed term keeps its position's type.
_Term = TypeVar(
    "_Term",
    ox.NamedNode | ox.BlankNode | ox.Triple,
    ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple,
)


def backup(store: Store) -> bytes:
    """Every graph of the store as N-Quads."""
    return store.dump(N_QUADS)


def restore(
    writer: Writer, data: bytes, fmt: Format = N_QUADS, agent: str = "admin"
) -> WriteResult:
    """Replace the store's content with the dataset in ``data``. Raises SyntaxProblem."""
    try:
        quads = list(ox.parse(data, format=rdf_format(fmt)))
    except (SyntaxError, ValueError) as exc:
        raise SyntaxProblem(str(exc), language=fmt.name) from exc
    graphs: dict[str | None, list[ox.Triple]] = {}
    for quad in quads:
        name = quad.graph_name
        key = name.value if isinstance(name, ox.NamedNode) else None
        graphs.setdefault(key, []).append(quad.triple)
    # One update cannot share a blank node between graphs' blocks: each graph gets its own
    # (a blank node shared across graphs becomes one per graph).
    graphs = {g: _own_blank_nodes(t, i) for i, (g, t) in enumerate(graphs.items())}
    changes: list[Change] = [GraphDrop(g) for g in writer.store.named_graphs() if g not in graphs]
    if None not in graphs:
        changes.append(GraphDrop(None))
    changes += [GraphChange(g, tuple(t), replace=True) for g, t in graphs.items()]
    return writer.apply(GraphWrite(tuple(changes)), WriteContext(STARTUP, "restore", agent))


def _own_blank_nodes(triples: list[ox.Triple], index: int) -> list[ox.Triple]:
    def term(t: _Term) -> _Term:
        return ox.BlankNode(f"{t.value}g{index}") if isinstance(t, ox.BlankNode) else t

    return [ox.Triple(term(t.subject), t.predicate, term(t.object)) for t in triples]
