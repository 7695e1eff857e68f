"""/api/queries: the named queries as a REST API, their OpenAPI document and /docs, and
/.well-known/sparql-examples."""

from __future__ import annotations

import time
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from starlette.datastructures import State

from service.errors import NotFound, ParameterProblem
from service.inference import asserted_only
from service.inference.datasets import wants_inference
from service.inline_reads import CheapReads
from service.language import language_choice
from service.limits import Caps
from service.named_queries import QueryRegistry, load_registry
from service.named_queries.answer import (
    ANSWER_FORMATS,
    SPARQL_RESULTS_JSON,
    Answer,
    Links,
    answer,
    checked_terms,
    paged,
    render,
)
from service.named_queries.catalogue import SchemeConcepts, describe, scheme_concepts
from service.named_queries.examples import example_triples
from service.named_queries.openapi import add_named_queries
from service.named_queries.registry import RESERVED, NamedQuery
from service.named_queries.runner import Page, query_text, search_candidates
from service.publishing.version import VersionedMemo
from service.query_pool import NeedsTextIndex, QueryPool
from service.result_cache import ResultCache
from service.routes.common import (
    CLIENT_CLOSED_REQUEST,
    AppState,
    app_state,
    unless_client_leaves,
)
from service.routes.named_answers import NamedAnswer, answer_key, answer_version
from service.sparql.conneg import negotiate
from service.sparql.formats import JSON_LD, N_TRIPLES, TURTLE
from service.sparql.functions import uses_text_search
from service.sparql.openapi import add_sparql_protocol
from service.sparql.protocol import QueryOperation
from service.store.base import QueryDataset
from service.store.oxigraph_result import rdf_format

# The answers change only when the data does; a minute of caching spares repeated questions.
CACHE_CONTROL = "public, max-age=60"
# Where the answers are: /api/queries/{name}.
ANSWERS_PREFIX = "/api/queries/"
EXAMPLE_FORMATS = (TURTLE, JSON_LD, N_TRIPLES)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Load the registry once the store is open, and extend the OpenAPI document with it."""
    state: AppState = app.state.osaamiskartta
    registry = await state.executor.run(load_registry, state.settings.queries_dir)
    version = app.state.publication.version
    app.state.named_queries = registry
    # Whether a parameter value is of its scheme or class, asked once per data version.
    app.state.named_query_checks = VersionedMemo(version)
    # The concepts and their labels (a quarter of a second at 100k triples), once per version.
    app.state.scheme_concepts = VersionedMemo(version, size=1)
    # Millisecond queries skip the hop to a worker thread once they are known to be cheap.
    below = state.settings.inline_reads_below_ms / 1000
    app.state.cheap_reads = CheapReads(state.executor, version, below, state.writer.busy)
    app.state.metrics.watch_cheap_reads(app.state.cheap_reads)
    # Rendered answers to repeated requests, until the next write. Not on a remote engine:
    # writes made there directly would go unseen.
    budget = state.settings.result_cache_bytes if state.pool is not None else 0
    app.state.named_answers = ResultCache[NamedAnswer](budget)
    app.state.metrics.watch_named_answers(app.state.named_answers)
    # Concept enums in the document reflect the store at start-up; the listing follows writes.
    concepts = await _concepts(app.state)
    app.openapi_schema = None
    with warnings.catch_warnings():
        # FastAPI warns that many-method routes share an operationId; add_named_queries
        # gives each its own.
        warnings.simplefilter("ignore", UserWarning)
        document = app.openapi()
    app.openapi_schema = add_named_queries(
        add_sparql_protocol(document), registry, concepts, state.settings.max_page_size
    )
    yield


router = APIRouter(lifespan=_lifespan)


async def _concepts(shared: State) -> SchemeConcepts:
    """Every scheme's concepts as the data is now, asked of the store once per data version."""
    memo: VersionedMemo[str, SchemeConcepts] = shared.scheme_concepts
    concepts = memo.get("all")
    if concepts is None:
        at = memo.now()
        state: AppState = shared.osaamiskartta
        concepts = await state.executor.run(scheme_concepts, state.store)
        memo.put("all", concepts, at)
    return concepts


