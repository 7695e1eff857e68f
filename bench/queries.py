"""Every named query through the service (HTTP, /api/queries/{name}) beside the same query
text run on pyoxigraph in-process and serialised as SPARQL JSON (the engine alone).

The service is asked over one kept-alive connection with the standard library's http.client:
httpx spent 1.2 ms of client CPU per request on this machine where http.client spends 0.26 ms
(the same /health), which is the client's cost, not the service's, and more than the whole
1 ms the target allows.

The engine alone reads the service's own store, opened read-only once the service is up, with
the service's extension functions: the same quads (the inferred graph the service materialises
at start-up included) and the same full-text index, so only the service's own work differs.

Parameters: each query's required parameters get their documented example, the rest are
left open (so the list queries answer their first page of 100 over the whole store).
"""

from __future__ import annotations

import http.client
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox

from bench.common import ROOT, Stats, free_port, repeat, server, service_command, size_label, table
from service.named_queries import load_registry
from service.named_queries.binding import bind
from service.named_queries.registry import NamedQuery
from service.named_queries.runner import Page
from service.search import TEXT_SCORE, SearchIndex, TextScore
from service.settings import Settings
from service.sparql.functions import stand_ins


def _params(query: NamedQuery) -> dict[str, str]:
    """Required parameters set to their examples, and the label language given explicitly
    (the service would otherwise take it from Accept-Language, the engine from the default)."""
    params = {p.name: p.example for p in query.parameters if p.required and p.example}
    if query.parameter("lang") is not None:
        params["lang"] = "fi"
    return params


def _engine_text(query: NamedQuery, params: dict[str, str]) -> str:
    text = bind(query.sparql, query.resolve(params))
    if query.form == "SELECT":
        page = Page()
        text = f"{text}\nLIMIT {page.limit + 1}\nOFFSET {page.offset}"
    return text


# Queries slower than this on the engine are measured once; a query whose previous size,
# scaled by the size ratio, predicts more than SKIP_AFTER is not run at the larger size.
SLOW = 5.0
SKIP_AFTER = 30.0
_seen: dict[str, tuple[int, float]] = {}


def _samples(fn: Callable[[], None], times: int) -> tuple[Stats, float]:
    """Adaptive repetitions: fast calls get a warm-up and ``times`` samples, slow ones fewer."""
    start = time.perf_counter()
    fn()
    first = time.perf_counter() - start
    if first > SLOW:
        return Stats.of([first]), first
    if first > 1.0:
        rest = repeat(fn, 2, warmup=0)
        return Stats.of([first, rest.low, rest.high]), first
    return repeat(fn, times), first


def run(size: int, synth: Path, store: Path, times: int) -> tuple[str, list]:
    """The table for one size, and (name, service median, engine median) for the chart."""
    registry = load_registry(ROOT / "queries")
    port = free_port()
    command, env = service_command(store, synth, port)
    base = f"http://127.0.0.1:{port}"
    rows, chart = [], []
    with server(command, f"{base}/health", env):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
        # Opened only now: the service brings the inferred graph and the index up to date first.
        engine = ox.Store.read_only(str(store))
        index = SearchIndex(Settings(store=str(store)).search_index_location)
        functions = {**stand_ins(), TEXT_SCORE: TextScore(index)}
        for query in sorted(registry, key=lambda q: q.name):
            params = _params(query)
            text = _engine_text(query, params)
            if query.name in _seen:
                before, seconds = _seen[query.name]
                predicted = seconds * size / before
                if predicted > SKIP_AFTER:
                    rows.append(
                        (
                            query.name,
                            "not run",
                            "not run",
                            "–",
                            "–",
                            f"– (engine alone {seconds:.1f} s at {size_label(before)})",
                        )
                    )
                    continue

            def via_service(query: NamedQuery = query, params: dict[str, str] = params) -> None:
                connection.request(
                    "GET",
                    f"/api/queries/{query.name}?{urlencode(params)}",
                    headers={"Accept": "application/sparql-results+json"},
                )
                response = connection.getresponse()
                body = response.read()
                if response.status != 200:
                    raise RuntimeError(f"{query.name}: {response.status} {body[:500]!r}")

            def in_engine(text: str = text) -> None:
                engine.query(
                    text, use_default_graph_as_union=True, custom_functions=functions
                ).serialize(format=ox.QueryResultsFormat.JSON)

            engine_stats, first = _samples(in_engine, times)
            _seen[query.name] = (size, first)
            # uvicorn closes a connection idle for 5 s, as it may be after the engine's
            # samples: start a fresh one, connected by the first (warm-up) request.
            connection.close()
            service_stats, _ = _samples(via_service, times)
            budget = 1.2 * engine_stats.median + 0.001
            ok = "yes" if service_stats.median <= budget else "no"
            overhead = (service_stats.median - engine_stats.median) * 1e3
            rows.append(
                (
                    query.name,
                    service_stats.ms(),
                    engine_stats.ms(),
                    f"{service_stats.median / engine_stats.median:.2f}×",
                    f"{overhead:+.1f}",
                    ok + ("" if engine_stats.n > 1 else " (one sample)"),
                )
            )
            chart.append((query.name, service_stats.median, engine_stats.median))
            print(
                f"query {size_label(size)} {query.name}: {service_stats.ms()} vs "
                f"{engine_stats.ms()} ms",
                file=sys.stderr,
            )
        index.close()
        connection.close()
    head = (
        "named query",
        "service, ms",
        "pyoxigraph in-process, ms",
        "ratio",
        "overhead, ms",
        "within 1.2× + 1 ms",
    )
    return table(head, rows), chart


__all__ = ["Stats", "run"]
