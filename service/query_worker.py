"""The query worker process: evaluates clients' SPARQL queries on a read-only snapshot.

It is a separate process so that a query running past the time limit can be killed (pyoxigraph
cannot be interrupted inside a thread) and its memory returned to the system. It answers one
request at a time over a pipe and never writes.
"""

from __future__ import annotations

import ctypes
import signal
import sys
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from service.errors import ServiceError
from service.limits import Caps, serialize_capped
from service.sparql.conneg import negotiate
from service.sparql.formats import FORMATS_BY_KIND
from service.sparql.protocol import QueryOperation
from service.store.oxigraph import OxigraphStore


@dataclass(frozen=True)
class Snapshot:
    """A consistent copy of the store: a checkpoint directory or an N-Quads file."""

    version: int
    location: Path

    def open(self) -> OxigraphStore:
        """Open it read-only."""
        if self.location.is_dir():
            return OxigraphStore.read_only(self.location)
        return OxigraphStore.from_nquads(self.location)


@dataclass(frozen=True)
class QueryRequest:
    """What the worker needs to answer a query."""

    snapshot: Snapshot
    operation: QueryOperation
    accept: str | None
    base_iri: str | None
    caps: Caps


# Replies: ("ok", format name, body) | ("problem", problem document, headers) | ("crash", text)
Reply = tuple[str, object, object]


def answer(store: OxigraphStore, request: QueryRequest) -> Reply:
    """Evaluate and serialise one query; client mistakes come back as problem documents."""
    op = request.operation
    try:
        result = store.query(op.query, dataset=op.dataset, base_iri=request.base_iri)
        fmt = negotiate(request.accept, op.format, FORMATS_BY_KIND[result.kind])
        return ("ok", fmt.name, serialize_capped(result, fmt, request.caps))
    except ServiceError as exc:
        return ("problem", exc.problem(), exc.headers)
    except Exception as exc:  # reported to the service, which logs it as its own error
        return ("crash", f"{type(exc).__name__}: {exc}", None)


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this worker when the service dies (even by kill -9), so that a
    runaway query does not outlive it; the pipe closing covers an idle worker elsewhere."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def main(conn: Connection) -> None:
    """Serve requests until the pipe closes."""
    _die_with_parent()
    conn.send(("ready", None, None))
    store: OxigraphStore | None = None
    opened: Snapshot | None = None
    while True:
        try:
            request: QueryRequest = conn.recv()
        except (EOFError, OSError):
            return
        if opened != request.snapshot:
            store = None  # release the old snapshot before opening the new one
            try:
                store = request.snapshot.open()
            except Exception as exc:
                conn.send(("crash", f"cannot open the snapshot: {exc}", None))
                continue
            opened = request.snapshot
        assert store is not None
        conn.send(answer(store, request))


if __name__ == "__main__":
    # Started by the pool as ``python -m service.query_worker FD``: FD is its end of a socket
    # pair. A fresh interpreter imports only what answering queries needs.
    main(Connection(int(sys.argv[1])))