def _registry(request: Request) -> QueryRegistry:
    registry: QueryRegistry = request.app.state.named_queries
    return registry


def _named(request: Request, name: str) -> NamedQuery:
    query = _registry(request).get(name)
    if query is None:
        raise NotFound(f"there is no named query {name!r}; GET /api/queries lists them")
    return query


@router.get(
    "/api/queries",
    name="named_queries",
    tags=["named queries"],
    summary="List the named queries",
    description="Every named query with its titles and descriptions in Finnish and English, "
    "tags, result columns and typed parameters; concept parameters list the concepts they "
    "take, with labels.",
    responses={200: {"content": {"application/json": {"schema": {"type": "object"}}}}},
)
async def list_queries(request: Request) -> Response:
    concepts = await _concepts(request.app.state)
    listing = [
        describe(q, concepts, str(request.url_for("named_query", name=q.name)))
        for q in _registry(request)
    ]
    return JSONResponse({"queries": listing}, headers={"Cache-Control": CACHE_CONTROL})


async def run_named_query(request: Request) -> Response:
    """Run one named query; each query is documented as its own path in the OpenAPI document.

    A plain Starlette route: FastAPI's parameter solving and response handling would add a
    tenth of a millisecond or more to answers that take about a millisecond. The rendered
    answer is kept until the next write, for the same request asked again."""
    state = app_state(request)
    # Read before the query runs: an answer computed while a write commits is kept under the
    # version before it, which no later lookup uses.
    version = answer_version(request.scope)
    query = _named(request, request.path_params["name"])
    fmt = negotiate(
        request.headers.get("accept"), request.query_params.get("format"), ANSWER_FORMATS
    )
    page = Page.parse(
        request.query_params.get("limit"),
        request.query_params.get("offset"),
        state.settings.max_page_size,
    )
    raw = _query_parameters(request, query)
    dataset = None
    if not wants_inference(request.query_params.getlist("inference")):
        dataset = asserted_only(None, state.settings.base_iri)
    checks = request.app.state.named_query_checks
    reads: CheapReads = request.app.state.cheap_reads
    kind = _kind(query, raw, page, dataset is None)
    pool = state.pool
    if (
        pool is None
        or not pool.snapshots_are_cheap
        or reads.is_cheap(kind)
        or not _fits_a_worker(query, pool)
    ):
        result: Answer = await reads.run(
            kind, state.store, answer, state.store, query, raw, page, dataset, checks
        )
    else:
        try:
            in_worker = await _in_a_worker(request, pool, kind, query, raw, page, dataset)
        except NeedsTextIndex:
            # The full-text function spelled so that _fits_a_worker missed it: run here, where
            # the index is.
            in_worker = await reads.run(
                kind, state.store, answer, state.store, query, raw, page, dataset, checks
            )
        if in_worker is None:
            return Response(status_code=CLIENT_CLOSED_REQUEST)
        result = in_worker
    links = _links(request, result)
    result = result.with_links(links)
    concepts = {}
    if fmt.name == "html":
        concepts = await _concepts(request.app.state)
    answered = NamedAnswer(
        render(result, fmt, concepts),
        fmt.content_type,
        {
            "Link": _link_header(links),
            "Vary": "Accept, Accept-Language",
            "Cache-Control": CACHE_CONTROL,
        },
    )
    cache: ResultCache[NamedAnswer] = request.app.state.named_answers
    if cache.enabled:
        cache.miss()
        key = answer_key(request.scope)
        cache.put(version, key, answered, len(request.scope["query_string"]) + 200)
    return answered.response(request.method == "HEAD")


router.add_route(
    "/api/queries/{name}",
    run_named_query,
    methods=["GET", "HEAD"],
    name="named_query",
    include_in_schema=False,
)


def _query_parameters(request: Request, query: NamedQuery) -> dict[str, str]:
    """The query's own parameters from the URL; `lang` falls back to Accept-Language."""
    raw: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key in RESERVED:
            continue
        if key in raw:
            raise ParameterProblem(key, "given more than once")
        raw[key] = value
    lang = query.parameter("lang")
    if lang is not None and "lang" not in raw and lang.values:
        chosen = language_choice(request.headers.get("accept-language"), lang.values)
        if chosen is not None:
            raw["lang"] = chosen
    return raw


