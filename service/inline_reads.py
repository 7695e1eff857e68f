"""Cheap reads on the event loop, everything else on the executor's threads.

Handing a read to a worker thread and its answer back costs from a few tenths of a millisecond
to a few milliseconds: pyoxigraph holds the GIL while it evaluates, so the thread and the event
loop take turns at it (and a thread gives the loop no parallelism to begin with). That is as
much as a millisecond query takes itself. So each kind of read (the caller names it: e.g. a
named query with its parameter values and page) is timed, in CPU time of the thread that runs
it, which is its own work and not what a busy machine adds; when its last run took less than
the limit at this data version, the next one runs where the request is handled, and is timed
there too. A run that took longer (a cold cache, a page of another size) sends the next one
back to a thread. A read that might block is never run on the loop: only on a store whose
reads are local calls, and only when no write is holding reads back (``ReadingAtOnce``) nor
under way at all (its data may be committed before its observers move the version on). A
write moves the data version on and forgets the timings, so the first read of each kind after
it runs on a thread again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import TypeVar, cast

from service.executor import Executor
from service.publishing.version import DataVersion, Version, VersionedMemo
from service.store.base import ReadingAtOnce, Store

T = TypeVar("T")


def _timed(fn: Callable[..., T], *args: object) -> tuple[T, float]:
    """The result and the CPU time the calling thread spent on it: the read's own work, which
    a busy machine does not stretch as it stretches the wall-clock time."""
    start = time.thread_time()
    result = fn(*args)
    return result, time.thread_time() - start


@cache
def _reads_at_once(kind: type) -> bool:
    """Whether stores of this class read in this process (a Protocol's isinstance check walks
    the class each time: once per class is enough)."""
    return issubclass(kind, ReadingAtOnce)


class CheapReads:
    """Runs ``fn(*args)``, a read of ``store``, inline when the last read of its kind took less
    than ``below`` seconds of CPU at the current data version, else in ``executor``."""

    def __init__(
        self,
        executor: Executor,
        version: DataVersion,
        below: float,
        writing: Callable[[], bool] = lambda: False,
    ) -> None:
        self._executor = executor
        self._below = below
        # True while a write is under way, from its validation to its last observer: the data
        # it committed may be in the store before the version moves on.
        self._writing = writing
        # The last time taken per kind of read, until the next write.
        self._last: VersionedMemo[Hashable, float] = VersionedMemo(version)
        self.inline = 0
        self.threaded = 0

    def is_cheap(self, kind: Hashable) -> bool:
        """True when the last read of this kind took less than the limit at this version."""
        last = self._last.get(kind)
        return last is not None and last < self._below

    def now(self) -> Version:
        """The data version a read starting now is timed at (for ``note``)."""
        return self._last.now()

    def note(self, kind: Hashable, seconds: float, at: Version) -> None:
        """A read of this kind that ran elsewhere (in a query worker) took ``seconds``."""
        self._last.put(kind, seconds, at)

    def ran_here(self, kind: Hashable, seconds: float, at: Version) -> None:
        """A read of this kind ran here (``here_and_now``) and took ``seconds``."""
        self.inline += 1
        self._last.put(kind, seconds, at)

    @contextmanager
    def here_and_now(self, kind: Hashable, store: Store) -> Iterator[Version | None]:
        """For a read that times itself: the version to give ``ran_here``, when a read of this
        kind may run here and now (known to be cheap, on a store that reads in this process,
        with no write under way: none can commit while the block reads); None, holding
        nothing, otherwise."""
        if not (self.is_cheap(kind) and _reads_at_once(type(store))):
            yield None
            return
        at = self._last.now()
        with cast(ReadingAtOnce, store).reading_at_once() as reading:
            # Asked once reads are held open: a write that has not committed by now waits for
            # this block, and one that has is not over until its observers moved the version.
            if not reading or self._writing():
                yield None
                return
            yield at

    async def run(self, kind: Hashable, store: Store, fn: Callable[..., T], *args: object) -> T:
        with self.here_and_now(kind, store) as at:
            if at is not None:
                result, seconds = _timed(fn, *args)
                self.ran_here(kind, seconds, at)
                return result
        at = self._last.now()
        self.threaded += 1
        result, seconds = await self._executor.run(_timed, fn, *args)
        self._last.put(kind, seconds, at)
        return result
