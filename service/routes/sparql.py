"""/sparql and /update: the SPARQL 1.1 Query and Update protocols.

Clients' queries run in the query pool and their answers are kept in the result cache; a GET
whose answer is cached is served before routing (``service/routes/cached_answers.py``).

A GET whose query took less than ``OSAAMISKARTTA_INLINE_QUERIES_BELOW_MS`` of CPU when it last
ran at the current data version is evaluated before routing too, on the event loop: handing a
sub-millisecond query to a worker and its answer back costs the service more than the query
(two socket writes and reads, the routing and the worker's wake-up). Its cost is what the same
request (query string, Accept, endpoint) took last time, in a worker or here, so a query
becomes inline only after it has run once in a worker, with the time limit, and goes back to
the workers as soon as a run takes longer or a write moves the data version on.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import replace
from functools import lru_cache

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from starlette.datastructures import QueryParams
from starlette.types import Scope

from service.auth import authorize
from service.errors import ServiceError
from service.inference import asserted_only
from service.inline_reads import CheapReads
from service.limits import caps, check_query_length, check_update_length
from service.nesting import check_nesting
from service.outbound import check_outbound
from service.pages import query_page
from service.query_pool import NeedsTextIndex
from service.request_facts import note
from service.routes.common import (
    CLIENT_CLOSED_REQUEST,
    AppState,
    app_state,
    params,
    read_body,
    unless_client_leaves,
    url_of,
    write_response,
)
from service.settings import Settings
from service.sparql.conneg import negotiate, prefers
from service.sparql.description import DESCRIPTION_FORMATS, render_description
from service.sparql.endpoint import Payload, evaluate, run_query, run_update
from service.sparql.functions import uses_text_search
from service.sparql.protocol import (
    DescriptionRequest,
    HttpRequest,
    QueryOperation,
    UpdateOperation,
    parse_request,
)
from service.sparql.repeatable import repeatable
from service.store.oxigraph import OxigraphStore

router = APIRouter()
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]


# Plain Starlette routes: FastAPI's parameter solving and response handling would add a tenth
# of a millisecond to every query (service/sparql/openapi.py describes them instead).


async def sparql(request: Request) -> Response:
    """Query (GET, POST), update (POST) or the service description (GET without a query)."""
    return await _handle(request, accepts_queries=True)


async def update(request: Request) -> Response:
    """SPARQL 1.1 Update (POST only)."""
    return await _handle(request, accepts_queries=False)


router.add_route("/sparql", sparql, methods=ALL_METHODS, name="sparql", include_in_schema=False)
router.add_route("/update", update, methods=ALL_METHODS, name="update", include_in_schema=False)


async def _handle(request: Request, *, accepts_queries: bool) -> Response:
    state = app_state(request)
    headers = request.headers
    reading = request.method in ("GET", "HEAD")
    # A GET's body means nothing to the protocol; one is read only to refuse it when too large.
    has_body = not reading or "content-length" in headers or "transfer-encoding" in headers
    body = await read_body(request, state.settings.max_body_bytes) if has_body else b""
    accept = headers.get("accept")
    endpoint = url_of(request, "sparql")
    head = request.method == "HEAD"
    pool, cache = state.pool, state.result_cache
    key: tuple[object, ...] | None = None
    version = 0
    if accepts_queries and pool is not None and cache.enabled:
        # The request as sent decides the answer: the query string (query, dataset, inference,
        # format), a POST's Content-Type and body, Accept, and the endpoint as the base IRI.
        # Keyed by them, a hit needs no parsing, and no checks: the same query passed them.
        content_type = None if reading else headers.get("content-type")
        key = _cache_key(request.scope, content_type, body, accept, endpoint)
        version = pool.version
        cached = cache.get(version, key)
        if cached is not None:
            note("cache", "hit")
            return _answer(cached, head)
    op = parse_request(
        HttpRequest(request.method, params(request), headers.get("content-type"), body),
        accepts_queries=accepts_queries,
    )
    if isinstance(op, DescriptionRequest):
        graphs = await state.executor.run(state.store.named_graphs)
        if op.format is None and prefers(accept, "text/html", DESCRIPTION_FORMATS):
            page = query_page(
                endpoint,
                str(request.url_for("update")),
                str(request.url_for("graph_store")),
                graphs,
            )
            return HTMLResponse(b"" if head else page)
        fmt = negotiate(accept, op.format, DESCRIPTION_FORMATS)
        content = render_description(endpoint, graphs, fmt)
        return Response(
            b"" if head else content, media_type=fmt.content_type, headers={"Vary": "Accept"}
        )
    if isinstance(op, QueryOperation):
        if not op.inference:
            op = replace(op, dataset=asserted_only(op.dataset, state.settings.base_iri))
        _check_query(op.query, state.settings)
        text_search = uses_text_search(op.query)
        if pool is None or (text_search and pool.search_index is None):
            # A remote engine answers every query itself; a memory store's full-text index
            # is in this process only, so its text-search queries run here.
            payload = await state.executor.run(run_query, state.store, op, accept, endpoint)
        else:
            if text_search:
                # Not kept: the index is not part of the snapshots the pool's version names.
                key = None
            if key is not None:
                cache.miss()
            # A GET's run is timed, to evaluate it on the event loop next time if it is cheap
            # (answer_before_routing), when its run vouches for the next (repeatable).
            reads, kind, at = state.cheap_queries, None, None
            if reads is not None and reading and not has_body and repeatable(op.query):
                kind, at = _query_kind(request.scope, accept, endpoint), reads.now()
            try:
                answer = await unless_client_leaves(
                    request, pool.run(op, accept, endpoint, caps(state.settings))
                )
            except ServiceError:
                if reads is not None and kind is not None and at is not None:
                    reads.note(kind, math.inf, at)  # refused or stopped: only in a worker
                raise
            except NeedsTextIndex:
                # The full-text function under another spelling: run here, as above, not kept.
                if reads is not None and kind is not None and at is not None:
                    reads.note(kind, math.inf, at)
                payload = await state.executor.run(run_query, state.store, op, accept, endpoint)
                return _answer(payload, head)
            if answer is None:
                note("client", "gone")
                return Response(status_code=CLIENT_CLOSED_REQUEST)
            payload = answer
            if reads is not None and kind is not None and at is not None:
                # None when the run called an extension function (query_worker.answer).
                reads.note(kind, math.inf if payload.seconds is None else payload.seconds, at)
            if key is not None:
                size = len(request.scope["query_string"]) + len(body) + len(accept or "")
                cache.put(version, key, payload, size + len(endpoint))
        return _answer(payload, head)
    assert isinstance(op, UpdateOperation)
    agent = authorize(request.headers.get("authorization"), state.tokens, "write")
    check_update_length(op.update, state.settings.max_update_length)
    check_nesting(op.update, "update")
    check_outbound(op.update, state.settings.outbound_allowlist)
    result = await state.executor.run(run_update, state.writer, op, endpoint, agent)
    return await write_response(request, result, 204)


def _check_query(query: str, settings: Settings) -> None:
    """The checks a client's query passes before it is evaluated."""
    check_query_length(query, settings.max_query_length)
    check_nesting(query, "query")
    check_outbound(query, settings.outbound_allowlist)


