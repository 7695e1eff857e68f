"""/data: the SPARQL 1.1 Graph Store HTTP Protocol (indirect and direct identification)."""

from __future__ import annotations

import functools
import uuid

from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse

from service import graph_store
from service.auth import authorize
from service.errors import MethodNotAllowed
from service.routes.common import app_state, params, read_body, write_response
from service.store.base import WritingOut
from service.streaming import stream

router = APIRouter()
METHODS = ("GET", "HEAD", "PUT", "POST", "DELETE")
_VARY = {"Vary": "Accept"}


@router.api_route("/data", methods=[*METHODS, "PATCH", "OPTIONS"], name="graph_store")
async def graph_store_root(request: Request) -> Response:
    """Graphs named by ``?graph=`` or ``?default``; the whole store without either."""
    return await _handle(request, direct_iri=None)


@router.api_route("/data/{path:path}", methods=[*METHODS, "PATCH", "OPTIONS"])
async def graph_store_direct(request: Request, path: str) -> Response:
    """Direct identification: the request URL is the graph IRI."""
    direct = str(request.url.replace(query=None)) if path else None
    return await _handle(request, direct_iri=direct)


async def _handle(request: Request, direct_iri: str | None) -> Response:
    state = app_state(request)
    method = request.method.upper()
    if method not in METHODS:
        raise MethodNotAllowed(f"{method} is not supported by the graph store", METHODS)
    target = graph_store.resolve_target(params(request), direct_iri)
    if method in ("GET", "HEAD"):
        format_param = next((v for k, v in params(request) if k == "format"), None)
        accept = request.headers.get("accept")
        store = state.store
        if isinstance(store, WritingOut):
            fmt = await state.executor.run(
                graph_store.read_format, store, target, accept, format_param
            )
            write = functools.partial(graph_store.write_out, store, target, fmt)
            chunks = stream(state.streams, write) if method == "GET" else iter(())
            return StreamingResponse(chunks, media_type=fmt.content_type, headers=_VARY)
        payload = await state.executor.run(graph_store.read, store, target, accept, format_param)
        return Response(
            b"" if method == "HEAD" else payload.body,
            media_type=payload.format.content_type,
            headers={"Vary": "Accept", "Content-Length": str(len(payload.body))},
        )
    agent = authorize(request.headers.get("authorization"), state.tokens, "write")
    if method == "DELETE":
        result = await state.executor.run(graph_store.delete, state.writer, target, agent)
        return await write_response(request, result, 204)
    body = await read_body(request, state.settings.max_body_bytes)
    content_type = request.headers.get("content-type")
    if method == "PUT":
        result = await state.executor.run(
            graph_store.put, state.writer, target, content_type, body, agent
        )
        return await write_response(request, result, 201 if result.created_graphs else 204)
    # POST: to a graph merges; to the store itself creates a new graph and says where.
    if target.is_store:
        graph = f"{request.url_for('graph_store')}/{uuid.uuid4()}"
        result = await state.executor.run(
            graph_store.post, state.writer, graph, content_type, body, agent
        )
        return await write_response(request, result, 201, {"Location": graph})
    result = await state.executor.run(
        graph_store.post, state.writer, target.graph, content_type, body, agent
    )
    return await write_response(request, result, 201 if result.created_graphs else 204)
