"""Routes of the quality gate: dry-run validation of uploads and the whole-store report."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request, Response

from service.errors import BadRequest, wants_rdf
from service.graph_store import parse_body
from service.language import preferred_language
from service.routes.common import app_state, params, read_body
from service.validation.dry_run import validate_upload
from service.validation.report import lookup_labels, nodes_of, report_rdf, summary
from service.validation.results import Report

router = APIRouter(tags=["validation"])


def _render(request: Request, report: Report, extra: dict[str, object]) -> Response:
    """The report as the client asked: the W3C report in RDF, or the readable JSON summary."""
    media_type = wants_rdf(request.headers.get("accept"))
    if media_type is not None:
        return Response(
            report_rdf(report, media_type),
            media_type=media_type,
            headers={"Vary": "Accept, Accept-Language"},
        )
    state = app_state(request)
    language = preferred_language(request.headers.get("accept-language"))
    labels = lookup_labels(state.store, nodes_of(report))
    body = {**extra, **summary(report, labels, language)}
    return Response(
        json.dumps(body, ensure_ascii=False),
        media_type="application/json",
        headers={"Vary": "Accept, Accept-Language"},
    )


@router.post("/validate", summary="Check RDF data against the shapes without writing it")
async def validate(request: Request) -> Response:
    """Dry run: the upload alone, or with ``?with=store`` the store's data plus the upload."""
    state = app_state(request)
    scope = dict(params(request)).get("with", "upload")
    if scope not in ("upload", "store"):
        raise BadRequest("the parameter 'with' is 'store' or left out")
    body = await read_body(request, state.settings.max_body_bytes)
    triples = parse_body(request.headers.get("content-type"), body, None)
    report = await state.executor.run(validate_upload, state.writer.gate, triples, scope == "store")
    return _render(request, report, {"scope": scope, "triples": len(triples)})


@router.get("/validate/report", summary="The whole store against the shapes, as last revalidated")
async def store_report(request: Request) -> Response:
    """The result of the start-up revalidation (run when the shapes or files changed)."""
    status = app_state(request).store_validation
    extra: dict[str, object] = {
        "state": status.state,
        "reason": status.reason,
        "finished": status.finished,
    }
    if status.report is None:
        return Response(
            json.dumps(extra, ensure_ascii=False), media_type="application/json", status_code=200
        )
    return _render(request, status.report, {**extra, "nodes": status.report.focus_count})
