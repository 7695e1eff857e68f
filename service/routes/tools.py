"""All the tools' routers as one (the app includes this one)."""

from __future__ import annotations

from fastapi import APIRouter

from service.routes import (
    tools_competence,
    tools_forums,
    tools_pages,
    tools_quality,
    tools_review,
    tools_strategy,
)

router = APIRouter()
for _module in (
    tools_pages,
    tools_quality,
    tools_forums,
    tools_strategy,
    tools_competence,
    tools_review,
):
    router.include_router(_module.router)
