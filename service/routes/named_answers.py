"""Named queries' answers kept until the next write: what decides an answer's bytes, and
the lookup service/routes/cached_answers.py makes before routing."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Response
from starlette.datastructures import Headers
from starlette.types import Scope

from service.request_facts import note
from service.result_cache import ResultCache


@dataclass(frozen=True)
class NamedAnswer:
    """A named query's answer as the route sends it."""

    body: bytes
    media_type: str
    headers: dict[str, str]

    def response(self, head: bool) -> Response:
        """The HTTP response (without a body for HEAD)."""
        body = b"" if head else self.body
        return Response(body, media_type=self.media_type, headers=self.headers)


def answer_key(scope: Scope) -> tuple[object, ...]:
    """What in a request decides the bytes of a named query's answer: the query and its
    parameters, the negotiated format and label language, and the request's own URL (the
    page links are absolute)."""
    headers = Headers(scope=scope)
    return (
        scope["path"],
        scope["query_string"],
        headers.get("accept"),
        headers.get("accept-language"),
        scope.get("scheme"),
        headers.get("host"),
        scope.get("server"),
        scope.get("root_path", ""),
    )


def answer_version(scope: Scope) -> int:
    counter: int = scope["app"].state.publication.version.current.counter
    return counter


def cached_answer(scope: Scope) -> Response | None:
    """The response to a GET or HEAD of a named query asked before at this data version, or
    None (service/routes/cached_answers.py serves it before routing)."""
    cache: ResultCache[NamedAnswer] | None = getattr(scope["app"].state, "named_answers", None)
    if cache is None or not cache.enabled:
        return None
    answered = cache.get(answer_version(scope), answer_key(scope))
    if answered is None:
        return None
    note("cache", "hit")
    return answered.response(scope["method"] == "HEAD")
