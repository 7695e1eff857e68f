"""The embedded Store: pyoxigraph, persistent in a directory or in memory."""

from __future__ import annotations

import io
import uuid
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from operator import attrgetter
from pathlib import Path
from types import EllipsisType
from typing import IO

import pyoxigraph as ox

from service.errors import BadRequest, SyntaxProblem
from service.sparql.formats import Format
from service.sparql.functions import stand_ins
from service.store.base import (
    Change,
    FileLoad,
    GraphChange,
    GraphDrop,
    QueryDataset,
    has_blank_node,
)
from service.store.oxigraph_result import OxigraphResult, Term, rdf_format
from service.store.readgate import ReadGate

# Graphs that hold a write's blank-node triples between the two steps of ``apply``.
STAGING = "urn:x-osaamiskartta:staging:"


def _graph_name(graph: str | None) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if graph is None else ox.NamedNode(graph)


class OxigraphStore:
    """Store backed by pyoxigraph; ``path`` None keeps everything in memory."""

    def __init__(self, path: Path | None = None, *, engine: ox.Store | None = None) -> None:
        """A store in the directory ``path`` (created when missing), in memory, or around an
        already opened ``engine`` (then ``path`` stays None: nothing is written through it)."""
        if engine is not None:
            self._store = engine
        elif path is not None:
            path.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(path))
        else:
            self._store = ox.Store()
        self.path = None if engine is not None else path
        self._gate = ReadGate()
        if engine is None:
            self._drop_stages()
        # Extension functions for SPARQL (e.g. full-text search), by IRI.
        self.functions: dict[ox.NamedNode, Callable[..., Term | None]] = dict(stand_ins())

    @classmethod
    def read_only(cls, path: Path) -> OxigraphStore:
        """Open a snapshot directory that nobody writes (a query worker's view)."""
        return cls(engine=ox.Store.read_only(str(path)))

    @classmethod
    def from_nquads(cls, file: Path) -> OxigraphStore:
        """An in-memory store holding an N-Quads snapshot file."""
        store = cls(None)
        store._store.bulk_load(path=str(file), format=ox.RdfFormat.N_QUADS)
        return store

    def snapshot(self, target: Path) -> Path:
        """Write a consistent copy for readers elsewhere: a RocksDB checkpoint (hard links)
        of a directory store, an N-Quads file of a memory store. Returns what to open."""
        with self._gate.starting():
            if self.path is not None:
                self._store.backup(str(target))
                return target
            target.mkdir(parents=True)
            file = target / "snapshot.nq"
            self._store.dump(str(file), format=ox.RdfFormat.N_QUADS)
            return file

    def exclusive(self) -> AbstractContextManager[None]:
        return self._gate.closed()

    def reading_at_once(self) -> AbstractContextManager[bool]:
        return self._gate.at_once()

    def query(
        self, query: str, *, dataset: QueryDataset | None = None, base_iri: str | None = None
    ) -> OxigraphResult:
        try:
            with self._gate.starting():
                if dataset is None:
                    result = self._store.query(
                        query,
                        base_iri=base_iri,
                        use_default_graph_as_union=True,
                        custom_functions=self.functions or None,
                    )
                elif dataset.exclude and not (dataset.default_graphs or dataset.named_graphs):
                    kept: list[ox.NamedNode | ox.BlankNode] = [
                        ox.NamedNode(g) for g in self.named_graphs() if g not in dataset.exclude
                    ]
                    result = self._store.query(
                        query,
                        base_iri=base_iri,
                        default_graph=[ox.DefaultGraph(), *kept],
                        named_graphs=kept,
                        custom_functions=self.functions or None,
                    )
                else:
                    # Passing both lists makes the protocol dataset override FROM / FROM NAMED.
                    result = self._store.query(
                        query,
                        base_iri=base_iri,
                        default_graph=[
                            ox.NamedNode(g)
                            for g in dataset.default_graphs
                            if g not in dataset.exclude
                        ],
                        named_graphs=[
                            ox.NamedNode(g)
                            for g in dataset.named_graphs
                            if g not in dataset.exclude
                        ],
                        custom_functions=self.functions or None,
                    )
        except SyntaxError as exc:
            raise SyntaxProblem.from_exception(exc, "SPARQL query") from exc
        except ValueError as exc:
            raise BadRequest(str(exc)) from exc
        return OxigraphResult(result)

    def update(self, update: str, *, base_iri: str | None = None) -> None:
        try:
            self._store.update(update, base_iri=base_iri)
        except SyntaxError as exc:
            raise SyntaxProblem.from_exception(exc, "SPARQL update") from exc
        except (ValueError, RuntimeError, OSError) as exc:
            # Evaluation errors (CREATE of an existing graph, a failed LOAD, ...) are the
            # request's; the transaction was rolled back.
            raise BadRequest(f"update failed, nothing was changed: {exc}") from exc

    @property
    def keeps_blank_nodes(self) -> bool:
        return True

    def apply(self, changes: Sequence[Change]) -> None:
        if self._only_adds(changes):
            self._store.extend(_quads(changes))  # one transaction, without SPARQL parsing
            return
        # pyoxigraph runs one update as one transaction, so the whole change set becomes a
        # single update: either every graph changes or none does. Its INSERT DATA would give
        # blank nodes labels of its own, so the triples that have any are first put into
        # staging graphs (one extend, which keeps labels) and the update copies them over with
        # ADD, which copies the very nodes. Queries wait meanwhile; a crash between the two
        # steps leaves only staging graphs behind, which the next open drops.
        operations: list[str] = []
        staged: list[ox.Quad] = []
        stages: list[ox.NamedNode] = []
        for change in changes:
            target = "DEFAULT" if change.graph is None else f"GRAPH {ox.NamedNode(change.graph)}"
            if isinstance(change, GraphDrop):
                operations.append(f"DROP SILENT {target}")
                continue
            assert isinstance(change, GraphChange)
            if change.replace:
                operations.append(f"DROP SILENT {target}")
            if change.graph is not None:
                operations.append(f"CREATE SILENT {target}")
            ground = [t for t in change.triples if not has_blank_node(t)]
            if ground:
                body = (ox.serialize(ground, format=ox.RdfFormat.N_TRIPLES) or b"").decode()
                if change.graph is not None:
                    body = f"GRAPH {ox.NamedNode(change.graph)} {{\n{body}}}"
                operations.append(f"INSERT DATA {{\n{body}\n}}")
            if len(ground) < len(change.triples):
                stage = ox.NamedNode(f"{STAGING}{uuid.uuid4()}")
                stages.append(stage)
                staged += [
                    ox.Quad(t.subject, t.predicate, t.object, stage)
                    for t in change.triples
                    if has_blank_node(t)
                ]
                into = "DEFAULT" if change.graph is None else str(ox.NamedNode(change.graph))
                operations.append(f"ADD {stage} TO {into}")
        operations += [f"DROP GRAPH {stage}" for stage in stages]
        if not operations:
            return
        with self._gate.closed():
            if staged:
                self._store.extend(staged)
            try:
                self._store.update(" ;\n".join(operations))
            finally:
                for stage in stages:
                    if self._store.contains_named_graph(stage):
                        self._store.remove_graph(stage)

    def apply_difference(
        self,
        removed: Collection[ox.Quad],
        added: Collection[ox.Quad],
        graphs: Mapping[str, bool],
    ) -> None:
        # One update, so one transaction: on disk, each quad written costs far more than the
        # update's text, and a graph replaced by nearly the same triples changes a few.
        operations: list[str] = []
        if removed:
            operations.append(f"DELETE DATA {{\n{_data_block(removed)}\n}}")
        if added:
            operations.append(f"INSERT DATA {{\n{_data_block(added)}\n}}")
        for graph, exists in graphs.items():
            verb = "CREATE" if exists else "DROP"
            operations.append(f"{verb} SILENT GRAPH {ox.NamedNode(graph)}")
        if not operations:
            return
        with self._gate.closed():
            self._store.update(" ;\n".join(operations))

    def load_file(self, load: FileLoad) -> None:
        """Load a file with pyoxigraph's bulk loader: parsed natively, written straight into new
        files of the database, never held whole in memory (see ``BulkLoading``)."""
        graph = ox.NamedNode(load.graph)
        try:
            self._store.bulk_load(
                path=str(load.path),
                format=rdf_format(load.fmt),
                to_graph=graph,
                base_iri=graph.value,
            )
        except SyntaxError as exc:
            raise SyntaxProblem.from_exception(exc, load.fmt.name) from exc
        except ValueError as exc:
            raise SyntaxProblem(str(exc), language=load.fmt.name) from exc
        if not self._store.contains_named_graph(graph):
            self._store.add_graph(graph)  # an empty file still makes its (empty) graph

    def _only_adds(self, changes: Sequence[Change]) -> bool:
        """True when applying ``changes`` only adds triples: no graph they drop or replace
        exists yet, and every named graph they write gets triples (so no empty graph is
        created). Then one atomic extend does what the update would."""
        for change in changes:
            if not isinstance(change, GraphChange) or (
                change.graph is not None and not change.triples
            ):
                return False
            if change.replace and (
                change.graph is None or self._store.contains_named_graph(ox.NamedNode(change.graph))
            ):
                return False
        return True

    def _drop_stages(self) -> None:
        """Drop staging graphs a crash in the middle of ``apply`` left behind."""
        for graph in list(self._store.named_graphs()):
            if isinstance(graph, ox.NamedNode) and graph.value.startswith(STAGING):
                self._store.remove_graph(graph)

    def named_graphs(self) -> list[str]:
        return sorted(
            g.value
            for g in self._store.named_graphs()
            if isinstance(g, ox.NamedNode) and not g.value.startswith(STAGING)
        )

    def match(
        self,
        subject: ox.NamedNode | ox.BlankNode | None = None,
        predicate: ox.NamedNode | None = None,
        obj: ox.NamedNode | ox.BlankNode | ox.Literal | None = None,
        graph: str | EllipsisType | None = ...,
    ) -> list[ox.Quad]:
        graph_name = None if graph is ... else _graph_name(graph)  # type: ignore[arg-type]
        with self._gate.starting():
            return list(self._store.quads_for_pattern(subject, predicate, obj, graph_name))

    def iter_match(
        self,
        subject: ox.NamedNode | ox.BlankNode | None = None,
        predicate: ox.NamedNode | None = None,
        obj: ox.NamedNode | ox.BlankNode | ox.Literal | None = None,
        graph: str | EllipsisType | None = ...,
    ) -> Iterator[ox.Quad]:
        graph_name = None if graph is ... else _graph_name(graph)  # type: ignore[arg-type]
        with self._gate.starting():
            return self._store.quads_for_pattern(subject, predicate, obj, graph_name)

    def restore(self, remove: Sequence[ox.Quad], add: Sequence[ox.Quad]) -> None:
        # SPARQL's DATA blocks cannot name existing blank nodes, so this works quad by quad;
        # the writer lock and the read gate keep the intermediate states unseen.
        for quad in remove:
            self._store.remove(quad)
        for quad in add:
            self._store.add(quad)

    def has_graph(self, graph: str) -> bool:
        return self._store.contains_named_graph(ox.NamedNode(graph))

    def graph_triples(self, graph: str | None) -> list[ox.Triple]:
        with self._gate.starting():
            quads = list(self._store.quads_for_pattern(None, None, None, _graph_name(graph)))
        return [q.triple for q in quads]

    def iter_quads(self, graph: str) -> Iterator[ox.Quad]:
        with self._gate.starting():
            return self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph))

    def write_graph(self, output: IO[bytes], graph: str | None, fmt: Format) -> None:
        with self._gate.starting():  # the snapshot is taken here
            quads = self._store.quads_for_pattern(None, None, None, _graph_name(graph))
        ox.serialize(map(attrgetter("triple"), quads), output, format=rdf_format(fmt))

    def write_dump(self, output: IO[bytes], fmt: Format) -> None:
        with self._gate.starting():
            quads = self._store.quads_for_pattern(None, None, None, None)
        ox.serialize(quads, output, format=rdf_format(fmt))

    def serialize_graph(self, graph: str | None, fmt: Format) -> bytes:
        out = io.BytesIO()
        self.write_graph(out, graph, fmt)
        return out.getvalue()

    def dump(self, fmt: Format) -> bytes:
        out = io.BytesIO()
        self.write_dump(out, fmt)
        return out.getvalue()

    def close(self) -> None:
        if self.path is not None:
            self._store.flush()


def _data_block(quads: Collection[ox.Quad]) -> str:
    """The body of an INSERT DATA or DELETE DATA: the quads as N-Triples, graph by graph."""
    by_graph: defaultdict[ox.NamedNode | ox.BlankNode | ox.DefaultGraph, list[ox.Triple]]
    by_graph = defaultdict(list)
    for quad in quads:
        by_graph[quad.graph_name].append(quad.triple)
    parts = []
    for graph, triples in by_graph.items():
        body = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode()
        parts.append(body if isinstance(graph, ox.DefaultGraph) else f"GRAPH {graph} {{\n{body}}}")
    return "\n".join(parts)


def open_store(location: str) -> OxigraphStore:
    """Open the store named by a setting: ``memory`` or a directory path."""
    return OxigraphStore(None if location == "memory" else Path(location))


def _quads(changes: Sequence[Change]) -> list[ox.Quad]:
    """The changes' triples as quads of their graphs."""
    quads: list[ox.Quad] = []
    for change in changes:
        assert isinstance(change, GraphChange)
        graph = _graph_name(change.graph)
        quads += [ox.Quad(t.subject, t.predicate, t.object, graph) for t in change.triples]
    return quads
