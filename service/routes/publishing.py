"""Linked-data publishing: dereferenceable IRIs, resource pages, the ontology, label search
and the landing page (the dataset's own descriptions and files: service.routes.dataset). Thin:
the work is in service.publishing."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from service.errors import NotComputedYet
from service.publishing import landing, resource
from service.publishing.ontology_docs import build_ontology_doc, ontology_rdf
from service.publishing.version import shown
from service.routes.caching import show
from service.routes.common import app_state
from service.routes.documents import (
    DOCUMENT_FORMATS,
    VARY,
    format_links,
    html_page,
    negotiated_rdf,
    not_found_page,
    publication_of,
    rdf_or_page,
    rdf_response,
    reader,
    serialized,
    wants_html,
)
from service.search.facets import facets
from service.search.service import Searching, answer_json
from service.search.service import parse_request as parse_search
from service.search.service import search as run_search

router = APIRouter(include_in_schema=False)


@router.get("/", name="landing")
async def landing_page(request: Request) -> Response:
    """What the dataset is, its figures and where to go next."""
    publication = publication_of(request)
    lang, links = reader(request)
    try:
        counted, stats = await asyncio.gather(
            publication.counts.recent(publication.wait),
            publication.statistics.recent(publication.wait),
        )
    except NotComputedYet:
        # The first minutes after a start on a big store: the page, without its figures, and
        # kept by nobody (it changes when they are ready, at the same data version).
        response = html_page(request, "landing.html", overview=None, stats=None)
        response.headers["Cache-Control"] = "no-store"
        return response
    show(request, shown(counted.version, stats.version))
    overview = landing.overview(counted, lang, links)
    return html_page(request, "landing.html", overview=overview, stats=stats)


@router.get("/id/{path:path}", name="resource_iri")
async def resource_iri(request: Request, path: str) -> Response:
    """An instance IRI: 303 See Other to its document, or a 404 page when unknown."""
    state, publication = app_state(request), publication_of(request)
    iri = f"{publication.base_iri}id/{path}"
    if not path or not await state.executor.run(resource.exists, state.store, iri):
        return not_found_page(request, iri)
    location = f"/doc/{path}" + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(location, status_code=303)


@router.get("/doc/{path:path}", name="resource_document")
async def resource_document(request: Request, path: str) -> Response:
    """The document about an instance: HTML for browsers, RDF by content negotiation."""
    state, publication = app_state(request), publication_of(request)
    iri = f"{publication.base_iri}id/{path}"
    fmt = rdf_or_page(request)
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return not_found_page(request, iri)
    description = await state.executor.run(resource.describe, state.store, node.value)
    if not description.triples:
        return not_found_page(request, iri)
    if fmt is not None:
        body = await state.executor.run(serialized, description.triples, fmt)
        location = f"/doc/{path}?format={fmt.short_names[0]}"
        return rdf_response(body, fmt, **{"Content-Location": location})
    lang, links = reader(request)
    layout = await state.executor.run(publication.layout.get)
    page = resource.build_page(description, iri, lang, layout, links)
    shown = sum(len(r.values) for r in page.incoming)
    return html_page(
        request,
        "resource.html",
        page=page,
        formats=format_links(f"/doc/{path}"),
        incoming_shown=shown,
    )


@router.get("/graph/{path:path}", name="graph_iri")
async def graph_iri(request: Request, path: str) -> Response:
    """A graph IRI: 303 See Other to the graph's content in the Graph Store."""
    iri = f"{publication_of(request).base_iri}graph/{path}"
    return RedirectResponse(f"/data?{urlencode({'graph': iri})}", status_code=303)


@router.get("/ontology", name="ontology")
async def ontology(request: Request) -> Response:
    """The ontology at its own IRI: documentation for browsers, RDF by content negotiation."""
    state, publication = app_state(request), publication_of(request)
    if not wants_html(request, DOCUMENT_FORMATS):
        fmt = negotiated_rdf(request, DOCUMENT_FORMATS)
        body = await state.executor.run(
            lambda: ontology_rdf(state.store, publication.ontology_iri).serialize(fmt)
        )
        return rdf_response(body, fmt)
    lang, links = reader(request)
    doc = await state.executor.run(
        build_ontology_doc, state.store, publication.ontology_iri, lang, links
    )
    if doc is None:
        return not_found_page(request, publication.ontology_iri)
    return html_page(request, "ontology.html", doc=doc, formats=format_links("/ontology"))


@router.get("/search", name="search")
async def search_page(request: Request) -> Response:
    """Full-text search: a page for browsers (the box in every page's header comes here),
    JSON with ``format=json`` or an Accept that prefers it."""
    html_wanted = request.query_params.get("format") != "json" and (
        wants_html(request, ()) or "json" not in (request.headers.get("accept") or "")
    )
    return await _search(request, html_wanted)


@router.get("/api/search", name="api_search")
async def api_search(request: Request) -> Response:
    """Full-text search as JSON (HTML with ``format=html`` or an Accept that prefers it)."""
    return await _search(request, wants_html(request, ()))


async def _search(request: Request, html_wanted: bool) -> Response:
    state, publication = app_state(request), publication_of(request)
    lang, links = reader(request)
    choices = None
    if html_wanted:
        choices = await state.executor.run(facets, state.store, publication.base_iri, lang)
        if not request.query_params.get("q", "").strip():
            return html_page(request, "search.html", answer=None, facets=choices, query_text="")
    search_params = {k: request.query_params.getlist(k) for k in request.query_params}
    search_request = parse_search(search_params)
    searching: Searching = request.app.state.search
    answer = await state.executor.run(
        run_search,
        state.store,
        searching.index,
        search_request,
        lang,
        links,
        searching.shown,
    )
    if html_wanted:
        return html_page(
            request, "search.html", answer=answer, facets=choices, query_text=search_request.q
        )
    return Response(
        json.dumps(answer_json(answer), ensure_ascii=False),
        media_type="application/json",
        headers={"Vary": VARY},
    )
