"""The text of the updates the remote store sends: where a graph's triples go, and how the
engine's dialect writes each term (a stored blank node included, where the dialect can)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from service.store.remote_dialect import Dialect

# Triples per INSERT DATA operation: engines parse long updates slowly or not at all.
CHUNK = 5000

Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(frozen=True)
class UpdateText:
    """Update text for one engine; ``default_graph`` stands for its default graph (Virtuoso
    has none of its own)."""

    dialect: Dialect
    default_graph: str | None = None

    def graph_ref(self, graph: str | None) -> str:
        """A graph as the target of DROP or CLEAR (None: the default graph)."""
        if graph is None:
            return f"GRAPH {ox.NamedNode(self.default_graph)}" if self.default_graph else "DEFAULT"
        return f"GRAPH {ox.NamedNode(graph)}"

    def wrap(self, graph: str | None, body: str) -> str:
        """``body`` inside the graph's GRAPH block (as it is for the default graph)."""
        name = self.default_graph if graph is None else graph
        return f"GRAPH {ox.NamedNode(name)} {{\n{body}}}" if name else body

    def inserts(self, graph: str | None, triples: Iterable[ox.Triple]) -> list[str]:
        """INSERT DATA for the ground triples, in chunks; the triples with blank nodes in one
        INSERT … WHERE {} (DATA blocks may not hold blank nodes on every engine; one template
        keeps each node one node)."""
        ground: list[ox.Triple] = []
        blank: list[ox.Triple] = []
        for t in triples:
            has_blank = isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)
            (blank if has_blank else ground).append(t)
        operations = []
        for i in range(0, len(ground), CHUNK):
            body = (
                ox.serialize(ground[i : i + CHUNK], format=ox.RdfFormat.N_TRIPLES) or b""
            ).decode()
            operations.append(f"INSERT DATA {{\n{self.wrap(graph, body)}}}")
        if blank:
            body = (ox.serialize(blank, format=ox.RdfFormat.N_TRIPLES) or b"").decode()
            operations.append(f"INSERT {{\n{self.wrap(graph, body)}}} WHERE {{}}")
        return operations

    def quads(self, quads: Sequence[ox.Quad], variables: bool = False) -> str:
        """The quads as triples in GRAPH blocks; with ``variables``, each blank node as the
        variable ``?b_LABEL`` (for a DELETE/INSERT template)."""

        def text(t: Term) -> str:
            if variables and isinstance(t, ox.BlankNode):
                return f"?b_{t.value}"
            return self.dialect.term(t)

        parts = []
        for graph, group in _by_graph(quads).items():
            lines = "".join(
                f"{text(t.subject)} {text(t.predicate)} {text(t.object)} .\n"  # type: ignore[arg-type]
                for t in group
            )
            parts.append(self.wrap(graph, lines))
        return "\n".join(parts)


def _by_graph(quads: Iterable[ox.Quad]) -> dict[str | None, list[ox.Triple]]:
    groups: dict[str | None, list[ox.Triple]] = defaultdict(list)
    for q in quads:
        name = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None
        groups[name].append(q.triple)
    return groups


def with_base(text: str, base_iri: str | None) -> str:
    """``text`` with its base IRI, on the first line, so that the engine's messages give the
    client's line numbers."""
    return f"BASE {ox.NamedNode(base_iri)} {text}" if base_iri else text
