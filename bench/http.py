"""HTTP throughput and latency with 16 concurrent connections on loopback (wrk), for a light
and a heavy SPARQL query, against the HTTP floor, rdflib-endpoint, a plain FastAPI handler over
pyoxigraph, Virtuoso and this service.

The floor, rdflib-endpoint and the plain pyoxigraph handler run as one uvicorn process each
with uvloop and httptools and no access log. Virtuoso runs with bench/virtuoso.ini (bench/virtuoso_peer.py). The service runs
as ``osaamiskartta serve`` with its defaults (``uvicorn.run`` picks uvloop and httptools
itself), once as configured by default and, when the setting exists, once with its result
cache off (``OSAAMISKARTTA_RESULT_CACHE_BYTES=0``): wrk repeats one query, so with a result
cache every request after the first is answered from the cache, and only the second row shows
what the query engine does. When the service has an ``OSAAMISKARTTA_ACCESS_LOG`` setting, both
of its rows run with it off, as the other servers do; without one, the service writes its
access line per request. wrk runs on the same machine, so it takes CPU from the servers:
ratios in one run count. All servers are up together and each round measures every server in
turn, so changes in the machine's load spread over all of them.

Before the timed runs each server answers both queries once, and its rows are compared with
the service's: a server that answers differently is marked in the table.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import quote

from bench import virtuoso_peer
from bench.common import (
    PYTHON,
    WORK,
    free_port,
    server,
    service_command,
    size_label,
    table,
    virtuoso_version,
    wait_until_idle,
)

LIGHT = (
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?label WHERE { "
    "<https://w3id.org/osaamiskartta/id/organisation/savonia-amk> skos:prefLabel ?label }"
)
HEAVY = (
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "PREFIX ok: <https://w3id.org/osaamiskartta/ontology#> "
    "SELECT ?product ?label WHERE { ?product a ok:TrainingProduct ; "
    "ok:sector <https://w3id.org/osaamiskartta/id/sector/07> ; skos:prefLabel ?label "
    'FILTER (lang(?label) = "fi") } ORDER BY ?label ?product LIMIT 100'
)
QUERIES = {
    "light (point lookup)": LIGHT,
    "heavy (join, filter and sorted page of one sector's training products)": HEAVY,
}
CONNECTIONS = 16
ACCEPT = "application/sparql-results+json"
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}

FLOOR = "HTTP floor (bare FastAPI)"
RDFLIB = "rdflib-endpoint"
PLAIN = "plain FastAPI handler over pyoxigraph"
VIRTUOSO = "Virtuoso"
SERVICE = "osaamiskartta"
SERVICE_NO_CACHE = "osaamiskartta, result cache off"
UVICORN = "one uvicorn process, uvloop, httptools, no access log"


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def wrk(url: str, seconds: int) -> tuple[float, float, float, int]:
    """Requests per second, p50 and p99 in ms, and non-2xx answers, of one wrk run."""
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "60s",
            "-H",
            f"Accept: {ACCEPT}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, p50, p99, int(errors.group(1)) if errors else 0


def answer(url: str) -> list[tuple[tuple[str, ...], ...]] | str:
    """The rows of one SPARQL JSON answer, sorted (each binding as sorted (variable, kind,
    value, language) tuples; ``typed-literal``, which some engines write, taken as
    ``literal``), or what went wrong."""
    request = urllib.request.Request(url, headers={"Accept": ACCEPT})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            body = json.loads(response.read())
    except (OSError, ValueError) as exc:
        return f"no answer: {exc}"
    return sorted(
        tuple(
            sorted(
                (
                    var,
                    term["type"].replace("typed-literal", "literal"),
                    term["value"],
                    term.get("xml:lang", ""),
                )
                for var, term in binding.items()
            )
        )
        for binding in body["results"]["bindings"]
    )


# -- the settings the service runs with ---------------------------------------------------------


def _setting(name: str, candidates: tuple[str, ...]) -> tuple[bool, str | None]:
    """Whether the service has the setting ``OSAAMISKARTTA_{name}`` (unknown variables are
    ignored, so a known one is one that rejects a nonsense value or changes the settings), and
    the first of ``candidates`` it accepts that changes them (None: all are its default)."""
    from service.settings import PREFIX, Settings, SettingsError

    default = Settings.from_env({})
    try:
        known = Settings.from_env({PREFIX + name: "not a value ?"}) != default
    except SettingsError:
        known = True
    for value in candidates:
        try:
            if Settings.from_env({PREFIX + name: value}) != default:
                return True, value
        except SettingsError:
            continue
    return known, None


def service_variants() -> tuple[list[tuple[str, dict[str, str]]], list[str]]:
    """The service's rows (name and extra settings), and notes on what they leave out."""
    notes = []
    common: dict[str, str] = {}
    known, off = _setting("ACCESS_LOG", ("false", "0", "off", "no"))
    if off is not None:
        common["OSAAMISKARTTA_ACCESS_LOG"] = off
    elif known:
        notes.append("The service's access log is off by default.")
    else:
        notes.append(
            "The service has no `OSAAMISKARTTA_ACCESS_LOG` setting: it writes one JSON access "
            "line per request (to the server log), which the floor and the peers do not."
        )
    variants = [(SERVICE, dict(common))]
    known, off = _setting("RESULT_CACHE_BYTES", ("0",))
    if off is not None:
        variants.append((SERVICE_NO_CACHE, {**common, "OSAAMISKARTTA_RESULT_CACHE_BYTES": off}))
    elif known:
        notes.append(
            "The service's result cache is off by default: its one row is the query engine's path."
        )
    else:
        notes.append(
            "The service has no `OSAAMISKARTTA_RESULT_CACHE_BYTES` setting (no result cache in "
            "this build): its one row is the query engine's path."
        )
    return variants, notes


