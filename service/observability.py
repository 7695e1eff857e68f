"""Operations: structured access logs with a request id, and Prometheus metrics.

One ASGI middleware times every request, gives it an id (the client's ``X-Request-ID`` when it
is a short token, else a new one, echoed in the response), writes one JSON line to the
``osaamiskartta.access`` logger and counts it in the app's own metrics registry. Headers are
never logged, so neither are tokens.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service import request_facts
from service.query_pool import PoolStats
from service.result_cache import ResultCache

access_log = logging.getLogger("osaamiskartta.access")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
WRITE_PATHS = ("/update", "/data", "/admin/")


def configure_access_log() -> None:
    """Send access lines to standard error (once), whatever uvicorn's log level."""
    if not access_log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        access_log.addHandler(handler)
        access_log.setLevel(logging.INFO)
        access_log.propagate = False


def route_of(path: str) -> str:
    """A low-cardinality label for a path."""
    for prefix in (
        "/sparql",
        "/update",
        "/data",
        "/api/queries",
        "/id/",
        "/doc/",
        "/admin/",
        "/static/",
        "/dumps/",
        "/graph/",
        "/validate",
    ):
        if path.startswith(prefix):
            return prefix.rstrip("/")
    return (
        path
        if path
        in (
            "/",
            "/health",
            "/ready",
            "/metrics",
            "/ontology",
            "/catalog",
            "/search",
            "/openapi.json",
            "/docs",
        )
        else "other"
    )


class _PoolCollector(Collector):
    def __init__(self, stats: PoolStats) -> None:
        self.stats = stats

    def collect(self) -> Iterator[CounterMetricFamily]:
        yield CounterMetricFamily(
            "osaamiskartta_query_timeouts",
            "Queries stopped at the time limit",
            value=self.stats.timeouts,
        )
        yield CounterMetricFamily(
            "osaamiskartta_query_worker_restarts",
            "Query workers killed and replaced",
            value=self.stats.restarts,
        )


class _ResultCacheCollector(Collector):
    def __init__(self, cache: ResultCache) -> None:
        self.cache = cache

    def collect(self) -> Iterator[CounterMetricFamily | GaugeMetricFamily]:
        yield CounterMetricFamily(
            "osaamiskartta_result_cache_hits",
            "Queries answered from the result cache",
            value=self.cache.hits,
        )
        yield CounterMetricFamily(
            "osaamiskartta_result_cache_misses",
            "Queries the result cache had no answer for",
            value=self.cache.misses,
        )
        yield GaugeMetricFamily(
            "osaamiskartta_result_cache_bytes",
            "Bytes the result cache holds (answers and keys)",
            value=self.cache.size,
        )


class Metrics:
    """The app's Prometheus metrics (its own registry, so several apps can coexist)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "osaamiskartta_requests",
            "HTTP requests",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "osaamiskartta_request_duration_seconds",
            "Time to answer a request",
            ["route"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
        )
        self.refused_writes = Counter(
            "osaamiskartta_refused_writes",
            "Writes refused (4xx)",
            ["status"],
            registry=self.registry,
        )
        self.validation_failures = Counter(
            "osaamiskartta_validation_failures",
            "Writes refused by the shapes (422)",
            registry=self.registry,
        )

    def watch_pool(self, stats: PoolStats) -> None:
        """Report the query pool's timeouts and restarts."""
        self.registry.register(_PoolCollector(stats))

    def watch_result_cache(self, cache: ResultCache) -> None:
        """Report the result cache's hits, misses and size."""
        self.registry.register(_ResultCacheCollector(cache))

    def observe(self, method: str, path: str, status: int, seconds: float) -> None:
        route = route_of(path)
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(route).observe(seconds)
        writing = method in ("POST", "PUT", "DELETE", "PATCH") and path.startswith(WRITE_PATHS)
        if writing and 400 <= status < 500:
            self.refused_writes.labels(str(status)).inc()
        if status == 422:
            self.validation_failures.inc()


class AccessLogMiddleware:
    """Times, counts and logs every HTTP request."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        facts: dict[str, object] = {}
        token = request_facts.current.set(facts)
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_facts.current.reset(token)
            seconds = time.perf_counter() - started
            self.metrics.observe(scope["method"], scope["path"], status, seconds)
            client = scope.get("client")
            access_log.info(
                json.dumps(
                    {
                        "request_id": request_id,
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status,
                        "seconds": round(seconds, 6),
                        "client": client[0] if client else None,
                        **facts,
                    }
                )
            )
