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
left open (so the list queries answer their first page of 100 over the whole store). A query
with a narrowing (a filter the engine starts from when given) gets a row more per narrowed
filter, given its example: `institution-offers (region)` is one region's entries.

The service keeps rendered answers until the next write (the answer cache), so a request asked
again is not evaluated again. The main columns are measured with the cache off
(OSAAMISKARTTA_RESULT_CACHE_BYTES=0): every request runs its query, and the difference to the
engine is the service's own work. A second service with the default settings gives the column
for a repeated request.
"""

from __future__ import annotations

import dataclasses
import http.client
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox

from bench.common import (
    ROOT,
    Stats,
    free_port,
    repeat,
    server,
    service_command,
    size_label,
    table,
    wait_until_idle,
)
from service.named_queries import load_registry
from service.named_queries.registry import NamedQuery
from service.named_queries.runner import Page, query_text
from service.search import TEXT_SCORE, SearchIndex, TextScore
from service.settings import Settings
from service.sparql.functions import stand_ins


@dataclass(frozen=True)
class Case:
    """One row of the table: a named query asked with these parameters."""

    name: str
    query: NamedQuery
    params: dict[str, str]


def _cases(registry: list[NamedQuery]) -> list[Case]:
    """Each query with its required parameters, and a query with a narrowing once more per
    narrowed filter, given its example (the lists' usual use: one region's, one sector's)."""
    cases = []
    for query in registry:
        params = _params(query)
        cases.append(Case(query.name, query, params))
        for narrowing in query.narrowing:
            parameter = query.parameter(narrowing.parameter)
            if parameter is not None and parameter.example:
                given = {**params, parameter.name: parameter.example}
                cases.append(Case(f"{query.name} ({parameter.name})", query, given))
    return cases


def _params(query: NamedQuery) -> dict[str, str]:
    """Required parameters set to their examples, and the label language given explicitly
    (the service would otherwise take it from Accept-Language, the engine from the default)."""
    params = {p.name: p.example for p in query.parameters if p.required and p.example}
    if query.parameter("lang") is not None:
        params["lang"] = "fi"
    return params


def _engine_text(query: NamedQuery, params: dict[str, str], score: TextScore) -> str:
    """The text the service evaluates for the first page, a search binding's matches
    included (looked up here, outside the engine's time)."""
    terms = query.resolve(params)
    candidates = None
    if query.search is not None:
        words = str(params[query.search.words])
        by_name = query.search.match == "name"
        candidates = score.name_matches(words) if by_name else score.matches(words)
    return query_text(query, terms, Page(), candidates)


# Queries slower than this on the engine are measured once; a query whose previous size,
# scaled by the size ratio, predicts more than SKIP_AFTER is not run at the larger size.
SLOW = 5.0
SKIP_AFTER = 150.0
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


def _paired(
    engine: Callable[[], None], service: Callable[[], None], times: int
) -> tuple[Stats, Stats, float]:
    """Engine and service samples, taken in turns when the query is fast: a change in the
    shared machine's load then falls on both alike. Slow queries as ``_samples`` does."""
    start = time.perf_counter()
    engine()
    first = time.perf_counter() - start
    if first > 1.0:
        engine_stats, _ = _samples(engine, times)
        # The engine's first run above warmed its caches; the service's block cache is its own
        # process's and gets the same warm-up (a cold first run cost a third more at 1M).
        service()
        service_stats, _ = _samples(service, times)
        return engine_stats, service_stats, first
    service()  # warm-up (and, for the service, the run that times the query)
    pairs: tuple[list[float], list[float]] = ([], [])
    for _ in range(times):
        for fn, samples in ((engine, pairs[0]), (service, pairs[1])):
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
    return Stats.of(pairs[0]), Stats.of(pairs[1]), first


# The named queries run under the query time limit (30 s by default); the slowest at 10M
# triples take longer, and are measured rather than stopped.
TIME_LIMIT = {"OSAAMISKARTTA_QUERY_TIMEOUT": "600"}
NO_ANSWER_CACHE = {"OSAAMISKARTTA_RESULT_CACHE_BYTES": "0", **TIME_LIMIT}

# Queries under this on the engine are measured a second time with the service's inline
# reads off (OSAAMISKARTTA_INLINE_READS_BELOW_MS=0): each request here repeats the one before,
# so after the first the service knows them cheap and runs them on its event loop.
CHEAP = 0.010


def settle() -> None:
    """Wait until the service just started has finished its start-up work: the summaries of
    the whole data (dumps, statistics, landing counts) are computed in the background, for
    minutes at 10M, and would otherwise share the cores with the first queries measured."""
    wait_until_idle(limit=1800.0)


def _inline_setting() -> bool:
    return "inline_reads_below_ms" in {f.name for f in dataclasses.fields(Settings)}


def _ask(connection: http.client.HTTPConnection, query: NamedQuery, params: dict[str, str]) -> None:
    connection.request(
        "GET",
        f"/api/queries/{query.name}?{urlencode(params)}",
        headers={"Accept": "application/sparql-results+json"},
    )
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"{query.name}: {response.status} {body[:500]!r}")


def _verdict(service: Stats, engine: Stats) -> str:
    ok = "yes" if service.median <= 1.2 * engine.median + 0.001 else "no"
    return ok + ("" if engine.n > 1 else " (one sample)")


