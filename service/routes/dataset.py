"""The dataset's own descriptions and files: the dataset IRI, the dumps, VoID, the DCAT
catalog and the named queries as query examples. Thin: the work is in service.publishing."""

from __future__ import annotations

import asyncio
import json

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, RedirectResponse

from service.errors import NotFound
from service.publishing import landing, resource
from service.publishing.dcat import catalog_graph, catalog_iri
from service.publishing.links import Links
from service.publishing.version import shown
from service.publishing.void import dataset_iri as dataset_of
from service.publishing.void import void_graph
from service.routes.caching import show
from service.routes.common import app_state
from service.routes.documents import (
    VARY,
    format_links,
    html_page,
    publication_of,
    rdf_or_page,
    rdf_response,
    reader,
    serialized,
    wants_html,
)

router = APIRouter(include_in_schema=False)


@router.get("/dataset", name="dataset_iri")
async def dataset_iri(request: Request) -> Response:
    """The dataset's IRI: 303 See Other to its VoID description."""
    return RedirectResponse("/.well-known/void", status_code=303)


@router.get("/dumps", name="dumps_redirect")
async def dumps_redirect() -> Response:
    """The dumps index lives at /dumps/."""
    return RedirectResponse("/dumps/", status_code=308)


@router.get("/dumps/", name="dumps_index")
async def dumps_index(request: Request) -> Response:
    """The dump files with their sizes and SHA-256 digests (HTML or JSON)."""
    publication = publication_of(request)
    dumps = await publication.dumps.recent(publication.wait)
    show(request, dumps.version)
    if request.query_params.get("format") == "json" or not wants_html(request, ()):
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
    return html_page(request, "dumps.html", dumps=dumps)


# HEAD is its own: Starlette's FileResponse sends the headers without reading the file.
@router.api_route("/dumps/{name}", methods=["GET", "HEAD"], name="dump_file")
async def dump_file(request: Request, name: str) -> Response:
    """One dump file, of the newest data version whose dumps are built.

    Its ETag is strong, from the file's SHA-256, so that a download broken off can go on with
    a range request under If-Range; Last-Modified is its data version's."""
    publication = publication_of(request)
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
    publication = publication_of(request)
    fmt = rdf_or_page(request)
    stats = await publication.statistics.recent(publication.wait)
    show(request, stats.version)
    root = str(request.base_url).rstrip("/")
    triples = void_graph(stats, publication.base_iri, root, publication.publisher.iri)
    if fmt is None:
        return await _built_page(request, triples, dataset_of(publication.base_iri))
    return rdf_response(serialized(triples, fmt), fmt)


@router.get("/catalog", name="catalog")
async def catalog(request: Request) -> Response:
    """The DCAT-AP 3.0.1 catalog (Turtle, JSON-LD, RDF/XML, N-Triples; a page for browsers)."""
    publication = publication_of(request)
    fmt = rdf_or_page(request)
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
    return rdf_response(serialized(triples, fmt), fmt)


async def _built_page(request: Request, triples: list[ox.Triple], iri: str) -> Response:
    """A description the service builds itself (VoID, the catalog) as a resource's page: its
    subject's properties, blank-node values (partitions, distributions) one level deep, and
    the links to the RDF forms of the same URL."""
    state, publication = app_state(request), publication_of(request)
    lang, links = reader(request)
    layout = await state.executor.run(publication.layout.get)
    labels = await state.executor.run(resource.labels_of, state.store, triples)
    described = resource.Description(triples + labels, {})
    page = resource.build_page(described, iri, lang, layout, links)
    return html_page(
        request,
        "resource.html",
        page=page,
        formats=format_links(request.url.path),
        incoming_shown=0,
    )


@router.get("/query-examples", name="query_examples")
async def query_examples(request: Request) -> Response:
    """The named queries as examples for the query page (JSON: title, description, SPARQL)."""
    lang, _ = reader(request)
    registry = await app_state(request).executor.run(lambda: publication_of(request).examples)
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
