"""HTTP validators and caching headers for read responses, from the data version.

Every successful GET or HEAD gets an ETag (data version plus the representation's media type
and language, so conneg variants differ), Last-Modified (when the data last changed) and
Cache-Control. A matching If-None-Match, or an If-Modified-Since not older than the data,
turns the response into 304 Not Modified. The version is read before the handler runs: a
write during the request leaves the older version on the response, never a newer one.
"""

from __future__ import annotations

import zlib
from email.utils import parsedate_to_datetime

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.publishing.version import DataVersion, Version

# Paths whose answers do not depend on the data version, or are not reads.
UNVERSIONED = ("/health", "/update", "/static/", "/ready", "/metrics", "/admin/")
# Data can change with any write, so clients revalidate (cheaply, with the ETag) every time.
READ_CACHE_CONTROL = "public, no-cache"
STATIC_CACHE_CONTROL = "public, max-age=3600"


def etag_for(version: Version, headers: Headers) -> str:
    """A weak ETag for one representation of a resource at one data version."""
    variant = f"{headers.get('content-type', '')}|{headers.get('content-language', '')}"
    return f'W/"{version.tag}-{zlib.crc32(variant.encode()):08x}"'


def not_modified(request: Headers, etag: str, version: Version) -> bool:
    """Whether the client's conditional headers say its copy is current (RFC 9110 §13.2.2)."""
    if (match := request.get("if-none-match")) is not None:
        tags = [t.strip() for t in match.split(",")]
        weak = etag.removeprefix("W/")
        return "*" in tags or any(t.removeprefix("W/") == weak for t in tags)
    if (since := request.get("if-modified-since")) is not None:
        try:
            return int(version.timestamp) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False
    return False


class CachingMiddleware:
    """Adds ETag, Last-Modified and Cache-Control to reads and answers 304 when it can."""

    def __init__(self, app: ASGIApp, version: DataVersion | None = None) -> None:
        self.app = app
        self._version = version

    def _data_version(self, scope: Scope) -> DataVersion | None:
        if self._version is not None:
            return self._version
        publication = getattr(scope["app"].state, "publication", None)
        return publication.version if publication is not None else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path.startswith("/static/"):
            await self.app(scope, receive, self._static(send))
            return
        data_version = self._data_version(scope)
        if data_version is None or path.startswith(UNVERSIONED):
            await self.app(scope, receive, send)
            return
        version = data_version.current
        request = Headers(scope=scope)
        # After a 304 the handler's body is swallowed and one empty body message ends it.
        state = {"drop": False, "ended": False}

        async def send_with_validators(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                headers = MutableHeaders(scope=message)
                etag = etag_for(version, headers)
                headers["ETag"] = etag
                headers["Last-Modified"] = version.http_date
                headers.setdefault("Cache-Control", READ_CACHE_CONTROL)
                if not_modified(request, etag, version):
                    state["drop"] = True
                    for name in ("content-length", "content-type", "content-disposition"):
                        if name in headers:
                            del headers[name]
                    message["status"] = 304
            elif message["type"] == "http.response.body" and state["drop"]:
                if state["ended"]:
                    return
                state["ended"] = True
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app(scope, receive, send_with_validators)

    @staticmethod
    def _static(send: Send) -> Send:
        async def send_static(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).setdefault("Cache-Control", STATIC_CACHE_CONTROL)
            await send(message)

        return send_static
