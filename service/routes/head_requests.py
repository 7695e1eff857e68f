"""HEAD for every resource that answers GET (RFC 9110, section 9.3.2).

FastAPI's GET routes take GET alone, so a HEAD of a page, of VoID or of a named query's
description got 405, and link checkers and caches that ask HEAD first found nothing. A HEAD
whose path only a GET route serves is handed to that route as a GET, and the body is left out
of what is sent: the status and header fields (Content-Type, Content-Length, ETag, Link) are
the GET's. Routes that take HEAD themselves (/sparql, the graph store, the static files)
answer it as before, and so do the dump files (a file's HEAD reads nothing). The operations
under /admin/ are left out: a HEAD of the backup would build one. No HEAD passes a Range on:
it is defined for GET alone (RFC 9110 14.2), so a HEAD gets the whole representation's
header fields.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Request header fields that mean something for a GET alone.
_GET_ONLY_HEADERS = (b"range", b"if-range")


class HeadAsGet:
    """ASGI middleware answering a HEAD with the headers of the GET route it would reach."""

    def __init__(
        self, app: ASGIApp, routes: list[BaseRoute], left_out: tuple[str, ...] = ("/admin/",)
    ) -> None:
        self.app = app
        self.routes = routes
        self.left_out = left_out

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        headers = [(k, v) for k, v in scope["headers"] if k not in _GET_ONLY_HEADERS]
        scope = {**scope, "headers": headers}
        if scope["path"].startswith(self.left_out) or not self._get_only(scope):
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] in ("http.response.body", "http.response.pathsend"):
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
