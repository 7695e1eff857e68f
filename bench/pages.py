"""Pages at national scale: every kind of page a reader or a tool user reaches, timed at each
size, with the ratio of the largest size to the smallest. A page shows a bounded part of the
data, so its time should stay nearly flat as the data grows; a page whose time grows with the
data reads more of it than it shows. The first requests after a write show what the summaries
recomputed in the background (dumps, VoID statistics, landing counts) cost a reader.
"""

from __future__ import annotations

import http.client
import json
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

from bench.common import (
    Stats,
    free_port,
    peak_memory_mib,
    server,
    service_command,
    size_label,
    table,
    wait_until_idle,
)

TOKEN = "bench-pages"
HTML = "text/html"
TURTLE = "text/turtle"
JSON = "application/json"
ID = "https://w3id.org/osaamiskartta/id/"
# The resources with the most links of a kind at each size: the hubs a page must not read whole.
EXAMPLES = {
    "sector": "SELECT ?x WHERE { ?s <https://w3id.org/osaamiskartta/ontology#sector> ?x } "
    "GROUP BY ?x ORDER BY DESC(COUNT(*)) LIMIT 1",
    "provider": "SELECT ?x WHERE { ?s <http://schema.org/provider> ?x } "
    "GROUP BY ?x ORDER BY DESC(COUNT(*)) LIMIT 1",
    "competence": "SELECT ?x WHERE { ?s <http://schema.org/teaches> ?x } "
    "GROUP BY ?x ORDER BY DESC(COUNT(*)) LIMIT 1",
}
# (what, path, Accept); {sector}, {provider}, {competence} are the examples' IRIs, {…_doc}
# their document paths and {provider_slug} the provider's slug.
PAGES = (
    ("landing page", "/", HTML),
    ("catalog (DCAT-AP)", "/catalog", TURTLE),
    ("VoID", "/.well-known/void", TURTLE),
    ("dumps index", "/dumps/", JSON),
    ("resource page: JORY", "/doc/network/jory", HTML),
    ("resource page: a region", "/doc/region/pohjois-savo", HTML),
    ("resource page: the most linked sector", "{sector_doc}", HTML),
    ("its RDF document", "{sector_doc}", TURTLE),
    ("resource page: the biggest provider", "{provider_doc}", HTML),
    ("resource page: the most taught competence", "{competence_doc}", HTML),
    ("ontology", "/ontology", HTML),
    ("search", "/search?q=ohjaus", HTML),
    ("tools: forums", "/tools/forums", HTML),
    ("tools: review", "/tools/review", HTML),
    ("tools: strategy", "/tools/strategy", HTML),
    ("tools: quality (every organisation)", "/tools/quality", HTML),
    ("tools: competence search page", "/tools/competence", HTML),
    (
        "competence search: a competence",
        "/api/tools/competence/search?competence={competence}",
        JSON,
    ),
    (
        "competence search: a region",
        "/api/tools/competence/search?region=" + quote(ID + "region/pohjois-savo", safe=""),
        JSON,
    ),
    ("competence map: the biggest provider", "/tools/competence/{provider_slug}", HTML),
)
AFTER_WRITE = ("landing page", "catalog (DCAT-AP)", "VoID", "dumps index")


def _get(connection: http.client.HTTPConnection, path: str, accept: str) -> tuple[int, int]:
    connection.request("GET", path, headers={"Accept": accept})
    response = connection.getresponse()
    return response.status, len(response.read())


