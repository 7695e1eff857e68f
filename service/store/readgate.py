"""A gate that stops new reads from starting while a write is tried and possibly undone.

pyoxigraph reads from a snapshot taken when a query starts, so only the start needs guarding:
long queries never hold up a write, and no query ever starts on a state that is being undone.
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

    @contextmanager
    def starting(self) -> Iterator[None]:
        """Wrap the start of a read (the writer's own reads pass straight through)."""
        me = threading.get_ident()
        with self._condition:
            if self._owner == me:
                yield
                return
            while self._owner is not None:
                self._condition.wait()
            self._starting += 1
        try:
            yield
        finally:
            with self._condition:
                self._starting -= 1
                self._condition.notify_all()

    @contextmanager
    def closed(self) -> Iterator[None]:
        """Hold the gate shut: waits for reads that are starting, blocks new ones (the
        holder may close it again inside: a write that runs within another's exclusion)."""
        me = threading.get_ident()
        with self._condition:
            if self._owner == me:
                yield
                return
            while self._owner is not None:
                self._condition.wait()
            self._owner = me
            while self._starting:
                self._condition.wait()
        try:
            yield
        finally:
            with self._condition:
                self._owner = None
                self._condition.notify_all()
