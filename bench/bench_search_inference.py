"""Benchmark of full-text search and inference maintenance (issue 8).

Run: .venv/bin/python -m bench.bench_search_inference [--sizes 100000 1000000] [--owlrl 100000]
Writes bench/results/search-inference.md. Synthetic data is generated here (Finnish compound
labels, organisation types, memberships, goal-support chains, SKOS hierarchies) on top of the
project's ontology, so that the rules have work to do. Each figure is reported against a peer
measured in the same run: a SPARQL CONTAINS query on pyoxigraph for search, a full recompute
(ours, and owlrl's OWL 2 RL closure where it finishes) for inference.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.inference.maintainer import InferenceMaintainer  # noqa: E402
from service.named_queries.binding import bind  # noqa: E402
from service.rdf import parse_triples  # noqa: E402
from service.search.index import SearchIndex  # noqa: E402
from service.search.maintainer import SearchMaintainer  # noqa: E402
from service.sparql.formats import SPARQL_JSON, TURTLE  # noqa: E402
from service.store.oxigraph import OxigraphStore  # noqa: E402
from service.writes import SparqlUpdate, WriteContext, Writer  # noqa: E402

BASE = "https://w3id.org/osaamiskartta/"
ID = BASE + "id/"
OK = BASE + "ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SCHEMA = "http://schema.org/"
DATA_GRAPH = BASE + "graph/data/synthetic"

HEADS = [
    "ohjaus",
    "koulutus",
    "osaamis",
    "työelämä",
    "ura",
    "verkosto",
    "laatu",
    "yhteistyö",
    "kehittämis",
    "ennakointi",
    "palvelu",
    "aikuis",
    "ammatti",
    "opiskelija",
    "yritys",
]
TAILS = [
    "palvelut",
    "verkosto",
    "foorumi",
    "hanke",
    "ohjelma",
    "keskus",
    "ryhmä",
    "toimija",
    "strategia",
    "kartta",
    "tuote",
    "työpaja",
    "suunnitelma",
    "kumppanuus",
    "malli",
]
WORDS = [
    "alueellinen",
    "elinikäisen",
    "ohjauksen",
    "osaamisen",
    "kehittäminen",
    "yhteinen",
    "asiakkaan",
    "työelämään",
    "siirtymien",
    "saatavuus",
    "laadun",
    "arviointi",
    "Savon",
    "maakunnan",
    "oppilaitosten",
    "yritysten",
    "tarpeiden",
    "ennakoinnin",
    "verkoston",
]
EN = ["guidance", "training", "competence", "network", "career", "quality", "services"]
QUERIES = [
    "ohjaus",
    "ohjauksen",
    "verkostot",
    "osaamisen kehittäminen",
    "työelämään",
    "palvelu",
    "laadun arviointi",
    "foorumi",
    "guidance services",
    "ennakointi",
]
CLASSES = [
    (ORG + "FormalOrganization", SCHEMA + "CollegeOrUniversity"),
    (OK + "ActorGroup",),
    (ORG + "OrganizationalUnit",),
    (SCHEMA + "GovernmentOrganization", ORG + "FormalOrganization"),
]


def _label(rng: random.Random, i: int) -> str:
    return f"{rng.choice(HEADS)}{rng.choice(TAILS)} {rng.choice(WORDS)} {i}"


def synthetic(n_triples: int, seed: int = 8, start: int = 0) -> list[ox.Quad]:
    """About ``n_triples`` quads of organisations, networks, goals and concepts."""
    rng = random.Random(seed)
    g = ox.NamedNode(DATA_GRAPH)
    quads: list[ox.Quad] = []

    def add(s: str, p: str, o: ox.NamedNode | ox.Literal | str) -> None:
        obj = ox.NamedNode(o) if isinstance(o, str) else o
        quads.append(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), obj, g))

    i = start
    while len(quads) < n_triples:
        org, net = f"{ID}organisation/s{i}", f"{ID}network/s{i // 20}"
        goal, concept = f"{ID}goal/s{i}", f"{ID}concept/s{i}"
        for cls in rng.choice(CLASSES):
            add(org, RDF_TYPE, cls)
        add(org, SKOS + "prefLabel", ox.Literal(_label(rng, i), language="fi"))
        add(
            org,
            SKOS + "prefLabel",
            ox.Literal(f"{rng.choice(EN)} {rng.choice(EN)} {i}", language="en"),
        )
        add(org, DCT + "description", ox.Literal(" ".join(rng.choices(WORDS, k=12)), language="fi"))
        add(org, DCT + "spatial", f"{ID}region/r{i % 19}")
        if i % 20 == 0:
            add(net, RDF_TYPE, OK + "Network")
            add(net, SKOS + "prefLabel", ox.Literal(_label(rng, i), language="fi"))
        add(net, ORG + "hasMember", org)
        add(goal, RDF_TYPE, OK + "Goal")
        add(goal, SKOS + "prefLabel", ox.Literal(_label(rng, i), language="fi"))
        if i % 5:
            add(goal, OK + "supports", f"{ID}goal/s{i - 1}")
        add(concept, RDF_TYPE, SKOS + "Concept")
        add(concept, SKOS + "prefLabel", ox.Literal(_label(rng, i), language="fi"))
        if i % 8:
            add(concept, SKOS + "broader", f"{ID}concept/s{i - 1}")
        i += 1
    return quads


def build_store(n_triples: int) -> OxigraphStore:
    """The ontology files plus synthetic data, in memory."""
    store = OxigraphStore()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        graph = ox.NamedNode(f"{BASE}graph/ontology/{path.stem}")
        triples = parse_triples(path.read_bytes(), TURTLE)
        store._store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    store._store.bulk_extend(synthetic(n_triples))
    return store


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def median_ms(action: Callable[[], object], repeat: int = 3) -> float:
    return statistics.median(timed(action) for _ in range(repeat)) * 1000


def asserted(graph: str) -> bool:
    return "/graph/system/" not in graph and "/graph/shapes/" not in graph


def bench_search(store: OxigraphStore) -> dict[str, float]:
    index = SearchIndex()
    maintainer = SearchMaintainer(store, index, asserted)
    build = timed(maintainer.rebuild)
    peer_text = (ROOT / "bench" / "peer_contains_search.rq").read_text()

    def ours(q: str) -> None:
        terms = index.terms(q)
        assert terms is not None
        index.search(terms, lambda _: True, 0, 20, 10_000)

    def peer(q: str) -> None:
        word = q.split()[0]
        store.query(bind(peer_text, {"needle": ox.Literal(word)})).serialize(SPARQL_JSON)

    ours_ms = statistics.median(median_ms(lambda q=q: ours(q)) for q in QUERIES)
    peer_ms = statistics.median(median_ms(lambda q=q: peer(q), 1) for q in QUERIES)
    index.close()
    return {"build_s": build, "search_ms": ours_ms, "peer_ms": peer_ms}


def write_batch(k: int) -> str:
    """A SPARQL update of ~100 triples: 10 organisations joining networks and goals."""
    quads = synthetic(100, seed=1000 + k, start=10_000_000 + k * 1000)
    body = " .\n".join(f"{q.subject} {q.predicate} {q.object}" for q in quads)
    return f"INSERT DATA {{ GRAPH <{DATA_GRAPH}> {{ {body} . }} }}"


def bench_inference(store: OxigraphStore, writes: int) -> dict[str, float]:
    maintainer = InferenceMaintainer(store, BASE, asserted)
    full = maintainer.recompute()
    writer = Writer(store, None, [maintainer])
    local: list[float] = []
    for k in range(writes):
        update = write_batch(k)
        writer.apply(SparqlUpdate(update), WriteContext("cli"))
        local.append(maintainer.last.seconds)
        # and take it out again: the removal path of the maintenance
        writer.apply(
            SparqlUpdate(update.replace("INSERT DATA", "DELETE DATA", 1)), WriteContext("cli")
        )
        local.append(maintainer.last.seconds)
    return {
        "full_s": full.seconds,
        "inferred": float(full.added),
        "local_ms": statistics.median(local) * 1000,
        "local_max_ms": max(local) * 1000,
    }


def bench_owlrl(n_triples: int) -> float:
    import owlrl
    from rdflib import Graph

    store = build_store(n_triples)
    flat = Graph()
    triples = [q.triple for q in store._store.quads_for_pattern(None, None, None, None)]
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    flat.parse(data=data.decode(), format="nt")
    return timed(lambda: owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(flat))


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--owlrl", type=int, nargs="*", default=[100_000])
    parser.add_argument("--writes", type=int, default=5)
    args = parser.parse_args(argv)
    lines = [
        "# Search and inference benchmark (issue 8)",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, "
        f"pyoxigraph {ox.__version__}; shared 2-core host, so absolute times are noisy, ratios "
        "less so. Produced by `bench/bench_search_inference.py`.",
        "",
        "| triples | index build (s) | search median (ms) | SPARQL CONTAINS peer (ms) | "
        "peer / ours | full recompute (s) | inferred triples | maintenance per 100-triple "
        "write, median / max (ms) | full / per-write |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for size in args.sizes:
        store = build_store(size)
        total = len(store._store)
        s = bench_search(store)
        i = bench_inference(store, args.writes)
        lines.append(
            f"| {total:,} | {s['build_s']:.1f} | {s['search_ms']:.1f} | {s['peer_ms']:.1f} | "
            f"{s['peer_ms'] / s['search_ms']:.0f}x | {i['full_s']:.1f} | {int(i['inferred']):,} | "
            f"{i['local_ms']:.0f} / {i['local_max_ms']:.0f} | "
            f"{i['full_s'] * 1000 / i['local_ms']:.0f}x |"
        )
        print(lines[-1], flush=True)
        del store
    for size in args.owlrl:
        seconds = bench_owlrl(size)
        lines += ["", f"owlrl 7 (OWL 2 RL closure, rdflib) on {size:,} triples: {seconds:.1f} s."]
        print(lines[-1], flush=True)
    lines += [
        "",
        "What the columns mean:",
        "",
        "- *index build*: `SearchMaintainer.rebuild()` from the store (what a stale index costs at "
        "start-up); *search median*: the median over ten queries (`QUERIES`, Finnish and "
        "English, one and two words) of the median of three runs of a first page of 20 with the "
        "total count; *SPARQL CONTAINS peer*: `bench/peer_contains_search.rq` on pyoxigraph for "
        "the first word of each query (no stemming, no compounds, no BM25: it finds less).",
        "- *full recompute*: `InferenceMaintainer.recompute()` from the asserted data; "
        "*maintenance per 100-triple write*: the observer's time after a SPARQL "
        "`INSERT DATA` of 100 triples "
        "(10 organisations with types, labels, a network membership, goal support and SKOS "
        "broader links) and after the `DELETE DATA` that takes them out again, "
        f"{args.writes} of each; *full / per-write*: how many writes cost one recomputation.",
        "- The synthetic vocabulary is small (15 heads x 15 tails, 19 description words), so a "
        "common word matches a large share of all resources: a worse case for ranking than real "
        "text. owlrl's closure is run on the ontology plus synthetic data of the stated size; "
        "it grows faster than linearly, so at 1M it was not attempted.",
    ]
    out = ROOT / "bench" / "results" / "search-inference.md"
    out.write_text("\n".join(lines) + "\n")
    return out


if __name__ == "__main__":
    main()