def _timed(port: int, path: str, accept: str) -> tuple[float, int, int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    try:
        start = time.perf_counter()
        status, size = _get(connection, path, accept)
        return time.perf_counter() - start, status, size
    finally:
        connection.close()


def _sparql(port: int, query: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    try:
        connection.request(
            "GET",
            "/sparql?" + urlencode({"query": query}),
            headers={"Accept": "application/sparql-results+json"},
        )
        bindings = json.loads(connection.getresponse().read())["results"]["bindings"]
        return str(bindings[0]["x"]["value"])
    finally:
        connection.close()


def _write(port: int, method: str) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    try:
        body = b'<https://example.org/bench/x> <https://example.org/bench/p> "x" .'
        connection.request(
            method,
            "/data?" + urlencode({"graph": "https://example.org/bench-pages"}),
            body=body if method == "PUT" else None,
            headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/n-triples"},
        )
        response = connection.getresponse()
        response.read()
        if response.status not in (200, 201, 204):
            raise RuntimeError(f"{method} /data: {response.status}")
    finally:
        connection.close()


def _summaries_ready(port: int, limit: float = 1800) -> float:
    """Wait until the start-up summaries are computed (the dumps are the last); seconds."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if _timed(port, "/dumps/", JSON)[1] == 200 and _timed(port, "/", HTML)[1] == 200:
            return time.perf_counter() - start
        time.sleep(2)
    raise RuntimeError("the summaries were not computed in time")


def _paths(port: int) -> dict[str, str]:
    found = {name: _sparql(port, query) for name, query in EXAMPLES.items()}
    values = dict(found)
    for name, iri in found.items():
        values[f"{name}_doc"] = "/doc/" + iri.removeprefix(ID)
    values["provider_slug"] = found["provider"].rsplit("/", 1)[-1]
    values["competence"] = quote(found["competence"], safe="")
    return values


def measure(
    size: int, synth: Path, store: Path, times: int
) -> tuple[dict[str, tuple[Stats, int]], dict[str, float], tuple[float, float]]:
    """Each page's latency at one size (and its body size), the first requests after a write,
    how long the start-up summaries took and the service's peak memory (MiB) once they were
    ready: they are its largest passes over the data."""
    port = free_port()
    extra = {"OSAAMISKARTTA_WRITE_TOKEN": TOKEN, "OSAAMISKARTTA_QUERY_TIMEOUT": "600"}
    command, env = service_command(store, synth, port, extra)
    pages: dict[str, tuple[Stats, int]] = {}
    after: dict[str, float] = {}
    with server(command, f"http://127.0.0.1:{port}/health", env) as process:
        ready = _summaries_ready(port)
        peak = peak_memory_mib(process.pid)
        wait_until_idle()
        values = _paths(port)
        for what, template, accept in PAGES:
            path = template.format(**values)
            samples = []
            for _ in range(times + 1):  # the first is a warm-up
                seconds, status, length = _timed(port, path, accept)
                if status != 200:
                    raise RuntimeError(f"{path}: {status}")
                samples.append(seconds)
            pages[what] = (Stats.of(samples[1:]), length)
            print(f"pages {size_label(size)} {what}: {pages[what][0].ms()} ms", file=sys.stderr)
        _write(port, "PUT")
        for what, template, accept in PAGES:
            if what in AFTER_WRITE:
                after[what] = _timed(port, template, accept)[0]
        wait_until_idle()  # the summaries the requests above set going
        _write(port, "DELETE")  # the bench's store as it was
    return pages, after, (ready, peak)


def run(stores: list[tuple[int, Path, Path]], times: int) -> str:
    """The Markdown for the sizes given as (size, synthetic file, loaded store)."""
    results = {size: measure(size, synth, store, times) for size, synth, store in stores}
    sizes = sorted(results)
    head = (
        "page",
        *(f"{size_label(n)}, ms" for n in sizes),
        f"body at {size_label(sizes[-1])}",
        f"{size_label(sizes[-1])} ÷ {size_label(sizes[0])}",
    )
    rows = []
    for what, _, _ in PAGES:
        first, last = results[sizes[0]][0][what][0], results[sizes[-1]][0][what][0]
        rows.append(
            (
                what,
                *(results[n][0][what][0].ms() for n in sizes),
                f"{results[sizes[-1]][0][what][1] / 1024:.0f} KiB",
                f"{last.median / first.median:.1f}×",
            )
        )
    after_head = ("first request after a write", *(f"{size_label(n)}, ms" for n in sizes))
    after_rows = [
        (what, *(f"{results[n][1][what] * 1e3:.1f}" for n in sizes)) for what in AFTER_WRITE
    ]
    ready = ", ".join(f"{results[n][2][0]:.0f} s at {size_label(n)}" for n in sizes)
    peak = ", ".join(f"{results[n][2][1]:,.0f} MiB at {size_label(n)}" for n in sizes)
    return (
        table(head, rows)
        + "\n\n"
        + table(after_head, after_rows)
        + f"\n\nThe start-up summaries were ready after {ready} (the service answers meanwhile: "
        "the landing page without its figures, the dumps, VoID and the catalog with 503 and "
        "Retry-After). By then the service's main process had peaked at "
        f"{peak} of resident memory: its start-up, which brings the search index and the "
        "inferred graph up to date with the store (their first build, on a store just "
        "loaded), then the summaries (its query workers are separate processes).\n"
    )
