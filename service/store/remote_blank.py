"""Stored blank nodes on an engine that cannot name one (the ``standard`` dialect).

Reading: a pattern with a blank node is asked with any blank node in its place, and the quads
of the one sought are picked out by label. That needs the engine to show a node under the same
label in every answer (Oxigraph, Jena, GraphDB and Virtuoso do; SPARQL does not promise it).
The first such read checks it on a stored node, and an engine that does not is refused.

Writing: SPARQL has no syntax for a stored blank node, but a variable that a WHERE clause
binds to one is that very node in the templates of a DELETE/INSERT. So the nodes a write must
reach first get a handle: a triple with a fresh UUID, in a graph of the service's own, given to
every node that one of its triples matches. The service reads back which node got which UUID,
writes through ``GRAPH <handles> { ?b <handle> "…" }`` and drops the handles. A node with no
triple left gets a new one: the same graph but for that node's label, which later writes of the
same change are told of.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import pyoxigraph as ox

from service.errors import StoreFailure
from service.store.remote_results import term

if TYPE_CHECKING:
    from service.store.remote import RemoteStore

HANDLES = "urn:x-osaamiskartta:blank-node-handles"
HANDLE = ox.NamedNode("urn:x-osaamiskartta:handle")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
# Kept at most: nodes the service put back under a new label, old label to new.
RENAMED_ENTRIES = 10_000
# Stands for "any blank node" in a pattern. No engine's label can be this one: their labels are
# read with `-` replaced (remote_dialect.py).
ANY_BLANK = ox.BlankNode("any-blank-node")
UNSTABLE = (
    "the SPARQL engine does not show a blank node under the same label from one answer to the "
    "next, so the service cannot find a stored blank node again on it; use a dialect that can "
    "name stored blank nodes (OSAAMISKARTTA_REMOTE_DIALECT)"
)


def any_blank(term: object) -> object:
    """ANY_BLANK in place of a blank node."""
    return ANY_BLANK if isinstance(term, ox.BlankNode) else term


def fits(value: object, actual: object) -> bool:
    """Whether a term read fits a position of a pattern (None: any term; a set: any of it)."""
    if value == ANY_BLANK:
        return isinstance(actual, ox.BlankNode)
    if isinstance(value, frozenset):
        return actual in value
    return value is None or value == actual


def is_fixed(value: object) -> bool:
    """Whether a position of a pattern is one term (written into the pattern)."""
    return value is not None and value != ANY_BLANK and not isinstance(value, frozenset)


def blank_nodes(quad: ox.Quad) -> list[ox.BlankNode]:
    """The quad's blank nodes, subject first."""
    return [t for t in (quad.subject, quad.object) if isinstance(t, ox.BlankNode)]


def drop_leftover_handles(store: RemoteStore) -> None:
    """Drop the handles an undo left on the engine when the service did not live to drop them
    (queries of the union would see them); nothing on a dialect that names stored nodes."""
    if store.dialect.reference is None:
        store._send([f"DROP SILENT GRAPH {ox.NamedNode(HANDLES)}"])