def run(size: int, synth: Path, store: Path, times: int) -> tuple[str, list]:
    """The table for one size, and (name, service median, engine median) for the chart."""
    cases = _cases(sorted(load_registry(ROOT / "queries"), key=lambda q: q.name))
    port = free_port()
    command, env = service_command(store, synth, port, NO_ANSWER_CACHE)
    measured: dict[str, tuple[Stats, Stats]] = {}
    engines: dict[str, Callable[[], None]] = {}
    skipped: dict[str, str] = {}
    with server(command, f"http://127.0.0.1:{port}/health", env):
        settle()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
        # Opened only now: the service brings the inferred graph and the index up to date first.
        engine = ox.Store.read_only(str(store))
        index = SearchIndex.read_only(Settings(store=str(store)).search_index_location)
        score = TextScore(index)
        functions = {**stand_ins(), TEXT_SCORE: score}
        for case in cases:
            text = _engine_text(case.query, case.params, score)
            if case.name in _seen:
                before, seconds = _seen[case.name]
                if seconds * size / before > SKIP_AFTER:
                    skipped[case.name] = f"– (engine alone {seconds:.1f} s at {size_label(before)})"
                    continue

            def in_engine(text: str = text) -> None:
                engine.query(
                    text, use_default_graph_as_union=True, custom_functions=functions
                ).serialize(format=ox.QueryResultsFormat.JSON)

            # uvicorn closes a connection idle for 5 s: start a fresh one, connected by the
            # first (warm-up) request.
            connection.close()
            engine_stats, service_stats, first = _paired(
                in_engine, lambda c=case: _ask(connection, c.query, c.params), times
            )
            _seen[case.name] = (size, first)
            engines[case.name] = in_engine
            measured[case.name] = (service_stats, engine_stats)
            print(
                f"query {size_label(size)} {case.name}: {service_stats.ms()} vs "
                f"{engine_stats.ms()} ms",
                file=sys.stderr,
            )
        connection.close()
    # The engine's store and index stay open (read-only) for the second service's turns.
    inline_off = _inline_off(size, synth, store, times, cases, measured, engines)
    index.close()
    repeated = _answer_cache_on(size, synth, store, times, [c for c in cases if c.name in measured])
    rows, chart = [], []
    for case in cases:
        if case.name in skipped:
            rows.append((case.name, "not run", "not run", "–", "–", skipped[case.name], "–", "–"))
            continue
        service_stats, engine_stats = measured[case.name]
        overhead = (service_stats.median - engine_stats.median) * 1e3
        off_pair = inline_off.get(case.name)
        rows.append(
            (
                case.name,
                service_stats.ms(),
                engine_stats.ms(),
                f"{service_stats.median / engine_stats.median:.2f}×",
                f"{overhead:+.1f}",
                _verdict(service_stats, engine_stats),
                (
                    f"{off_pair[1].ms()} (engine {off_pair[0].ms()}), {_verdict(*off_pair[::-1])}"
                    if off_pair
                    else "–"
                ),
                (
                    f"{repeated[case.name].ms()}, {_verdict(repeated[case.name], engine_stats)}"
                    if case.name in repeated
                    else "–"
                ),
            )
        )
        chart.append((case.name, service_stats.median, engine_stats.median))
    head = (
        "named query",
        "service, ms",
        "pyoxigraph in-process, ms",
        "ratio",
        "overhead, ms",
        "within 1.2× + 1 ms",
        "service with inline reads off, ms (its own engine turns); within",
        "service with the answer cache on, the same request again, ms; within",
    )
    return table(head, rows), chart


def _inline_off(
    size: int,
    synth: Path,
    store: Path,
    times: int,
    cases: list[Case],
    measured: dict[str, tuple[Stats, Stats]],
    engines: dict[str, Callable[[], None]],
) -> dict[str, tuple[Stats, Stats]]:
    """The queries under CHEAP on the engine, asked of a service with its inline reads off, in
    turns with the engine again: (engine, service) per query."""
    cheap = [c for c in cases if c.name in measured and measured[c.name][1].median < CHEAP]
    if not cheap or not _inline_setting():
        return {}
    port = free_port()
    command, env = service_command(
        store, synth, port, {**NO_ANSWER_CACHE, "OSAAMISKARTTA_INLINE_READS_BELOW_MS": "0"}
    )
    found = {}
    with server(command, f"http://127.0.0.1:{port}/health", env):
        settle()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
        for case in cheap:
            engine_stats, service_stats, _ = _paired(
                engines[case.name], lambda c=case: _ask(connection, c.query, c.params), times
            )
            found[case.name] = (engine_stats, service_stats)
        connection.close()
    return found


def _answer_cache_on(
    size: int, synth: Path, store: Path, times: int, cases: list[Case]
) -> dict[str, Stats]:
    """Each query asked of a service with the default settings: once (evaluated), then
    ``times`` more (answered from the answer cache)."""
    port = free_port()
    command, env = service_command(store, synth, port, TIME_LIMIT)
    found = {}
    with server(command, f"http://127.0.0.1:{port}/health", env):
        settle()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
        for case in cases:
            connection.close()  # a fresh connection, as in the main measurement
            found[case.name] = repeat(lambda c=case: _ask(connection, c.query, c.params), times)
            print(
                f"query {size_label(size)} {case.name} (answer cache on): "
                f"{found[case.name].ms()} ms",
                file=sys.stderr,
            )
        connection.close()
    return found


__all__ = ["Stats", "run"]
