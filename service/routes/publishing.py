"""Linked-data publishing: dereferenceable IRIs, resource pages, the ontology, dumps, VoID,
the DCAT catalog, label search and the landing page. Thin: the work is in service.publishing."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from service.errors import NotComputedYet, NotFound
from service.publishing import html, landing, resource
from service.publishing.dcat import catalog_graph, catalog_iri
from service.publishing.dumps import PREFIXES as DUMP_PREFIXES
from service.publishing.labels import choose_language, other_language
from service.publishing.links import Links
from service.publishing.ontology_docs import build_ontology_doc, ontology_rdf
from service.publishing.site import Publication
from service.publishing.version import shown
from service.publishing.void import dataset_iri as dataset_of
from service.publishing.void import void_graph
from service.routes.caching import show
from service.routes.common import app_state
from service.search.facets import facets
from service.search.service import Searching, answer_json
from service.search.service import parse_request as parse_search
from service.search.service import search as run_search
from service.sparql.conneg import negotiate, prefers
from service.sparql.formats import JSON_LD, N_TRIPLES, RDF_XML, TURTLE, Format
from service.store.oxigraph_result import rdf_format

router = APIRouter(include_in_schema=False)
DOCUMENT_FORMATS = (TURTLE, JSON_LD, RDF_XML, N_TRIPLES)
FORMAT_TITLES = {TURTLE: "Turtle", JSON_LD: "JSON-LD", RDF_XML: "RDF/XML", N_TRIPLES: "N-Triples"}
VARY = "Accept, Accept-Language"


@dataclass(frozen=True)
class FormatLink:
    """A link to one RDF form of a page."""

    title: str
    media_type: str
    href: str


def _publication(request: Request) -> Publication:
    publication: Publication = request.app.state.publication
    return publication


def _reader(request: Request) -> tuple[str, Links]:
    """The page language and the link builder (which keeps an explicitly chosen language)."""
    param = request.query_params.get("lang")
    lang = choose_language(request.headers.get("accept-language"), param)
    chosen = lang if param and param.lower() == lang else None
    return lang, Links(_publication(request).base_iri, chosen)


def _switch(request: Request, lang: str) -> str:
    query = {k: v for k, v in request.query_params.items() if k != "lang"}
    query["lang"] = other_language(lang)
    return f"{request.url.path}?{urlencode(query)}"


def _wants_html(request: Request, offered: Sequence[Format]) -> bool:
    fmt = request.query_params.get("format")
    if fmt:
        return fmt.lower() in ("html", "text/html")
    return prefers(request.headers.get("accept"), "text/html", offered)


def _rdf_format(request: Request, offered: Sequence[Format]) -> Format:
    return negotiate(request.headers.get("accept"), request.query_params.get("format"), offered)


def _format_links(path: str) -> list[FormatLink]:
    return [
        FormatLink(FORMAT_TITLES[f], f.media_type, f"{path}?format={f.short_names[0]}")
        for f in DOCUMENT_FORMATS
    ]


def _page(request: Request, template: str, status: int = 200, **context: object) -> Response:
    lang, links = _reader(request)
    body = html.render(template, lang, _switch(request, lang), links=links, **context)
    return HTMLResponse(
        b"" if request.method == "HEAD" else body.encode(),
        status_code=status,
        headers={"Vary": VARY, "Content-Language": lang},
    )


def _rdf(request: Request, body: bytes, fmt: Format, **headers: str) -> Response:
    return Response(
        b"" if request.method == "HEAD" else body,
        media_type=fmt.content_type,
        headers={"Vary": VARY, **headers},
    )


def _serialize(triples: list[ox.Triple], fmt: Format) -> bytes:
    """RDF the service builds itself (VoID, catalog) or a page description, as `fmt`."""
    if fmt == TURTLE:
        return ox.serialize(triples, format=rdf_format(fmt), prefixes=PREFIXES) or b""
    return ox.serialize(triples, format=rdf_format(fmt)) or b""


PREFIXES = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "void": "http://rdfs.org/ns/void#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "spdx": "http://spdx.org/rdf/terms#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    **DUMP_PREFIXES,
}


def _not_found(request: Request, iri: str) -> Response:
    if _wants_html(request, DOCUMENT_FORMATS):
        suggestion = iri.rstrip("/").rsplit("/", 1)[-1].replace("-", " ")
        return _page(request, "not_found.html", 404, iri=iri, suggestion=suggestion)
    raise NotFound(f"the graph has nothing about <{iri}>; try /search?q=…")


@router.get("/", name="landing")
async def landing_page(request: Request) -> Response:
    """What the dataset is, its figures and where to go next."""
    publication = _publication(request)
    lang, links = _reader(request)
    try:
        counted, stats = await asyncio.gather(
            publication.counts.recent(publication.wait),
            publication.statistics.recent(publication.wait),
        )
    except NotComputedYet:
        # The first minutes after a start on a big store: the page, without its figures, and
        # kept by nobody (it changes when they are ready, at the same data version).
        response = _page(request, "landing.html", overview=None, stats=None)
        response.headers["Cache-Control"] = "no-store"
        return response
    show(request, shown(counted.version, stats.version))
    overview = landing.overview(counted, lang, links)
    return _page(request, "landing.html", overview=overview, stats=stats)


@router.get("/id/{path:path}", name="resource_iri")
async def resource_iri(request: Request, path: str) -> Response:
    """An instance IRI: 303 See Other to its document, or a 404 page when unknown."""
    state, publication = app_state(request), _publication(request)
    iri = f"{publication.base_iri}id/{path}"
    if not path or not await state.executor.run(resource.exists, state.store, iri):
        return _not_found(request, iri)
    location = f"/doc/{path}" + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(location, status_code=303)


@router.get("/doc/{path:path}", name="resource_document")
async def resource_document(request: Request, path: str) -> Response:
    """The document about an instance: HTML for browsers, RDF by content negotiation."""
    state, publication = app_state(request), _publication(request)
    iri = f"{publication.base_iri}id/{path}"
    html_wanted = _wants_html(request, DOCUMENT_FORMATS)
    fmt = None if html_wanted else _rdf_format(request, DOCUMENT_FORMATS)
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return _not_found(request, iri)
    description = await state.executor.run(resource.describe, state.store, node.value)
    if not description.triples:
        return _not_found(request, iri)
    if fmt is not None:
        body = await state.executor.run(_serialize, description.triples, fmt)
        location = f"/doc/{path}?format={fmt.short_names[0]}"
        return _rdf(request, body, fmt, **{"Content-Location": location})
    lang, links = _reader(request)
    layout = await state.executor.run(publication.layout.get)
    page = resource.build_page(description, iri, lang, layout, links)
    shown = sum(len(r.values) for r in page.incoming)
    return _page(
        request,
        "resource.html",
        page=page,
        formats=_format_links(f"/doc/{path}"),
        incoming_shown=shown,
    )


@router.get("/graph/{path:path}", name="graph_iri")
async def graph_iri(request: Request, path: str) -> Response:
    """A graph IRI: 303 See Other to the graph's content in the Graph Store."""
    iri = f"{_publication(request).base_iri}graph/{path}"
    return RedirectResponse(f"/data?{urlencode({'graph': iri})}", status_code=303)