_VARY = {"Vary": "Accept"}


def _answer(payload: Payload, head: bool) -> Response:
    return Response(
        b"" if head else payload.body, media_type=payload.format.content_type, headers=_VARY
    )


def _cache_key(
    scope: Scope, content_type: str | None, body: bytes, accept: str | None, endpoint: str
) -> tuple[object, ...]:
    """What in a request decides a query's answer (see ``_handle``)."""
    return (scope["query_string"], content_type, body, accept, endpoint)


def _query_kind(scope: Scope, accept: str | None, endpoint: str) -> bytes:
    """What decides a GET's query and its answer, as a digest (the texts may be long)."""
    digest = hashlib.blake2b(scope["query_string"], digest_size=16)
    digest.update(b"\0" + (accept or "").encode() + b"\0" + endpoint.encode())
    return digest.digest()


def answer_before_routing(scope: Scope) -> Response | None:
    """The response to a GET or HEAD of /sparql whose answer the result cache holds, or whose
    query is known to be cheap (evaluated here and now), made by the same code and with the same
    headers as the route's; None when the route is to answer it."""
    state: AppState | None = getattr(scope["app"].state, "osaamiskartta", None)
    if state is None or state.pool is None or scope.get("root_path"):
        return None
    cache, reads = state.result_cache, state.cheap_queries
    if not cache.enabled and reads is None:
        return None
    request = Request(scope)
    headers = request.headers
    if "content-length" in headers or "transfer-encoding" in headers:
        return None  # the route reads (and limits) the body
    accept, endpoint = headers.get("accept"), url_of(request, "sparql")
    head = scope["method"] == "HEAD"
    version = state.pool.version
    key = _cache_key(scope, None, b"", accept, endpoint)
    if cache.enabled:
        cached: Payload | None = cache.get(version, key)
        if cached is not None:
            note("cache", "hit")
            return _answer(cached, head)
    if reads is None:
        return None
    kind = _query_kind(scope, accept, endpoint)
    if not reads.is_cheap(kind):
        return None
    payload = _evaluate_here(request, state, reads, kind, accept, endpoint)
    if payload is None:
        return None
    note("evaluated", "inline")
    if cache.enabled:
        cache.miss()
        size = len(scope["query_string"]) + len(accept or "") + len(endpoint)
        cache.put(version, key, payload, size)
    return _answer(payload, head)


