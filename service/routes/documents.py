"""What the publishing routes share: the publication, the reader's language, content
negotiation between a page and the RDF forms, and the responses for both."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import Request, Response
from fastapi.responses import HTMLResponse

from service.errors import NotFound
from service.publishing import html
from service.publishing.dumps import PREFIXES as DUMP_PREFIXES
from service.publishing.labels import choose_language, other_language
from service.publishing.links import Links
from service.publishing.site import Publication
from service.sparql.conneg import negotiate, prefers
from service.sparql.formats import JSON_LD, N_TRIPLES, RDF_XML, TURTLE, Format
from service.store.oxigraph_result import rdf_format

DOCUMENT_FORMATS = (TURTLE, JSON_LD, RDF_XML, N_TRIPLES)
FORMAT_TITLES = {TURTLE: "Turtle", JSON_LD: "JSON-LD", RDF_XML: "RDF/XML", N_TRIPLES: "N-Triples"}
VARY = "Accept, Accept-Language"


@dataclass(frozen=True)
class FormatLink:
    """A link to one RDF form of a page."""

    title: str
    media_type: str
    href: str


def publication_of(request: Request) -> Publication:
    """The publication the app serves (its caches and settings)."""
    publication: Publication = request.app.state.publication
    return publication


def reader(request: Request) -> tuple[str, Links]:
    """The page language and the link builder (which keeps an explicitly chosen language)."""
    param = request.query_params.get("lang")
    lang = choose_language(request.headers.get("accept-language"), param)
    chosen = lang if param and param.lower() == lang else None
    return lang, Links(publication_of(request).base_iri, chosen)


def _switch(request: Request, lang: str) -> str:
    query = {k: v for k, v in request.query_params.items() if k != "lang"}
    query["lang"] = other_language(lang)
    return f"{request.url.path}?{urlencode(query)}"


def wants_html(request: Request, offered: Sequence[Format]) -> bool:
    fmt = request.query_params.get("format")
    if fmt:
        return fmt.lower() in ("html", "text/html")
    return prefers(request.headers.get("accept"), "text/html", offered)


def negotiated_rdf(request: Request, offered: Sequence[Format]) -> Format:
    return negotiate(request.headers.get("accept"), request.query_params.get("format"), offered)


def rdf_or_page(request: Request) -> Format | None:
    """The RDF form of a document the request asks for; None when it asks for a page."""
    if wants_html(request, DOCUMENT_FORMATS):
        return None
    return negotiated_rdf(request, DOCUMENT_FORMATS)


def format_links(path: str) -> list[FormatLink]:
    return [
        FormatLink(FORMAT_TITLES[f], f.media_type, f"{path}?format={f.short_names[0]}")
        for f in DOCUMENT_FORMATS
    ]


def html_page(request: Request, template: str, status: int = 200, **context: object) -> Response:
    lang, links = reader(request)
    body = html.render(template, lang, _switch(request, lang), links=links, **context)
    return HTMLResponse(
        body.encode(),
        status_code=status,
        headers={"Vary": VARY, "Content-Language": lang},
    )


def rdf_response(body: bytes, fmt: Format, **headers: str) -> Response:
    return Response(
        body,
        media_type=fmt.content_type,
        headers={"Vary": VARY, **headers},
    )


def serialized(triples: list[ox.Triple], fmt: Format) -> bytes:
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


def not_found_page(request: Request, iri: str) -> Response:
    if wants_html(request, DOCUMENT_FORMATS):
        suggestion = iri.rstrip("/").rsplit("/", 1)[-1].replace("-", " ")
        return html_page(request, "not_found.html", 404, iri=iri, suggestion=suggestion)
    raise NotFound(f"the graph has nothing about <{iri}>; try /search?q=…")
