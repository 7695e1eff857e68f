"""The tools' choice lists: asked of the store once per data version and language, by one
asking that the requests missing them together share."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from starlette.requests import Request

from service.publishing.version import DataVersion
from service.routes.tools_common import _listed
from service.settings import Settings

LIST = [("a", "Aa"), ("b", "Bb")]


def _app() -> SimpleNamespace:
    state = SimpleNamespace(
        publication=SimpleNamespace(version=DataVersion()),
        osaamiskartta=SimpleNamespace(settings=Settings()),
    )
    return SimpleNamespace(state=state)


def _request(app: SimpleNamespace, lang: str = "fi") -> Request:
    scope = {
        "type": "http",
        "app": app,
        "method": "GET",
        "path": "/tools",
        "headers": [],
        "query_string": f"lang={lang}".encode(),
    }
    return Request(scope)


class Asker:
    """An asking of the store that takes a while, counted."""

    def __init__(self, fail: bool = False) -> None:
        self.calls = 0
        self.fail = fail

    async def __call__(self) -> list[tuple[str, str]]:
        self.calls += 1
        await asyncio.sleep(0.05)
        if self.fail:
            raise RuntimeError("the store failed")
        return list(LIST)


def test_requests_missing_a_list_together_share_one_asking() -> None:
    app, ask = _app(), Asker()

    async def run() -> list[list[tuple[str, str]]]:
        return await asyncio.gather(*(_listed(_request(app), "things", ask) for _ in range(5)))

    assert asyncio.run(run()) == [LIST] * 5
    assert ask.calls == 1
    assert asyncio.run(_listed(_request(app), "things", ask)) == LIST
    assert ask.calls == 1  # remembered
    asyncio.run(_listed(_request(app, "en"), "things", ask))
    assert ask.calls == 2  # another language is another list
    app.state.publication.version.bump()
    asyncio.run(_listed(_request(app), "things", ask))
    assert ask.calls == 3  # a write: asked again


def test_the_asking_goes_on_when_the_request_that_started_it_leaves() -> None:
    app, ask = _app(), Asker()

    async def run() -> list[tuple[str, str]]:
        first = asyncio.ensure_future(_listed(_request(app), "things", ask))
        second = asyncio.ensure_future(_listed(_request(app), "things", ask))
        await asyncio.sleep(0.01)
        first.cancel()
        return await second

    assert asyncio.run(run()) == LIST
    assert ask.calls == 1


def test_a_list_is_remembered_when_every_request_waiting_for_it_left() -> None:
    app, ask = _app(), Asker()

    async def run() -> None:
        waiting = asyncio.ensure_future(_listed(_request(app), "things", ask))
        await asyncio.sleep(0.01)
        waiting.cancel()
        await asyncio.sleep(0.1)  # the asking finishes after its only waiter left

    asyncio.run(run())
    assert asyncio.run(_listed(_request(app), "things", ask)) == LIST
    assert ask.calls == 1


def test_a_failed_asking_fails_its_waiters_and_the_next_request_asks_again() -> None:
    app, failing = _app(), Asker(fail=True)

    async def run() -> list[object]:
        return await asyncio.gather(
            *(_listed(_request(app), "things", failing) for _ in range(3)),
            return_exceptions=True,
        )

    outcomes = asyncio.run(run())
    assert all(isinstance(o, RuntimeError) for o in outcomes)
    assert failing.calls == 1
    working = Asker()
    assert asyncio.run(_listed(_request(app), "things", working)) == LIST
    assert working.calls == 1
    with pytest.raises(RuntimeError):
        asyncio.run(_listed(_request(app), "other", failing))
