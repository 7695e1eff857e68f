"""The data version: a counter and timestamp that every committed write moves on.

Pages, dumps, VoID and the catalog are cached per version, and HTTP validators (ETag,
Last-Modified) are derived from it, so a write is all it takes to invalidate them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Hashable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import formatdate
from functools import cached_property
from operator import attrgetter
from typing import Generic, TypeVar

from service.writes import Write, WriteContext, WriteResult


@dataclass(frozen=True)
class Version:
    """One state of the data: which write it follows and when that write committed."""

    boot: str
    counter: int
    timestamp: float
    # Set on a response's version when parts of it show older data (see `shown`).
    older: tuple[int, ...] = ()

    @property
    def tag(self) -> str:
        """A short token that differs between any two versions, also across restarts."""
        if self.older:
            return f"{self.boot}-{self.counter}+{'.'.join(map(str, self.older))}"
        return f"{self.boot}-{self.counter}"

    @property
    def iso(self) -> str:
        """The commit time as an xsd:dateTime in UTC (seconds precision)."""
        moment = datetime.fromtimestamp(int(self.timestamp), UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    @cached_property
    def http_date(self) -> str:
        """The commit time as an HTTP date (seconds precision, as Last-Modified has)."""
        return formatdate(int(self.timestamp), usegmt=True)


def shown(*versions: Version) -> Version:
    """The version of a response built from values computed at ``versions``: the newest, with
    the older ones' counters in its tag when they differ (a summary still being recomputed), so
    that its ETag changes when they catch up. Such a response has no single modification time:
    it gets no Last-Modified, and If-Modified-Since does not answer for it."""
    newest = max(versions, key=attrgetter("counter"))
    older = tuple(sorted({v.counter for v in versions if v.counter != newest.counter}))
    return replace(newest, older=older) if older else newest


class DataVersion:
    """The current version; thread-safe, because writes commit on worker threads."""

    def __init__(self, clock: float | None = None) -> None:
        now = time.time() if clock is None else clock
        self._lock = threading.Lock()
        # The boot token keeps ETags of two processes apart (a restart may load other data).
        self._current = Version(format(int(now * 1000), "x"), 0, now)

    @property
    def current(self) -> Version:
        """The version of the data as it is now."""
        return self._current

    def bump(self) -> Version:
        """Move to the next version, timestamped now (never earlier than the last one)."""
        with self._lock:
            last = self._current
            self._current = Version(last.boot, last.counter + 1, max(time.time(), last.timestamp))
            return self._current


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class VersionedMemo(Generic[K, V]):
    """Facts learnt from the data that hold until the next write (what a parameter check
    answered, the concepts of the schemes), forgotten when the version moves on; at most
    ``size`` of them, the oldest dropped first."""

    def __init__(self, version: DataVersion, size: int = 4096) -> None:
        self._version = version
        self._size = size
        self._lock = threading.Lock()
        self._at: Version | None = None
        self._entries: dict[K, V] = {}

    def now(self) -> Version:
        """The current version: read it before asking the store, and give it to ``put``."""
        return self._version.current

    def get(self, key: K) -> V | None:
        """What is known about ``key`` at the current version, or None."""
        with self._lock:
            if self._at != self._version.current:
                return None
            return self._entries.get(key)

    def put(self, key: K, value: V, at: Version) -> None:
        """Remember ``value``, learnt from the store after version ``at`` was read; kept only
        while ``at`` is still current (a write since may have changed the answer)."""
        with self._lock:
            if at != self._version.current:
                return
            if self._at != at:
                self._entries.clear()
                self._at = at
            elif key not in self._entries and len(self._entries) >= self._size:
                del self._entries[next(iter(self._entries))]
            self._entries[key] = value


class VersionObserver:
    """A WriteObserver that moves the data version on after every committed write."""

    def __init__(self, version: DataVersion) -> None:
        self.version = version

    def committed(self, write: Write, context: WriteContext, result: WriteResult) -> None:
        self.version.bump()
