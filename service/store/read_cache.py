"""Reads of a remote engine kept for a few seconds, forgotten at every write the service makes.

The quality gate reads the same patterns again and again while it validates one write, and each
read of a remote engine is a round trip. A read that began before a write is not kept: its
answer may miss what was written.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class ReadCache(Generic[T]):
    """Answers by key, trusted for ``ttl`` seconds; at most ``entries`` of them."""

    def __init__(self, ttl: float, entries: int) -> None:
        self.ttl = ttl
        self.entries = entries
        self._lock = threading.Lock()
        self._answers: dict[Hashable, tuple[float, T]] = {}
        # Moves on with every write, so that a read that began before it is not kept.
        self._generation = 0

    def get(self, key: Hashable, read: Callable[[], T]) -> T:
        """The answer kept for ``key`` from less than ``ttl`` ago, or ``read()``'s."""
        with self._lock:
            kept = self._answers.get(key)
            generation = self._generation
        if kept is not None and time.monotonic() - kept[0] < self.ttl:
            return kept[1]
        answer = read()
        with self._lock:
            if len(self._answers) >= self.entries:
                self._answers.clear()
            if generation == self._generation:
                self._answers[key] = (time.monotonic(), answer)
        return answer

    def has(self, key: Hashable) -> bool:
        """Whether an answer for ``key`` is kept and still trusted."""
        with self._lock:
            kept = self._answers.get(key)
        return kept is not None and time.monotonic() - kept[0] < self.ttl

    def keep(self, read: Callable[[], dict[Hashable, T]]) -> None:
        """Keep the answers ``read()`` gives for several keys at once (as ``get`` would)."""
        with self._lock:
            generation = self._generation
        answers = read()
        with self._lock:
            if len(self._answers) + len(answers) > self.entries:
                self._answers.clear()
            if generation == self._generation:
                now = time.monotonic()
                self._answers.update((key, (now, answer)) for key, answer in answers.items())

    def forget(self) -> None:
        """Drop every answer: the service just wrote."""
        with self._lock:
            self._answers.clear()
            self._generation += 1
