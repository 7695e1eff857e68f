"""Admin endpoints (the admin right): backup, restore, reload of the load directories and
whole-store revalidation."""

from __future__ import annotations

import datetime
import json

from fastapi import APIRouter, Request, Response

from service.auth import authorize
from service.backup import backup, restore
from service.errors import UnsupportedMediaType
from service.loading import load_directories
from service.routes.common import AppState, app_state, read_body
from service.sparql.formats import DATASET_FORMATS, N_QUADS, rdf_format_for_media_type
from service.sparql.protocol import media_type_of

router = APIRouter(prefix="/admin", include_in_schema=False)


def _admin(request: Request) -> tuple[AppState, str]:
    state = app_state(request)
    return state, authorize(request.headers.get("authorization"), state.tokens, "admin")


@router.get("/backup")
async def backup_download(request: Request) -> Response:
    """The whole store as one N-Quads file."""
    state, _ = _admin(request)
    data = await state.executor.run(backup, state.store)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    return Response(
        data,
        media_type=N_QUADS.content_type,
        headers={"Content-Disposition": f'attachment; filename="osaamiskartta-{stamp}.nq"'},
    )


@router.post("/restore")
async def restore_upload(request: Request) -> Response:
    """Replace the store's content with an N-Quads or TriG backup, atomically."""
    state, agent = _admin(request)
    body = await read_body(request, state.settings.max_body_bytes)
    media_type, _ = media_type_of(request.headers.get("content-type"))
    fmt = rdf_format_for_media_type(media_type)
    if fmt is None or fmt not in DATASET_FORMATS:
        raise UnsupportedMediaType("send the backup as application/n-quads or application/trig")
    result = await state.executor.run(restore, state.writer, body, fmt, agent)
    return Response(
        json.dumps(
            {"triplesAdded": len(result.delta.added), "triplesRemoved": len(result.delta.removed)}
        ),
        media_type="application/json",
    )


@router.post("/reload")
async def reload(request: Request) -> Response:
    """Load the load directories again (changed files replace their graphs)."""
    state, _ = _admin(request)
    s = state.settings
    report = await state.executor.run(load_directories, state.writer, s.load_dirs, s.base_iri)
    if (report.loaded or report.dropped) and state.writer.gate is not None:
        state.store_validation.start(state.writer.gate, "files were reloaded by an admin")
    body = {
        "loaded": list(report.loaded),
        "unchanged": list(report.unchanged),
        "dropped": list(report.dropped),
    }
    return Response(json.dumps(body), media_type="application/json")


@router.post("/revalidate")
async def revalidate(request: Request) -> Response:
    """Revalidate the whole store in the background; GET /validate/report shows the result."""
    state, _ = _admin(request)
    if state.writer.gate is not None:
        state.store_validation.start(state.writer.gate, "requested by an admin")
    return Response(
        json.dumps({"state": state.store_validation.state, "report": "/validate/report"}),
        status_code=202,
        media_type="application/json",
    )
