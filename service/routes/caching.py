"""HTTP validators and caching headers for read responses, from the data version.

Every successful GET or HEAD gets an ETag (data version plus the representation's media type
and language, so conneg variants differ), Last-Modified (when the data last changed) and
Cache-Control. A matching If-None-Match, or an If-Modified-Since not older than the data,
turns the response into 304 Not Modified. The version is read before the handler runs: a
write during the request leaves the older version on the response, never a newer one. A
handler whose response shows older data (the dumps, statistics and counts, recomputed in the
background) says so with `show`, and its validators are that version's.
"""

from __future__ import annotations

import functools
import zlib
from email.utils import parsedate_to_datetime

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.publishing.version import DataVersion, Version

# Paths whose answers do not depend on the data version, or are not reads.
UNVERSIONED = ("/health", "/update", "/static/", "/ready", "/metrics", "/admin/")
# Data can change with any write, so clients revalidate (cheaply, with the ETag) every time.
READ_CACHE_CONTROL = "public, no-cache"
READ_CACHE_CONTROL_BYTES = READ_CACHE_CONTROL.encode()
# The validators this middleware sets (replacing any the handler set).
_OURS = (b"etag", b"last-modified")
STATIC_CACHE_CONTROL = "public, max-age=3600"


def show(request: Request, version: Version, etag: str | None = None) -> None:
    """Say that the response shows the data at ``version`` rather than at the current one (a
    summary still being recomputed, see service/publishing/refreshing.py), so that its
    validators say which data it holds; ``etag`` replaces the weak tag (a strong one that a
    file's bytes decide, which range requests can use)."""
    request.state.shown = (version, etag)


def etag_for(version: Version, headers: Headers) -> str:
    """A weak ETag for one representation of a resource at one data version."""
    return _etag(version, headers.get("content-type", ""), headers.get("content-language", ""))


@functools.lru_cache(maxsize=256)
def _etag(version: Version, content_type: str, content_language: str) -> str:
    variant = f"{content_type}|{content_language}"
    return f'W/"{version.tag}-{zlib.crc32(variant.encode()):08x}"'


def not_modified(request: Headers, etag: str, version: Version) -> bool:
    """Whether the client's conditional headers say its copy is current (RFC 9110 §13.2.2)."""
    if (match := request.get("if-none-match")) is not None:
        tags = [t.strip() for t in match.split(",")]
        weak = etag.removeprefix("W/")
        return "*" in tags or any(t.removeprefix("W/") == weak for t in tags)
    if (since := request.get("if-modified-since")) is not None and not version.older:
        try:
            return int(version.timestamp) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False
    return False


def _conditional(scope: Scope) -> bool:
    """Whether the request has a conditional header at all (most have none)."""
    return any(
        name == b"if-none-match" or name == b"if-modified-since" for name, _ in scope["headers"]
    )


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
        # Where a handler leaves the version it shows (`show`); request.state is this dict.
        shared = scope.setdefault("state", {})
        # After a 304 the handler's body is swallowed and one empty body message ends it.
        state = {"drop": False, "ended": False}

        async def send_with_validators(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                # Read and extended as a plain list: this runs on every read.
                raw = message["headers"] = list(message.get("headers", ()))
                content_type = content_language = ""
                cache_control = replaced = False
                for name, value in raw:
                    if name == b"content-type":
                        content_type = value.decode("latin-1")
                    elif name == b"content-language":
                        content_language = value.decode("latin-1")
                    elif name == b"cache-control":
                        cache_control = True
                    elif name in _OURS:
                        replaced = True
                if replaced:
                    raw = message["headers"] = [h for h in raw if h[0] not in _OURS]
                shown, etag = shared.get("shown") or (version, None)
                etag = etag or _etag(shown, content_type, content_language)
                raw.append((b"etag", etag.encode("latin-1")))
                if not shown.older:
                    raw.append((b"last-modified", shown.http_date.encode("latin-1")))
                if not cache_control:
                    raw.append((b"cache-control", READ_CACHE_CONTROL_BYTES))
                if _conditional(scope) and not_modified(request, etag, shown):
                    headers = MutableHeaders(scope=message)
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
