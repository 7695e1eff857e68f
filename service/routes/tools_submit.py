"""How the tools write: a form post that comes back as the form with the messages when it is
refused and redirects when it is saved, and a JSON save. The handlers say only what is their
own: what the write is, where its findings go on the form, which page shows the form again
and where a saved form leads."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from typing import TypeVar

from fastapi import Request, Response
from fastapi.responses import RedirectResponse

from service.errors import Forbidden, ParameterProblem, ShapeViolation, Unauthorized
from service.routes.common import app_state
from service.routes.tools_common import Shown, form, ids, reader, same_origin, writer_name
from service.tools.forms import FieldMap, FormErrors, errors_from_report
from service.tools.html import TEXTS

T = TypeVar("T")
B = TypeVar("B")

Write = Callable[[str], Awaitable[T]]
"""The write itself, given who is writing."""
Fields = FieldMap | Callable[[], FieldMap | Awaitable[FieldMap]]
"""Where the gate's findings go on the form: (focus, path) to a field name, or what makes
that map, asked only when the gate refuses."""
Again = Callable[[Shown], Awaitable[Response]]
"""The form's page again, shown with a status, the messages and what the user typed."""
Refused = Callable[[ShapeViolation, str], FormErrors]
"""The gate's refusal as the form's messages in a language, when `Fields` cannot say it."""


def write_through(request: Request, action: Callable[..., T], *args: object) -> Awaitable[T]:
    """`action(writer, store, ids, *args)` off the event loop: a tool's write through the gate."""
    state = app_state(request)
    return state.executor.run(action, state.writer, state.store, ids(request), *args)


async def posted_form(request: Request) -> dict[str, list[str]]:
    """The posted form's values; Forbidden when another origin's page posted it."""
    same_origin(request)
    return await form(request)


async def _field_map(fields: Fields) -> FieldMap:
    if not callable(fields):
        return fields
    made = fields()
    return await made if inspect.isawaitable(made) else made


async def submit_form(
    request: Request,
    *,
    write: Write[T],
    typed: Mapping[str, object],
    again: Again,
    redirect_to: str | Callable[[T], str],
    fields: Fields | None = None,
    refused: Refused | None = None,
) -> Response:
    """Write a posted form and redirect (303, `?saved=1`) to `redirect_to`; or the form again
    with `typed` in it: 401/403 without a valid session, 422 with the gate's findings by field
    (`refused` when given, else `fields`), 400 with a ParameterProblem by its parameter."""
    r = reader(request)
    errors = FormErrors()
    try:
        agent = writer_name(request)
    except (Unauthorized, Forbidden) as exc:
        errors.add(None, TEXTS[r.lang]["need_login"])
        return await again(Shown(exc.status, errors, typed))
    try:
        written = await write(agent)
    except ShapeViolation as exc:
        if refused is not None:
            errors = refused(exc, r.lang)
        else:
            errors = errors_from_report(exc.report, await _field_map(fields or {}), r.lang)
        return await again(Shown(exc.status, errors, typed))
    except ParameterProblem as exc:
        errors.add(exc.parameter, exc.reason)
        return await again(Shown(exc.status, errors, typed))
    path = redirect_to(written) if callable(redirect_to) else redirect_to
    return RedirectResponse(r.links.with_lang(path, saved="1"), 303)


async def save_json(
    request: Request,
    read: Callable[[Request], Awaitable[B]],
    write: Callable[[B, str], Awaitable[T]],
    fields: Callable[[B], FieldMap | Awaitable[FieldMap]] | None = None,
    refused: Refused | None = None,
) -> T:
    """Write a JSON body after the token is checked (401/403 before the body is read) and
    return what the write gives. When the gate refuses, the problem names the fields too, as
    the form would: where `fields` (made from the body) puts the findings, or as `refused`
    says."""
    agent = writer_name(request)
    body = await read(request)
    try:
        return await write(body, agent)
    except ShapeViolation as exc:
        lang = reader(request).lang
        if refused is not None:
            exc.fields = refused(exc, lang).as_json()
        elif fields is not None:
            where = await _field_map(lambda: fields(body))
            exc.fields = errors_from_report(exc.report, where, lang).as_json()
        raise
