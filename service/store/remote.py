"""The remote Store: any SPARQL 1.1 engine over HTTP, behind the same interface as the
embedded one. Answers come back as pyoxigraph terms; writes are serialised by the service.

The embedded store's default graph is the union of every graph. Engines differ: Virtuoso's
default graph is the union of all its graphs, its own system graphs included, and it has no
default graph of its own, so a configured IRI stands for it; there the service sends every
query without a dataset of its own with the protocol dataset "all the service's graphs".
Other engines are set up with the union as their default graph (the ``standard`` and ``jena``
dialects); their own default graph is then read through the Graph Store Protocol (a query
sees the union), or, without a Graph Store URL, by queries.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from contextlib import AbstractContextManager
from functools import cache
from importlib.resources import files
from types import EllipsisType
from typing import cast

import pyoxigraph as ox

from service.named_queries.binding import bind
from service.sparql.formats import Format
from service.sparql.update_dataset import top_level_tokens
from service.store.base import Change, GraphChange, GraphDrop, QueryDataset
from service.store.oxigraph_result import OxigraphResult, rdf_format
from service.store.read_cache import ReadCache
from service.store.readgate import ReadGate
from service.store.remote_blank import ANY_BLANK, HANDLES, Handles, any_blank, fits, is_fixed
from service.store.remote_client import Answer, SparqlClient
from service.store.remote_dialect import Dialect
from service.store.remote_results import (
    GraphResult,
    query_result,
    results_document,
    term,
    triples,
)
from service.store.remote_text import UpdateText, with_base

SCHEME = "sparql+"
# Names no graph: an empty default graph or an empty set of named graphs in a protocol dataset.
NO_GRAPH = "urn:x-osaamiskartta:no-graph"
# How long the list of graphs and pattern matches are trusted when the service itself wrote
# nothing (writes made straight to the engine show after this).
CACHE_TTL = 5.0
CACHE_ENTRIES = 20_000
# Nodes read per request when a caller prefetches many (the IRIs go in the query's text).
PREFETCH_CHUNK = 100
Subject = ox.NamedNode | ox.BlankNode
Object = ox.NamedNode | ox.BlankNode | ox.Literal
# A position of a pattern: a term, any one of a set of terms (VALUES), or any term (None).
Position = Object | frozenset[Object] | None
Fact = tuple[Subject, ox.NamedNode, Object]


@cache
def rq(name: str) -> str:
    """The text of ``rq/{name}.rq``."""
    return (files("service.store") / "rq" / f"{name}.rq").read_text(encoding="utf-8")


def has_own_dataset(query: str) -> bool:
    """True when the query names its dataset (FROM or FROM NAMED outside any group)."""
    return any(t.text.upper() == "FROM" for t in top_level_tokens(query))


class RemoteStore:
    """A Store over a SPARQL 1.1 query endpoint, update endpoint and (optionally) graph store."""

    def __init__(
        self, client: SparqlClient, dialect: Dialect, default_graph: str | None = None
    ) -> None:
        self.client = client
        self.dialect = dialect
        self.default_graph = default_graph
        self.text = UpdateText(dialect, default_graph)
        self._gate = ReadGate()
        self._reads: ReadCache[list] = ReadCache(CACHE_TTL, CACHE_ENTRIES)
        self._handles = Handles(self)

    # Reads

    def query(
        self, query: str, *, dataset: QueryDataset | None = None, base_iri: str | None = None
    ) -> OxigraphResult | GraphResult:
        text = with_base(query, base_iri)
        excluded = set(dataset.exclude) if dataset is not None else set()
        if dataset is None and not has_own_dataset(query):
            dataset = self._union()
        elif (
            dataset is not None
            and dataset.exclude
            and not (dataset.default_graphs or dataset.named_graphs)
        ):
            dataset = self._union(force=True)
        defaults: tuple[str, ...] = ()
        named: tuple[str, ...] = ()
        if dataset is not None:
            defaults = tuple(g for g in dataset.default_graphs if g not in excluded) or (NO_GRAPH,)
            named = tuple(g for g in dataset.named_graphs if g not in excluded) or (NO_GRAPH,)
        with self._gate.starting():
            answer = self.client.query(text, defaults, named)
        return query_result(answer, self.dialect)

    def _union(self, force: bool = False) -> QueryDataset | None:
        """The protocol dataset that makes the default graph the union of the service's graphs,
        or None where the engine's own default graph is that union (unless ``force``)."""
        if not force and self.default_graph is None and not self.dialect.system_graphs:
            return None
        graphs = tuple(self.named_graphs())
        own = (self.default_graph,) if self.default_graph else ()
        return QueryDataset(default_graphs=own + graphs, named_graphs=graphs)

    def named_graphs(self) -> list[str]:
        return list(self._reads.get("graphs", self._read_graphs))

    def _read_graphs(self) -> list[str]:
        return sorted(
            row["g"]["value"]
            for row in self._select(rq("graphs"))
            if row["g"]["type"] == "uri" and self._is_service_graph(row["g"]["value"])
        )

    def _is_service_graph(self, graph: str) -> bool:
        return graph not in (self.default_graph, HANDLES) and not self.dialect.is_system_graph(
            graph
        )

    def has_graph(self, graph: str) -> bool:
        with self._gate.starting():
            answer = self.client.query(bind(rq("has_graph"), {"g": ox.NamedNode(graph)}))
        return bool(results_document(answer, self.dialect).get("boolean"))

    def match(
        self,
        subject: Subject | None = None,
        predicate: ox.NamedNode | None = None,
        obj: Object | None = None,
        graph: str | EllipsisType | None = ...,
    ) -> list[ox.Quad]:
        return self._kept((subject, predicate, obj, graph), self._match, subject, obj)

    def _kept(
        self, key: tuple, read: Callable[..., list[ox.Quad]], subject: object, obj: object
    ) -> list[ox.Quad]:
        """``read(*key)``, kept a while. An engine that cannot name a stored blank node is
        asked for any blank node in its place, and the quads of the one sought are picked."""
        blank = isinstance(subject, ox.BlankNode) or isinstance(obj, ox.BlankNode)
        if self.dialect.reference is not None or not blank:
            return list(self._reads.get(key, lambda: read(*key)))
        self._handles.check_labels()
        wide = tuple(any_blank(k) for k in key)
        quads = self._reads.get(wide, lambda: read(*wide))
        return [q for q in quads if subject in (None, q.subject) and obj in (None, q.object)]

    def _match(
        self,
        subject: Position,
        predicate: Position,
        obj: Position,
        graph: str | EllipsisType | None,
    ) -> list[ox.Quad]:
        positions = {"?s": subject, "?p": predicate, "?o": obj}
        if subject is None and predicate is None and obj is None:
            return self._whole(graph)
        if graph is None and self.default_graph is None:
            return self._from_default(rq("match_default"), positions)
        graph_iri = graph if graph is not None else cast(str, self.default_graph)
        quads = self._from_named(rq("match_named"), positions, graph_iri)
        if graph is ... and self.default_graph is None:
            quads += self._from_default(rq("match_default"), positions)
        return quads

    def match_predicates(self, predicates: Collection[ox.NamedNode], obj: Object) -> list[ox.Quad]:
        """One request per kind of graph (named, and the engine's own default graph when it
        has one) instead of one per predicate; kept like ``match``'s answers."""
        return self._kept((frozenset(predicates), obj), self._match_predicates, None, obj)

    def _match_predicates(self, predicates: frozenset[ox.NamedNode], obj: Object) -> list[ox.Quad]:
        return self._match(None, predicates, obj, ...) if predicates else []

    # Prefetching: a caller about to match many nodes one by one has them read in a few requests.

    def prefetch(
        self,
        nodes: Collection[Object],
        *,
        as_object: bool = False,
        predicate: ox.NamedNode | None = None,
        graph: str | EllipsisType | None = ...,
    ) -> None:
        """Keep ``match``'s answers for each of ``nodes`` as the subject (or the object) of a
        pattern with ``predicate`` in ``graph``."""

        def key(n: object) -> Hashable:
            return (None, predicate, n, graph) if as_object else (n, predicate, None, graph)

        def read(chunk: frozenset[Object]) -> list[ox.Quad]:
            if as_object:
                return self._match(None, predicate, chunk, graph)
            return self._match(chunk, predicate, None, graph)

        self._prefetch(nodes, key, read, as_object)

    def prefetch_pointing_at(
        self, objects: Collection[Object], predicates: Collection[ox.NamedNode]
    ) -> None:
        """Keep ``match_predicates``' answers for each of ``objects``."""
        chosen = frozenset(predicates)
        if chosen:
            self._prefetch(
                objects,
                lambda n: (chosen, n),
                lambda chunk: self._match(None, chosen, chunk, ...),
                True,
            )

    def _prefetch(
        self,
        nodes: Collection[Object],
        key: Callable[[object], Hashable],
        read: Callable[[frozenset[Object]], list[ox.Quad]],
        as_object: bool,
    ) -> None:
        # IRIs only: engines take stored blank nodes in a pattern, not in VALUES.
        wanted: list[Object] = sorted(
            {n for n in nodes if isinstance(n, ox.NamedNode) and not self._reads.has(key(n))},
            key=str,
        )
        for start in range(0, len(wanted), PREFETCH_CHUNK):
            chunk = wanted[start : start + PREFETCH_CHUNK]

            def answers(chunk: list[Object] = chunk) -> dict[Hashable, list[ox.Quad]]:
                found: dict[Hashable, list[ox.Quad]] = {key(n): [] for n in chunk}
                for quad in read(frozenset(chunk)):
                    found[key(quad.object if as_object else quad.subject)].append(quad)
                return found

            self._reads.keep(answers)

    def _from_named(
        self, query: str, positions: Mapping[str, Position], graph: str | EllipsisType
    ) -> list[ox.Quad]:
        """The quads of ``query`` over the named graphs (``graph``, or all but the engine's
        system graphs); the graph standing for the default graph comes back as the default."""
        fixed = {"?g": ox.NamedNode(graph)} if isinstance(graph, str) else {}
        quads: list[ox.Quad] = []
        for row in self._select(self._pattern(query, {**positions, **fixed})):
            name = graph if isinstance(graph, str) else row["g"]["value"]
            if name != self.default_graph and self.dialect.is_system_graph(name):
                continue
            graph_name = ox.DefaultGraph() if name == self.default_graph else ox.NamedNode(name)
            quads.append(ox.Quad(*self._triple(row, positions), graph_name))
        return quads

    def _from_default(self, query: str, positions: Mapping[str, Position]) -> list[ox.Quad]:
        """The triples of ``query`` (matching ``positions``) over the engine's own default
        graph. Where the engine's default graph is the union of its graphs, as the service
        needs, no query can read its own one: the Graph Store Protocol can, and does when
        configured (the graph is read whole, and kept)."""
        if self.client.endpoints.graph_store_url is None:
            rows = self._select(self._pattern(query, positions))
            return [ox.Quad(*self._triple(row, positions), ox.DefaultGraph()) for row in rows]
        return [
            ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
            for t in self._reads.get("default graph", lambda: self.graph_triples(None))
            if all(fits(value, actual) for value, actual in zip(positions.values(), t, strict=True))
        ]

    def _whole(self, graph: str | EllipsisType | None) -> list[ox.Quad]:
        """Whole graphs, read graph by graph as N-Triples (much faster than results)."""
        graphs: list[str | None] = [None, *self.named_graphs()] if graph is ... else [graph]  # type: ignore[list-item]
        quads: list[ox.Quad] = []
        for name in graphs:
            graph_name = ox.DefaultGraph() if name is None else ox.NamedNode(name)
            quads += [
                ox.Quad(t.subject, t.predicate, t.object, graph_name)
                for t in self.graph_triples(name)
            ]
        return quads

    def _pattern(self, query: str, positions: Mapping[str, Position]) -> str:
        """``query`` with its bound positions written in: a term into the pattern itself, a
        set of IRIs as VALUES, any blank node as a filter."""
        head, brace, pattern = query.partition("{")
        tail = ""
        for variable, value in positions.items():
            if value == ANY_BLANK:
                tail += f"FILTER(isBlank({variable})) "
            elif isinstance(value, frozenset):
                terms = " ".join(sorted(self.dialect.term(t) for t in value))
                tail += f"VALUES {variable} {{ {terms} }} "
            elif value is not None:
                pattern = pattern.replace(f"{variable} ", f"{self.dialect.term(value)} ", 1)  # type: ignore[arg-type]
        end = pattern.rindex("}")
        return head + brace + pattern[:end] + tail + pattern[end:]

    @staticmethod
    def _triple(row: dict, positions: Mapping[str, Position]) -> Fact:
        """The row's triple: fixed positions as asked, the others as the engine answered."""
        found = (
            positions[f"?{v}"] if is_fixed(positions[f"?{v}"]) else term(row[v]) for v in "spo"
        )
        return cast(Fact, tuple(found))

    def _select(self, query: str) -> list[dict]:
        with self._gate.starting():
            answer = self.client.query(query)
        return list(results_document(answer, self.dialect)["results"]["bindings"])

    def graph_triples(self, graph: str | None) -> list[ox.Triple]:
        name = self.default_graph if graph is None else graph
        with self._gate.starting():
            data = self.client.graph(name)
        if data is not None:
            return triples(Answer("application/n-triples", data), self.dialect)
        if name is None:
            query = rq("default_graph")
        else:
            query = bind(rq("graph"), {"g": ox.NamedNode(name)})
        with self._gate.starting():
            answer = self.client.query(query)
        return triples(answer, self.dialect)

    def serialize_graph(self, graph: str | None, fmt: Format) -> bytes:
        return ox.serialize(self.graph_triples(graph), format=rdf_format(fmt)) or b""

    def dump(self, fmt: Format) -> bytes:
        return ox.serialize(self._whole(...), format=rdf_format(fmt)) or b""

    # Writes: the service's Writer holds its lock around each of these.

    @property
    def keeps_blank_nodes(self) -> bool:
        # The engine gives inserted blank nodes identifiers of its own (SPARQL cannot choose
        # them); the writer reads a write's new ones back.
        return False

    def exclusive(self) -> AbstractContextManager[None]:
        return self._gate.closed()

    def update(self, update: str, *, base_iri: str | None = None) -> None:
        text = with_base(update, base_iri)
        try:
            self.client.update(text, self.default_graph)
        finally:
            self._reads.forget()

    def apply(self, changes: Sequence[Change]) -> None:
        operations: list[str] = []
        for change in changes:
            target = self.text.graph_ref(change.graph)
            if isinstance(change, GraphDrop) or (
                isinstance(change, GraphChange) and change.replace
            ):
                verb = "DROP" if change.graph else "CLEAR"
                operations.append(f"{verb} SILENT {target}")
            if isinstance(change, GraphChange):
                operations += self.text.inserts(change.graph, change.triples)
        self._send(operations)

    def restore(self, remove: Sequence[ox.Quad], add: Sequence[ox.Quad]) -> None:
        if self.dialect.reference is None:
            self._handles.restore(remove, add)
            return
        operations = [f"DELETE DATA {{\n{self.text.quads(remove)}}}"] if remove else []
        if add:
            operations.append(f"INSERT DATA {{\n{self.text.quads(add)}}}")
        self._send(operations)

    def _send(self, operations: list[str]) -> None:
        if not operations:
            return
        try:
            self.client.update(" ;\n".join(operations), self.default_graph)
        finally:
            self._reads.forget()

    def close(self) -> None:
        """Nothing to flush: the engine owns the data."""