async def _in_a_worker(
    request: Request,
    pool: QueryPool,
    kind: tuple[object, ...],
    query: NamedQuery,
    raw: dict[str, str],
    page: Page,
    dataset: QueryDataset | None,
) -> Answer | None:
    """A run that may take long, in a query worker: under the time limit, and stopped when
    its client leaves (None). The parameter checks are cheap reads of their own."""
    state = app_state(request)
    reads: CheapReads = request.app.state.cheap_reads
    checks = request.app.state.named_query_checks
    at = reads.now()
    terms = await reads.run(
        ("checks", kind), state.store, checked_terms, state.store, query, raw, checks
    )
    candidates = None
    if query.search is not None:
        candidates = await reads.run(
            ("search", kind), state.store, search_candidates, state.store, query, terms
        )
    started = time.perf_counter()
    operation = QueryOperation(query_text(query, terms, page, candidates), dataset)
    payload = await unless_client_leaves(
        request, pool.run(operation, SPARQL_RESULTS_JSON.content_type, None, Caps())
    )
    if payload is None:
        return None
    reads.note(kind, time.perf_counter() - started, at)
    return paged(query, terms, page, payload.body)


def _fits_a_worker(query: NamedQuery, pool: QueryPool) -> bool:
    """Whether the query can run in a query worker: a SELECT (paged) that calls none of the
    service's extension functions, unless the workers read the full-text index too."""
    return query.form == "SELECT" and (
        pool.search_index is not None or not uses_text_search(query.sparql)
    )


def _kind(
    query: NamedQuery, raw: dict[str, str], page: Page, inference: bool
) -> tuple[object, ...]:
    """One named query's run, as CheapReads times it: the query, its parameter values, the
    page and the dataset."""
    return (query.name, tuple(sorted(raw.items())), page, inference)


def _links(request: Request, result: Answer) -> Links:
    """The request's URL with each page's limit and offset (the other parameters kept in
    order, limit and offset last), encoding the kept parameters once for all the links."""
    page = result.page
    kept = urlencode(
        [(k, v) for k, v in request.query_params.multi_items() if k not in ("limit", "offset")]
    )
    prefix = str(request.url).split("?", 1)[0] + "?" + (f"{kept}&" if kept else "")

    def at(offset: int) -> str:
        return f"{prefix}limit={page.limit}&offset={offset}"

    return Links(
        first=at(0),
        next=at(page.offset + page.limit) if result.has_next else None,
        previous=at(max(page.offset - page.limit, 0)) if page.offset > 0 else None,
    )


def _link_header(links: Links) -> str:
    parts = [f'<{links.first}>; rel="first"']
    if links.previous:
        parts.append(f'<{links.previous}>; rel="prev"')
    if links.next:
        parts.append(f'<{links.next}>; rel="next"')
    return ", ".join(parts)


@router.get(
    "/.well-known/sparql-examples",
    name="sparql_examples",
    tags=["named queries"],
    summary="The named queries as SHACL SPARQL executables",
    description="Turtle, JSON-LD or N-Triples: each query as sh:SPARQLSelectExecutable with "
    "sh:select (defaults bound so it runs as is), labels and comments in Finnish and English, "
    "schema:keywords and schema:target.",
    responses={
        200: {
            "content": {fmt.media_type: {"schema": {"type": "string"}} for fmt in EXAMPLE_FORMATS}
        }
    },
)
async def sparql_examples(request: Request) -> Response:
    state = app_state(request)
    fmt = negotiate(
        request.headers.get("accept"), request.query_params.get("format"), EXAMPLE_FORMATS
    )
    triples = example_triples(
        _registry(request),
        state.settings.base_iri,
        str(request.url_for("sparql")),
        str(request.url_for("named_queries")),
    )
    prefixes = {
        "sh": "http://www.w3.org/ns/shacl#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "schema": "http://schema.org/",
        "dct": "http://purl.org/dc/terms/",
    }
    body = ox.serialize(triples, format=rdf_format(fmt), prefixes=prefixes) or b""
    return Response(
        body,
        media_type=fmt.content_type,
        headers={"Vary": "Accept", "Cache-Control": CACHE_CONTROL},
    )
