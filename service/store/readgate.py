"""A gate that stops new reads from starting while a write is tried and possibly undone.

pyoxigraph reads from a snapshot taken when a query starts, so only the start needs guarding:
long queries never hold up a write, and no query ever starts on a state that is being undone.
A caller that must not wait (the event loop) enters with ``at_once``, which gives up instead.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class ReadGate:
    """Readers pass through ``starting``; one writer at a time holds ``closed``."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._owner: int | None = None
        self._starting = 0
        # Threads inside ``at_once``: their reads pass straight through ``starting``.
        self._entered: set[int] = set()

    @contextmanager
    def starting(self) -> Iterator[None]:
        """Wrap the start of a read (the writer's own reads pass straight through)."""
        me = threading.get_ident()
        with self._condition:
            through = self._owner == me or me in self._entered
            while not through and self._owner is not None:
                self._condition.wait()
            if not through:
                self._starting += 1
        if through:
            # Not under the lock: another thread's at_once must never wait for this read.
            yield
            return
        try:
            yield
        finally:
            with self._condition:
                self._starting -= 1
                self._condition.notify_all()

    @contextmanager
    def at_once(self) -> Iterator[bool]:
        """Start reading now if no writer holds the gate, and yield True; yield False, having
        entered nothing, when one does (never waits). Until the block ends, a writer waits for
        it and this thread's reads start without waiting, so one caller can make several."""
        me = threading.get_ident()
        with self._condition:
            writing = self._owner is not None and self._owner != me
            enter = not writing and self._owner != me and me not in self._entered
            if enter:
                self._entered.add(me)
                self._starting += 1
        if writing:
            yield False
            return
        try:
            yield True
        finally:
            if enter:
                with self._condition:
                    self._entered.discard(me)
                    self._starting -= 1
                    self._condition.notify_all()

    @contextmanager
    def closed(self) -> Iterator[None]:
        """Hold the gate shut: waits for reads that are starting, blocks new ones (the
        holder may close it again inside: a write that runs within another's exclusion)."""
        me = threading.get_ident()
        with self._condition:
            again = self._owner == me
            if not again:
                while self._owner is not None:
                    self._condition.wait()
                self._owner = me
                while self._starting:
                    self._condition.wait()
        if again:
            # Not under the lock: another thread's at_once must never wait for this write.
            yield
            return
        try:
            yield
        finally:
            with self._condition:
                self._owner = None
                self._condition.notify_all()
