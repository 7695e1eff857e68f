"""Serialisations written by a thread and sent while they are written: the client gets the
first bytes at once, and memory holds a few chunks rather than the document (a whole-store
N-Quads GET at a million triples held 600 MB before it sent a byte).

The writer runs ahead of the client by a few chunks at most; when the client leaves, its next
write raises and the serialisation stops.
"""

from __future__ import annotations

import asyncio
import threading
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import AsyncIterator, Callable
from typing import IO, cast

from service.executor import Executor

CHUNK = 256 * 1024
AHEAD = 4  # chunks written that the client has not taken yet, at most


class ByteSink(ABC):
    """A write-only binary stream for pyoxigraph's serialisers, which call ``write`` and
    ``flush`` only; subclasses implement ``write``."""

    @abstractmethod
    def write(self, data: bytes) -> int:
        """Take ``data``; return how many bytes were taken."""

    def flush(self) -> None:  # noqa: B027 - optional: most sinks hold nothing back
        """Nothing to flush unless a subclass says otherwise."""

    @property
    def io(self) -> IO[bytes]:
        """This as the binary stream the serialisers take."""
        return cast("IO[bytes]", self)


class ReaderLeft(Exception):
    """The response's client is gone: the writer stops."""


class _Pipe(ByteSink):
    """The writer's file (``write``) and the response's chunks (``next``)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._buffer = bytearray()
        self._room = threading.Semaphore(AHEAD)
        self._left = threading.Event()
        self._ready: deque[bytes | None] = deque()
        self._wake = asyncio.Event()

    def write(self, data: bytes) -> int:
        if self._left.is_set():
            raise ReaderLeft()
        self._buffer += data
        if len(self._buffer) >= CHUNK:
            self._send()
        return len(data)

    def _send(self) -> None:
        while not self._room.acquire(timeout=1.0):
            if self._left.is_set():
                raise ReaderLeft()
        self._post(bytes(self._buffer))
        self._buffer.clear()

    def _post(self, item: bytes | None) -> None:
        self._ready.append(item)
        try:
            self._loop.call_soon_threadsafe(self._wake.set)
        except RuntimeError:  # the loop has closed: nobody reads any more
            self._left.set()

    def end(self) -> None:
        """The writer has finished (or failed): send what is left, then the end."""
        if self._buffer and not self._left.is_set():
            self._post(bytes(self._buffer))
            self._buffer.clear()
        self._post(None)

    def leave(self) -> None:
        """The client is gone."""
        self._left.set()

    async def next(self) -> bytes | None:
        """The next chunk; None at the end."""
        while not self._ready:
            self._wake.clear()
            if not self._ready:
                await self._wake.wait()
        item = self._ready.popleft()
        if item is not None:
            self._room.release()
        return item


async def stream(executor: Executor, write: Callable[[IO[bytes]], None]) -> AsyncIterator[bytes]:
    """The bytes ``write(output)`` writes, run in ``executor``, as they are written. A failure
    is raised after the chunks written before it: the response is then cut short, never
    ended as though it were whole."""
    pipe = _Pipe(asyncio.get_running_loop())

    def produce() -> None:
        try:
            write(pipe.io)
        finally:
            pipe.end()

    done = asyncio.ensure_future(executor.run(produce))
    try:
        while (chunk := await pipe.next()) is not None:
            yield chunk
        await done
    finally:
        pipe.leave()
        done.add_done_callback(_quietly)


def _quietly(task: asyncio.Future[None]) -> None:
    """Collect the outcome of a writer whose client left (ReaderLeft, as a rule)."""
    if not task.cancelled():
        task.exception()
