"""What the routers share: the application state and request-body reading."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import TypeVar

from fastapi import Request, Response
from starlette.requests import ClientDisconnect

from service.errors import BadRequest, PayloadTooLarge
from service.executor import Executor, ThreadExecutor
from service.inline_reads import CheapReads
from service.language import preferred_language
from service.query_pool import QueryPool
from service.result_cache import ResultCache
from service.settings import Settings
from service.sparql.endpoint import Payload
from service.store.base import Store
from service.tokens import TokenRegistry
from service.validation.report import lookup_labels, nodes_of, summary
from service.validation.status import StoreValidation
from service.writes import Writer, WriteResult

# Downloads of /data serialised at once (more wait for a thread).
STREAMS = 2


@dataclass
class AppState:
    """The objects one running service is made of."""

    settings: Settings
    store: Store
    writer: Writer
    executor: Executor
    store_validation: StoreValidation = field(default_factory=StoreValidation)
    # Clients' queries run here, with the time limit (service/query_pool.py).
    pool: QueryPool | None = None
    tokens: TokenRegistry = field(default_factory=lambda: TokenRegistry([]))
    # Answers to repeated clients' queries, until the next write (service/result_cache.py).
    result_cache: ResultCache[Payload] = field(default_factory=lambda: ResultCache(0))
    # Which clients' queries are known to be cheap enough to evaluate on the event loop
    # (service/routes/sparql.py); None when none may be.
    cheap_queries: CheapReads | None = None
    # Where graphs and the store are serialised while they are sent (GET /data): threads of
    # their own, so that slow downloads never hold up the executor's reads and writes.
    streams: Executor = field(default_factory=lambda: ThreadExecutor(STREAMS, "stream"))
    # Absolute URLs of routes by what they depend on (see url_of).
    urls: dict[tuple[object, ...], str] = field(default_factory=dict)


def app_state(request: Request) -> AppState:
    """The running service's state."""
    state: AppState = request.app.state.osaamiskartta
    return state


def url_of(request: Request, name: str) -> str:
    """``request.url_for(name)`` for a route without path parameters, remembered per scheme,
    Host header, server and root path (building it costs more than a cached answer)."""
    scope = request.scope
    host = None
    for key, value in scope["headers"]:
        if key == b"host":
            host = value
            break
    root = scope.get("app_root_path", scope.get("root_path", ""))
    urls = app_state(request).urls
    cache_key = (name, scope.get("scheme"), host, scope.get("server"), root)
    url = urls.get(cache_key)
    if url is None:
        url = str(request.url_for(name))
        if len(urls) >= 256:  # the Host header is the client's to choose
            urls.clear()
        urls[cache_key] = url
    return url


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing more than ``limit`` bytes with 413."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"the body is larger than the limit of {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise PayloadTooLarge(f"the body is larger than the limit of {limit} bytes")
            chunks.append(chunk)
    except ClientDisconnect as exc:
        # The client's doing, not the service's: nothing was read into the store, and the
        # answer (which it will not read) is a 400 in the access log, not a server error.
        raise BadRequest("the client closed the connection before the body was complete") from exc
    return b"".join(chunks)


T = TypeVar("T")
# The status the access log records for a request whose client left before its answer (nginx's
# convention; nobody receives it).
CLIENT_CLOSED_REQUEST = 499


async def unless_client_leaves(request: Request, work: Awaitable[T]) -> T | None:
    """The result of ``work``, or None when the client closes the connection first: ``work``
    is then cancelled, since nobody would read its answer (a query still waiting for a worker
    leaves the queue, one running long has its worker stopped).

    ``work`` runs in the caller's task, which a watcher cancels if the client leaves: cheaper
    per request than a task of its own and a wait on both."""
    this = asyncio.current_task()
    assert this is not None
    state = {"done": False, "left": False}

    def client_left(watch: asyncio.Task[None]) -> None:
        # Scheduled after the watcher ends; by then ``work`` may have finished.
        if not state["done"] and not watch.cancelled() and watch.exception() is None:
            state["left"] = True
            this.cancel()

    watch = asyncio.ensure_future(_disconnected(request))
    watch.add_done_callback(client_left)
    try:
        return await work
    except asyncio.CancelledError:
        if not state["left"]:
            raise
        this.uncancel()
        return None
    finally:
        state["done"] = True
        watch.cancel()


async def _disconnected(request: Request) -> None:
    """Returns when the client has closed the connection (the body, if any, read before)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


def params(request: Request) -> tuple[tuple[str, str], ...]:
    """The URL query parameters, decoded once, in order."""
    return tuple(request.query_params.multi_items())


async def write_response(
    request: Request, result: WriteResult, status: int, headers: dict[str, str] | None = None
) -> Response:
    """The answer to an accepted write: its status, and the validation's Warnings and Infos
    as a JSON body when there are any (a 204 then becomes a 200)."""
    report = result.report
    headers = dict(headers or {})
    headers["Osaamiskartta-Validation"] = (
        f"conforms; warnings={report.count('Warning')}; infos={report.count('Info')}"
    )
    if not report.findings:
        return Response(status_code=status, headers=headers)
    state = app_state(request)
    labels = await state.executor.run(lookup_labels, state.store, nodes_of(report))
    language = preferred_language(request.headers.get("accept-language"))
    body = {
        "triplesAdded": len(result.delta.added),
        "triplesRemoved": len(result.delta.removed),
        "validation": summary(report, labels, language),
    }
    return Response(
        json.dumps(body, ensure_ascii=False),
        status_code=200 if status == 204 else status,
        media_type="application/json",
        headers=headers,
    )