class Handles:
    """Restores quads with blank nodes through handles; one per remote store."""

    def __init__(self, store: RemoteStore) -> None:
        self.store = store
        self.renamed: dict[ox.BlankNode, ox.BlankNode] = {}
        self.labels_checked = False

    def check_labels(self) -> None:
        """Refuse (StoreFailure) an engine that labels a stored blank node differently in two
        answers; checked once, when the engine holds a blank node with a named neighbour."""
        if self.labels_checked:
            return
        first = self.store._select(
            "SELECT * WHERE { GRAPH ?g { ?b ?p ?o } FILTER(isBlank(?b) && !isBlank(?o)) } LIMIT 1"
        )
        if not first:
            return
        row = first[0]
        g, p, o = (term(row[v]) for v in ("g", "p", "o"))
        again = self.store._select(
            f"SELECT ?b WHERE {{ GRAPH {g} {{ ?b {p} {o} }} FILTER(isBlank(?b)) }}"
        )
        if row["b"]["value"] not in {r["b"]["value"] for r in again}:
            raise StoreFailure(UNSTABLE)
        self.labels_checked = True

    def restore(self, remove: Sequence[ox.Quad], add: Sequence[ox.Quad]) -> None:
        """Remove ``remove`` and add ``add``, their blank nodes the very nodes stored."""
        remove = [self._current(q) for q in remove]
        add = [self._current(q) for q in add]
        store = self.store
        ground_remove = [q for q in remove if not blank_nodes(q)]
        operations = [f"DELETE DATA {{\n{store.text.quads(ground_remove)}}}"]
        blank_remove = [q for q in remove if blank_nodes(q)]
        blank_add = [q for q in add if blank_nodes(q)]
        if blank_remove or blank_add:
            operations.append(self._through_handles(blank_remove, blank_add))
            operations.append(f"DROP SILENT GRAPH {ox.NamedNode(HANDLES)}")
        ground_add = [q for q in add if not blank_nodes(q)]
        operations.append(f"INSERT DATA {{\n{store.text.quads(ground_add)}}}")
        store._send([op for op in operations if not op.endswith("{\n}")])

    def _current(self, quad: ox.Quad) -> ox.Quad:
        if not self.renamed or not blank_nodes(quad):
            return quad
        s, o = (
            self.renamed.get(t, t) if isinstance(t, ox.BlankNode) else t
            for t in (quad.subject, quad.object)
        )
        return ox.Quad(s, quad.predicate, o, quad.graph_name)  # type: ignore[arg-type]

    def _through_handles(self, remove: list[ox.Quad], add: list[ox.Quad]) -> str:
        """Give the nodes handles; the operation that writes through them."""
        nodes = list(dict.fromkeys(b for q in (*remove, *add) for b in blank_nodes(q)))
        known: dict[ox.BlankNode, list[ox.Quad]] = {}
        for quad in remove:  # in the store: each is a way to find its nodes
            for node in blank_nodes(quad):
                known.setdefault(node, []).append(quad)
        for node in nodes:
            if node not in known:
                found = self.store.match(node, None, None) or self.store.match(None, None, node)
                if found:
                    known[node] = found
        gone = {node: str(uuid.uuid4()) for node in nodes if node not in known}
        self._give_handles(known, gone)
        ids = self._read_handles(known, gone)
        where = " ".join(
            f'GRAPH {ox.NamedNode(HANDLES)} {{ ?b_{node.value} {HANDLE} "{ids[node]}" }}'
            for node in nodes
        )
        text = self.store.text.quads
        delete = f"DELETE {{\n{text(remove, variables=True)}}}\n" if remove else ""
        insert = f"INSERT {{\n{text(add, variables=True)}}}\n" if add else ""
        return f"{delete}{insert}WHERE {{ {where} }}"

    def _give_handles(
        self, known: dict[ox.BlankNode, list[ox.Quad]], gone: dict[ox.BlankNode, str]
    ) -> None:
        handles = ox.NamedNode(HANDLES)
        # Handles left by a write that failed half-way would be read as this one's.
        operations = [f"DROP SILENT GRAPH {handles}"]
        if known:
            patterns = " UNION ".join(
                f"{{ {self._pattern(_best(quads, node), node)} }}" for node, quads in known.items()
            )
            operations.append(
                f"INSERT {{ GRAPH {handles} {{ ?b {HANDLE} ?id }} }} WHERE {{\n"
                f"  {{ SELECT DISTINCT ?b WHERE {{ {{ {patterns} }} FILTER(isBlank(?b)) }} }}\n"
                "  BIND(STRUUID() AS ?id)\n}"
            )
        if gone:
            fresh = " ".join(f'_:{node.value} {HANDLE} "{id_}" .' for node, id_ in gone.items())
            operations.append(f"INSERT {{ GRAPH {handles} {{ {fresh} }} }} WHERE {{}}")
        self.store._send(operations)

    def _read_handles(
        self, known: dict[ox.BlankNode, list[ox.Quad]], gone: dict[ox.BlankNode, str]
    ) -> dict[ox.BlankNode, str]:
        """Each node's UUID; the new label of each node that had gone."""
        query = f"SELECT ?b ?id WHERE {{ GRAPH {ox.NamedNode(HANDLES)} {{ ?b {HANDLE} ?id }} }}"
        try:
            rows = self.store._select(query)
            handled = {row["id"]["value"]: ox.BlankNode(row["b"]["value"]) for row in rows}
            ids = {node: id_ for id_, node in handled.items()}
            missing = [node for node in known if node not in ids]
            if missing or any(id_ not in handled for id_ in gone.values()):
                raise StoreFailure(UNSTABLE)
        except BaseException:
            self.store._send([f"DROP SILENT GRAPH {ox.NamedNode(HANDLES)}"])
            raise
        if len(self.renamed) + len(gone) > RENAMED_ENTRIES:
            self.renamed.clear()
        for node, id_ in gone.items():
            self.renamed[node] = handled[id_]
            ids[node] = id_
        return ids

    def _pattern(self, quad: ox.Quad, node: ox.BlankNode) -> str:
        """The quad as a pattern that ``node``, as ``?b``, matches (other blank nodes: any)."""

        def text(term: object) -> str:
            if term == node:
                return "?b"
            return "[]" if isinstance(term, ox.BlankNode) else str(term)

        graph = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else None
        triple = f"{text(quad.subject)} {text(quad.predicate)} {text(quad.object)} .\n"
        return self.store.text.wrap(graph, triple)


def _best(quads: Iterable[ox.Quad], node: ox.BlankNode) -> ox.Quad:
    """The quad likely to match the fewest other nodes: a link from a named resource first,
    a value next, a type last."""

    def rank(quad: ox.Quad) -> int:
        other = quad.subject if quad.object == node else quad.object
        if isinstance(other, ox.BlankNode):
            return 3
        if quad.predicate == RDF_TYPE:
            return 2
        return 0 if isinstance(other, ox.NamedNode) and quad.object == node else 1

    return min(quads, key=rank)
