"""The review flow: where each product is, a page per product with its steps and a form to
record the next step, and the JSON API."""

from __future__ import annotations

from collections.abc import Awaitable

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from service.errors import BadRequest
from service.routes.common import app_state
from service.routes.tools_common import FRESH, Shown, first, ids, json_object, load, page, reader
from service.routes.tools_submit import posted_form, save_json, submit_form, write_through
from service.tools import review
from service.tools.forms import on_field
from service.writes import WriteResult

router = APIRouter(tags=["tools"])
Created = tuple[str, WriteResult]


async def _overview(request: Request, shown: Shown = FRESH) -> Response:
    found = await load(request, review.products)
    return page(request, "review.html", form=shown, products=found)


async def _product_page(request: Request, slug: str, shown: Shown = FRESH) -> Response:
    state, r = app_state(request), reader(request)
    found = await load(request, review.product, slug)
    return page(
        request,
        "review_product.html",
        form=shown,
        product=found,
        stages=await state.executor.run(review.stages, state.store, r.lang),
        outcomes=await load(request, review.outcomes),
        networks=await state.executor.run(review.networks, state.store, r.lang),
    )


@router.get("/tools/review", include_in_schema=False)
async def overview(request: Request) -> Response:
    """Every product and where its review is."""
    return await _overview(request)


def _create(request: Request, label_fi: str, label_en: str, agent: str) -> Awaitable[Created]:
    return write_through(request, review.create_product, label_fi, label_en, agent)


@router.post("/tools/review", include_in_schema=False)
async def create(request: Request) -> Response:
    """A new product."""
    values = await posted_form(request)
    label_fi, label_en = first(values, "label_fi"), first(values, "label_en")
    return await submit_form(
        request,
        write=lambda agent: _create(request, label_fi, label_en, agent),
        refused=lambda exc, lang: on_field("label_fi", exc.report.violations, lang),
        typed=values,
        again=lambda shown: _overview(request, shown),
        redirect_to=lambda created: f"/tools/review/{created[0]}",
    )


@router.get("/tools/review/{slug}", include_in_schema=False)
async def product_page(request: Request, slug: str) -> Response:
    """One product's review."""
    return await _product_page(request, slug)


def _step_form(values: dict[str, list[str]]) -> review.StepForm:
    return review.StepForm(
        first(values, "stage"),
        first(values, "outcome"),
        tuple(values.get("reviewers", [])),
        first(values, "date"),
        first(values, "description"),
    )


def _record(request: Request, slug: str, step: review.StepForm, agent: str) -> Awaitable[Created]:
    return write_through(request, review.record_step, slug, step, reader(request).lang, agent)


@router.post("/tools/review/{slug}/steps", include_in_schema=False)
async def record(request: Request, slug: str) -> Response:
    """Record the next step of the product's review."""
    values = await posted_form(request)
    step = _step_form(values)
    state = app_state(request)
    return await submit_form(
        request,
        write=lambda agent: _record(request, slug, step, agent),
        fields=lambda: state.executor.run(
            review.step_fields, ids(request), state.store, slug, step
        ),
        typed=values,
        again=lambda shown: _product_page(request, slug, shown),
        redirect_to=f"/tools/review/{slug}",
    )


@router.get("/api/tools/review")
async def api_products(request: Request) -> Response:
    """Every product with its steps and where it is."""
    found = await load(request, review.products)
    return JSONResponse({"products": [p.as_json() for p in found]})


@router.get("/api/tools/review/{slug}")
async def api_product(request: Request, slug: str) -> Response:
    """One product's review."""
    return JSONResponse((await load(request, review.product, slug)).as_json())


async def _json_step(request: Request) -> review.StepForm:
    body = await json_object(request)
    reviewers = body.get("reviewers") or []
    if not isinstance(reviewers, list):
        raise BadRequest("reviewers must be a list of IRIs")
    return review.StepForm(
        str(body.get("stage", "")),
        str(body.get("outcome", "") or ""),
        tuple(str(x) for x in reviewers),
        str(body.get("date", "") or ""),
        str(body.get("description", "") or ""),
    )


@router.post("/api/tools/review")
async def api_create(request: Request) -> Response:
    """Create a product from `{"label_fi", "label_en"}`."""
    slug, _ = await save_json(
        request,
        json_object,
        lambda body, agent: _create(
            request, str(body.get("label_fi", "")), str(body.get("label_en", "")), agent
        ),
        refused=lambda exc, lang: on_field("label_fi", exc.report.violations, lang),
    )
    return JSONResponse(
        {"product": slug}, status_code=201, headers={"Location": f"/api/tools/review/{slug}"}
    )


@router.post("/api/tools/review/{slug}/steps")
async def api_step(request: Request, slug: str) -> Response:
    """Record a step from `{"stage", "outcome", "reviewers": [], "date", "description"}`."""
    state = app_state(request)
    iri, _ = await save_json(
        request,
        _json_step,
        lambda step, agent: _record(request, slug, step, agent),
        lambda step: state.executor.run(review.step_fields, ids(request), state.store, slug, step),
    )
    found = await load(request, review.product, slug)
    return JSONResponse({"step": iri, **found.as_json()}, status_code=201)
