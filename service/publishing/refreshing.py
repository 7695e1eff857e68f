"""Values derived from the whole data set, recomputed in the background when the data moves on.

The dumps, the VoID statistics and the landing page's counts read every published triple. At
national scale that takes seconds to minutes (at ten million triples the dumps take five
minutes, the statistics four), too long for a request to wait after every write. A request
waits for the current version's value for a bounded time, when the last computation says it
will be ready by then, and is otherwise answered with the newest value already computed: each
value carries the data version it was computed at, so that the response's validators (ETag,
Last-Modified) say which data it shows. Only one computation runs at a time, of all the
values; one asked for while an older one of the same value runs starts when that one ends.
"""

from __future__ import annotations

import asyncio
import logging
import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Generic, Protocol, TypeVar

from service.errors import NotComputedYet
from service.publishing.version import DataVersion, Version

log = logging.getLogger(__name__)

# Retry-After for a value never computed before, whose duration is unknown (seconds).
FIRST_RETRY_AFTER = 10


class _OnePass:
    """One pass over the whole data at a time in the process: their memory peaks add up (at
    10M triples the statistics alone take 5 GB; the three at once reached 8.9 GB). ``holder``
    is the value whose computation has the turn, for the estimates of those waiting for it."""

    lock = threading.Lock()
    holder: Refreshing[Any] | None = None


class Versioned(Protocol):
    """A value computed from the data as it was at ``version``."""

    @property
    def version(self) -> Version: ...


T = TypeVar("T", bound=Versioned)


class Refreshing(Generic[T]):
    """The newest computed value of ``compute`` and the computation of the next one.

    ``compute`` receives the version read before it reads the store. A value reads the store
    in several queries, so a write while it runs (``writing`` says when one is under way, from
    its validation to the version's move) can leave it counting parts of two states, true of
    neither: such a value is not kept when there is an earlier one, and otherwise kept only
    until the next request computes again."""

    def __init__(
        self,
        name: str,
        version: DataVersion,
        compute: Callable[[Version], T],
        writing: Callable[[], bool] = lambda: False,
    ) -> None:
        self.name = name
        self._version = version
        self._compute = compute
        self._writing = writing
        self._lock = threading.Lock()
        self._latest: T | None = None
        self._unsettled = False  # the latest value saw a write under way
        self._running: Future[T] | None = None
        self._running_for: Version | None = None
        self._again = False
        self._began: float | None = None  # when the running computation got its turn
        self._duration: float | None = None
        self._closed = False

    @property
    def latest(self) -> T | None:
        """The newest value computed so far, of whatever version."""
        return self._latest

    def refresh(self) -> Future[T] | None:
        """Start computing the current version's value unless it is known or on its way.

        Returns the computation a reader may wait for (None when the newest value is current);
        when an older version's computation is running, that one, and the current version's
        starts when it ends."""
        with self._lock:
            return self._ensure()

    def _ensure(self) -> Future[T] | None:
        current = self._version.current
        if self._latest is not None and self._latest.version == current and not self._unsettled:
            return None
        if self._running is not None:
            if self._running_for != current:
                self._again = True
            return self._running
        future: Future[T] = Future()
        future.set_running_or_notify_cancel()  # a waiter that gives up cannot cancel it
        self._running, self._running_for, self._began = future, current, None
        thread = threading.Thread(
            target=self._run, args=(current, future), name=f"refresh-{self.name}", daemon=True
        )
        thread.start()
        return future

    def _run(self, version: Version, future: Future[T]) -> None:
        try:
            with _OnePass.lock:
                began = time.monotonic()  # after waiting for another value's pass
                with self._lock:
                    self._began = began
                _OnePass.holder = self
                try:
                    # The version as the pass begins (a write may have ended while it waited).
                    version = self._version.current
                    quiet = not self._writing()
                    value = self._compute(version)
                    settled = quiet and not self._writing() and self._version.current == version
                    # Only passes set _latest, one at a time: it cannot change before the
                    # switch below. The hooks run here, outside the readers' lock.
                    kept = settled or self._latest is None
                    if kept:
                        self._accepted(value)
                    else:
                        self._discarded(value)
                finally:
                    _OnePass.holder = None
        except BaseException as error:
            # After close the store may be gone under a computation: that is no failure.
            report = log.debug if self._closed else log.exception
            report("computing the %s for data version %s failed", self.name, version.tag)
            with self._lock:
                self._running = self._running_for = None
                self._again = False
            future.set_exception(error)
            return
        with self._lock:
            if kept:
                self._latest, self._unsettled = value, not settled
            else:
                log.info("the %s saw a write under way: the earlier ones are kept", self.name)
                assert self._latest is not None  # else it was kept
                value = self._latest
            self._duration = time.monotonic() - began
            self._running = self._running_for = None
            if self._again:
                self._again = False
                self._ensure()
        future.set_result(value)

    def _accepted(self, value: T) -> None:
        """A computed value is about to become the latest (in its pass, before any other
        value's pass can start): a subclass may release what older values hold. An error
        here fails the computation."""

    def _discarded(self, value: T) -> None:
        """A computed value that met a write is thrown away (in its pass, as above): a
        subclass releases what it holds."""

    def close(self) -> None:
        """The service stops; a computation still running is left to end on its own."""
        self._closed = True

    async def recent(self, wait: float) -> T:
        """The current version's value if it is ready within ``wait`` seconds, else the newest
        one computed before (at once when the last computation took longer than ``wait``);
        NotComputedYet (503) when there is none yet."""
        with self._lock:
            future = self._ensure()
            latest = self._latest
            # Waiting is worth it only when the last computation says this one ends in time.
            patient = latest is None or self._time_left() <= wait
        if future is None and latest is not None:
            return latest
        if future is not None and patient:
            try:
                return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), wait)
            except TimeoutError:
                pass
            except Exception:
                if latest is None:
                    raise
        with self._lock:
            latest = self._latest
            retry_after = self._retry_after()
        if latest is None:
            raise NotComputedYet(
                f"the {self.name} of the data are being computed for the first time",
                retry_after,
            )
        return latest

    def _time_left(self) -> float:
        """How long the running computation should still take, judged by the last one; while
        it waits for another value's pass, that pass's time left comes first."""
        if self._running is None:
            return 0.0
        if self._duration is None:
            return math.inf
        if self._began is not None:
            return max(0.0, self._duration - (time.monotonic() - self._began))
        holder = _OnePass.holder
        ahead = 0.0 if holder is None or holder is self else holder._time_left()
        return ahead + self._duration

    def _retry_after(self) -> int:
        left = self._time_left()
        return FIRST_RETRY_AFTER if math.isinf(left) else max(1, math.ceil(left))

    def get(self) -> T:
        """The current version's value, however long it takes (for a caller that cannot make do
        with an older one; one that met a write under way too, once computed)."""
        while True:
            with self._lock:
                future = self._ensure()
                latest = self._latest
            if future is None and latest is not None:
                return latest
            if future is not None:
                future.result()
                with self._lock:
                    latest = self._latest
                    if latest is not None and latest.version == self._version.current:
                        return latest
