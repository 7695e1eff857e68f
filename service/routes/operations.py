"""/ready (the store is open and loaded, the query workers run) and /metrics (Prometheus)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

router = APIRouter(include_in_schema=False)


@router.get("/ready")
async def ready(request: Request) -> Response:
    """200 once start-up (store open, files loaded, workers started) is done, else 503."""
    state = getattr(request.app.state, "osaamiskartta", None)
    if state is None or getattr(request.app.state, "stopping", False):
        return JSONResponse({"status": "starting or stopping"}, status_code=503)
    if state.pool is not None and not state.pool.alive():
        return JSONResponse({"status": "query workers are not running"}, status_code=503)
    return JSONResponse({"status": "ready", "validation": state.store_validation.state})


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    """Request counts, latency histograms, timeouts, refused writes, validation failures."""
    return Response(
        generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST
    )
