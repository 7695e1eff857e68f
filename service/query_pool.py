"""Clients' queries run in worker processes that can be stopped: the query time limit.

Each worker evaluates on a read-only snapshot of the store (``service.snapshots``), made on the
first query after a write (the writer tells the pool through ``committed``). A query that runs
past the time limit gets its worker killed with SIGKILL, which frees everything it held, and a
fresh worker takes its place; the other workers go on serving.

The event loop talks to the workers itself: each worker's socket is an asyncio transport that
reads length-prefixed pickle frames, and the time limit is a timer on the loop. A query costs
no thread and no lock; only the rare blocking work (killing and starting a worker) runs in a
small thread pool.
"""

from __future__ import annotations

import asyncio
import logging
import pickle
import socket
import subprocess
import sys
import time
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, cast

from service.errors import QueryTimeout, WorkerProblem
from service.limits import Caps
from service.query_worker import FRAME_HEADER, QueryRequest, Reply, Snapshot, encode_frame
from service.request_facts import note
from service.snapshots import Snapshots
from service.sparql.endpoint import Payload
from service.sparql.formats import FORMATS_BY_KIND
from service.sparql.protocol import QueryOperation
from service.store.oxigraph import OxigraphStore
from service.writes import Write, WriteContext, WriteResult

log = logging.getLogger("uvicorn.error")
_FORMATS = {fmt.name: fmt for formats in FORMATS_BY_KIND.values() for fmt in formats}
_READY_TIMEOUT = 60.0
# A query whose client left is stopped (its worker killed and replaced) when it has run this
# long; a shorter one is let finish.
STOP_LEFT_AFTER = 1.0


class NeedsTextIndex(Exception):
    """The query asked for the full-text function, which the workers cannot answer without
    the index: it is to be run in the service's own process."""


@dataclass(eq=False)
class _Worker:
    """One worker process and the pool's end of its socket."""

    process: subprocess.Popen[bytes]
    sock: socket.socket
    transport: asyncio.Transport | None = None
    ready: asyncio.Future[None] | None = None
    snapshot: Snapshot | None = None
    # The request in flight: its reply and the timer that kills the worker at the limit.
    reply: asyncio.Future[Reply] | None = None
    deadline: asyncio.TimerHandle | None = None
    gone: bool = False


class _Channel(asyncio.Protocol):
    """Reads frames from one worker's socket and hands each message to the pool."""

    def __init__(self, pool: QueryPool, worker: _Worker) -> None:
        self.pool, self.worker = pool, worker
        self.buffer = bytearray()

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer
        buffer += data
        while len(buffer) >= FRAME_HEADER.size:
            (size,) = FRAME_HEADER.unpack_from(buffer)
            end = FRAME_HEADER.size + size
            if len(buffer) < end:
                return
            message = pickle.loads(buffer[FRAME_HEADER.size : end])
            del buffer[:end]
            self.pool._received(self.worker, message)

    def connection_lost(self, exc: Exception | None) -> None:
        self.pool._lost(self.worker)


@dataclass
class PoolStats:
    """Counts the metrics report."""

    timeouts: int = 0
    restarts: int = 0
    abandoned: int = 0


