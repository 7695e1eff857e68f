"""Where blocking work runs: off the event loop, so one long query never stalls the others."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, TypeVar

T = TypeVar("T")


class Executor(Protocol):
    """Runs a blocking call and awaits its result."""

    async def run(self, fn: Callable[..., T], /, *args: object, **kwargs: object) -> T:
        """Run ``fn(*args, **kwargs)`` elsewhere and return its result."""
        ...

    def close(self) -> None:
        """Stop accepting work and release the workers."""
        ...


class ThreadExecutor:
    """A bounded thread pool, so that a slow read never stops the event loop. pyoxigraph holds
    the GIL for most of a query (it evaluates while it serialises the answer: beside a thread
    that spins in Python its queries run several times slower), so the loop and the readers
    take turns at Python's switch interval rather than running in parallel."""

    def __init__(self, workers: int = 4, name: str = "query") -> None:
        self._pool = ThreadPoolExecutor(max_workers=max(workers, 1), thread_name_prefix=name)

    async def run(self, fn: Callable[..., T], /, *args: object, **kwargs: object) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, functools.partial(fn, *args, **kwargs))

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
