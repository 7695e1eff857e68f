"""/sparql and /update: the SPARQL 1.1 Query and Update protocols.

Clients' queries run in the query pool and their answers are kept in the result cache; a GET
whose answer is cached is served before routing (``service/routes/cached_answers.py``).
"""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from starlette.types import Scope

from service.auth import authorize
from service.inference import asserted_only
from service.limits import caps, check_query_length, check_update_length
from service.nesting import check_nesting
from service.outbound import check_outbound
from service.pages import query_page
from service.request_facts import note
from service.routes.common import (
    CLIENT_CLOSED_REQUEST,
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
from service.sparql.endpoint import Payload, run_query, run_update
from service.sparql.functions import uses_text_search
from service.sparql.protocol import (
    DescriptionRequest,
    HttpRequest,
    QueryOperation,
    UpdateOperation,
    parse_request,
)

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
            answer = await unless_client_leaves(
                request, pool.run(op, accept, endpoint, caps(state.settings))
            )
            if answer is None:
                note("client", "gone")
                return Response(status_code=CLIENT_CLOSED_REQUEST)
            payload = answer
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


def cached_answer(scope: Scope) -> Response | None:
    """The response to a GET or HEAD of /sparql whose answer the result cache holds, made by
    the same code and with the same headers as the route's; None when it holds none."""
    state = getattr(scope["app"].state, "osaamiskartta", None)
    if state is None or state.pool is None or not state.result_cache.enabled:
        return None
    if scope.get("root_path"):
        return None
    request = Request(scope)
    headers = request.headers
    if "content-length" in headers or "transfer-encoding" in headers:
        return None  # the route reads (and limits) the body
    key = _cache_key(scope, None, b"", headers.get("accept"), url_of(request, "sparql"))
    cached: Payload | None = state.result_cache.get(state.pool.version, key)
    return None if cached is None else _answer(cached, scope["method"] == "HEAD")
