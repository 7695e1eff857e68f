"""The review flow: where each product is, a page per product with its steps and a form to
record the next step, and the JSON API."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse

from service.errors import BadRequest, Forbidden, ParameterProblem, ShapeViolation, Unauthorized
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
from service.tools import review
from service.tools.forms import FormErrors, errors_from_report
from service.tools.html import TEXTS

router = APIRouter(tags=["tools"])


async def _overview(
    request: Request,
    status: int = 200,
    errors: FormErrors | None = None,
    typed: dict[str, list[str]] | None = None,
) -> Response:
    state, r = app_state(request), reader(request)
    found = await state.executor.run(review.products, state.store, ids(request), r.lang)
    return page(request, "review.html", status, products=found, errors=errors, typed=typed or {})


async def _product_page(
    request: Request,
    slug: str,
    status: int = 200,
    errors: FormErrors | None = None,
    typed: dict[str, list[str]] | None = None,
) -> Response:
    state, r = app_state(request), reader(request)
    found = await state.executor.run(review.product, state.store, ids(request), slug, r.lang)
    return page(
        request,
        "review_product.html",
        status,
        product=found,
        stages=await state.executor.run(review.stages, state.store, r.lang),
        outcomes=await state.executor.run(review.outcomes, state.store, ids(request), r.lang),
        networks=await state.executor.run(review.networks, state.store, r.lang),
        errors=errors,
        typed=typed or {},
        saved=request.query_params.get("saved") == "1",
    )


@router.get("/tools/review", include_in_schema=False)
async def overview(request: Request) -> Response:
    """Every product and where its review is."""
    return await _overview(request)


@router.post("/tools/review", include_in_schema=False)
async def create(request: Request) -> Response:
    """A new product."""
    same_origin(request)
    state, r = app_state(request), reader(request)
    values = await form(request)
    errors = FormErrors()
    try:
        agent = writer_name(request)
        slug, _ = await state.executor.run(
            review.create_product,
            state.writer,
            state.store,
            ids(request),
            first(values, "label_fi"),
            first(values, "label_en"),
            agent,
        )
    except (Unauthorized, Forbidden) as exc:
        errors.add(None, TEXTS[r.lang]["need_login"])
        return await _overview(request, exc.status, errors, values)
    except ShapeViolation as exc:
        for finding in exc.report.violations:
            errors.add("label_fi", finding.message(r.lang))
        return await _overview(request, exc.status, errors, values)
    except ParameterProblem as exc:
        errors.add(exc.parameter, exc.reason)
        return await _overview(request, exc.status, errors, values)
    return RedirectResponse(r.links.with_lang(f"/tools/review/{slug}", saved="1"), 303)


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


@router.post("/tools/review/{slug}/steps", include_in_schema=False)
async def record(request: Request, slug: str) -> Response:
    """Record the next step of the product's review."""
    same_origin(request)
    state, r = app_state(request), reader(request)
    values = await form(request)
    step = _step_form(values)
    errors = FormErrors()
    try:
        agent = writer_name(request)
        await state.executor.run(
            review.record_step, state.writer, state.store, ids(request), slug, step, r.lang, agent
        )
    except (Unauthorized, Forbidden) as exc:
        errors.add(None, TEXTS[r.lang]["need_login"])
        return await _product_page(request, slug, exc.status, errors, values)
    except ShapeViolation as exc:
        fields = await state.executor.run(review.step_fields, ids(request), state.store, slug, step)
        errors = errors_from_report(exc.report, fields, r.lang)
        return await _product_page(request, slug, exc.status, errors, values)
    except ParameterProblem as exc:
        errors.add(exc.parameter, exc.reason)
        return await _product_page(request, slug, exc.status, errors, values)
    return RedirectResponse(r.links.with_lang(f"/tools/review/{slug}", saved="1"), 303)


@router.get("/api/tools/review")
async def api_products(request: Request) -> Response:
    """Every product with its steps and where it is."""
    state, r = app_state(request), reader(request)
    found = await state.executor.run(review.products, state.store, ids(request), r.lang)
    return JSONResponse({"products": [p.as_json() for p in found]})


@router.get("/api/tools/review/{slug}")
async def api_product(request: Request, slug: str) -> Response:
    """One product's review."""
    state, r = app_state(request), reader(request)
    found = await state.executor.run(review.product, state.store, ids(request), slug, r.lang)
    return JSONResponse(found.as_json())


@router.post("/api/tools/review")
async def api_create(request: Request) -> Response:
    """Create a product from `{"label_fi", "label_en"}`."""
    state = app_state(request)
    agent = writer_name(request)
    body = await json_object(request)
    slug, _ = await state.executor.run(
        review.create_product,
        state.writer,
        state.store,
        ids(request),
        str(body.get("label_fi", "")),
        str(body.get("label_en", "")),
        agent,
    )
    return JSONResponse(
        {"product": slug}, status_code=201, headers={"Location": f"/api/tools/review/{slug}"}
    )


@router.post("/api/tools/review/{slug}/steps")
async def api_step(request: Request, slug: str) -> Response:
    """Record a step from `{"stage", "outcome", "reviewers": [], "date", "description"}`."""
    state, r = app_state(request), reader(request)
    agent = writer_name(request)
    body = await json_object(request)
    reviewers = body.get("reviewers") or []
    if not isinstance(reviewers, list):
        raise BadRequest("reviewers must be a list of IRIs")
    step = review.StepForm(
        str(body.get("stage", "")),
        str(body.get("outcome", "") or ""),
        tuple(str(x) for x in reviewers),
        str(body.get("date", "") or ""),
        str(body.get("description", "") or ""),
    )
    iri, _ = await state.executor.run(
        review.record_step, state.writer, state.store, ids(request), slug, step, r.lang, agent
    )
    found = await state.executor.run(review.product, state.store, ids(request), slug, r.lang)
    return JSONResponse({"step": iri, **found.as_json()}, status_code=201)
