"""Answers served before routing: a GET or HEAD of /sparql or of a named query whose answer
is cached until the next write, or of /sparql whose query is known to be cheap, is answered
here, by the same code and with the same headers as its route (the caching, CORS and
access-log middlewares still wrap it). Routing, FastAPI's request handling and the
query-string parse cost more than the rest of a cached answer.

Reading /sparql and the named queries needs no rights; were rights ever required, they would have
to be checked here too.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from service.routes import named_queries, sparql
from service.routes.named_answers import cached_answer

# Path (or path prefix, ending in /) -> the lookup of an answer to it made before routing.
_LOOKUPS: dict[str, Callable[[Scope], Response | None]] = {
    "/sparql": sparql.answer_before_routing,
    named_queries.ANSWERS_PREFIX: cached_answer,
}


class CachedAnswers:
    """ASGI middleware answering cached reads before routing."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            path: str = scope["path"]
            lookup = _LOOKUPS.get(path)
            if lookup is None and path.startswith(named_queries.ANSWERS_PREFIX):
                lookup = _LOOKUPS[named_queries.ANSWERS_PREFIX]
            response = lookup(scope) if lookup is not None else None
            if response is not None:
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