def _evaluate_here(
    request: Request,
    state: AppState,
    reads: CheapReads,
    kind: bytes,
    accept: str | None,
    endpoint: str,
) -> Payload | None:
    """The answer to a GET's query known to be cheap, evaluated on the event loop; None when
    it is to go to the route after all (the store cannot read at once, a write is under way, or
    the query fails: the route gives the refusal)."""
    store = state.store
    if not isinstance(store, OxigraphStore):
        return None
    op = _inline_operation(request.scope["query_string"], state.settings.base_iri)
    if op is None:
        return None
    # Not checked again (length, nesting, outbound IRIs): ``kind`` names this very query
    # string, which passed the checks before its first run, in a worker.
    with reads.here_and_now(kind, store) as at:
        if at is None:
            return None
        try:
            # Serialised without the caps' row count: at this data version, with no write under
            # way, the query answers as it did in the worker, within the caps (it uses nothing
            # that varies from run to run: repeatable). The bytes are checked all the same.
            payload = evaluate(store, op, accept, endpoint, None)
        except ServiceError:
            reads.note(kind, math.inf, at)
            return None
        limit = state.settings.max_response_bytes
        if payload.seconds is None or (limit and len(payload.body) > limit):
            reads.note(kind, math.inf, at)
            return None
        reads.ran_here(kind, payload.seconds, at)
        return payload


# Query strings up to this length have their operation remembered (``_inline_operation``).
_REMEMBERED_QUERY_STRING_BYTES = 16 * 1024


def _inline_operation(query_string: bytes, base_iri: str) -> QueryOperation | None:
    """The query of a GET's query string known to be cheap, ready to evaluate here: remembered
    per query string, of which it is a function alone (decoding the parameters and parsing the
    protocol cost as much as a point lookup's evaluation); None when the route is to answer."""
    if len(query_string) > _REMEMBERED_QUERY_STRING_BYTES:
        return _operation_of(query_string, base_iri)
    return _remembered_operation(query_string, base_iri)


@lru_cache(maxsize=256)
def _remembered_operation(query_string: bytes, base_iri: str) -> QueryOperation | None:
    return _operation_of(query_string, base_iri)


def _operation_of(query_string: bytes, base_iri: str) -> QueryOperation | None:
    try:
        items = tuple(QueryParams(query_string).multi_items())
        op = parse_request(HttpRequest("GET", items, None, b""), accepts_queries=True)
    except ServiceError:
        return None  # not for a request known to be cheap: its parameters passed before
    if not isinstance(op, QueryOperation) or uses_text_search(op.query):
        return None
    if not op.inference:
        op = replace(op, dataset=asserted_only(op.dataset, base_iri))
    return op
