"""Competence maps: the search over all maps, a page per institution with its grouped
entries, forms to add and edit entries, and the JSON API."""

from __future__ import annotations

import json
from collections.abc import Awaitable

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from service.errors import BadRequest
from service.parameters import integer
from service.publishing.version import VersionedMemo
from service.routes.common import app_state, read_body
from service.routes.tools_common import (
    FRESH,
    Shown,
    competence_choice,
    first,
    ids,
    load,
    organisation_choice,
    page,
    reader,
)
from service.routes.tools_submit import posted_form, save_json, submit_form, write_through
from service.tools import competence, forums
from service.tools.competence import MAX_OFFSET
from service.writes import WriteResult

router = APIRouter(tags=["tools"])


@router.get("/tools/competence", include_in_schema=False)
async def search_page(request: Request) -> Response:
    """Institutions, and who offers competence X in region R."""
    state, r = app_state(request), reader(request)
    chosen_competence = request.query_params.get("competence", "").strip()
    chosen_region = request.query_params.get("region", "").strip()
    results = None  # nothing chosen: the form, not the whole country's offers
    if chosen_competence or chosen_region:
        offset, limit = _page(request)
        results = await state.executor.run(
            competence.search,
            state.store,
            chosen_competence,
            chosen_region,
            r.lang,
            offset,
            limit,
            _providers(request),
        )
    return page(
        request,
        "competence_search.html",
        choice=await organisation_choice(request),
        competences=await competence_choice(request, (chosen_competence,)),
        regions=await load(request, competence.regions),
        results=results,
        chosen_competence=chosen_competence,
        chosen_region=chosen_region,
    )


async def _map_page(
    request: Request,
    slug: str,
    shown: Shown = FRESH,
    editing: competence.Entry | None = None,
) -> Response:
    found = await load(request, competence.load_map, slug)
    typed = shown.typed.get("competences")
    chosen = list(editing.competences) if editing else []
    if isinstance(typed, list):
        chosen += [str(value) for value in typed]
    return page(
        request,
        "competence_map.html",
        form=shown,
        map=found,
        kinds=competence.KINDS,
        sectors=await load(request, forums.sectors),
        competences=await competence_choice(request, chosen),
        editing=editing,
    )


@router.get("/tools/competence/{slug}", include_in_schema=False)
async def map_page(request: Request, slug: str) -> Response:
    """An institution's competence map with a form for a new entry."""
    return await _map_page(request, slug)


@router.get("/tools/competence/{slug}/entries/{kind}/{local}", include_in_schema=False)
async def edit_page(request: Request, slug: str, kind: str, local: str) -> Response:
    """The map with the form filled in with one entry, to edit it."""
    entry = await load(request, competence.find_entry, slug, f"{kind}/{local}")
    return await _map_page(request, slug, editing=entry)


def _entry_form(values: dict[str, list[str]]) -> competence.EntryForm:
    return competence.EntryForm(
        first(values, "kind"),
        first(values, "label_fi"),
        first(values, "label_en"),
        first(values, "sector"),
        tuple(values.get("competences", [])),
        first(values, "new_competences"),
    )


def _save(
    request: Request, slug: str, entry: competence.EntryForm, agent: str, existing: str | None
) -> Awaitable[tuple[str, WriteResult]]:
    return write_through(request, competence.save_entry, slug, entry, agent, existing)


async def _submit(request: Request, slug: str, existing: str | None) -> Response:
    values = await posted_form(request)
    entry = _entry_form(values)
    editing = None
    if existing is not None:
        editing = await load(request, competence.find_entry, slug, existing)
    return await submit_form(
        request,
        write=lambda agent: _save(request, slug, entry, agent, existing),
        fields=lambda: competence.entry_fields(ids(request), slug, entry, existing),
        typed=values,
        again=lambda shown: _map_page(request, slug, shown, editing),
        redirect_to=f"/tools/competence/{slug}",
    )


@router.post("/tools/competence/{slug}/entries", include_in_schema=False)
async def add_entry(request: Request, slug: str) -> Response:
    """Add an entry to the institution's map."""
    return await _submit(request, slug, None)


