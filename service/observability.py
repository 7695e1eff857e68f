"""Operations: structured access logs with a request id, and Prometheus metrics.

One ASGI middleware times every request, gives it an id (the client's ``X-Request-ID`` when it
is a short token, else a new one, echoed in the response), writes one JSON line to the
``osaamiskartta.access`` logger and counts it in the app's own metrics registry. Headers are
never logged, so neither are tokens.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import re
import time
from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service import request_facts
from service.inline_reads import CheapReads
from service.query_pool import PoolStats
from service.result_cache import ResultCache

access_log = logging.getLogger("osaamiskartta.access")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
WRITE_PATHS = ("/update", "/data", "/admin/")


class _LineHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes each access line as it is, one line per request."""

    def write(self, line: str) -> None:
        """The line without a log record (what ``emit`` would write for it)."""
        try:
            with self.lock:  # type: ignore[union-attr]
                self.stream.write(line + self.terminator)
                self.stream.flush()
        except Exception:
            self.handleError(logging.makeLogRecord({"msg": line}))


def configure_access_log() -> None:
    """Send access lines to standard error (once), whatever uvicorn's log level."""
    if not access_log.handlers:
        handler = _LineHandler()
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
        yield CounterMetricFamily(
            "osaamiskartta_queries_abandoned",
            "Queries stopped because their client closed the connection",
            value=self.stats.abandoned,
        )


class _ResultCacheCollector(Collector):
    def __init__(self, cache: ResultCache[Any], name: str, what: str) -> None:
        self.cache = cache
        self.name = name
        self.what = what

    def collect(self) -> Iterator[CounterMetricFamily | GaugeMetricFamily]:
        yield CounterMetricFamily(
            f"osaamiskartta_{self.name}_hits",
            f"{self.what} answered from the {self.name.replace('_', ' ')}",
            value=self.cache.hits,
        )
        yield CounterMetricFamily(
            f"osaamiskartta_{self.name}_misses",
            f"{self.what} the {self.name.replace('_', ' ')} had no answer for",
            value=self.cache.misses,
        )
        yield GaugeMetricFamily(
            f"osaamiskartta_{self.name}_bytes",
            f"Bytes the {self.name.replace('_', ' ')} holds (answers and keys)",
            value=self.cache.size,
        )


class _CheapReadsCollector(Collector):
    def __init__(self, reads: CheapReads) -> None:
        self.reads = reads

    def collect(self) -> Iterator[CounterMetricFamily]:
        yield CounterMetricFamily(
            "osaamiskartta_inline_reads",
            "Reads known to be cheap that ran on the event loop instead of a worker thread",
            value=self.reads.inline,
        )
        yield CounterMetricFamily(
            "osaamiskartta_threaded_reads",
            "Reads that ran on a worker thread (and were timed there)",
            value=self.reads.threaded,
        )


class _InlineQueriesCollector(Collector):
    def __init__(self, reads: CheapReads) -> None:
        self.reads = reads

    def collect(self) -> Iterator[CounterMetricFamily]:
        yield CounterMetricFamily(
            "osaamiskartta_inline_queries",
            "Clients' queries known to be cheap that were evaluated on the event loop instead "
            "of a query worker",
            value=self.reads.inline,
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
        self._children: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    def watch_pool(self, stats: PoolStats) -> None:
        """Report the query pool's timeouts and restarts."""
        self.registry.register(_PoolCollector(stats))

    def watch_result_cache(self, cache: ResultCache[Any]) -> None:
        """Report the result cache's hits, misses and size."""
        self.registry.register(_ResultCacheCollector(cache, "result_cache", "Queries"))

    def watch_named_answers(self, cache: ResultCache[Any]) -> None:
        """Report the named-answer cache's hits, misses and size."""
        self.registry.register(
            _ResultCacheCollector(cache, "named_answer_cache", "Named-query requests")
        )

    def watch_cheap_reads(self, reads: CheapReads) -> None:
        """Report how many reads ran inline and how many on threads."""
        self.registry.register(_CheapReadsCollector(reads))

    def watch_inline_queries(self, reads: CheapReads) -> None:
        """Report how many clients' queries were evaluated on the event loop."""
        self.registry.register(_InlineQueriesCollector(reads))

    def observe(self, method: str, path: str, status: int, seconds: float) -> None:
        route = route_of(path)
        # The labelled children, looked up once per combination (labels() checks and locks).
        counted = self._children.get((method, route, status))
        if counted is None:
            counted = self.requests.labels(method, route, str(status)), self.latency.labels(route)
            self._children[(method, route, status)] = counted
        counted[0].inc()
        counted[1].observe(seconds)
        writing = method in ("POST", "PUT", "DELETE", "PATCH") and path.startswith(WRITE_PATHS)
        if writing and 400 <= status < 500:
            self.refused_writes.labels(str(status)).inc()
        if status == 422:
            self.validation_failures.inc()


class _RequestIds:
    """New request ids: a random prefix per process and a counter (unique, and no system call
    per request as uuid4 makes)."""

    def __init__(self) -> None:
        self._prefix = os.urandom(6).hex()
        self._next = itertools.count(1).__next__

    def new(self) -> str:
        return f"{self._prefix}{self._next():010x}"


def _write_line(line: str) -> None:
    """One access line: straight to the stream when the logger is as configure_access_log left
    it (the logging machinery costs more than the rest of a cached answer), else through it."""
    handlers = access_log.handlers
    if (
        len(handlers) == 1
        and type(handlers[0]) is _LineHandler
        and not access_log.filters
        and not handlers[0].filters
        and access_log.isEnabledFor(logging.INFO)
    ):
        handlers[0].write(line)
    else:
        access_log.info(line)


class AccessLogMiddleware:
    """Times, counts and logs every HTTP request (``lines`` False: times and counts only)."""

    def __init__(self, app: ASGIApp, metrics: Metrics, lines: bool = True) -> None:
        self.app, self.metrics, self.lines = app, metrics, lines
        self._ids = _RequestIds()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        given = ""
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                given = value.decode("latin-1")
        request_id = given if given and _REQUEST_ID.match(given) else self._ids.new()
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
            if self.lines:
                client = scope.get("client")
                _write_line(
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
