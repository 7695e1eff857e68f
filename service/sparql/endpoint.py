"""Executing protocol operations against the store: the domain side of /sparql and /update."""

from __future__ import annotations

import time
from dataclasses import dataclass

from service.limits import Caps, serialize_capped
from service.sparql.conneg import negotiate
from service.sparql.formats import FORMATS_BY_KIND, Format
from service.sparql.protocol import QueryOperation, UpdateOperation
from service.sparql.update_dataset import apply_update_dataset
from service.store.base import Store
from service.store.oxigraph import OxigraphStore
from service.writes import SparqlUpdate, WriteContext, Writer, WriteResult


@dataclass(frozen=True)
class Payload:
    """A serialised answer and its format."""

    format: Format
    body: bytes
    # The CPU time its evaluation and serialisation took, where measured (``evaluate``); None
    # when that time is no guide to the next run's (service/query_worker.py).
    seconds: float | None = None


def run_query(
    store: Store, op: QueryOperation, accept: str | None, base_iri: str | None = None
) -> Payload:
    """Evaluate a query and serialise it in the negotiated format (blocking; run it in an
    executor). Raises SyntaxProblem, BadRequest or NotAcceptable."""
    result = store.query(op.query, dataset=op.dataset, base_iri=base_iri)
    fmt = negotiate(accept, op.format, FORMATS_BY_KIND[result.kind])
    return Payload(fmt, result.serialize(fmt))


def evaluate(
    store: OxigraphStore,
    op: QueryOperation,
    accept: str | None,
    base_iri: str | None,
    caps: Caps | None,
) -> Payload:
    """Evaluate a client's query on an embedded store, serialised within the caps (None: a
    query known to be small), timed in CPU seconds of the calling thread (blocking). Raises
    ServiceError for the client's mistakes and for an answer beyond the caps."""
    start = time.thread_time()
    result = store.query(op.query, dataset=op.dataset, base_iri=base_iri)
    fmt = negotiate(accept, op.format, FORMATS_BY_KIND[result.kind])
    body = result.serialize(fmt) if caps is None else serialize_capped(result, fmt, caps)
    return Payload(fmt, body, time.thread_time() - start)


def run_update(
    writer: Writer, op: UpdateOperation, base_iri: str | None = None, agent: str = "anonymous"
) -> WriteResult:
    """Apply an update through the writer (blocking). Raises SyntaxProblem or BadRequest."""
    update = apply_update_dataset(op.update, op.using_graphs, op.using_named_graphs)
    return writer.apply(SparqlUpdate(update, base_iri), WriteContext("sparql-update", agent=agent))
