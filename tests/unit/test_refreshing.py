"""Summaries of the whole data recomputed in the background: readers get the newest one
computed, never wait longer than they are willing to, and their validators say which data they
show."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from service.errors import NotComputedYet
from service.publishing import dumps, refreshing
from service.publishing.refreshing import FIRST_RETRY_AFTER, Refreshing
from service.publishing.version import DataVersion, Version, shown
from service.routes.caching import CachingMiddleware, show
from service.store.oxigraph import OxigraphStore

BASE = "https://w3id.org/osaamiskartta/"


@dataclass(frozen=True)
class Summary:
    version: Version
    number: int


class Gated:
    """A computation that waits for the test's go before it ends; counts its runs."""

    def __init__(self) -> None:
        self.go = threading.Event()
        self.started = threading.Semaphore(0)
        self.versions: list[int] = []
        self.fail = False

    def __call__(self, version: Version) -> Summary:
        self.versions.append(version.counter)
        self.started.release()
        assert self.go.wait(10)
        if self.fail:
            raise RuntimeError("the store went away")
        return Summary(version, version.counter * 10)


def recent(summary: Refreshing[Summary], wait: float) -> Summary:
    return asyncio.run(summary.recent(wait))


def test_the_first_value_is_waited_for_and_then_refused_with_retry_after() -> None:
    compute = Gated()
    summary = Refreshing("figures", DataVersion(), compute)
    with pytest.raises(NotComputedYet) as refused:
        recent(summary, 0.05)
    assert refused.value.status == 503
    assert refused.value.headers["Retry-After"] == str(FIRST_RETRY_AFTER)
    compute.go.set()
    assert recent(summary, 5).number == 0
    assert compute.versions == [0]  # the second reader waited for the same computation


def test_after_a_write_readers_get_the_previous_value_until_the_next_is_ready() -> None:
    version = DataVersion()
    compute = Gated()
    compute.go.set()
    summary = Refreshing("figures", version, compute)
    first = summary.get()
    compute.go.clear()
    version.bump()
    assert recent(summary, 0.05) is first  # stale, at once
    assert recent(summary, 0.05) is first
    # The first release is version 0's; the second says version 1's computation has started.
    assert compute.started.acquire(timeout=5) and compute.started.acquire(timeout=5)
    assert compute.versions == [0, 1]  # one computation for both readers
    compute.go.set()
    assert recent(summary, 5).version == version.current
    assert summary.get().number == 10


def test_a_write_during_a_computation_asks_for_another_when_it_ends() -> None:
    version = DataVersion()
    compute = Gated()
    summary = Refreshing("figures", version, compute)
    summary.refresh()
    assert compute.started.acquire(timeout=5)
    version.bump()
    summary.refresh()  # finds version 0's computation running: asks for version 1's after it
    assert compute.versions == [0]
    compute.go.set()
    assert compute.started.acquire(timeout=5)
    assert summary.get().version.counter == 1
    assert compute.versions == [0, 1]


def test_a_failed_computation_leaves_the_previous_value_and_is_tried_again() -> None:
    version = DataVersion()
    compute = Gated()
    compute.go.set()
    summary = Refreshing("figures", version, compute)
    first = summary.get()
    compute.fail = True
    version.bump()
    assert recent(summary, 5) is first
    compute.fail = False
    assert recent(summary, 5).version.counter == 1
    assert compute.versions == [0, 1, 1]


def test_a_failure_with_nothing_to_fall_back_on_is_the_readers_error() -> None:
    compute = Gated()
    compute.fail = True
    compute.go.set()
    summary = Refreshing("figures", DataVersion(), compute)
    with pytest.raises(RuntimeError, match="store went away"):
        recent(summary, 5)


def test_dumps_of_the_previous_version_are_served_while_the_next_are_built(
    tmp_path: Path,
) -> None:
    store = OxigraphStore(None)
    graph = ox.NamedNode(f"{BASE}graph/data/one")
    label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    store._store.add(ox.Quad(ox.NamedNode("https://example.org/a"), label, ox.Literal("A"), graph))
    version = DataVersion()
    go = threading.Event()
    go.set()

    def build(store: OxigraphStore, base: str, at: Version, directory: Path) -> dumps.DumpSet:
        assert go.wait(10)
        return dumps.build_dumps(store, base, at, directory)

    cache = dumps.DumpCache(store, BASE, version, tmp_path / "dumps", build)  # type: ignore[arg-type]
    first = cache.get()
    go.clear()
    store._store.add(ox.Quad(ox.NamedNode("https://example.org/b"), label, ox.Literal("B"), graph))
    version.bump()
    stale = asyncio.run(cache.recent(0.05))
    assert stale is first and stale.triples == 1
    assert all(d.path.is_file() for d in stale.dumps)
    go.set()
    fresh = asyncio.run(cache.recent(10))
    assert fresh.version == version.current and fresh.triples == 2
    assert all(d.path.is_file() for d in first.dumps)  # kept: a response may still send it


