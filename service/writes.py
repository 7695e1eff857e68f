"""The one way into the store for writes: SPARQL Update, Graph Store requests and file loads.

Every write becomes a ``Write`` value and passes through ``Writer.apply``, which holds the single
writer lock, works out exactly what the write changes, has the quality gate validate that part
of the data, and commits only what passes; observers (provenance, data version) hear of every
committed write. Routes and the command line only build ``Write`` values.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, cast

import pyoxigraph as ox

from service.errors import Forbidden, ShapeViolation
from service.store.base import (
    BulkLoading,
    Change,
    DifferenceWriting,
    FileLoad,
    GraphChange,
    GraphDrop,
    Store,
    fresh_blank_nodes,
    has_blank_node,
)
from service.validation.delta import Delta, delta_of_changes
from service.validation.footprint import footprint_of_update
from service.validation.gate import QualityGate
from service.validation.report import lookup_labels, nodes_of, pending_labels
from service.validation.results import Report

log = logging.getLogger("uvicorn.error")


@dataclass(frozen=True)
class SparqlUpdate:
    """A SPARQL 1.1 update, its dataset clauses already applied."""

    update: str
    base_iri: str | None = None


@dataclass(frozen=True)
class GraphWrite:
    """Replacements, additions and drops of whole graphs (Graph Store Protocol, loads).

    ``loads`` are files the store's bulk loader puts into new graphs before ``changes`` are
    applied, so that a record of them among the changes is committed only once they are whole.
    They are neither atomic with the changes nor hidden from readers: only the loader asks for
    them, and only while nothing else reads the store (see service/loading.py).
    """

    changes: tuple[Change, ...]
    loads: tuple[FileLoad, ...] = ()


Write = SparqlUpdate | GraphWrite

# Writes from the service's own start-up load of the model files: never refused (the store is
# revalidated as a whole afterwards).
STARTUP = "startup"
# Channels through which clients write: they may not touch the graphs the service maintains.
CLIENT_CHANNELS = ("sparql-update", "graph-store")


@dataclass(frozen=True)
class WriteContext:
    """Who asked for a write and through which channel (for the gate and provenance)."""

    channel: str  # "sparql-update", "graph-store", "cli", "startup"
    description: str = ""
    agent: str = "anonymous"


@dataclass(frozen=True)
class WriteResult:
    """What a committed write did: graphs created or dropped, the change and its validation."""

    created_graphs: tuple[str, ...] = ()
    dropped_graphs: tuple[str, ...] = ()
    missing_graphs: tuple[str, ...] = field(default=())
    delta: Delta = field(default_factory=lambda: Delta(frozenset(), frozenset()))
    report: Report = field(default_factory=Report)


class WriteObserver(Protocol):
    """Told about every committed write (e.g. to record its provenance)."""

    def committed(self, write: Write, context: WriteContext, result: WriteResult) -> None:
        """Called under the writer lock after the commit."""
        ...


class Writer:
    """Serialises all writes to one store, validates each and commits it atomically."""

    def __init__(
        self,
        store: Store,
        gate: QualityGate | None = None,
        observers: Sequence[WriteObserver] = (),
    ) -> None:
        self.store = store
        self.gate = gate
        self.observers = list(observers)
        self._lock = threading.Lock()

    def busy(self) -> bool:
        """True while a write is under way, from its validation to its last observer."""
        return self._lock.locked()

    def apply(self, write: Write, context: WriteContext) -> WriteResult:
        """Validate and commit one write; a write that raises has changed nothing."""
        with self._lock:
            gated = self.gate is not None and context.channel != STARTUP
            protect = self.gate is not None and context.channel in CLIENT_CHANNELS
            if isinstance(write, SparqlUpdate):
                delta, report = self._update(write, gated, protect)
                result = WriteResult(delta=delta, report=report)
            else:
                result = self._graph_write(write, gated, protect)
            if self.gate is not None and any(map(self.gate.roles.is_model, result.delta.graphs())):
                self.gate.refresh()
            for observer in self.observers:
                try:
                    observer.committed(write, context, result)
                except Exception:
                    # The write has committed and stands: the client hears so, and the other
                    # observers still hear of it (the data version, the query workers'
                    # snapshot). What this one keeps (an index, the inferred graph) may lag
                    # until the service starts again and finds it stale.
                    log.exception("after a committed write, %s failed", type(observer).__name__)
            return result

    def _update(self, write: SparqlUpdate, gated: bool, protect: bool) -> tuple[Delta, Report]:
        footprint = footprint_of_update(write.update, write.base_iri)
        before = footprint.read(self.store)
        # The store runs the update with its own semantics; the footprint tells which quads to
        # compare, so the difference is exactly what it did. Queries do not start while a
        # refused update is still in the store. The gate's lock is taken first, in the order
        # the start-up revalidation takes both: holding the reads shut while waiting for the
        # gate would starve that revalidation of the reads it needs (a deadlock on a remote
        # store, where revalidating takes long enough to meet a write).
        validating = self.gate.lock if self.gate is not None else contextlib.nullcontext()
        with validating, self.store.exclusive():
            self.store.update(write.update, base_iri=write.base_iri)
            delta = Delta.between(before, footprint.read(self.store))
            if not gated or self.gate is None:
                return delta, Report()
            try:
                if protect:
                    # Naming one of the service's graphs is refused; ALL, NAMED and GRAPH ?g
                    # reach only the clients' graphs: the service's own are put back.
                    self._refuse_managed_graphs(footprint.named_graphs())
                    delta = self._keep_managed_graphs(delta)
                report = self.gate.validate(delta, pending=False)
                if not report.conforms:
                    raise ShapeViolation(report, lookup_labels(self.store, nodes_of(report)))
            except BaseException:
                self.store.restore(remove=tuple(delta.added), add=tuple(delta.removed))
                raise
            return delta, report

    def _graph_write(self, write: GraphWrite, gated: bool, protect: bool) -> WriteResult:
        if write.loads:
            return self._load_write(write, gated, protect)
        # From here on the blank nodes are the ones the store will hold: the gate judges them
        # as new nodes, and the delta the observers hear of names what is in the store.
        changes = fresh_blank_nodes(write.changes)
        created, dropped, missing = self._graph_effects(changes)
        delta = delta_of_changes(self.store, changes)
        report = Report()
        if protect:
            self._refuse_managed_graphs({c.graph for c in changes if c.graph is not None})
        if gated and self.gate is not None:
            report = self.gate.validate(delta, pending=True)
            if not report.conforms:
                labels = lookup_labels(self.store, nodes_of(report))
                raise ShapeViolation(report, pending_labels(labels, delta.added))
        delta = self._apply(changes, delta)
        return WriteResult(created, dropped, missing, delta, report)

    def _apply(self, changes: Sequence[Change], delta: Delta) -> Delta:
        """Apply the changes; return their delta as the store holds it. A store that names
        blank nodes itself (a remote engine) gave the new ones labels of its own: those
        triples are read back (the graphs' blank-node triples after the write, less those
        before), the rest is as computed."""
        if self.store.keeps_blank_nodes:
            if isinstance(self.store, DifferenceWriting) and _smaller_as_difference(changes, delta):
                self.store.apply_difference(delta.removed, delta.added, _graphs_after(changes))
            else:
                self.store.apply(changes)
            return delta
        # delta_of_changes names each quad's graph by IRI, or the default graph: never a blank node.
        graphs = {
            cast("ox.NamedNode | ox.DefaultGraph", q.graph_name)
            for q in delta.added
            if has_blank_node(q.triple)
        }
        before = {graph: _blank_quads(self.store, graph) for graph in graphs}
        self.store.apply(changes)
        if not graphs:
            return delta
        added = {q for q in delta.added if not has_blank_node(q.triple)}
        for graph in graphs:
            added |= _blank_quads(self.store, graph) - before[graph]
        return Delta(frozenset(added), delta.removed)

    def _load_write(self, write: GraphWrite, gated: bool, protect: bool) -> WriteResult:
        """Bulk-load the files, then apply the changes. Gated, the whole write is validated in
        the store afterwards (as an update is) and undone when refused."""
        store = self.store
        targets = tuple(load.graph for load in write.loads)
        if protect or not isinstance(store, BulkLoading):
            raise ValueError("only the loader bulk-loads files, and only into an embedded store")
        touched = {c.graph for c in write.changes}
        if len(set(targets)) != len(targets) or any(
            g in touched or store.has_graph(g) for g in targets
        ):
            raise ValueError("a bulk load goes into a new graph that no other change touches")
        changes = fresh_blank_nodes(write.changes)
        created, dropped, missing = self._graph_effects(changes)
        changed = delta_of_changes(store, changes)
        delta = Delta(changed.added, changed.removed, loaded=targets, store=store)
        report = Report()
        started: list[str] = []
        applied = False
        try:
            for load in write.loads:
                started.append(load.graph)
                store.load_file(load)
            store.apply(changes)
            applied = True
            if gated and self.gate is not None:
                report = self.gate.validate(delta, pending=False)
                if not report.conforms:
                    raise ShapeViolation(report, lookup_labels(store, nodes_of(report)))
        except BaseException:
            # Put the store back as it was: the loaded graphs (whole or half) go, and so does
            # what the changes did, graph by graph.
            undo: list[Change] = [GraphDrop(g) for g in started]
            if applied:
                store.restore(remove=tuple(changed.added), add=tuple(changed.removed))
                undo += [GraphDrop(g) for g in created]
                undo += [
                    GraphChange(g, (), replace=False) for g in dropped if not store.has_graph(g)
                ]
            store.apply(undo)
            raise
        return WriteResult((*targets, *created), dropped, missing, delta, report)

    def _keep_managed_graphs(self, delta: Delta) -> Delta:
        """Undo what ``delta`` did to the service's own graphs; the rest of it."""
        assert self.gate is not None
        roles = self.gate.roles

        def managed(quad: ox.Quad) -> bool:
            graph = quad.graph_name
            return isinstance(graph, ox.NamedNode) and roles.is_managed(graph.value)

        added = tuple(q for q in delta.added if managed(q))
        removed = tuple(q for q in delta.removed if managed(q))
        if not (added or removed):
            return delta
        self.store.restore(remove=added, add=removed)
        return Delta(delta.added - set(added), delta.removed - set(removed))

    def _refuse_managed_graphs(self, graphs: set[str]) -> None:
        assert self.gate is not None
        managed = sorted(g for g in graphs if self.gate.roles.is_managed(g))
        if managed:
            raise Forbidden(
                f"<{managed[0]}> is maintained by the service from its files and cannot be "
                "written by clients"
            )

    def _graph_effects(
        self, changes: Sequence[Change]
    ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        created: list[str] = []
        dropped: list[str] = []
        missing: list[str] = []
        for change in changes:
            if change.graph is None:
                continue
            exists = self.store.has_graph(change.graph)
            if isinstance(change, GraphChange) and not exists:
                created.append(change.graph)
            elif isinstance(change, GraphDrop):
                (dropped if exists else missing).append(change.graph)
        return tuple(created), tuple(dropped), tuple(missing)


def _smaller_as_difference(changes: Sequence[Change], delta: Delta) -> bool:
    """True when writing the delta's quads writes fewer than the changes would (a graph
    replaced by nearly the same triples), and the delta names no blank node (DELETE DATA
    cannot, and INSERT DATA would relabel them)."""
    written = sum(len(c.triples) for c in changes if isinstance(c, GraphChange))
    if len(delta.added) + len(delta.removed) >= written:
        return False
    return not any(has_blank_node(q.triple) for q in (*delta.added, *delta.removed))


def _graphs_after(changes: Sequence[Change]) -> dict[str, bool]:
    """Whether each named graph the changes name exists after them (the last change decides:
    a replacement or addition leaves its graph, even empty; a drop removes it)."""
    return {c.graph: isinstance(c, GraphChange) for c in changes if c.graph is not None}


def _blank_quads(store: Store, graph: ox.NamedNode | ox.DefaultGraph) -> set[ox.Quad]:
    """The quads of one graph that name a blank node."""
    name = graph.value if isinstance(graph, ox.NamedNode) else None
    return {q for q in store.match(graph=name) if has_blank_node(q.triple)}
