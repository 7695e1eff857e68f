"""Exact answers to repeated queries, kept in the main process until the data changes.

Clients and pages ask the same queries again and again; each answer costs a round trip to a
query worker. The cache keeps serialised answers, keyed by everything that decides the bytes
(the query text, the protocol dataset, the requested format, Accept, the base IRI), under the
data version they were computed at: a commit moves the version on, and the first lookup at the
new version empties the cache, so no answer outlives the data it came from. An answer computed
while a write committed is stored under the version read before it ran, which the next lookup
no longer uses. Bounded in bytes, least recently used first out; only successful answers, and
none larger than a sixteenth of the budget. Used from the event loop only (no locks).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, Protocol, TypeVar

# What an entry costs besides its body and key text (the objects holding them).
_ENTRY_OVERHEAD = 256
_LARGEST_SHARE = 16


class Answer(Protocol):
    """A serialised answer: what it costs is its body."""

    @property
    def body(self) -> bytes: ...


A = TypeVar("A", bound=Answer)


class ResultCache(Generic[A]):
    """A bytes-bounded LRU of serialised answers for one data version at a time."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max(max_bytes, 0)
        self.max_entry_bytes = self.max_bytes // _LARGEST_SHARE
        self._entries: OrderedDict[Hashable, tuple[A, int]] = OrderedDict()
        self._version = -1
        self.size = 0
        self.hits = 0
        self.misses = 0

    @property
    def enabled(self) -> bool:
        """False when the budget is 0."""
        return self.max_bytes > 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, version: int, key: Hashable) -> A | None:
        """The answer stored for ``key`` at ``version``, or None. Counts hits; the caller
        counts a miss (``miss``) once it knows the request was a query it had to evaluate."""
        if version != self._version:
            if version < self._version:
                return None
            self._move_to(version)
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry[0]

    def miss(self) -> None:
        """Count a query that was evaluated because no answer was stored."""
        self.misses += 1

    def put(self, version: int, key: Hashable, payload: A, key_size: int = 0) -> None:
        """Keep ``payload`` as the answer for ``key`` at ``version`` (the version read before
        the query ran); ``key_size`` is roughly the bytes of text in the key."""
        if version != self._version:
            if version < self._version:
                return  # computed before a write that has been seen since: maybe stale
            self._move_to(version)
        size = len(payload.body) + key_size + _ENTRY_OVERHEAD
        if size > self.max_entry_bytes:
            return
        previous = self._entries.pop(key, None)
        if previous is not None:
            self.size -= previous[1]
        self._entries[key] = (payload, size)
        self.size += size
        while self.size > self.max_bytes:
            _, (_, dropped) = self._entries.popitem(last=False)
            self.size -= dropped

    def _move_to(self, version: int) -> None:
        self._entries.clear()
        self.size = 0
        self._version = version
