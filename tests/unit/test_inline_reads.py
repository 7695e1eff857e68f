"""Cheap reads on the event loop: only once known cheap at this data version, never while a
write holds reads back, and the read gate's ``at_once`` that never waits."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from service.executor import ThreadExecutor
from service.inline_reads import CheapReads
from service.publishing.version import DataVersion
from service.store.base import GraphChange
from service.store.oxigraph import OxigraphStore
from service.store.readgate import ReadGate

ASK = "ASK { ?s ?p ?o }"


def _store() -> OxigraphStore:
    store = OxigraphStore()
    ex = ox.NamedNode("http://example.org/a")
    store.apply([GraphChange("http://example.org/g", (ox.Triple(ex, ex, ex),))])
    return store


def _where(store: OxigraphStore, seconds: float = 0.0) -> str:
    """Which thread read the store (and spend ``seconds`` of CPU first)."""
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass
    store.query(ASK)
    return threading.current_thread().name


def test_at_once_enters_when_no_writer_holds_the_gate_and_nested_reads_pass() -> None:
    gate = ReadGate()
    with gate.at_once() as reading:
        assert reading
        with gate.starting():  # a read inside does not wait, nor count twice
            assert gate._starting == 1
    assert gate._starting == 0 and not gate._entered


def test_at_once_gives_up_at_once_while_a_writer_holds_the_gate() -> None:
    gate = ReadGate()
    closed, release = threading.Event(), threading.Event()

    def write() -> None:
        with gate.closed():
            closed.set()
            release.wait(5)

    writer = threading.Thread(target=write)
    writer.start()
    assert closed.wait(5)
    # Were it to wait, it would wait for the writer, which waits for release: it would enter
    # only after five seconds, and say so.
    with gate.at_once() as reading:
        assert not reading
    assert gate._starting == 0
    release.set()
    writer.join(5)


def test_at_once_does_not_wait_for_a_writer_closing_the_gate_again_inside_its_write() -> None:
    """The writer's nested close (a write within another's exclusion) and its own reads run
    without holding the gate's lock, so at_once answers while they go on."""
    gate = ReadGate()
    inside, release = threading.Event(), threading.Event()
    released: list[bool] = []

    def write() -> None:
        with gate.closed(), gate.closed(), gate.starting():
            inside.set()
            # Set only after at_once has answered: were at_once waiting for the lock, this
            # would time out.
            released.append(release.wait(5))

    writer = threading.Thread(target=write)
    writer.start()
    assert inside.wait(5)
    with gate.at_once() as reading:
        assert not reading
    release.set()
    writer.join(5)
    assert released == [True]


def test_a_writer_waits_for_a_read_started_at_once() -> None:
    gate = ReadGate()
    events: list[str] = []

    def write() -> None:
        with gate.closed():
            events.append("write")

    with gate.at_once() as reading:
        assert reading
        writer = threading.Thread(target=write)
        writer.start()
        writer.join(0.2)
        events.append("read done")
    writer.join(5)
    assert events == ["read done", "write"]


@pytest.fixture
def executor() -> Iterator[ThreadExecutor]:
    running = ThreadExecutor(2, name="worker")
    yield running
    running.close()


def test_a_read_runs_inline_once_its_last_run_was_cheap_until_the_next_write(
    executor: ThreadExecutor,
) -> None:
    store, version = _store(), DataVersion()
    reads = CheapReads(executor, version, below=0.5)

    async def run() -> list[str]:
        names = [await reads.run("ask", store, _where, store) for _ in range(3)]
        version.bump()  # a write: the timings are forgotten
        names.append(await reads.run("ask", store, _where, store))
        names.append(await reads.run("ask", store, _where, store))
        return names

    main = threading.current_thread().name
    names = asyncio.run(run())
    assert names[0].startswith("worker") and names[3].startswith("worker")
    assert names[1] == names[2] == names[4] == main
    assert reads.inline == 3 and reads.threaded == 2


def test_a_read_that_took_longer_than_the_limit_stays_on_a_thread(
    executor: ThreadExecutor,
) -> None:
    store, version = _store(), DataVersion()
    reads = CheapReads(executor, version, below=0.01)

    async def run() -> list[str]:
        return [await reads.run("slow", store, _where, store, 0.03) for _ in range(3)]

    names = asyncio.run(run())
    assert all(name.startswith("worker") for name in names)
    assert reads.inline == 0


def test_a_cheap_read_goes_to_a_thread_while_a_write_holds_reads_back(
    executor: ThreadExecutor,
) -> None:
    store, version = _store(), DataVersion()
    reads = CheapReads(executor, version, below=0.5)
    closed, release = threading.Event(), threading.Event()

    def write() -> None:
        with store.exclusive():
            closed.set()
            release.wait(5)

    async def run() -> list[str]:
        names = [await reads.run("ask", store, _where, store)]
        writer = threading.Thread(target=write)
        writer.start()
        assert closed.wait(5)
        pending = asyncio.ensure_future(reads.run("ask", store, _where, store))
        await asyncio.sleep(0.2)
        # The loop went on (the read waits on a thread, not here) and the read has not started.
        assert not pending.done()
        release.set()
        names.append(await pending)
        writer.join(5)
        return names

    names = asyncio.run(run())
    assert all(name.startswith("worker") for name in names)
    assert reads.inline == 0


def test_here_and_now_gives_the_version_only_for_a_kind_known_cheap_with_reads_free(
    executor: ThreadExecutor,
) -> None:
    """The form for reads that time themselves (clients' queries before routing)."""
    store, version, writing = _store(), DataVersion(), [False]
    reads = CheapReads(executor, version, below=0.01, writing=lambda: writing[0])
    with reads.here_and_now("query", store) as at:
        assert at is None  # never timed yet
    reads.note("query", 0.02, reads.now())
    with reads.here_and_now("query", store) as at:
        assert at is None  # timed, and too slow
    reads.note("query", 0.001, reads.now())
    with reads.here_and_now("query", store) as at:
        assert at == version.current
        reads.ran_here("query", 0.002, at)
    assert reads.inline == 1
    writing[0] = True  # a write under way: committed, its observers not done
    with reads.here_and_now("query", store) as at:
        assert at is None
    writing[0] = False
    closed, release = threading.Event(), threading.Event()

    def write() -> None:
        with store.exclusive():
            closed.set()
            release.wait(5)

    writer = threading.Thread(target=write)
    writer.start()
    assert closed.wait(5)
    with reads.here_and_now("query", store) as at:
        assert at is None  # a write holds reads back: not here, and without waiting
    release.set()
    writer.join(5)
    version.bump()
    with reads.here_and_now("query", store) as at:
        assert at is None  # a write forgot the timing
    assert reads.inline == 1
