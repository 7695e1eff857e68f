"""The forum tracker: an overview of all sector forums, a page per forum with its phase, its
outputs against the phases' requirements, forms to record outputs and change the phase, and
the same as a JSON API."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse

from service.errors import (
    Forbidden,
    ParameterProblem,
    PhaseRequirementsMissing,
    ShapeViolation,
    Unauthorized,
)
from service.routes.common import app_state
from service.routes.tools_common import (
    first,
    form,
    ids,
    json_object,
    page,
    reader,
    same_origin,
    writer_name,
)
from service.tools import forums, quality
from service.tools.forms import FieldMap, FormErrors, errors_from_report
from service.tools.html import TEXTS

router = APIRouter(tags=["tools"])


async def _forum(request: Request, slug: str) -> forums.Forum:
    """One forum in the reader's language (NotFound when there is none of that name)."""
    state, r = app_state(request), reader(request)
    return await state.executor.run(forums.load_forum, state.store, ids(request), slug, r.lang)


async def _overview_page(
    request: Request,
    status: int = 200,
    errors: FormErrors | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    state, r = app_state(request), reader(request)
    all_forums = await state.executor.run(forums.overview, state.store, ids(request), r.lang)
    sectors = await state.executor.run(forums.sectors, state.store, ids(request), r.lang)
    return page(
        request,
        "forums.html",
        status,
        forums=all_forums,
        sectors=sectors,
        errors=errors,
        typed=typed or {},
    )


async def _forum_page(
    request: Request,
    slug: str,
    status: int = 200,
    errors: FormErrors | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    state, r = app_state(request), reader(request)
    forum = await _forum(request, slug)
    orgs = await state.executor.run(quality.organisations, state.store, ids(request), r.lang)
    return page(
        request,
        "forum.html",
        status,
        forum=forum,
        organisations=orgs,
        kinds=forums.OUTPUT_KINDS,
        errors=errors,
        typed=typed or {},
        saved=request.query_params.get("saved") == "1",
    )


async def _form_write(
    request: Request,
    values: dict[str, list[str]],
    action: Callable[[str], Awaitable[object]],
    fields: FieldMap,
    again: Callable[[int, FormErrors, dict[str, str]], Awaitable[Response]],
) -> Response | None:
    """Run a form's write; the form again (typed values kept) when it is refused."""
    lang = reader(request).lang
    typed = {name: first(values, name) for name in values}
    errors = FormErrors()
    try:
        agent = writer_name(request)
    except (Unauthorized, Forbidden) as exc:
        errors.add(None, TEXTS[lang]["need_login"])
        return await again(exc.status, errors, typed)
    try:
        await action(agent)
    except PhaseRequirementsMissing as exc:
        for finding in exc.report.findings:
            errors.add("phase", finding.message(lang))
        return await again(exc.status, errors, typed)
    except ShapeViolation as exc:
        return await again(exc.status, errors_from_report(exc.report, fields, lang), typed)
    except ParameterProblem as exc:
        errors.add(exc.parameter, exc.reason)
        return await again(exc.status, errors, typed)
    return None


@router.get("/tools/forums", include_in_schema=False)
async def overview_page(request: Request) -> Response:
    """All forums: phase, what they lack, and a form for a new forum."""
    return await _overview_page(request)


@router.post("/tools/forums", include_in_schema=False)
async def create_form(request: Request) -> Response:
    """Create a forum in phase 1."""
    same_origin(request)
    state, r = app_state(request), reader(request)
    values = await form(request)
    label_fi, label_en, sector = (first(values, n) for n in ("label_fi", "label_en", "sector"))
    created: list[str] = []

    async def action(agent: str) -> None:
        slug, _ = await state.executor.run(
            forums.create_forum,
            state.writer,
            state.store,
            ids(request),
            label_fi,
            label_en,
            sector,
            agent,
        )
        created.append(slug)

    async def again(status: int, errors: FormErrors, typed: dict[str, str]) -> Response:
        return await _overview_page(request, status, errors, typed)

    refused = await _form_write(
        request, values, action, forums.create_fields(ids(request), label_fi), again
    )
    if refused is not None:
        return refused
    return RedirectResponse(r.links.with_lang(f"/tools/forums/{created[0]}", saved="1"), 303)


@router.get("/tools/forums/{slug}", include_in_schema=False)
async def forum_page(request: Request, slug: str) -> Response:
    """One forum."""
    return await _forum_page(request, slug)


@router.post("/tools/forums/{slug}/outputs", include_in_schema=False)
async def output_form(request: Request, slug: str) -> Response:
    """Record an output of the forum."""
    same_origin(request)
    state, r = app_state(request), reader(request)
    values = await form(request)
    kind, label_fi, label_en, org = (
        first(values, n) for n in ("kind", "label_fi", "label_en", "organisation")
    )

    async def action(agent: str) -> None:
        await state.executor.run(
            forums.add_output,
            state.writer,
            state.store,
            ids(request),
            slug,
            kind,
            label_fi,
            label_en,
            org,
            agent,
        )

    async def again(status: int, errors: FormErrors, typed: dict[str, str]) -> Response:
        return await _forum_page(request, slug, status, errors, typed)

    fields = forums.output_fields(ids(request), slug, kind, label_fi, org)
    refused = await _form_write(request, values, action, fields, again)
    return refused or RedirectResponse(r.links.with_lang(f"/tools/forums/{slug}", saved="1"), 303)


@router.post("/tools/forums/{slug}/phase", include_in_schema=False)
async def phase_form(request: Request, slug: str) -> Response:
    """Move the forum to another phase; refused with the reasons while it lacks what the phase
    requires."""
    same_origin(request)
    state, r = app_state(request), reader(request)
    values = await form(request)
    phase = first(values, "phase")

    async def action(agent: str) -> None:
        await state.executor.run(
            forums.change_phase, state.writer, state.store, ids(request), slug, phase, agent
        )

    async def again(status: int, errors: FormErrors, typed: dict[str, str]) -> Response:
        return await _forum_page(request, slug, status, errors, typed)

    refused = await _form_write(request, values, action, {}, again)
    return refused or RedirectResponse(r.links.with_lang(f"/tools/forums/{slug}", saved="1"), 303)


@router.get("/api/tools/forums")
async def api_overview(request: Request) -> Response:
    """Every forum: phase, what it requires, has and lacks."""
    state, r = app_state(request), reader(request)
    all_forums = await state.executor.run(forums.overview, state.store, ids(request), r.lang)
    return JSONResponse({"forums": [f.as_json() for f in all_forums]})


@router.get("/api/tools/forums/{slug}")
async def api_forum(request: Request, slug: str) -> Response:
    """One forum: phase, what it requires, has and lacks, and what the next phase adds."""
    return JSONResponse((await _forum(request, slug)).as_json())


async def _json(request: Request) -> dict[str, str]:
    document = await json_object(request)
    return {str(k): "" if v is None else str(v) for k, v in document.items()}


@router.post("/api/tools/forums")
async def api_create(request: Request) -> Response:
    """Create a forum from `{"label_fi", "label_en", "sector"}`; 201 with the forum."""
    state = app_state(request)
    agent = writer_name(request)
    body = await _json(request)
    slug, _ = await state.executor.run(
        forums.create_forum,
        state.writer,
        state.store,
        ids(request),
        body.get("label_fi", ""),
        body.get("label_en", ""),
        body.get("sector", ""),
        agent,
    )
    forum = await _forum(request, slug)
    return JSONResponse(
        forum.as_json(), status_code=201, headers={"Location": f"/api/tools/forums/{slug}"}
    )


@router.post("/api/tools/forums/{slug}/outputs")
async def api_output(request: Request, slug: str) -> Response:
    """Record an output from `{"kind", "label_fi", "label_en", "organisation"}`."""
    state = app_state(request)
    agent = writer_name(request)
    body = await _json(request)
    await state.executor.run(
        forums.add_output,
        state.writer,
        state.store,
        ids(request),
        slug,
        body.get("kind", ""),
        body.get("label_fi", ""),
        body.get("label_en", ""),
        body.get("organisation", ""),
        agent,
    )
    forum = await _forum(request, slug)
    return JSONResponse(forum.as_json())


@router.put("/api/tools/forums/{slug}/phase")
async def api_phase(request: Request, slug: str) -> Response:
    """Move the forum to `{"phase": IRI}`; 422 with the missing requirements when refused."""
    state = app_state(request)
    agent = writer_name(request)
    body = await _json(request)
    await state.executor.run(
        forums.change_phase,
        state.writer,
        state.store,
        ids(request),
        slug,
        body.get("phase", ""),
        agent,
    )
    forum = await _forum(request, slug)
    return JSONResponse(forum.as_json())
