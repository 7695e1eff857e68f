"""The quality self-assessment: pages with a form per assessment and a JSON API."""

from __future__ import annotations

import json
from collections.abc import Awaitable

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse

from service.errors import BadRequest, ParameterProblem
from service.routes.common import app_state, read_body
from service.routes.tools_common import (
    FRESH,
    Shown,
    first,
    firsts,
    ids,
    load,
    organisation_choice,
    organisations,
    page,
    reader,
)
from service.routes.tools_submit import posted_form, save_json, submit_form, write_through
from service.tools import quality
from service.tools.forms import FieldMap, FormErrors
from service.tools.html import TEXTS
from service.tools.sparql import lang as lang_literal
from service.tools.sparql import rows

router = APIRouter(tags=["tools"])


def _scale(request: Request, language: str) -> list[tuple[int, str]]:
    state = app_state(request)
    return [
        (int(r["notation"]), r.get("label", ""))
        for r in rows(state.store, "answer_scale", lang=lang_literal(language))
    ]


@router.get("/tools/quality", include_in_schema=False)
async def choose(request: Request) -> Response:
    """Pick an organisation and a date; lists the organisation's assessments."""
    state, r = app_state(request), reader(request)
    chosen = request.query_params.get("organisation", "")
    typed_date = request.query_params.get("date", "")
    errors = FormErrors()
    orgs = await organisations(request)
    known = any(slug == chosen for slug, _ in orgs)
    if chosen and typed_date:
        try:
            day = quality.parse_date(typed_date)
        except ParameterProblem:
            errors.add(
                "date", "Päivä muodossa VVVV-KK-PP." if r.lang == "fi" else "A date as YYYY-MM-DD."
            )
        else:
            if known:
                return RedirectResponse(r.links.with_lang(f"/tools/quality/{chosen}/{day}"), 303)
            errors.add("organisation", TEXTS[r.lang]["organisation"] + "?")
    assessments: list[str] = []
    if known:
        _, assessments = await state.executor.run(quality.dates, state.store, ids(request), chosen)
    return page(
        request,
        "quality_choose.html",
        422 if errors else 200,
        choice=await organisation_choice(request, chosen if known else ""),
        chosen=chosen,
        typed_date=typed_date,
        errors=errors,
        assessments=assessments,
    )


def _save(
    request: Request,
    organisation: str,
    day: str,
    answers: dict[str, quality.Submitted],
    agent: str,
) -> Awaitable[object]:
    return write_through(
        request, quality.submit, organisation, day, answers, agent, reader(request).lang
    )


async def _show(
    request: Request,
    organisation: str,
    day: str,
    shown: Shown = FRESH,
) -> Response:
    state, r = app_state(request), reader(request)
    assessment = await load(request, quality.load_assessment, organisation, day)
    scale = await state.executor.run(_scale, request, r.lang)
    return page(
        request,
        "quality.html",
        form=shown,
        a=assessment,
        scale=scale,
    )


@router.get("/tools/quality/{organisation}/{day}", include_in_schema=False)
async def show(request: Request, organisation: str, day: str) -> Response:
    """The assessment's form (resumed when it exists), summary, comparison and gaps."""
    return await _show(request, organisation, day)


@router.post("/tools/quality/{organisation}/{day}", include_in_schema=False)
async def save_form(request: Request, organisation: str, day: str) -> Response:
    """Save the answers; on refusal the form again with the shapes' messages by its fields."""
    values = await posted_form(request)
    assessment = await load(request, quality.load_assessment, organisation, day)
    answers = {
        i.iri: quality.Submitted(
            first(values, f"value-{i.slug}"), first(values, f"comment-{i.slug}")
        )
        for i in assessment.indicators
    }
    return await submit_form(
        request,
        write=lambda agent: _save(request, organisation, day, answers, agent),
        fields=lambda: quality.field_map(ids(request), assessment, list(answers)),
        typed=firsts(values),
        again=lambda shown: _show(request, organisation, day, shown),
        redirect_to=f"/tools/quality/{organisation}/{assessment.date}",
    )


@router.get("/api/tools/quality/{organisation}")
async def api_list(request: Request, organisation: str) -> Response:
    """The dates of the organisation's self-assessments, newest first."""
    state = app_state(request)
    org, found = await state.executor.run(quality.dates, state.store, ids(request), organisation)
    return JSONResponse({"organisation": org, "assessments": found})


@router.get("/api/tools/quality/{organisation}/{day}")
async def api_get(request: Request, organisation: str, day: str) -> Response:
    """The assessment's answers, summary per area and standard, comparison and gaps."""
    return JSONResponse((await load(request, quality.load_assessment, organisation, day)).as_json())


@router.put("/api/tools/quality/{organisation}/{day}")
async def api_put(request: Request, organisation: str, day: str) -> Response:
    """Save the assessment from `{"answers": [{"indicator", "value", "comment"}]}` (replacing
    an earlier save of that date); 422 with the shapes' report and the fields when refused."""

    async def fields(answers: dict[str, quality.Submitted]) -> FieldMap:
        assessment = await load(request, quality.load_assessment, organisation, day)
        return quality.field_map(ids(request), assessment, list(answers))

    await save_json(
        request,
        _read_answers,
        lambda answers, agent: _save(request, organisation, day, answers, agent),
        fields,
    )
    return JSONResponse((await load(request, quality.load_assessment, organisation, day)).as_json())


async def _read_answers(request: Request) -> dict[str, quality.Submitted]:
    return _parse_answers(await read_body(request, app_state(request).settings.max_body_bytes))


def _parse_answers(body: bytes) -> dict[str, quality.Submitted]:
    try:
        document = json.loads(body or b"{}")
        items = document["answers"]
        answers = {
            ox.NamedNode(str(item["indicator"])).value: quality.Submitted(
                "" if item.get("value") is None else str(item["value"]),
                str(item.get("comment") or ""),
            )
            for item in items
        }
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BadRequest(
            'the body must be JSON {"answers": [{"indicator": IRI, "value": 1-5, "comment": text}]}'
        ) from exc
    return answers
