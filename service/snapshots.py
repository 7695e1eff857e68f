"""Read-only snapshots of the store for the query workers, one per data version.

A snapshot is a RocksDB checkpoint of a directory store (hard links, cheap) or an N-Quads copy
of a memory store. One is made on the first query after a write, so readers always see one
committed state; concurrent queries share it. A snapshot is deleted once no worker uses it.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from service.query_worker import Snapshot
from service.store.oxigraph import OxigraphStore


@dataclass
class _Making:
    """A snapshot being made for one data version."""

    version: int
    target: Path
    future: asyncio.Future[Snapshot] = field(repr=False)


class Snapshots:
    """The snapshots of one store; ``in_use`` names those the workers hold."""

    def __init__(self, store: OxigraphStore, in_use: Callable[[], Iterable[Snapshot]]) -> None:
        self.store = store
        self._in_use = in_use
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
        # The data version: moves on with every commit.
        self.version = 0
        self._current: Snapshot | None = None
        self._making: _Making | None = None
        self._in_progress: set[Path] = set()
        self._targets = 0
        # Made one at a time (a new one is wanted only after a write), never while one is
        # being deleted.
        self._lock = threading.Lock()
        self._threads = ThreadPoolExecutor(max_workers=1, thread_name_prefix="snapshots")
        self._closed = False

    def changed(self) -> None:
        """The store changed: the next query gets a new snapshot."""
        self.version += 1

    async def latest(self) -> Snapshot:
        """A snapshot of the current data version; concurrent callers share one."""
        current = self._current
        if current is not None and current.version == self.version:
            return current
        version = self.version
        making = self._making
        if making is None or making.version != version:
            loop = asyncio.get_running_loop()
            self._targets += 1
            target = self._directory / f"v{version}-{self._targets}"
            self._in_progress.add(target)
            future = loop.run_in_executor(self._threads, self._make, version, target)
            making = self._making = _Making(version, target, future)
            future.add_done_callback(lambda f, m=making: self._made(m))  # type: ignore[misc]
        # Adopted here too: when the future is already done, awaiting it does not wait for
        # its done callback.
        self._adopt(await asyncio.shield(making.future))
        # The newest one: it is what the next collection keeps.
        assert self._current is not None
        return self._current

    def _make(self, version: int, target: Path) -> Snapshot:
        """Blocking: a snapshot of the store as it is now (at least ``version``)."""
        with self._lock:
            location = self.store.snapshot(target)
            return Snapshot(version, location)

    def _made(self, making: _Making) -> None:
        self._in_progress.discard(making.target)
        if self._making is making:
            self._making = None
        if making.future.cancelled() or making.future.exception() is not None:
            return
        self._adopt(making.future.result())

    def _adopt(self, snapshot: Snapshot) -> None:
        """Make ``snapshot`` the current one unless a newer one is."""
        if self._current is None or snapshot.version > self._current.version:
            self._current = snapshot
            self.collect()

    def collect(self) -> None:
        """Delete snapshots no worker uses any more (decided here on the loop, so that no
        snapshot is deleted between being handed out and being used; deleted in a thread)."""
        keep = {s.location for s in self._in_use()}
        if self._current is not None:
            keep.add(self._current.location)
        keep.update(self._in_progress)
        # RocksDB builds a checkpoint in ``{target}.tmp`` and renames it at the end.
        names = {p.relative_to(self._directory).parts[0] for p in keep}
        stale = [p for p in self._directory.iterdir() if p.name.split(".")[0] not in names]
        if stale and not self._closed:
            self._threads.submit(self._remove, stale)

    def _remove(self, paths: list[Path]) -> None:
        with self._lock:
            for path in paths:
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)

    def close(self) -> None:
        """Remove every snapshot."""
        self._closed = True
        self._threads.shutdown(wait=False, cancel_futures=True)
        shutil.rmtree(self._directory, ignore_errors=True)