@router.get("/dataset", name="dataset_iri")
async def dataset_iri(request: Request) -> Response:
    """The dataset's IRI: 303 See Other to its VoID description."""
    return RedirectResponse("/.well-known/void", status_code=303)


@router.get("/ontology", name="ontology")
async def ontology(request: Request) -> Response:
    """The ontology at its own IRI: documentation for browsers, RDF by content negotiation."""
    state, publication = app_state(request), _publication(request)
    if not _wants_html(request, DOCUMENT_FORMATS):
        fmt = _rdf_format(request, DOCUMENT_FORMATS)
        body = await state.executor.run(
            lambda: ontology_rdf(state.store, publication.ontology_iri).serialize(fmt)
        )
        return _rdf(request, body, fmt)
    lang, links = _reader(request)
    doc = await state.executor.run(
        build_ontology_doc, state.store, publication.ontology_iri, lang, links
    )
    if doc is None:
        return _not_found(request, publication.ontology_iri)
    return _page(request, "ontology.html", doc=doc, formats=_format_links("/ontology"))


@router.get("/search", name="search")
async def search_page(request: Request) -> Response:
    """Full-text search: a page for browsers (the box in every page's header comes here),
    JSON with ``format=json`` or an Accept that prefers it."""
    html_wanted = request.query_params.get("format") != "json" and (
        _wants_html(request, ()) or "json" not in (request.headers.get("accept") or "")
    )
    return await _search(request, html_wanted)


@router.get("/api/search", name="api_search")
async def api_search(request: Request) -> Response:
    """Full-text search as JSON (HTML with ``format=html`` or an Accept that prefers it)."""
    return await _search(request, _wants_html(request, ()))


async def _search(request: Request, html_wanted: bool) -> Response:
    state, publication = app_state(request), _publication(request)
    lang, links = _reader(request)
    choices = None
    if html_wanted:
        choices = await state.executor.run(facets, state.store, publication.base_iri, lang)
        if not request.query_params.get("q", "").strip():
            return _page(request, "search.html", answer=None, facets=choices, query_text="")
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
        return _page(
            request, "search.html", answer=answer, facets=choices, query_text=search_request.q
        )
    return Response(
        json.dumps(answer_json(answer), ensure_ascii=False),
        media_type="application/json",
        headers={"Vary": VARY},
    )


@router.get("/dumps", name="dumps_redirect")
async def dumps_redirect() -> Response:
    """The dumps index lives at /dumps/."""
    return RedirectResponse("/dumps/", status_code=308)


