"""The Store interface: everything the service asks of a quad store, and nothing more.

Terms and triples are pyoxigraph's types; formats are ``service.sparql.formats.Format``.
An implementation may be embedded (oxigraph.py) or a remote SPARQL 1.1 endpoint.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from pathlib import Path
from types import EllipsisType
from typing import IO, Protocol, cast, runtime_checkable

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Triple

from service.sparql.formats import Format, Kind


@dataclass(frozen=True)
class QueryDataset:
    """The protocol's RDF dataset (``default-graph-uri`` / ``named-graph-uri``).

    ``None`` means the service default: the default graph is the union of all graphs and every
    named graph is visible.
    """

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    # Graphs left out: with no lists above, the service default minus these (used to ask
    # for asserted triples only, without the inferred graph).
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class GraphChange:
    """Set a graph's content (``replace``) or add to it; ``graph`` None is the default graph.

    A store inserts the blank nodes under the labels given where it can (``keeps_blank_nodes``);
    labels parsed from a document are the document's, so writers first make them fresh with
    ``fresh_blank_nodes``.
    """

    graph: str | None
    triples: tuple[Triple, ...]
    replace: bool = True


@dataclass(frozen=True)
class GraphDrop:
    """Remove a named graph (or empty the default graph when ``graph`` is None)."""

    graph: str | None


Change = GraphChange | GraphDrop


def fresh_blank_nodes(changes: Sequence[Change]) -> tuple[Change, ...]:
    """The changes with every blank node renamed to a fresh one, no two changes sharing one.

    A document's blank-node labels are scoped to the document (two files' ``_:b0`` are two
    nodes, and neither is the store's ``_:b0``). Renamed before anything looks at them, the
    quads a write validates, inserts and reports to the maintainers are the same quads.
    """
    renamed: list[Change] = []
    for change in changes:
        if isinstance(change, GraphChange) and any(map(has_blank_node, change.triples)):
            fresh: dict[BlankNode, BlankNode] = {}
            triples = tuple(_renamed(t, fresh) for t in change.triples)
            renamed.append(replace(change, triples=triples))
        else:
            renamed.append(change)
    return tuple(renamed)


def subject_of(statement: Triple | Quad) -> NamedNode | BlankNode:
    """The subject of a triple or quad. pyoxigraph's stubs allow a triple term there (RDF-star);
    pyoxigraph 0.5 follows RDF 1.2, where only an object can be one, and refuses it."""
    return cast("NamedNode | BlankNode", statement.subject)


def has_blank_node(triple: Triple) -> bool:
    """True when the triple names a blank node (inside a triple term too)."""
    return any(
        isinstance(t, BlankNode) or (isinstance(t, Triple) and has_blank_node(t))
        for t in (triple.subject, triple.object)
    )


def _renamed(triple: Triple, fresh: dict[BlankNode, BlankNode]) -> Triple:
    def term(t: object) -> object:
        if isinstance(t, BlankNode):
            return fresh.setdefault(t, BlankNode())
        if isinstance(t, Triple):
            return _renamed(t, fresh)
        return t

    return Triple(term(triple.subject), triple.predicate, term(triple.object))  # type: ignore[arg-type]


@dataclass(frozen=True)
class FileLoad:
    """An RDF file to load, as it is, into a named graph that does not exist yet (its relative
    IRIs resolved against the graph's IRI)."""

    graph: str
    path: Path
    fmt: Format


class QueryResult(Protocol):
    """A query's answer; evaluation may be lazy until it is serialised."""

    @property
    def kind(self) -> Kind:
        """Bindings, boolean or graph."""
        ...

    def serialize(self, fmt: Format) -> bytes:
        """Write the whole result in ``fmt`` (which must suit ``kind``)."""
        ...


@runtime_checkable
class Store(Protocol):
    """A quad store with SPARQL 1.1 query and update."""

    @property
    def keeps_blank_nodes(self) -> bool:
        """True when ``apply`` stores blank nodes under the labels it is given, so a write's
        delta can be worked out before it is applied; False when the store names them itself
        (a remote engine), and the writer reads the new ones back."""
        ...

    def query(
        self, query: str, *, dataset: QueryDataset | None = None, base_iri: str | None = None
    ) -> QueryResult:
        """Evaluate a query; raises SyntaxProblem when it does not parse."""
        ...

    def update(self, update: str, *, base_iri: str | None = None) -> None:
        """Apply a SPARQL update atomically; raises SyntaxProblem when it does not parse."""
        ...

    def apply(self, changes: Sequence[Change]) -> None:
        """Apply graph replacements, additions and drops as one atomic write (blank nodes as
        given, see ``keeps_blank_nodes``)."""
        ...

    def named_graphs(self) -> list[str]:
        """IRIs of the named graphs in the store."""
        ...

    def match(
        self,
        subject: NamedNode | BlankNode | None = None,
        predicate: NamedNode | None = None,
        obj: NamedNode | BlankNode | Literal | None = None,
        graph: str | EllipsisType | None = ...,
    ) -> list[Quad]:
        """The quads matching a pattern; ``None`` matches anything, ``graph`` ``...`` is every
        graph and ``None`` the default graph."""
        ...

    def exclusive(self) -> AbstractContextManager[None]:
        """While held, no query starts: a write can be tried and undone unseen."""
        ...

    def restore(self, remove: Sequence[Quad], add: Sequence[Quad]) -> None:
        """Take quads out and put quads back exactly as given, blank nodes included (used to undo
        a write that its validation refused)."""
        ...

    def has_graph(self, graph: str) -> bool:
        """True when the named graph exists."""
        ...

    def graph_triples(self, graph: str | None) -> list[Triple]:
        """The triples of one graph (None: the default graph)."""
        ...

    def serialize_graph(self, graph: str | None, fmt: Format) -> bytes:
        """One graph in an RDF format."""
        ...

    def dump(self, fmt: Format) -> bytes:
        """The whole store in a dataset format (TriG or N-Quads)."""
        ...

    def close(self) -> None:
        """Flush and release the store."""
        ...


@runtime_checkable
class StreamingGraphs(Protocol):
    """A store that hands out a graph's quads as it reads them: a dump of a big graph then
    holds a few of them in memory at a time, not the graph."""

    def iter_quads(self, graph: str) -> Iterator[Quad]:
        """The quads of one named graph, read lazily."""
        ...


@runtime_checkable
class StreamingMatches(Protocol):
    """A store that hands out a pattern's quads as it reads them: a pass over millions of
    them (the inferred graph's recomputation) then holds a few in memory at a time."""

    def iter_match(
        self,
        subject: NamedNode | BlankNode | None = None,
        predicate: NamedNode | None = None,
        obj: NamedNode | BlankNode | Literal | None = None,
        graph: str | EllipsisType | None = ...,
    ) -> Iterator[Quad]:
        """Like ``match``, read lazily from a snapshot taken at the call."""
        ...


@runtime_checkable
class WritingOut(Protocol):
    """A store that serialises into a stream as it reads: a response can send a big graph or
    the whole store while it is written, from a snapshot taken at the start (a write waits
    for the start only, not for the client to finish reading)."""

    def write_graph(self, output: IO[bytes], graph: str | None, fmt: Format) -> None:
        """One graph (None: the default graph) in an RDF format."""
        ...

    def write_dump(self, output: IO[bytes], fmt: Format) -> None:
        """The whole store in a dataset format (TriG or N-Quads)."""
        ...


@runtime_checkable
class BulkLoading(Protocol):
    """A store that can load a file straight into a new graph with its own parser, without a
    transaction: readers could see the graph half-loaded, and a crash leaves it so. Only for a
    store nobody else reads meanwhile; the loader (service/loading.py) makes it crash-safe."""

    def load_file(self, load: FileLoad) -> None:
        """Load the file into its graph (created even when the file has no triples); raises
        SyntaxProblem when it does not parse, after which the graph may hold part of it."""
        ...


@runtime_checkable
class DifferenceWriting(Protocol):
    """A store that can write a change as the exact quads it removes and adds. Replacing a big
    graph whose content barely changed (a data file loaded again) then writes a few quads
    instead of deleting and inserting the whole graph."""

    def apply_difference(
        self,
        removed: Collection[Quad],
        added: Collection[Quad],
        graphs: Mapping[str, bool],
    ) -> None:
        """Remove and add the quads (none with a blank node), and make each named graph in
        ``graphs`` exist (True, even empty) or not (False), as one atomic write."""
        ...


@runtime_checkable
class MatchingPredicates(Protocol):
    """A store that matches several predicates in one read. A remote engine then answers one
    request where ``match`` would take one per predicate (the quality gate asks, for each node
    a change reaches, which of a few predicates point at it)."""

    def match_predicates(
        self, predicates: Collection[NamedNode], obj: NamedNode | BlankNode | Literal
    ) -> list[Quad]:
        """The quads of every graph whose predicate is one of ``predicates`` and whose object
        is ``obj``."""
        ...


@runtime_checkable
class Prefetching(Protocol):
    """A store whose reads are round trips to another server (it also matches predicates, see
    MatchingPredicates). A caller about to match many nodes one by one names them first; the
    store reads them a chunk per request and keeps the answers for those matches (``match``
    and ``match_predicates``) a few seconds, and not past the next write."""

    def prefetch(
        self,
        nodes: Collection[NamedNode | BlankNode | Literal],
        *,
        as_object: bool = False,
        predicate: NamedNode | None = None,
        graph: str | EllipsisType | None = ...,
    ) -> None:
        """Read ahead ``match(node, predicate, None, graph)`` for each node (with
        ``as_object``, ``match(None, predicate, node, graph)``)."""
        ...

    def prefetch_pointing_at(
        self,
        objects: Collection[NamedNode | BlankNode | Literal],
        predicates: Collection[NamedNode],
    ) -> None:
        """Read ahead ``match_predicates(predicates, obj)`` for each object."""
        ...


def prefetch(
    store: object,
    nodes: Collection[NamedNode | BlankNode | Literal],
    *,
    as_object: bool = False,
    predicate: NamedNode | None = None,
    graph: str | EllipsisType | None = ...,
) -> None:
    """``store.prefetch`` where the store prefetches; nothing elsewhere (reads are local)."""
    if nodes and isinstance(store, Prefetching):
        store.prefetch(nodes, as_object=as_object, predicate=predicate, graph=graph)


def prefetch_pointing_at(
    store: object,
    objects: Collection[NamedNode | BlankNode | Literal],
    predicates: Collection[NamedNode],
) -> None:
    """``store.prefetch_pointing_at`` where the store prefetches."""
    if objects and isinstance(store, Prefetching):
        store.prefetch_pointing_at(objects, predicates)


@runtime_checkable
class ReadingAtOnce(Protocol):
    """A store whose reads are calls into this process (no network): a read known to be cheap
    may run on the event loop, provided it can start without waiting for a write."""

    def reading_at_once(self) -> AbstractContextManager[bool]:
        """True when reads may start now (and the block's reads will not wait); False, having
        entered nothing, while a write holds them back."""
        ...
