"""Strategy alignment: the page, the JSON and the CSV export."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from service.routes.common import app_state
from service.routes.tools_common import page, reader
from service.tools import strategy

router = APIRouter(tags=["tools"])


@router.get("/tools/strategy", include_in_schema=False)
async def strategy_page(request: Request) -> Response:
    """The goals of the three policy levels as a tree, measures and actors, and the gaps."""
    state, r = app_state(request), reader(request)
    found = await state.executor.run(strategy.alignment, state.store, r.lang)
    return page(request, "strategy.html", alignment=found)


@router.get("/api/tools/strategy")
async def strategy_json(request: Request) -> Response:
    """The alignment tree and its gaps."""
    state, r = app_state(request), reader(request)
    found = await state.executor.run(strategy.alignment, state.store, r.lang)
    return JSONResponse(found.as_json())


@router.get("/api/tools/strategy.csv")
async def strategy_csv(request: Request) -> Response:
    """The alignment as CSV: one row per goal, measure and responsible actor, with its gap."""
    state, r = app_state(request), reader(request)
    found = await state.executor.run(strategy.alignment, state.store, r.lang)
    return Response(
        found.csv(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="strategy-alignment.csv"'},
    )
