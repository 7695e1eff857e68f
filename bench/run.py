"""Run the benchmarks and write Markdown tables and PNG charts to bench/results/.

    python -m bench.run                       # the default sizes (about 15-20 minutes)
    python -m bench.run --sizes 100000 --parts gate,queries --times 3
    python -m bench.run --parts http --sizes 100000    # the HTTP comparison alone
    python -m bench.run --parts load --sizes 10000000  # the load comparison alone at 10M

Sizes are numbers of synthetic triples (``osaamiskartta synth``); the model and the five real
documents are loaded beside them. Each part writes its own file, so a part can be rerun alone.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from bench import charts
from bench import gate as gate_bench
from bench import http as http_bench
from bench import load as load_bench
from bench import pages as pages_bench
from bench import queries as query_bench
from bench.common import ROOT, WORK, machine, size_label, synth_file, table

RESULTS = ROOT / "bench" / "results"
CONTENTION = (
    "The machine's 2 cores are shared with other sessions' work (builds, test suites), and the "
    "load generator runs on the same cores as the servers, so absolute numbers are noisy; the "
    "ratios, measured in the same run, are what count."
)


def _sizes(text: str) -> list[int]:
    return [int(s.replace("_", "")) for s in text.split(",") if s.strip()]


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    p.add_argument("--sizes", default="100000,1000000", help="sizes for load, queries and HTTP")
    p.add_argument("--gate-sizes", default="10000,100000,1000000", help="sizes for the gate")
    p.add_argument(
        "--full-max",
        type=int,
        default=100_000,
        help="largest size at which full pySHACL validation is run",
    )
    p.add_argument(
        "--peer-max",
        type=int,
        default=100_000,
        help="largest size rdflib-endpoint is asked to hold in memory",
    )
    p.add_argument("--parts", default="load,queries,http,gate,pages")
    p.add_argument("--times", type=int, default=7, help="timed repetitions per measurement")
    p.add_argument("--load-times", type=int, default=3, help="repetitions of each load")
    p.add_argument(
        "--load-once-above",
        type=int,
        default=100_000,
        help="sizes above this are loaded once per mode",
    )
    p.add_argument("--seconds", type=int, default=5, help="length of one wrk run")
    p.add_argument("--rounds", type=int, default=3, help="wrk runs per target and query")
    return p.parse_args(argv)


# Rough disk use per synthetic triple: the N-Triples file (188 bytes at 1M), and one loaded
# on-disk store (the service's took 540 bytes at 100k), rounded up.
NT_BYTES_PER_TRIPLE = 200
STORE_BYTES_PER_TRIPLE = 600


def check_disk(sizes: set[int], parts: set[str]) -> None:
    """Stop before generating or loading what would fill the disk: the synthetic files not yet
    made, and for the load part, per size, the two kept stores and the one being loaded."""
    need = 0
    for n in sizes:
        if not (WORK / f"synth-{n}" / f"synth-{n}.nt").exists():
            need += n * NT_BYTES_PER_TRIPLE
        if "load" in parts:
            need += 3 * n * STORE_BYTES_PER_TRIPLE
    free = shutil.disk_usage(WORK).free
    if need > free * 0.9:
        sys.exit(
            f"bench: about {need / 2**30:.1f} GiB of disk needed under {WORK}, "
            f"{free / 2**30:.1f} GiB free"
        )
    if need >= 2**30:
        print(
            f"bench: needs roughly {need / 2**30:.1f} GiB of disk, {free / 2**30:.1f} GiB free",
            file=sys.stderr,
        )


def header(title: str, about: str, settings: str) -> str:
    facts = table(("", ""), machine())
    return f"# {title}\n\n{about}\n\n{facts}\n\n{CONTENTION}\n\nRun with: `{settings}`\n"


def write(name: str, text: str) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.md").write_text(text, encoding="utf-8")
    print(f"wrote bench/results/{name}.md", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    parts = set(args.parts.split(","))
    settings = "python -m bench.run " + " ".join(sys.argv[1:] if argv is None else argv)
    sizes = _sizes(args.sizes)
    gate_sizes = _sizes(args.gate_sizes)
    WORK.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    needed = set(sizes) if parts & {"load", "queries", "http", "pages"} else set()
    needed |= set(gate_sizes) if "gate" in parts else set()
    check_disk(needed, parts)
    files = {n: synth_file(n) for n in sorted(needed)}

    def store(n: int) -> Path:
        return load_bench.prepare("service", files[n], WORK / f"store-{n}")

    if "load" in parts:
        text, chart = load_bench.run(
            [(n, files[n]) for n in sizes], args.load_times, args.load_once_above
        )
        write(
            "load",
            header(
                "Load time and peak memory",
                "The service's start-up load (the synthetic file bulk-loaded by pyoxigraph into its "
                "new graph, the small model and data files parsed and written in one transaction "
                "with the load-state record) beside pyoxigraph's `Store.bulk_load` of the same "
                "files into the same named graphs, each in a fresh process into a fresh on-disk "
                "store; peak memory is the "
                "process's maximum resident set. Medians (min–max) over the repetitions; sizes above "
                f"{size_label(args.load_once_above)} are loaded once per mode (one sample).",
                settings,
            )
            + "\n"
            + text
            + "\n\n![load](load.png)\n",
        )
        charts.bars(RESULTS / "load.png", "Load time", [size_label(n) for n in sizes], chart, "s")

    if "queries" in parts:
        sections = []
        for n in sizes:
            text, chart = query_bench.run(n, files[n], store(n), args.times)
            sections.append(
                f"## {size_label(n)} synthetic triples\n\n{text}\n\n![queries {size_label(n)}](queries-{size_label(n)}.png)\n"
            )
            charts.bars(
                RESULTS / f"queries-{size_label(n)}.png",
                f"Named queries, {size_label(n)} triples (median)",
                [c[0] for c in chart],
                {
                    "service (HTTP)": [c[1] * 1e3 for c in chart],
                    "pyoxigraph in-process": [c[2] * 1e3 for c in chart],
                },
                "ms",
                log=True,
            )
        write(
            "queries",
            header(
                "Named-query latency: the service beside the engine alone",
                "Each named query through `GET /api/queries/{name}` (SPARQL JSON, first page of 100, "
                "required parameters set to their documented examples, `lang=fi`), one request at a "
                "time on loopback over one kept-alive http.client connection, beside the same bound "
                "query text run on pyoxigraph in-process over the service's own store (opened "
                "read-only once the service is up, so the inferred graph is included) with the "
                "service's extension functions, and serialised as SPARQL JSON. Target (issue 10): "
                "service median within 1.2× the engine's plus 1 ms. The main columns' service runs "
                "with its answer cache off (`OSAAMISKARTTA_RESULT_CACHE_BYTES=0`), so every request "
                "evaluates its query. A query that takes over 1 s on the engine gets a warm-up run "
                "on each side, then three samples, over 5 s one; one whose time at the previous "
                f"size, scaled by the size ratio, predicts over {query_bench.SKIP_AFTER:.0f} s is "
                "not run at the larger size. "
                "Each request repeats the one before, so once a query's first run took under "
                "10 ms of CPU the service runs it on its event loop (its inline reads, "
                "`OSAAMISKARTTA_INLINE_READS_BELOW_MS`); the next column asks the queries under "
                "10 ms on the engine again of a service started with that setting at 0, every "
                "run on a worker thread. The last column asks every query of a service with the "
                "default settings, the answer cache on: the same request again, answered from the "
                "cache until the next write. The service's query time limit is raised to 600 s "
                "(`OSAAMISKARTTA_QUERY_TIMEOUT`), so that the slowest queries are measured rather "
                "than stopped; a named query not known to be cheap runs in one of the service's "
                "query worker processes, under that limit.",
                settings,
            )
            + "\n"
            + "\n".join(sections),
        )

    if "http" in parts:
        sections = []
        for n in sizes:
            peer = n <= args.peer_max
            text, chart = http_bench.run(n, files[n], store(n), args.seconds, args.rounds, peer)
            note = (
                ""
                if peer
                else (
                    "\n\nrdflib-endpoint is not run at this size: it holds the data as Python "
                    f"objects in memory and is left out above {size_label(args.peer_max)} triples.\n"
                )
            )
            sections.append(
                f"## {size_label(n)} synthetic triples\n\n{text}{note}\n\n![http {size_label(n)}](http-{size_label(n)}.png)\n"
            )
            targets = sorted(
                {k[0] for k in chart}, key=list(dict.fromkeys(k[0] for k in chart)).index
            )
            queries = list(http_bench.QUERIES)
            charts.bars(
                RESULTS / f"http-{size_label(n)}.png",
                f"Throughput, 16 connections, {size_label(n)} triples",
                [q.split(" (")[0] for q in queries],
                {t: [chart.get((t, q), 0.0) for q in queries] for t in targets},
                "requests/s",
                log=True,
            )
        write(
            "http",
            header(
                "HTTP throughput and latency, 16 concurrent connections",
                "wrk (2 threads, 16 connections) on loopback for a light query (the labels of one "
                "IRI) and a heavy one (the training products of one sector with their Finnish labels, "
                "a join with a filter, sorted, first 100), each as "
                "`GET /sparql?query=…`, against a bare FastAPI endpoint returning a fixed body (the "
                "floor: no query at all), rdflib-endpoint serving the same files from memory, "
                "a plain FastAPI handler running the query on pyoxigraph in its own process (the "
                "service's store opened read-only: no worker processes, time limit, caps or "
                "cache), Virtuoso serving them from its database, and the service on its loaded on-disk "
                "store, as configured by default and, where the service has a result cache, with "
                "it off (wrk repeats one query, so with the cache on every request after the "
                "first is answered from the cache; the cache-off row is the query engine's path). "
                "Each server's settings are listed under its table. Req/s is the median of the "
                "rounds (min–max); p50 and p99 are medians of the rounds' percentiles; the ratios "
                "compare medians for the same query. Rows: the answer's row count, checked "
                "against the service's (as sorted rows) before the timed runs. Targets (issue "
                "10): light at 70% of the floor or better; heavy at 30× rdflib-endpoint or better "
                "and ahead of Virtuoso (× Virtuoso above 1).",
                settings,
            )
            + "\n"
            + "\n".join(sections),
        )

    if "pages" in parts:
        text = pages_bench.run([(n, files[n], store(n)) for n in sizes], args.times)
        write(
            "pages",
            header(
                "Pages at national scale",
                "Every kind of page a reader, a harvester or a tool user reaches, on the service's "
                "loaded store with its default settings, one request at a time on loopback: a "
                "warm-up, then the median (min–max) of the repetitions. The resource pages "
                "include the hubs of each size (the sector, provider and competence with the "
                "most links). A page shows a bounded part of the data, so the last column, "
                "its time at the largest size over the smallest, should stay near 1; a page "
                "that grows with the data reads more of it than it shows. The service is "
                "measured once the summaries it computes at start-up (landing counts, VoID "
                "statistics, dumps) are ready; the second table is the first request to each "
                "summary's page after a write, which is answered with the summaries of before "
                "the write while the new ones are computed in the background.",
                settings,
            )
            + "\n"
            + text,
        )

    if "gate" in parts:
        text, chart = gate_bench.run(
            [(n, files[n], store(n)) for n in gate_sizes], args.times, args.full_max
        )
        write(
            "gate",
            header(
                "Quality gate: the cost of validating one write",
                "The gate validating a 100-triple update (ten new training products pointing at an "
                "existing institution and existing competences; pending, so the store is not "
                "changed; new IRIs each round) on stores of synthetic conforming data, beside full "
                "pySHACL validation of all the judged data of the same store with the same parsed "
                f"shapes (run only up to {size_label(args.full_max)} synthetic triples; above that "
                "it takes too long to repeat here). Target (issue 4): under 100 ms per 100-triple "
                "update at 1M triples, and nearly flat as the store grows.",
                settings,
            )
            + "\n"
            + text
            + "\n\n![gate](gate.png)\n",
        )
        charts.lines(
            RESULTS / "gate.png",
            "Validation time per 100-triple write",
            {"quality gate": chart["gate"], "full pySHACL": chart["full"]},
            "s",
        )
    print(f"done in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