@router.get("/dumps/", name="dumps_index")
async def dumps_index(request: Request) -> Response:
    """The dump files with their sizes and SHA-256 digests (HTML or JSON)."""
    publication = _publication(request)
    dumps = await publication.dumps.recent(publication.wait)
    show(request, dumps.version)
    if request.query_params.get("format") == "json" or not _wants_html(request, ()):
        root = str(request.base_url).rstrip("/")
        body = {
            "modified": dumps.version.iso,
            "triples": dumps.triples,
            "dumps": [
                {
                    "name": d.format.name,
                    "url": f"{root}/dumps/{d.format.name}",
                    "mediaType": d.format.media_type,
                    "rdfMediaType": d.format.rdf_media_type,
                    "size": d.size,
                    "sha256": d.sha256,
                }
                for d in dumps.dumps
            ],
        }
        return Response(json.dumps(body), media_type="application/json", headers={"Vary": VARY})
    return _page(request, "dumps.html", dumps=dumps)


@router.get("/dumps/{name}", name="dump_file")
async def dump_file(request: Request, name: str) -> Response:
    """One dump file, of the newest data version whose dumps are built.

    Its ETag is strong, from the file's SHA-256, so that a download broken off can go on with
    a range request under If-Range; Last-Modified is its data version's."""
    publication = _publication(request)
    dumps = await publication.dumps.recent(publication.wait)
    dump = dumps.get(name)
    if dump is None:
        raise NotFound(f"there is no dump called {name!r}; see /dumps/")
    etag = f'"sha256-{dump.sha256[:32]}"'
    show(request, dumps.version, etag)
    return FileResponse(
        dump.path,
        media_type=dump.format.media_type,
        headers={
            "Digest": f"sha-256={dump.sha256}",
            "ETag": etag,
            "Last-Modified": dumps.version.http_date,
        },
        filename=name,
        content_disposition_type="attachment",
    )


@router.get("/.well-known/void", name="void")
async def void(request: Request) -> Response:
    """The VoID description of the dataset (Turtle, JSON-LD, RDF/XML, N-Triples; a page for
    browsers)."""
    publication = _publication(request)
    fmt = None if _wants_html(request, DOCUMENT_FORMATS) else _rdf_format(request, DOCUMENT_FORMATS)
    stats = await publication.statistics.recent(publication.wait)
    show(request, stats.version)
    root = str(request.base_url).rstrip("/")
    triples = void_graph(stats, publication.base_iri, root, publication.publisher.iri)
    if fmt is None:
        return await _built_page(request, triples, dataset_of(publication.base_iri))
    return _rdf(request, _serialize(triples, fmt), fmt)


@router.get("/catalog", name="catalog")
async def catalog(request: Request) -> Response:
    """The DCAT-AP 3.0.1 catalog (Turtle, JSON-LD, RDF/XML, N-Triples; a page for browsers)."""
    publication = _publication(request)
    fmt = None if _wants_html(request, DOCUMENT_FORMATS) else _rdf_format(request, DOCUMENT_FORMATS)
    stats, dumps, counted = await asyncio.gather(
        publication.statistics.recent(publication.wait),
        publication.dumps.recent(publication.wait),
        publication.counts.recent(publication.wait),
    )
    show(request, shown(stats.version, dumps.version, counted.version))
    overview = landing.overview(counted, "fi", Links(publication.base_iri))
    region_space = f"{publication.base_iri}id/region/"
    regions = tuple(c.iri for c in overview.by_region if c.iri.startswith(region_space))
    root = str(request.base_url).rstrip("/")
    triples = catalog_graph(
        publication.base_iri, root, publication.publisher, stats, dumps, regions
    )
    if fmt is None:
        return await _built_page(request, triples, catalog_iri(publication.base_iri))
    return _rdf(request, _serialize(triples, fmt), fmt)


async def _built_page(request: Request, triples: list[ox.Triple], iri: str) -> Response:
    """A description the service builds itself (VoID, the catalog) as a resource's page: its
    subject's properties, blank-node values (partitions, distributions) one level deep, and
    the links to the RDF forms of the same URL."""
    state, publication = app_state(request), _publication(request)
    lang, links = _reader(request)
    layout = await state.executor.run(publication.layout.get)
    labels = await state.executor.run(resource.labels_of, state.store, triples)
    described = resource.Description(triples + labels, {})
    page = resource.build_page(described, iri, lang, layout, links)
    return _page(
        request,
        "resource.html",
        page=page,
        formats=_format_links(request.url.path),
        incoming_shown=0,
    )


@router.get("/query-examples", name="query_examples")
async def query_examples(request: Request) -> Response:
    """The named queries as examples for the query page (JSON: title, description, SPARQL)."""
    lang, _ = _reader(request)
    registry = await app_state(request).executor.run(lambda: _publication(request).examples)
    body = [
        {
            "name": q.name,
            "title": q.title.get(lang) or q.title.get("fi", q.name),
            "description": q.description.get(lang, ""),
            "query": q.sparql,
        }
        for q in registry
    ]
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/json")
