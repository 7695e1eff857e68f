"""HEAD for every resource that answers GET (RFC 9110, section 9.3.2).

FastAPI's GET routes take GET alone, so a HEAD of a page, of VoID or of a named query's
description got 405, and link checkers and caches that ask HEAD first found nothing. A HEAD
whose path only a GET route serves is handed to that route as a GET, and the body is left out
of what is sent: the status and header fields (Content-Type, Content-Length, ETag, Link) are
the GET's. Routes that take HEAD themselves (/sparql, the graph store, the static files)
answer it as before.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """ASGI middleware answering a HEAD with the headers of the GET route it would reach."""

    def __init__(self, app: ASGIApp, routes: list[BaseRoute]) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD" or not self._get_only(scope):
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)

    def _get_only(self, scope: Scope) -> bool:
        """True when no route takes this HEAD and one takes it as a GET. (An included
        router's entry matches for its routes, so each route is asked, not its methods.)"""
        as_get = {**scope, "method": "GET"}
        takes_get = False
        for route in self.routes:
            if route.matches(scope)[0] is Match.FULL:
                return False
            takes_get = takes_get or route.matches(as_get)[0] is Match.FULL
        return takes_get