@router.post("/tools/competence/{slug}/entries/{kind}/{local}", include_in_schema=False)
async def edit_entry(request: Request, slug: str, kind: str, local: str) -> Response:
    """Replace an entry made with the tool."""
    return await _submit(request, slug, f"{kind}/{local}")


def _providers(request: Request) -> VersionedMemo[tuple[str, str, str], list[str]]:
    """The searches' sorted providers, kept until the next write (see competence.search)."""
    known = getattr(request.app.state, "competence_providers", None)
    if known is None:
        known = VersionedMemo(request.app.state.publication.version, size=16)
        request.app.state.competence_providers = known
    return known  # type: ignore[no-any-return]


def _page(request: Request) -> tuple[int, int]:
    """The search's ``offset`` and ``limit``, counted in providers; 400 when not numbers in
    range."""
    values = request.query_params
    return (
        integer("offset", values.get("offset"), 0, 0, MAX_OFFSET),
        integer(
            "limit",
            values.get("limit"),
            competence.PROVIDERS_PER_PAGE,
            1,
            competence.MAX_PROVIDERS_PER_PAGE,
        ),
    )


@router.get("/api/tools/competence/search")
async def api_search(request: Request) -> Response:
    """Who offers `competence` (IRI) in `region` (IRI); either may be left out, not both.
    A page of providers at a time (`offset`, `limit`: 10 by default, at most 100), sorted by
    their region and name, with every offer of theirs (at most 1,000 rows; ``complete`` is
    false when there were more). ``providers`` counts the whole answer's providers; ``next``
    is the next page's URL, or null on the last."""
    state, r = app_state(request), reader(request)
    offset, limit = _page(request)
    found = await state.executor.run(
        competence.search,
        state.store,
        request.query_params.get("competence", ""),
        request.query_params.get("region", ""),
        r.lang,
        offset,
        limit,
        _providers(request),
    )
    following = found.next_offset
    return JSONResponse(
        {
            "results": found.rows,
            "complete": found.complete,
            "providers": found.providers,
            "offset": found.offset,
            "limit": found.limit,
            "next": None
            if following is None
            else str(request.url.include_query_params(offset=following)),
        }
    )


@router.get("/api/tools/competence/{slug}")
async def api_map(request: Request, slug: str) -> Response:
    """The institution's competence map, grouped."""
    found = await load(request, competence.load_map, slug)
    return JSONResponse(found.as_json())


async def _json_entry(request: Request) -> competence.EntryForm:
    body = await read_body(request, app_state(request).settings.max_body_bytes)
    try:
        d = json.loads(body or b"{}")
        if not isinstance(d, dict):
            raise TypeError
        listed = d.get("competences") or []
        if not isinstance(listed, list):
            raise TypeError
        return competence.EntryForm(
            str(d.get("kind", "")),
            str(d.get("label_fi", "")),
            str(d.get("label_en", "")),
            str(d.get("sector", "")),
            tuple(str(c) for c in listed),
            str(d.get("new_competences", "")),
        )
    except (ValueError, TypeError) as exc:
        raise BadRequest(
            'the body must be JSON {"kind", "label_fi", "label_en", "sector", "competences": []}'
        ) from exc


@router.post("/api/tools/competence/{slug}/entries")
async def api_add(request: Request, slug: str) -> Response:
    """Add an entry; 201 with its path, 422 with the shapes' report when refused."""
    path, _ = await save_json(
        request,
        _json_entry,
        lambda entry, agent: _save(request, slug, entry, agent, None),
        lambda entry: competence.entry_fields(ids(request), slug, entry, None),
    )
    location = f"/api/tools/competence/{slug}/entries/{path}"
    return JSONResponse({"entry": path}, status_code=201, headers={"Location": location})


@router.put("/api/tools/competence/{slug}/entries/{kind}/{local}")
async def api_edit(request: Request, slug: str, kind: str, local: str) -> Response:
    """Replace an entry made with the tool."""
    existing = f"{kind}/{local}"
    path, _ = await save_json(
        request,
        _json_entry,
        lambda entry, agent: _save(request, slug, entry, agent, existing),
        lambda entry: competence.entry_fields(ids(request), slug, entry, existing),
    )
    return JSONResponse({"entry": path})
