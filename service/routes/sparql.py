"""/sparql and /update: the SPARQL 1.1 Query and Update protocols."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from service.auth import authorize
from service.inference import asserted_only
from service.limits import caps, check_query_length, check_update_length
from service.nesting import check_nesting
from service.outbound import check_outbound
from service.pages import query_page
from service.routes.common import app_state, params, read_body, write_response
from service.sparql.conneg import negotiate, prefers
from service.sparql.description import DESCRIPTION_FORMATS, render_description
from service.sparql.endpoint import run_query, run_update
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


@router.api_route("/sparql", methods=ALL_METHODS, name="sparql")
async def sparql(request: Request) -> Response:
    """Query (GET, POST), update (POST) or the service description (GET without a query)."""
    return await _handle(request, accepts_queries=True)


@router.api_route("/update", methods=ALL_METHODS, name="update")
async def update(request: Request) -> Response:
    """SPARQL 1.1 Update (POST only)."""
    return await _handle(request, accepts_queries=False)


async def _handle(request: Request, *, accepts_queries: bool) -> Response:
    state = app_state(request)
    body = await read_body(request, state.settings.max_body_bytes)
    op = parse_request(
        HttpRequest(request.method, params(request), request.headers.get("content-type"), body),
        accepts_queries=accepts_queries,
    )
    accept = request.headers.get("accept")
    endpoint = str(request.url_for("sparql"))
    head = request.method == "HEAD"
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
        check_query_length(op.query, state.settings.max_query_length)
        check_nesting(op.query, "query")
        check_outbound(op.query, state.settings.outbound_allowlist)
        if state.pool is not None and not uses_text_search(op.query):
            payload = await state.pool.run(op, accept, endpoint, caps(state.settings))
        else:
            # The full-text index lives in this process: such queries run here.
            payload = await state.executor.run(run_query, state.store, op, accept, endpoint)
        return Response(
            b"" if head else payload.body,
            media_type=payload.format.content_type,
            headers={"Vary": "Accept"},
        )
    assert isinstance(op, UpdateOperation)
    agent = authorize(request.headers.get("authorization"), state.tokens, "write")
    check_update_length(op.update, state.settings.max_update_length)
    check_nesting(op.update, "update")
    check_outbound(op.update, state.settings.outbound_allowlist)
    result = await state.executor.run(run_update, state.writer, op, endpoint, agent)
    return await write_response(request, result, 204)
