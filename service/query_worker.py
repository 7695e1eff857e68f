"""The query worker process: evaluates clients' SPARQL queries on a read-only snapshot.

It is a separate process so that a query running past the time limit can be killed (pyoxigraph
cannot be interrupted inside a thread) and its memory returned to the system. It answers one
request at a time over a socket and never writes. Messages both ways are frames: an 8-byte
big-endian length, then a pickle.
"""

from __future__ import annotations

import ctypes
import pickle
import signal
import socket
import struct
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from service.errors import ServiceError
from service.limits import Caps
from service.search.index import SearchIndex
from service.search.sparql_function import TEXT_SCORE, TextScore
from service.sparql.endpoint import evaluate
from service.sparql.protocol import QueryOperation
from service.store.oxigraph import OxigraphStore

T = TypeVar("T")
FRAME_HEADER = struct.Struct("!Q")
# Below this a frame is sent as one buffer; above, header and body go separately (no copy).
_JOIN_BELOW = 64 * 1024


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
    # The service's full-text index file, for okfn:textScore (None: the function answers
    # nothing; the service then runs text-search queries itself).
    search_index: str | None = None


# Replies: ("ok", (format name, CPU seconds it took or None), body) | ("problem", problem document,
# headers) | ("crash", text) | ("ready", None, None), sent once when the worker has started.
Reply = tuple[str, object, object]


def encode_frame(message: object) -> list[bytes]:
    """A message as the buffers of one frame."""
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    header = FRAME_HEADER.pack(len(body))
    return [header + body] if len(body) < _JOIN_BELOW else [header, body]


def send_frame(sock: socket.socket, message: object) -> None:
    """Send one message (blocking)."""
    for buffer in encode_frame(message):
        sock.sendall(buffer)


def _read_into(sock: socket.socket, view: memoryview) -> None:
    got = 0
    while got < len(view):
        n = sock.recv_into(view[got:])
        if n == 0:
            raise EOFError("the socket closed")
        got += n


def receive_frame(sock: socket.socket) -> object:
    """Receive one message (blocking); EOFError when the other end has closed. The peer sends
    one message and waits for the answer, so a frame never shares a read with the next one."""
    first = sock.recv(_JOIN_BELOW)
    if not first:
        raise EOFError("the socket closed")
    while len(first) < FRAME_HEADER.size:
        more = sock.recv(FRAME_HEADER.size - len(first))
        if not more:
            raise EOFError("the socket closed")
        first += more
    (size,) = FRAME_HEADER.unpack_from(first)
    end = FRAME_HEADER.size + size
    if len(first) >= end:  # the usual case: the whole frame in one read
        return pickle.loads(memoryview(first)[FRAME_HEADER.size : end])
    body = bytearray(size)
    have = len(first) - FRAME_HEADER.size
    body[:have] = first[FRAME_HEADER.size :]
    _read_into(sock, memoryview(body)[have:])
    return pickle.loads(body)


# How many times an extension function has been called in this process.
_extension_calls = [0]


def _counted(fn: Callable[..., T]) -> Callable[..., T]:
    """``fn``, counting its calls in ``_extension_calls``."""

    def call(*args: object) -> T:
        _extension_calls[0] += 1
        return fn(*args)

    return call


# How many times the full-text function was asked for without an index to answer it.
_unanswered_text_scores = [0]


def _no_index(*_: object) -> None:
    """okfn:textScore in a worker without the index (a memory store's is in the service's own
    process): noted, so that the query is sent back to be run there."""
    _unanswered_text_scores[0] += 1


def answer(store: OxigraphStore, request: QueryRequest) -> Reply:
    """Evaluate and serialise one query; client mistakes come back as problem documents. The
    CPU time it took comes back too, or None when it called an extension function: what those
    answer (the full-text index) is not the store's data, so the time is no guide to the next
    run's (service/routes/sparql.py). A query that asked for the full-text function when this
    worker has no index comes back as ``elsewhere``: the service's check of the query text
    (``uses_text_search``) can be evaded by spelling the function's IRI otherwise."""
    calls, unanswered = _extension_calls[0], _unanswered_text_scores[0]
    try:
        payload = evaluate(store, request.operation, request.accept, request.base_iri, request.caps)
        if _unanswered_text_scores[0] != unanswered:
            return ("elsewhere", None, None)
        seconds = payload.seconds if _extension_calls[0] == calls else None
        return ("ok", (payload.format.name, seconds), payload.body)
    except ServiceError as exc:
        if _unanswered_text_scores[0] != unanswered:
            return ("elsewhere", None, None)  # refused for what it did without the scores
        return ("problem", exc.problem(), exc.headers)
    except Exception as exc:  # reported to the service, which logs it as its own error
        return ("crash", f"{type(exc).__name__}: {exc}", None)


_text_scores: dict[str, TextScore] = {}


def _text_score(path: str) -> TextScore:
    """okfn:textScore over the index at ``path``, opened once: its matches for a text are kept
    until the service commits a change to the index (checked once per query)."""
    score = _text_scores.get(path)
    if score is None:
        score = _text_scores[path] = TextScore(SearchIndex.read_only(path))
    score.index.notice_changes()
    return score


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this worker when the service dies (even by kill -9), so that a
    runaway query does not outlive it; the socket closing covers an idle worker elsewhere."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def main(sock: socket.socket) -> None:
    """Serve requests until the socket closes."""
    _die_with_parent()
    try:
        send_frame(sock, ("ready", None, None))
    except OSError:
        return  # the service closed while this worker started
    store: OxigraphStore | None = None
    opened: Snapshot | None = None
    while True:
        try:
            # Not checked with isinstance: here the class is __main__'s, pickle's is the module's.
            request: QueryRequest = receive_frame(sock)  # type: ignore[assignment]
        except (EOFError, OSError):
            return
        if opened != request.snapshot:
            store = None  # release the old snapshot before opening the new one
            try:
                store = request.snapshot.open()
            except Exception as exc:
                send_frame(sock, ("crash", f"cannot open the snapshot: {exc}", None))
                continue
            opened = request.snapshot
            store.functions = {iri: _counted(fn) for iri, fn in store.functions.items()}
        assert store is not None
        if request.search_index is not None:
            store.functions[TEXT_SCORE] = _counted(_text_score(request.search_index))
        else:
            store.functions[TEXT_SCORE] = _counted(_no_index)
        try:
            send_frame(sock, answer(store, request))
        except OSError:
            return


if __name__ == "__main__":
    # Started by the pool as ``python -m service.query_worker FD``: FD is its end of a socket
    # pair. A fresh interpreter imports only what answering queries needs.
    main(socket.socket(fileno=int(sys.argv[1])))
