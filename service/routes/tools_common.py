"""What the tools' routers share: the reader's language, page rendering, form bodies and
who is writing (bearer token or the login session)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import Request, Response
from fastapi.responses import HTMLResponse

from service.errors import BadRequest, Forbidden
from service.publishing.labels import choose_language, other_language
from service.publishing.links import Links
from service.publishing.version import Version, VersionedMemo
from service.routes.common import app_state, read_body
from service.tools import competence, html, quality
from service.tools.choice import Choice, narrow
from service.tools.forms import FormErrors
from service.tools.records import Ids
from service.tools.session import COOKIE, authorize_tools, session_token

VARY = "Accept-Language, Cookie"
T = TypeVar("T")


@dataclass(frozen=True)
class Reader:
    """The page language and the link builder."""

    lang: str
    links: Links


def reader(request: Request) -> Reader:
    """The reader's language (`?lang=` first, then Accept-Language) and links keeping it."""
    param = request.query_params.get("lang")
    lang = choose_language(request.headers.get("accept-language"), param)
    chosen = lang if param and param.lower() == lang else None
    return Reader(lang, Links(app_state(request).settings.base_iri, chosen))


@dataclass(frozen=True)
class Shown:
    """How a tool's form page is shown: fresh (200), or back after a post with its status, the
    messages by field and what the user typed."""

    status: int = 200
    errors: FormErrors | None = None
    typed: Mapping[str, object] = field(default_factory=dict)


FRESH = Shown()


def ids(request: Request) -> Ids:
    """The IRIs the tools use under the configured base."""
    return Ids(app_state(request).settings.base_iri)


def load(request: Request, query: Callable[..., T], *args: object) -> Awaitable[T]:
    """`query(store, ids, *args, language)` off the event loop, in the reader's language."""
    state = app_state(request)
    return state.executor.run(query, state.store, ids(request), *args, reader(request).lang)


@dataclass
class _ToolLists:
    """The lists the tools offer to choose from, per name and language until the next write,
    and the askings of the store in flight."""

    memos: dict[str, VersionedMemo[str, list[tuple[str, str]]]] = field(default_factory=dict)
    asking: dict[tuple[str, str, Version], asyncio.Future[list[tuple[str, str]]]] = field(
        default_factory=dict
    )


async def _listed(
    request: Request, name: str, ask: Callable[[], Awaitable[list[tuple[str, str]]]]
) -> list[tuple[str, str]]:
    """The list ``name`` in the reader's language, asked of the store once per data version:
    requests that find it missing together wait for one asking (the organisations took 2 s at
    10M triples), which goes on when one of them leaves."""
    lists: _ToolLists | None = getattr(request.app.state, "tool_lists", None)
    if lists is None:
        lists = request.app.state.tool_lists = _ToolLists()
    memo = lists.memos.get(name)
    if memo is None:
        memo = lists.memos[name] = VersionedMemo(request.app.state.publication.version, size=2)
    language = reader(request).lang
    found = memo.get(language)
    if found is not None:
        return found
    at = memo.now()
    key = (name, language, at)
    asking = lists.asking.get(key)
    if asking is None:
        asking = lists.asking[key] = asyncio.ensure_future(ask())
        asking.add_done_callback(lambda done: _asked(lists, key, memo, done))
    return await asyncio.shield(asking)


def _asked(
    lists: _ToolLists,
    key: tuple[str, str, Version],
    memo: VersionedMemo[str, list[tuple[str, str]]],
    done: asyncio.Future[list[tuple[str, str]]],
) -> None:
    """Remembered when asked, even when every request waiting for it has left."""
    lists.asking.pop(key, None)
    if done.cancelled():
        return
    if done.exception() is None:  # retrieved either way: each waiter raises it
        _, language, at = key
        memo.put(language, done.result(), at)


def organisations(request: Request) -> Awaitable[list[tuple[str, str]]]:
    """(slug, label) of every organisation in the reader's language, asked of the store once
    per data version (38,538 organisations at 10M triples took 2 s on every index page)."""
    return _listed(request, "organisations", lambda: load(request, quality.organisations))


async def organisation_choice(request: Request, keep: str = "") -> Choice:
    """The organisations a page offers to choose from: those whose name (or slug) holds the
    request's ``find`` text, at most ``choice.SHOWN``, with the already chosen ``keep`` (a
    slug)."""
    return narrow(
        await organisations(request), request.query_params.get("find", ""), (keep,) if keep else ()
    )


async def competence_choice(request: Request, keep: Collection[str] = ()) -> Choice:
    """The competences a page offers to choose from: those whose name holds the request's
    ``find_competence`` text, at most ``choice.SHOWN``, with the already chosen ``keep``
    (IRIs). The list is asked of the store once per data version (2,688 at 10M triples)."""
    state = app_state(request)
    listed = await _listed(
        request,
        "competences",
        lambda: state.executor.run(competence.competences, state.store, reader(request).lang),
    )
    return narrow(listed, request.query_params.get("find_competence", ""), keep, match_key=False)


def logged_in(request: Request) -> bool:
    """True when the browser holds a valid session cookie."""
    return session_token(request.cookies.get(COOKIE), app_state(request).tokens) is not None


def page(
    request: Request,
    template: str,
    status: int = 200,
    *,
    form: Shown | None = None,
    **context: object,
) -> Response:
    """A tool page in the reader's language; with `form`, its status, messages and typed values
    (and whether it follows a save)."""
    if form is not None:
        status = form.status
        saved = request.query_params.get("saved") == "1"
        context.update(errors=form.errors, typed=form.typed, saved=saved)
    r = reader(request)
    query = {k: v for k, v in request.query_params.items() if k != "lang"}
    query["lang"] = other_language(r.lang)
    switch = f"{request.url.path}?{urlencode(query)}"
    body = html.render(
        template,
        r.lang,
        switch,
        links=r.links,
        logged_in=logged_in(request),
        login_href=r.links.with_lang("/tools/login", next=request.url.path),
        **context,
    )
    return HTMLResponse(
        body.encode(),
        status_code=status,
        headers={"Vary": VARY, "Content-Language": r.lang, "Cache-Control": "no-store"},
    )


async def form(request: Request) -> dict[str, list[str]]:
    """An application/x-www-form-urlencoded body as lists of values by name."""
    settings = app_state(request).settings
    body = await read_body(request, settings.max_body_bytes)
    values: dict[str, list[str]] = {}
    for name, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
        values.setdefault(name, []).append(value)
    return values


def first(values: dict[str, list[str]], name: str) -> str:
    """The first value of a form field, or ''."""
    return (values.get(name) or [""])[0]


def firsts(values: dict[str, list[str]]) -> dict[str, str]:
    """Each field's first value: what a form of single values shows again as typed."""
    return {name: first(values, name) for name in values}


def same_origin(request: Request) -> None:
    """Refuse a form post that a page of another origin made (beside SameSite cookies)."""
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
        raise Forbidden("forms are accepted only from this service's own pages")


def writer_name(request: Request) -> str:
    """Who is writing; Unauthorized or Forbidden when neither token nor session is valid."""
    return authorize_tools(
        request.headers.get("authorization"),
        request.cookies.get(COOKIE),
        app_state(request).tokens,
    )


async def json_object(request: Request) -> dict[str, object]:
    """The request's JSON body, which must be an object (an empty body is ``{}``)."""
    body = await read_body(request, app_state(request).settings.max_body_bytes)
    try:
        document = json.loads(body or b"{}")
    except ValueError as exc:
        raise BadRequest("the body must be a JSON object") from exc
    if not isinstance(document, dict):
        raise BadRequest("the body must be a JSON object")
    return document
