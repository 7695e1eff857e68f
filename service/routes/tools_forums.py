"""The forum tracker: an overview of all sector forums, a page per forum with its phase, its
outputs against the phases' requirements, forms to record outputs and change the phase, and
the same as a JSON API."""

from __future__ import annotations

from collections.abc import Awaitable

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from service.errors import PhaseRequirementsMissing, ShapeViolation
from service.routes.tools_common import (
    FRESH,
    Shown,
    first,
    firsts,
    ids,
    json_object,
    load,
    organisation_choice,
    page,
)
from service.routes.tools_submit import posted_form, save_json, submit_form, write_through
from service.tools import forums
from service.tools.forms import FormErrors, errors_from_report, on_field
from service.writes import WriteResult

router = APIRouter(tags=["tools"])


async def _overview_page(request: Request, shown: Shown = FRESH) -> Response:
    all_forums = await load(request, forums.overview)
    sectors = await load(request, forums.sectors)
    return page(
        request,
        "forums.html",
        form=shown,
        forums=all_forums,
        sectors=sectors,
    )


async def _forum_page(request: Request, slug: str, shown: Shown = FRESH) -> Response:
    forum = await load(request, forums.load_forum, slug)
    typed = str(shown.typed.get("organisation", ""))
    keep = ids(request).slug_of(typed, "organisation") if typed else None
    return page(
        request,
        "forum.html",
        form=shown,
        forum=forum,
        choice=await organisation_choice(request, keep or ""),
        kinds=forums.OUTPUT_KINDS,
    )


def _create(
    request: Request, label_fi: str, label_en: str, sector: str, agent: str
) -> Awaitable[tuple[str, WriteResult]]:
    return write_through(request, forums.create_forum, label_fi, label_en, sector, agent)


def _add_output(
    request: Request, slug: str, kind: str, label_fi: str, label_en: str, org: str, agent: str
) -> Awaitable[WriteResult]:
    return write_through(request, forums.add_output, slug, kind, label_fi, label_en, org, agent)


def _change_phase(request: Request, slug: str, phase: str, agent: str) -> Awaitable[WriteResult]:
    return write_through(request, forums.change_phase, slug, phase, agent)


def _phase_refused(exc: ShapeViolation, lang: str) -> FormErrors:
    """What the new phase requires and the forum lacks, by the phase; the rest above the form."""
    if isinstance(exc, PhaseRequirementsMissing):
        return on_field("phase", exc.report.findings, lang)
    return errors_from_report(exc.report, {}, lang)


@router.get("/tools/forums", include_in_schema=False)
async def overview_page(request: Request) -> Response:
    """All forums: phase, what they lack, and a form for a new forum."""
    return await _overview_page(request)


@router.post("/tools/forums", include_in_schema=False)
async def create_form(request: Request) -> Response:
    """Create a forum in phase 1."""
    values = await posted_form(request)
    label_fi, label_en, sector = (first(values, n) for n in ("label_fi", "label_en", "sector"))
    return await submit_form(
        request,
        write=lambda agent: _create(request, label_fi, label_en, sector, agent),
        fields=forums.create_fields(ids(request), label_fi),
        typed=firsts(values),
        again=lambda shown: _overview_page(request, shown),
        redirect_to=lambda created: f"/tools/forums/{created[0]}",
    )


@router.get("/tools/forums/{slug}", include_in_schema=False)
async def forum_page(request: Request, slug: str) -> Response:
    """One forum."""
    return await _forum_page(request, slug)


@router.post("/tools/forums/{slug}/outputs", include_in_schema=False)
async def output_form(request: Request, slug: str) -> Response:
    """Record an output of the forum."""
    values = await posted_form(request)
    kind, label_fi, label_en, org = (
        first(values, n) for n in ("kind", "label_fi", "label_en", "organisation")
    )
    return await submit_form(
        request,
        write=lambda agent: _add_output(request, slug, kind, label_fi, label_en, org, agent),
        fields=forums.output_fields(ids(request), slug, kind, label_fi, org),
        typed=firsts(values),
        again=lambda shown: _forum_page(request, slug, shown),
        redirect_to=f"/tools/forums/{slug}",
    )


@router.post("/tools/forums/{slug}/phase", include_in_schema=False)
async def phase_form(request: Request, slug: str) -> Response:
    """Move the forum to another phase; refused with the reasons while it lacks what the phase
    requires."""
    values = await posted_form(request)
    phase = first(values, "phase")
    return await submit_form(
        request,
        write=lambda agent: _change_phase(request, slug, phase, agent),
        refused=_phase_refused,
        typed=firsts(values),
        again=lambda shown: _forum_page(request, slug, shown),
        redirect_to=f"/tools/forums/{slug}",
    )


@router.get("/api/tools/forums")
async def api_overview(request: Request) -> Response:
    """Every forum: phase, what it requires, has and lacks."""
    all_forums = await load(request, forums.overview)
    return JSONResponse({"forums": [f.as_json() for f in all_forums]})


@router.get("/api/tools/forums/{slug}")
async def api_forum(request: Request, slug: str) -> Response:
    """One forum: phase, what it requires, has and lacks, and what the next phase adds."""
    return JSONResponse((await load(request, forums.load_forum, slug)).as_json())


async def _json(request: Request) -> dict[str, str]:
    document = await json_object(request)
    return {str(k): "" if v is None else str(v) for k, v in document.items()}


@router.post("/api/tools/forums")
async def api_create(request: Request) -> Response:
    """Create a forum from `{"label_fi", "label_en", "sector"}`; 201 with the forum."""
    slug, _ = await save_json(
        request,
        _json,
        lambda body, agent: _create(
            request,
            body.get("label_fi", ""),
            body.get("label_en", ""),
            body.get("sector", ""),
            agent,
        ),
        lambda body: forums.create_fields(ids(request), body.get("label_fi", "")),
    )
    forum = await load(request, forums.load_forum, slug)
    return JSONResponse(
        forum.as_json(), status_code=201, headers={"Location": f"/api/tools/forums/{slug}"}
    )


@router.post("/api/tools/forums/{slug}/outputs")
async def api_output(request: Request, slug: str) -> Response:
    """Record an output from `{"kind", "label_fi", "label_en", "organisation"}`."""
    await save_json(
        request,
        _json,
        lambda body, agent: _add_output(
            request,
            slug,
            body.get("kind", ""),
            body.get("label_fi", ""),
            body.get("label_en", ""),
            body.get("organisation", ""),
            agent,
        ),
        lambda body: forums.output_fields(
            ids(request),
            slug,
            body.get("kind", ""),
            body.get("label_fi", ""),
            body.get("organisation", ""),
        ),
    )
    return JSONResponse((await load(request, forums.load_forum, slug)).as_json())


@router.put("/api/tools/forums/{slug}/phase")
async def api_phase(request: Request, slug: str) -> Response:
    """Move the forum to `{"phase": IRI}`; 422 with the missing requirements when refused."""
    await save_json(
        request,
        _json,
        lambda body, agent: _change_phase(request, slug, body.get("phase", ""), agent),
        refused=_phase_refused,
    )
    return JSONResponse((await load(request, forums.load_forum, slug)).as_json())
