"""Clients' queries run in worker processes that can be stopped: the query time limit.

Each worker evaluates on a read-only snapshot of the store: a RocksDB checkpoint of a directory
store (hard links, cheap), or an N-Quads copy of a memory store. A snapshot is made on the
first query after a write (the writer tells the pool through ``committed``), so readers always
see one committed state. A query that runs past the time limit gets its worker killed with
SIGKILL, which frees everything it held, and a fresh worker takes its place; the other workers
go on serving.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from service import query_worker
from service.errors import QueryTimeout, WorkerProblem
from service.limits import Caps
from service.request_facts import note
from service.sparql.endpoint import Payload
from service.sparql.formats import FORMATS_BY_KIND
from service.sparql.protocol import QueryOperation
from service.store.oxigraph import OxigraphStore
from service.writes import Write, WriteContext, WriteResult

log = logging.getLogger("uvicorn.error")
_FORMATS = {fmt.name: fmt for formats in FORMATS_BY_KIND.values() for fmt in formats}


@dataclass
class _Worker:
    process: subprocess.Popen[bytes]
    conn: Connection
    snapshot: query_worker.Snapshot | None = None
    ready: bool = False

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Wait for the worker's first message (its imports done)."""
        if not self.ready and self.conn.poll(timeout):
            self.conn.recv()
            self.ready = True


@dataclass
class PoolStats:
    """Counts the metrics report."""

    timeouts: int = 0
    restarts: int = 0
    snapshots: int = 0


class QueryPool:
    """A fixed number of query worker processes with a time limit per query."""

    def __init__(self, store: OxigraphStore, processes: int, timeout: float) -> None:
        self.store = store
        self.timeout = timeout
        self.stats = PoolStats()
        if store.path is None:
            self._directory = Path(tempfile.mkdtemp(prefix="osaamiskartta-snapshots-"))
        else:
            # Left behind by a service that was killed (one process per store directory).
            for stale in store.path.parent.glob(f".{store.path.name}-snapshots-*"):
                shutil.rmtree(stale, ignore_errors=True)
            # Checkpoints are hard links: they must be on the store's file system.
            self._directory = Path(
                tempfile.mkdtemp(prefix=f".{store.path.name}-snapshots-", dir=store.path.parent)
            )
        self._version = 0
        self._snapshot: query_worker.Snapshot | None = None
        self._snapshot_lock = threading.Lock()
        self._threads = ThreadPoolExecutor(max_workers=processes, thread_name_prefix="pool")
        self._workers = [self._start() for _ in range(processes)]
        self._idle: asyncio.Queue[_Worker] | None = None
        self._closed = False

    # -- the writer's observer: a committed write makes the next query take a new snapshot
    def committed(self, write: Write, context: WriteContext, result: WriteResult) -> None:
        """Called by the writer after every commit."""
        self._version += 1

    def data_changed(self) -> None:
        """The store changed outside the writer (a restore)."""
        self._version += 1

    def _start(self) -> _Worker:
        parent, child = socket.socketpair()
        process = subprocess.Popen(
            [sys.executable, "-m", "service.query_worker", str(child.fileno())],
            pass_fds=(child.fileno(),),
            stdin=subprocess.DEVNULL,
        )
        child.close()
        return _Worker(process, Connection(parent.detach()))

    def wait_ready(self) -> None:
        """Block until every worker has started (the service is ready after that)."""
        for worker in self._workers:
            worker.wait_ready()

    async def run(
        self, op: QueryOperation, accept: str | None, base_iri: str | None, caps: Caps
    ) -> Payload:
        """Evaluate ``op`` in a worker; QueryTimeout (503) when it runs past the limit."""
        if self._idle is None:
            self._idle = asyncio.Queue()
            for worker in self._workers:
                self._idle.put_nowait(worker)
        worker = await self._idle.get()
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        try:
            worker, reply = await loop.run_in_executor(
                self._threads, self._call, worker, op, accept, base_iri, caps
            )
        finally:
            self._idle.put_nowait(worker)
            note("query_seconds", round(time.perf_counter() - started, 6))
        status, first, second = reply
        if status == "ok":
            return Payload(_FORMATS[str(first)], second)  # type: ignore[arg-type]
        if status == "problem":
            raise WorkerProblem(first, second)  # type: ignore[arg-type]
        raise RuntimeError(f"query worker failed: {first}")

    def _call(
        self,
        worker: _Worker,
        op: QueryOperation,
        accept: str | None,
        base_iri: str | None,
        caps: Caps,
    ) -> tuple[_Worker, query_worker.Reply]:
        snapshot = self._current_snapshot()
        request = query_worker.QueryRequest(snapshot, op, accept, base_iri, caps)
        worker.snapshot = snapshot
        try:
            worker.wait_ready()
            worker.conn.send(request)
            if worker.conn.poll(self.timeout):
                reply: query_worker.Reply = worker.conn.recv()
                if snapshot is not self._snapshot:
                    self._collect()
                return worker, reply
        except (EOFError, OSError) as exc:
            log.warning("query worker %s stopped: %s", worker.process.pid, exc)
            return self._replace(worker), (
                "problem",
                QueryTimeout("the query's worker stopped; try again").problem(),
                {},
            )
        self.stats.timeouts += 1
        log.warning("query stopped after %s s (worker %s killed)", self.timeout, worker.process.pid)
        return self._replace(worker), (
            "problem",
            QueryTimeout(
                f"the query ran longer than the limit of {self.timeout:g} s and was stopped; "
                "make it more selective (LIMIT, more specific patterns) or use the dumps"
            ).problem(),
            {"Retry-After": "1"},
        )

    def _replace(self, worker: _Worker) -> _Worker:
        worker.process.kill()
        worker.process.wait(timeout=10)
        worker.conn.close()
        self.stats.restarts += 1
        fresh = self._start() if not self._closed else worker
        self._workers = [fresh if w is worker else w for w in self._workers]
        self._collect()
        return fresh

    def _current_snapshot(self) -> query_worker.Snapshot:
        with self._snapshot_lock:
            version = self._version
            if self._snapshot is None or self._snapshot.version != version:
                target = self._directory / f"v{version}-{self.stats.snapshots}"
                location = self.store.snapshot(target)
                self.stats.snapshots += 1
                self._snapshot = query_worker.Snapshot(version, location)
            return self._snapshot

    def _collect(self) -> None:
        """Delete snapshots no worker has open any more."""
        with self._snapshot_lock:
            keep = {w.snapshot.location for w in self._workers if w.snapshot is not None}
            if self._snapshot is not None:
                keep.add(self._snapshot.location)
            for path in self._directory.iterdir():
                if not any(path == k or path in k.parents for k in keep):
                    shutil.rmtree(path, ignore_errors=True)

    def alive(self) -> bool:
        """True while every worker process runs."""
        return all(w.process.poll() is None for w in self._workers)

    def close(self) -> None:
        """Stop the workers and remove the snapshots."""
        self._closed = True
        for worker in self._workers:
            worker.conn.close()
            try:
                worker.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait(timeout=5)
        self._threads.shutdown(wait=False, cancel_futures=True)
        shutil.rmtree(self._directory, ignore_errors=True)