def _describe_service(env: dict[str, str]) -> str:
    """The settings a service row ran with, from the variables it was given."""
    from service.settings import Settings

    merged = {**os.environ, **env}
    settings = Settings.from_env(merged)
    parts = [
        "`osaamiskartta serve`: one uvicorn process (uvloop and httptools, picked by uvicorn)",
        f"{settings.query_workers} request threads (`query_workers`)",
        f"{settings.query_processes} query worker processes (`query_processes`)",
    ]
    for field in dataclasses.fields(settings):
        if "cache" in field.name or "access_log" in field.name:
            parts.append(f"`{field.name}` {getattr(settings, field.name)}")
    given = {
        k: v
        for k, v in env.items()
        if k.startswith("OSAAMISKARTTA_")
        and k
        not in {
            "OSAAMISKARTTA_STORE",
            "OSAAMISKARTTA_LOAD_DIRS",
            "OSAAMISKARTTA_PORT",
            "OSAAMISKARTTA_HOST",
        }
    }
    parts.append("set: " + ", ".join(f"`{k}={v}`" for k, v in given.items()))
    return ", ".join(parts)


# -- the servers ----------------------------------------------------------------------------------


@dataclass
class Target:
    name: str
    start: Callable[[], AbstractContextManager[int]]
    about: str


@contextmanager
def _process(command: list[str], port: int, env: dict[str, str] | None = None) -> Iterator[int]:
    with server(command, f"http://127.0.0.1:{port}/health", env):
        yield port


def _uvicorn(app: str) -> Callable[[], AbstractContextManager[int]]:
    def start() -> AbstractContextManager[int]:
        port = free_port()
        command = [
            PYTHON,
            "-m",
            "uvicorn",
            app,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--loop",
            "uvloop",
            "--http",
            "httptools",
            "--no-access-log",
            "--log-level",
            "warning",
        ]
        return _process(command, port)

    return start


def _module(module: str, argument: Path) -> Callable[[], AbstractContextManager[int]]:
    """``python -m module ARGUMENT PORT`` on a free port (the peers' entry points)."""

    def start() -> AbstractContextManager[int]:
        port = free_port()
        return _process([PYTHON, "-m", module, str(argument), str(port)], port)

    return start


def _targets(
    size: int, synth: Path, store: Path, with_peer: bool
) -> tuple[list[Target], list[str]]:
    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "?"

    targets = [
        Target(
            FLOOR,
            _uvicorn("bench.floor_app:app"),
            f"FastAPI {version('fastapi')}, {UVICORN}; a fixed body, no query",
        )
    ]
    notes = []
    if with_peer:
        targets.append(
            Target(
                RDFLIB,
                _module("bench.rdflib_peer", synth),
                f"rdflib-endpoint {version('rdflib-endpoint')} on rdflib "
                f"{version('rdflib')}, {UVICORN}; the files in one in-memory graph",
            )
        )

    targets.append(
        Target(
            PLAIN,
            _module("bench.pyoxigraph_peer", store),
            f"FastAPI {version('fastapi')} and pyoxigraph {version('pyoxigraph')}, {UVICORN}; "
            "one `def` handler (FastAPI's thread pool) running the query in the server process "
            "on the service's loaded store, opened read-only: no worker processes, time limit, "
            "caps or cache (bench/pyoxigraph_peer.py)",
        )
    )
    found = virtuoso_version()
    if found is None:
        notes.append(
            "**Virtuoso is not installed, so its row is missing** (`make virtuoso` installs "
            "Debian's virtuoso-opensource)."
        )
    else:
        directory = virtuoso_peer.prepare(synth, WORK / f"virtuoso-{size}")
        targets.append(
            Target(
                VIRTUOSO,
                lambda: virtuoso_peer.serve(synth, directory),
                f"Virtuoso {found}, bench/virtuoso.ini: {virtuoso_peer.ini_settings()} "
                "(threads as in Debian's virtuoso.ini; HTTP connections and keep-alives raised "
                "from 10 to 16 for wrk's 16 connections, buffers from 10000 to 170000, about "
                "1.3 GB, so that the database fits in its page cache); "
                "each file in its own graph, queried without `default-graph-uri` (the union)",
            )
        )
    variants, service_notes = service_variants()
    notes += service_notes
    for n, (name, extra) in enumerate(variants):
        # All servers run at once and a store directory opens in one process only: every
        # variant after the first gets its own copy of the loaded store.
        # Copied now, before any server runs: a running service compacts its store, which
        # deletes files a copy might be reading.
        own = store if n == 0 else store.with_name(f"{store.name}-variant-{n}")
        if own != store:
            shutil.rmtree(own, ignore_errors=True)
            shutil.copytree(store, own)

        def start(extra: dict[str, str] = extra, own: Path = own) -> AbstractContextManager[int]:
            port = free_port()
            command, env = service_command(own, synth, port, extra)
            return _process(command, port, env)

        _, env = service_command(store, synth, 0, extra)
        targets.append(Target(name, start, _describe_service(env) + "; the loaded on-disk store"))
    return targets, notes