def test_a_response_from_older_summaries_says_so_in_its_validators() -> None:
    version = DataVersion()
    old = version.current
    new = version.bump()
    assert shown(new, new) is new
    mixed = shown(new, old, new)
    assert mixed.counter == new.counter and mixed.older == (old.counter,)
    assert mixed.tag != new.tag and mixed.tag != old.tag
    assert shown(old, new).tag == mixed.tag

    async def endpoint(request: Request) -> Response:
        which = request.query_params.get("show")
        if which == "old":
            show(request, old)
        elif which == "mixed":
            show(request, mixed)
        elif which == "file":
            show(request, old, '"sha256-abc"')
        return PlainTextResponse("x")

    app = CachingMiddleware(Starlette(routes=[Route("/", endpoint)]), version)

    async def get(which: str, **headers: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get("/", params={"show": which}, headers=headers)

    async def check() -> None:
        current = await get("")
        assert current.headers["last-modified"] == new.http_date
        stale = await get("old")
        assert stale.headers["etag"] != current.headers["etag"]
        assert stale.headers["last-modified"] == old.http_date
        again = await get("old", **{"If-None-Match": stale.headers["etag"]})
        assert again.status_code == 304
        assert (await get("", **{"If-None-Match": stale.headers["etag"]})).status_code == 200
        both = await get("mixed")
        assert "last-modified" not in both.headers
        assert both.headers["etag"] not in (stale.headers["etag"], current.headers["etag"])
        since = await get("mixed", **{"If-Modified-Since": new.http_date})
        assert since.status_code == 200  # no single modification time to compare with
        file = await get("file")
        assert file.headers["etag"] == '"sha256-abc"'
        assert (await get("file", **{"If-None-Match": '"sha256-abc"'})).status_code == 304

    asyncio.run(check())


class Clock:
    """A monotonic clock the test moves on."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


def test_readers_do_not_wait_for_a_computation_that_took_longer_last_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = Clock()
    monkeypatch.setattr(refreshing, "time", clock)
    version = DataVersion()

    def slow(at: Version) -> Summary:
        if at.counter:
            assert gate.wait(10)
        clock.now += 100  # as long as the statistics at national scale
        return Summary(at, at.counter)

    gate = threading.Event()
    summary = Refreshing("figures", version, slow)
    first = summary.get()
    version.bump()
    # Willing to wait 5 s for a computation that took 100 s: answered at once, not after 5 s.
    assert asyncio.run(asyncio.wait_for(summary.recent(5), 1)) is first
    gate.set()
    assert summary.get().number == 1


def test_readers_do_not_wait_for_a_short_computation_queued_behind_a_long_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = Clock()
    monkeypatch.setattr(refreshing, "time", clock)
    version = DataVersion()
    gate = threading.Event()

    def long(at: Version) -> Summary:
        if at.counter:
            assert gate.wait(10)
        clock.now += 100  # the dumps at national scale
        return Summary(at, at.counter)

    def short(at: Version) -> Summary:
        clock.now += 1  # the landing page's counts
        return Summary(at, at.counter)

    dumps_like = Refreshing("dumps", version, long)
    counts = Refreshing("counts", version, short)
    dumps_like.get()
    first = counts.get()
    version.bump()
    dumps_like.refresh()
    while refreshing._OnePass.holder is not dumps_like:  # its pass has begun
        threading.Event().wait(0.001)
    # The counts' own second would fit a 5 s wait; the 100 s pass ahead of it does not.
    assert asyncio.run(asyncio.wait_for(counts.recent(5), 1)) is first
    # A pass ahead that overran its last time is counted as ending now, not as time owed back.
    clock.now += 150
    assert counts._time_left() == 1.0
    gate.set()
    assert counts.get().number == 1
    # With no pass ahead, a reader waits for the short computation again.
    version.bump()
    assert asyncio.run(asyncio.wait_for(counts.recent(5), 2)).number == 2


def test_a_value_that_met_a_write_under_way_does_not_replace_the_earlier_one() -> None:
    version, writes = DataVersion(), threading.Event()
    compute = Gated()
    compute.go.set()
    summary = Refreshing("figures", version, compute, writing=writes.is_set)
    first = summary.get()
    version.bump()
    compute.go.clear()
    summary.refresh()
    assert compute.started.acquire(timeout=5) and compute.started.acquire(timeout=5)
    writes.set()  # a write begins while version 1's value is computed
    compute.go.set()
    assert recent(summary, 5) is first  # its figures may mix two states: not kept
    assert summary.latest is first
    writes.clear()
    version.bump()  # the write ends
    assert summary.get().version.counter == 2
    # A reader during the write asked again for version 1's; no value of it was kept.
    assert compute.versions[:2] == [0, 1] and compute.versions[-1] == 2


def test_a_first_value_that_met_a_write_is_kept_until_the_next_request_computes_again() -> None:
    version, writes = DataVersion(), threading.Event()
    writes.set()  # a write that will be refused: the version does not move
    compute = Gated()
    compute.go.set()
    summary = Refreshing("figures", version, compute, writing=writes.is_set)
    first = summary.get()
    assert first.version.counter == 0  # kept: there is nothing else to serve
    writes.clear()
    summary.refresh()
    assert summary.get() is not first and compute.versions == [0, 0]
    summary.refresh()  # settled now: nothing more to compute
    assert compute.versions == [0, 0]
