"""The web application: routers, error mapping and the store's lifecycle."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.derived import start_derived_data
from service.errors import (
    BadRequest,
    MethodNotAllowed,
    NotFound,
    ServiceError,
    error_body,
)
from service.executor import ThreadExecutor
from service.inline_reads import CheapReads
from service.loading import load_directories
from service.observability import AccessLogMiddleware, Metrics, configure_access_log
from service.provenance import ProvenanceRecorder
from service.publishing.site import Publication
from service.query_pool import QueryPool
from service.rate_limit import RateLimitMiddleware, TokenBuckets
from service.result_cache import ResultCache
from service.routes import admin as admin_routes
from service.routes import api_docs, graph_store, sparql
from service.routes import dataset as dataset_routes
from service.routes import named_queries as named_query_routes
from service.routes import operations as operations_routes
from service.routes import publishing as publishing_routes
from service.routes import validation as validation_routes
from service.routes.cached_answers import CachedAnswers
from service.routes.caching import CachingMiddleware
from service.routes.common import AppState
from service.routes.error_pages import error_page, wants_page
from service.routes.head_requests import HeadAsGet
from service.routes.tools import router as tools_router
from service.settings import MEMORY, Settings
from service.sparql.endpoint import Payload
from service.store.configured import open_configured_store
from service.store.oxigraph import OxigraphStore
from service.tokens import TokenRegistry
from service.validation.gate import GraphRoles, QualityGate
from service.validation.status import StoreValidation
from service.writes import Writer

STATIC = Path(__file__).parent / "static"

# uvicorn configures this logger, so start-up messages show with its own.
log = logging.getLogger("uvicorn.error")


async def _health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


def _error_response(request: Request, error: ServiceError) -> Response:
    if wants_page(request.headers.get("accept")) and (page := error_page(request, error)):
        return page
    body, media_type = error_body(
        error, request.headers.get("accept"), request.headers.get("accept-language")
    )
    if request.method == "HEAD":
        body = b""
    return Response(body, status_code=error.status, media_type=media_type, headers=error.headers)


def create_app(settings: Settings) -> FastAPI:
    """Build the service for ``settings``; the store opens and loads when the app starts."""
    tokens = TokenRegistry.from_settings(settings)
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = open_configured_store(settings)
        # Started first: the workers import while the store loads. A remote engine runs its
        # own queries (and its own time limits), so it has no worker processes.
        index = settings.search_index_location
        pool = (
            QueryPool(
                store,
                settings.query_processes,
                settings.query_timeout,
                search_index=None if index == MEMORY else index,
            )
            if isinstance(store, OxigraphStore)
            else None
        )
        gate = QualityGate(store, GraphRoles(settings.base_iri))
        writer = Writer(store, gate, [ProvenanceRecorder(store, settings.base_iri)])
        derived = start_derived_data(settings, store, gate.roles)
        writer.observers.extend(derived.observers)
        app.state.search = derived.searching
        # Registered before the load, so that the load moves the data version on too.
        publication = Publication.create(settings, store, writer.busy)
        # The pool hears of a write before the data version moves on: a query timed after the
        # move then ran on a snapshot with the write (service/inline_reads.py keys timings by
        # that version).
        if pool is not None:
            writer.observers.append(pool)
        writer.observers.extend(publication.observers)
        app.state.publication = publication
        # Nothing reads the store yet (no request is served before the lifespan yields, and the
        # query workers take their first snapshot at the first query), so big files may be
        # bulk-loaded: their graphs are not visible half-loaded to anyone.
        report = load_directories(
            writer, settings.load_dirs, settings.base_iri, bulk_from=settings.bulk_load_bytes
        )
        log.info(
            "loaded %d graphs, %d unchanged, %d dropped",
            len(report.loaded),
            len(report.unchanged),
            len(report.dropped),
        )
        store_validation = StoreValidation()
        if report.loaded or report.dropped:
            store_validation.start(gate, "files were loaded at start-up")
        executor = ThreadExecutor(settings.query_workers)
        # Only the pool's answers are cached: the pool's version moves on with every commit.
        result_cache: ResultCache[Payload] = ResultCache(
            settings.result_cache_bytes if pool is not None else 0
        )
        cheap_queries = None
        if pool is not None and settings.inline_queries_below_ms > 0:
            below = settings.inline_queries_below_ms / 1000
            cheap_queries = CheapReads(executor, publication.version, below, writer.busy)
        if pool is not None:
            await pool.wait_ready()
        app.state.osaamiskartta = AppState(
            settings,
            store,
            writer,
            executor,
            store_validation=store_validation,
            pool=pool,
            tokens=tokens,
            result_cache=result_cache,
            cheap_queries=cheap_queries,
        )
        if pool is not None:
            metrics.watch_pool(pool.stats)
        metrics.watch_result_cache(result_cache)
        if cheap_queries is not None:
            metrics.watch_inline_queries(cheap_queries)
        publication.warm()
        try:
            yield
        finally:
            app.state.stopping = True
            publication.close()
            if pool is not None:
                pool.close()
            executor.close()
            app.state.osaamiskartta.streams.close()
            derived.close()
            store.close()

    app = FastAPI(
        title="Osaamiskartta",
        summary="SPARQL 1.1 service for the knowledge graph of Finnish regional education and "
        "lifelong-guidance networks",
        lifespan=lifespan,
        # /docs is served by the named-query router, without a CDN.
        docs_url=None,
        redoc_url=None,
        # The service's own metrics are Prometheus' (/metrics); FastAPI's OpenTelemetry hooks
        # would otherwise look for a configured provider at every request.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    # Routes are matched in order, at a few microseconds each: the most asked come first.
    app.router.add_route("/health", _health, methods=["GET"], include_in_schema=False)
    app.include_router(sparql.router)
    app.include_router(named_query_routes.router)
    app.include_router(api_docs.router)
    app.include_router(graph_store.router)
    app.include_router(validation_routes.router)

    app.include_router(publishing_routes.router)
    app.include_router(dataset_routes.router)
    app.include_router(tools_router)
    app.include_router(admin_routes.router)
    app.include_router(operations_routes.router)
    app.state.metrics = metrics
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")
    # Innermost: a HEAD of a GET-only route reaches it as a GET (service/routes/head_requests.py).
    app.add_middleware(HeadAsGet, routes=app.router.routes)
    # Cached query answers skip routing, and still get every header below.
    app.add_middleware(CachedAnswers)
    app.add_middleware(CachingMiddleware)
    # Reads are open to any origin; writes stay same-origin (no CORS for POST, PUT, DELETE).
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "HEAD", "OPTIONS"],
        expose_headers=["ETag", "Last-Modified", "Content-Location", "Link"],
    )
    if settings.rate_limit > 0:
        buckets = TokenBuckets(settings.rate_limit, settings.rate_burst)
        app.add_middleware(RateLimitMiddleware, buckets=buckets, tokens=tokens)
    app.add_middleware(AccessLogMiddleware, metrics=metrics, lines=settings.access_log)
    configure_access_log()

    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> Response:
        return _error_response(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        error: ServiceError
        if exc.status_code == 404:
            error = NotFound(f"nothing is served at {request.url.path}")
        elif exc.status_code == 405:
            allow = tuple((exc.headers or {}).get("Allow", "GET").split(", "))
            if "GET" in allow and "HEAD" not in allow:  # service/routes/head_requests.py
                allow = (*allow, "HEAD")
            error = MethodNotAllowed(f"{request.method} is not supported here", allow)
        else:
            error = ServiceError(str(exc.detail))
            error.status = exc.status_code
            error.title = "HTTP error"
        return _error_response(request, error)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return _error_response(request, BadRequest(str(exc)))

    return app


def app_from_environment() -> FastAPI:
    """Factory for ``uvicorn --factory service.app:app_from_environment``."""
    return create_app(Settings.from_env(os.environ))
