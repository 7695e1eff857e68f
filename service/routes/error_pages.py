"""Errors as pages for browsers.

An error is problem+json (or RDF, when asked for: service/errors.py) for programs. A browser,
which asks for HTML before anything else, got that JSON too: a mistyped page address, a page
asked for before the start-up summaries are ready (503 with Retry-After), a bad parameter in a
form. It now gets the same facts as a page of the site, in the reader's language, with the
same status and header fields.
"""

from __future__ import annotations

from fastapi import Request, Response

from service.errors import PROBLEM_JSON, ServiceError
from service.routes.documents import html_page
from service.sparql.conneg import parse_accept

_MACHINE_TYPES = (PROBLEM_JSON, "application/json")


def wants_page(accept: str | None) -> bool:
    """True when the client names text/html, above any JSON it names (browsers do)."""
    html = json = 0.0
    for r in parse_accept(accept):
        media_type = f"{r.type}/{r.subtype}"
        if media_type == "text/html":
            html = max(html, r.q)
        elif media_type in _MACHINE_TYPES:
            json = max(json, r.q)
    return html > json


def error_page(request: Request, error: ServiceError) -> Response | None:
    """``error`` as a page; None where no site is served (an app without its publication)."""
    if getattr(request.app.state, "publication", None) is None:
        return None
    problem = error.problem()
    response = html_page(
        request,
        "error.html",
        error.status,
        code=error.status,
        title=problem.get("title", ""),
        detail=problem.get("detail", ""),
        retry_after=error.headers.get("Retry-After"),
    )
    response.headers.update(error.headers)
    return response