# -- the run --------------------------------------------------------------------------------------


def run(
    size: int, synth: Path, store: Path, seconds: int, rounds: int, with_peer: bool
) -> tuple[str, dict[tuple[str, str], float]]:
    """The table for one size (with the servers' settings and notes), and median req/s by
    (target, query) for the chart."""
    results: dict[tuple[str, str], tuple[list[float], float, float, int]] = {}
    answers: dict[tuple[str, str], list[tuple[tuple[str, ...], ...]] | str] = {}
    targets, notes = _targets(size, synth, store, with_peer)
    runs: dict[tuple[str, str], list[tuple[float, float, float, int]]] = {}
    waited = 0.0
    with ExitStack() as stack:
        # Every server is up for the whole part and the rounds go round the servers, so a
        # change in the machine's load (other work on the shared cores) falls on all of them
        # alike instead of on whichever server was being measured at the time.
        urls: dict[tuple[str, str], str] = {}
        for target in targets:
            port = stack.enter_context(target.start())
            for label, query in QUERIES.items():
                url = f"http://127.0.0.1:{port}/sparql?query={quote(query)}"
                urls[(target.name, label)] = url
                answers[(target.name, label)] = answer(url)
        for url in urls.values():
            wrk(url, 2)  # warm-up
            waited = max(waited, wait_until_idle())
        for _ in range(rounds):
            for key, url in urls.items():
                runs.setdefault(key, []).append(wrk(url, seconds))
                # A server that cannot cancel goes on with the requests wrk gave up on at the
                # end of its run; the next run starts when every server has finished them.
                waited = max(waited, wait_until_idle())
    for (name, label), done in runs.items():
        rps = [r[0] for r in done]
        results[(name, label)] = (
            rps,
            statistics.median(r[1] for r in done),
            statistics.median(r[2] for r in done),
            sum(r[3] for r in done),
        )
        print(
            f"http {size_label(size)} {name} {label}: {statistics.median(rps):.0f} req/s",
            file=sys.stderr,
        )

    def median(name: str, label: str) -> float:
        found = results.get((name, label))
        return statistics.median(found[0]) if found else 0.0

    def ratio(value: float, reference: float) -> str:
        return f"{value / reference:.2f}×" if reference and value else "–"

    rows = []
    for label in QUERIES:
        reference = answers.get((SERVICE, label))
        for target in targets:
            rps, p50, p99, errors = results[(target.name, label)]
            got = answers[(target.name, label)]
            if target.name == FLOOR:
                rows_text = "fixed body"
            elif isinstance(got, str):
                rows_text = got
            else:
                rows_text = str(len(got))
                if target.name != SERVICE and got != reference:
                    rows_text += " (**differs from the service's**)"
            value = median(target.name, label)
            floor = median(FLOOR, label)
            rows.append(
                (
                    label,
                    target.name,
                    f"{value:.0f} ({min(rps):.0f}–{max(rps):.0f})"
                    if max(rps)
                    else "0: no answer within a run",
                    f"{p50:.1f}" if max(rps) else "–",
                    f"{p99:.1f}" if max(rps) else "–",
                    f"{value / floor:.0%}" if floor and value else "–",
                    ratio(value, median(RDFLIB, label)),
                    ratio(value, median(VIRTUOSO, label)),
                    rows_text,
                    errors,
                )
            )
    head = (
        "query",
        "server",
        "req/s median (min–max)",
        "p50, ms",
        "p99, ms",
        "of the floor",
        "× rdflib-endpoint",
        "× Virtuoso",
        "rows",
        "non-2xx",
    )
    servers = "\n".join(f"- {t.name}: {t.about}" for t in targets)
    notes.append(
        "Each wrk run starts when the servers have fallen idle (under 5% of a core over a "
        "second), so that requests a server goes on with after wrk has given up on them do not "
        f"take CPU from the next run; the longest wait was {waited:.0f} s."
    )
    text = table(head, rows) + "\n\nServers:\n\n" + servers
    if notes:
        text += "\n\n" + "\n".join(f"- {n}" for n in notes)
    chart = {key: statistics.median(value[0]) for key, value in results.items()}
    return text, chart
