"""The one way into the store for writes: SPARQL Update, Graph Store requests and file loads.

Every write becomes a ``Write`` value and passes through ``Writer.apply``, which holds the single
writer lock, runs the configured gates (e.g. SHACL validation, which may refuse with 422), then
commits atomically and notifies the observers (e.g. a provenance recorder). Routes and the
command line only build ``Write`` values; adding a gate never touches them.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from service.store.base import Change, GraphChange, GraphDrop, Store


@dataclass(frozen=True)
class SparqlUpdate:
    """A SPARQL 1.1 update, its dataset clauses already applied."""

    update: str
    base_iri: str | None = None


@dataclass(frozen=True)
class GraphWrite:
    """Replacements, additions and drops of whole graphs (Graph Store Protocol, loads)."""

    changes: tuple[Change, ...]


Write = SparqlUpdate | GraphWrite


@dataclass(frozen=True)
class WriteContext:
    """Who asked for a write and through which channel (for gates and provenance)."""

    channel: str  # "sparql-update", "graph-store", "load", "cli"
    description: str = ""


@dataclass(frozen=True)
class WriteResult:
    """What a committed write did that callers report back (e.g. 201 Created)."""

    created_graphs: tuple[str, ...] = ()
    dropped_graphs: tuple[str, ...] = ()
    missing_graphs: tuple[str, ...] = field(default=())


class WriteGate(Protocol):
    """Checks a write before it is committed; raises a ServiceError (e.g. ShapeViolation) to
    refuse it. Runs under the writer lock, so the store it sees is the one the write applies to."""

    def check(self, write: Write, context: WriteContext, store: Store) -> None:
        """Refuse the write by raising, or return to let it through."""
        ...


class WriteObserver(Protocol):
    """Told about every committed write (e.g. to record its provenance)."""

    def committed(self, write: Write, context: WriteContext, result: WriteResult) -> None:
        """Called under the writer lock after the commit."""
        ...


class Writer:
    """Serialises all writes to one store and commits each atomically."""

    def __init__(
        self,
        store: Store,
        gates: Sequence[WriteGate] = (),
        observers: Sequence[WriteObserver] = (),
    ) -> None:
        self.store = store
        self.gates = list(gates)
        self.observers = list(observers)
        self._lock = threading.Lock()

    def apply(self, write: Write, context: WriteContext) -> WriteResult:
        """Gate, commit and report one write; a write that raises has changed nothing."""
        with self._lock:
            for gate in self.gates:
                gate.check(write, context, self.store)
            if isinstance(write, SparqlUpdate):
                self.store.update(write.update, base_iri=write.base_iri)
                result = WriteResult()
            else:
                result = self._graph_result(write.changes)
                self.store.apply(write.changes)
            for observer in self.observers:
                observer.committed(write, context, result)
            return result

    def _graph_result(self, changes: Sequence[Change]) -> WriteResult:
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
        return WriteResult(tuple(created), tuple(dropped), tuple(missing))