class QueryPool:
    """A fixed number of query worker processes with a time limit per query."""

    def __init__(
        self,
        store: OxigraphStore,
        processes: int,
        timeout: float,
        search_index: str | None = None,
    ) -> None:
        self.store = store
        self.timeout = timeout
        # The full-text index file the workers read for okfn:textScore (None: they have none).
        self.search_index = search_index
        self.stats = PoolStats()
        self._snapshots = Snapshots(
            store, lambda: (w.snapshot for w in self._workers if w.snapshot is not None)
        )
        self._threads = ThreadPoolExecutor(max_workers=2, thread_name_prefix="pool")
        self._workers = [self._spawn() for _ in range(processes)]
        # Idle workers are handed out last in, first out: with few clients one worker takes
        # most queries, and its engine's block cache stays warm for them.
        self._idle: asyncio.LifoQueue[_Worker] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

    # -- the writer's observer: a committed write makes the next query take a new snapshot
    def committed(self, write: Write, context: WriteContext, result: WriteResult) -> None:
        """Called by the writer after every commit."""
        self._snapshots.changed()

    def data_changed(self) -> None:
        """The store changed outside the writer (a restore)."""
        self._snapshots.changed()

    @property
    def snapshots_are_cheap(self) -> bool:
        """True for a directory store (a snapshot is a checkpoint of hard links); a memory
        store's snapshot is a copy of all its data."""
        return self.store.path is not None

    @property
    def version(self) -> int:
        """The data version: moves on with every commit (answers are keyed by it)."""
        return self._snapshots.version

    # -- the workers' lifecycle ---------------------------------------------------------

    def _spawn(self) -> _Worker:
        """Start a worker process (blocking: a fork and exec)."""
        parent, child = socket.socketpair()
        process = subprocess.Popen(
            [sys.executable, "-m", "service.query_worker", str(child.fileno())],
            pass_fds=(child.fileno(),),
            stdin=subprocess.DEVNULL,
        )
        child.close()
        return _Worker(process, parent)

    async def _attach(self, worker: _Worker) -> None:
        """Read the worker's socket on the event loop; it joins the idle ones once ready."""
        loop = asyncio.get_running_loop()
        worker.ready = loop.create_future()
        worker.sock.setblocking(False)
        transport, _ = await loop.create_unix_connection(
            lambda: _Channel(self, worker), sock=worker.sock
        )
        worker.transport = transport  # type: ignore[assignment]

    async def _start(self) -> asyncio.LifoQueue[_Worker]:
        if self._idle is None:
            self._idle = asyncio.LifoQueue()
            await asyncio.gather(*(self._attach(w) for w in self._workers))
        return self._idle

    async def wait_ready(self, timeout: float = _READY_TIMEOUT) -> None:
        """Wait until every worker has started (the service is ready after that)."""
        await self._start()
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            pending = [w.ready for w in self._workers if w.ready and not w.ready.done()]
            if not pending:
                return
            await asyncio.wait(pending, timeout=remaining)

    def _received(self, worker: _Worker, message: Reply) -> None:
        """A frame from a worker: its start-up greeting or the answer to its request."""
        if worker.gone:
            return
        reply, worker.reply = worker.reply, None
        if reply is None:
            if message[0] == "ready" and worker.ready is not None and not worker.ready.done():
                worker.ready.set_result(None)
                assert self._idle is not None
                self._idle.put_nowait(worker)
            return
        if worker.deadline is not None:
            worker.deadline.cancel()
            worker.deadline = None
        if not reply.done():  # else its client went away; the worker is free again all the same
            reply.set_result(message)
        assert self._idle is not None
        self._idle.put_nowait(worker)

    def _lost(self, worker: _Worker) -> None:
        """A worker's socket closed: the process died (or the pool is closing)."""
        if worker.gone or self._closed:
            return
        log.warning("query worker %s stopped", worker.process.pid)
        stopped = QueryTimeout("the query's worker stopped; try again")
        self._retire(worker, ("problem", stopped.problem(), {}))

    def _expire(self, worker: _Worker) -> None:
        """The time limit passed with the worker still busy: kill it, start another."""
        if worker.gone or worker.reply is None:
            return
        self.stats.timeouts += 1
        log.warning("query stopped after %s s (worker %s killed)", self.timeout, worker.process.pid)
        problem = QueryTimeout(
            f"the query ran longer than the limit of {self.timeout:g} s and was stopped; "
            "make it more selective (LIMIT, more specific patterns) or use the dumps"
        ).problem()
        self._retire(worker, ("problem", problem, {"Retry-After": "1"}))

    def _retire(self, worker: _Worker, answer: Reply) -> None:
        worker.gone = True
        reply, worker.reply = worker.reply, None
        if worker.deadline is not None:
            worker.deadline.cancel()
            worker.deadline = None
        if worker.ready is not None and not worker.ready.done():
            worker.ready.set_result(None)
        if worker.transport is not None:
            worker.transport.abort()
        self._background(self._replace(worker, reply, answer))

    async def _replace(
        self, worker: _Worker, reply: asyncio.Future[Reply] | None, answer: Reply
    ) -> None:
        loop = asyncio.get_running_loop()
        try:
            fresh = await loop.run_in_executor(self._threads, self._kill_and_spawn, worker)
        finally:
            # Answered once the fresh process runs: the killed one is gone by then.
            if reply is not None and not reply.done():
                reply.set_result(answer)
        if fresh is None:
            return
        self._workers = [fresh if w is worker else w for w in self._workers]
        self._snapshots.collect()
        await self._attach(fresh)

    def _kill_and_spawn(self, worker: _Worker) -> _Worker | None:
        worker.process.kill()
        worker.process.wait(timeout=10)
        self.stats.restarts += 1
        return None if self._closed else self._spawn()

    def _background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- queries ------------------------------------------------------------------------

    async def run(
        self, op: QueryOperation, accept: str | None, base_iri: str | None, caps: Caps
    ) -> Payload:
        """Evaluate ``op`` in a worker; QueryTimeout (503) when it runs past the limit."""
        idle = self._idle if self._idle is not None else await self._start()
        worker = await idle.get()
        while worker.gone:
            worker = await idle.get()
        started = time.perf_counter()
        try:
            snapshot = await self._snapshots.latest()
        except BaseException:
            idle.put_nowait(worker)
            raise
        loop = asyncio.get_running_loop()
        switched = worker.snapshot is not None and worker.snapshot is not snapshot
        worker.snapshot = snapshot
        if switched:
            self._snapshots.collect()
        frame = encode_frame(QueryRequest(snapshot, op, accept, base_iri, caps, self.search_index))
        reply: asyncio.Future[Reply] = loop.create_future()
        worker.reply = reply
        worker.deadline = loop.call_later(self.timeout, self._expire, worker)
        assert worker.transport is not None
        worker.transport.writelines(frame)
        try:
            status, first, second = await reply
        except asyncio.CancelledError:
            # The client left: a query that has run a while is stopped rather than left to
            # hold the worker for an answer nobody reads; a short one finishes and frees it.
            if worker.reply is reply and time.perf_counter() - started > STOP_LEFT_AFTER:
                self.stats.abandoned += 1
                self._retire(worker, ("problem", QueryTimeout("the client left").problem(), {}))
            raise
        finally:
            note("query_seconds", round(time.perf_counter() - started, 6))
        if status == "ok":
            name, seconds = cast(tuple[str, float | None], first)
            return Payload(_FORMATS[name], cast(bytes, second), seconds)
        if status == "problem":
            raise WorkerProblem(first, second)  # type: ignore[arg-type]
        if status == "elsewhere":
            raise NeedsTextIndex
        raise RuntimeError(f"query worker failed: {first}")

    def alive(self) -> bool:
        """True while every worker process runs."""
        return all(w.process.poll() is None for w in self._workers)

    def close(self) -> None:
        """Stop the workers and remove the snapshots."""
        self._closed = True
        for task in self._tasks:
            task.cancel()
        for worker in self._workers:
            if worker.deadline is not None:
                worker.deadline.cancel()
            # End of input tells an idle worker to exit; the transport closes only later.
            try:
                worker.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                worker.process.terminate()
            if worker.transport is not None:
                worker.transport.close()
        for worker in self._workers:
            try:
                worker.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait(timeout=5)
        self._threads.shutdown(wait=False, cancel_futures=True)
        self._snapshots.close()
