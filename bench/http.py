"""HTTP throughput and latency with 16 concurrent connections on loopback (wrk), for a light
and a heavy SPARQL query, against the HTTP floor, rdflib-endpoint and this service.

Every server runs as one uvicorn process with uvloop and httptools and no access log (the
service's ``uvicorn.run`` picks both automatically, as ``uvicorn[standard]`` installs them).
wrk runs on the same machine, so it takes CPU from the servers: ratios in one run count.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
from contextlib import AbstractContextManager
from pathlib import Path
from urllib.parse import quote

from bench.common import PYTHON, free_port, server, service_command, size_label, table

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
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


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
            "Accept: application/sparql-results+json",
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


def _targets(
    synth: Path, store: Path, with_peer: bool
) -> list[tuple[str, AbstractContextManager[None], int]]:
    targets = []
    port = free_port()
    floor = [
        PYTHON,
        "-m",
        "uvicorn",
        "bench.floor_app:app",
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
    targets.append(
        ("HTTP floor (bare FastAPI)", server(floor, f"http://127.0.0.1:{port}/health"), port)
    )
    if with_peer:
        port = free_port()
        peer = [PYTHON, "-m", "bench.rdflib_peer", str(synth), str(port)]
        targets.append(("rdflib-endpoint", server(peer, f"http://127.0.0.1:{port}/health"), port))
    port = free_port()
    command, env = service_command(store, synth, port)
    targets.append(("osaamiskartta", server(command, f"http://127.0.0.1:{port}/health", env), port))
    return targets


def run(
    size: int, synth: Path, store: Path, seconds: int, rounds: int, with_peer: bool
) -> tuple[str, dict[tuple[str, str], float]]:
    """The table for one size, and median req/s by (target, query) for the chart."""
    results: dict[tuple[str, str], tuple[list[float], float, float, int]] = {}
    for name, context, port in _targets(synth, store, with_peer):
        with context:
            for label, query in QUERIES.items():
                url = f"http://127.0.0.1:{port}/sparql?query={quote(query)}"
                wrk(url, 2)  # warm-up
                runs = [wrk(url, seconds) for _ in range(rounds)]
                rps = [r[0] for r in runs]
                results[(name, label)] = (
                    rps,
                    statistics.median(r[1] for r in runs),
                    statistics.median(r[2] for r in runs),
                    sum(r[3] for r in runs),
                )
                print(
                    f"http {size_label(size)} {name} {label}: {statistics.median(rps):.0f} req/s",
                    file=sys.stderr,
                )
    rows = []
    floor = statistics.median(results[("HTTP floor (bare FastAPI)", next(iter(QUERIES)))][0])
    for label in QUERIES:
        peer = results.get(("rdflib-endpoint", label))
        for (name, q), (rps, p50, p99, errors) in results.items():
            if q != label:
                continue
            median = statistics.median(rps)
            vs_floor = f"{median / floor:.0%}" if floor else "–"
            peer_rps = statistics.median(peer[0]) if peer else 0.0
            vs_peer = f"{median / peer_rps:.1f}×" if peer_rps else "–"
            if not max(rps):
                no_answer = "0: no answer within a run"
                rows.append((label, name, no_answer, "–", "–", "0%", "–", errors))
                continue
            rows.append(
                (
                    label,
                    name,
                    f"{median:.0f} ({min(rps):.0f}–{max(rps):.0f})",
                    f"{p50:.1f}",
                    f"{p99:.1f}",
                    vs_floor,
                    vs_peer,
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
        "non-2xx",
    )
    chart = {key: statistics.median(value[0]) for key, value in results.items()}
    return table(head, rows), chart
