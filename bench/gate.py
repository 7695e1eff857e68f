"""The quality gate's cost per write (issue 4): validating a 100-triple update on stores of
synthetic conforming data, beside full pySHACL validation of the same store.

The update adds ten training products (ten triples each) that point at an existing
institution and existing competences, as a client's Graph Store POST would; the gate
validates it as pending (the store is not changed), with new IRIs every round. Full
validation is pySHACL over an rdflib graph of every judged triple, with the same parsed
shapes, as the property-based test compares against.
"""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from bench.common import Stats, repeat, size_label, table
from service.store import open_store
from service.store.base import Store
from service.validation.delta import Delta
from service.validation.gate import GraphRoles, QualityGate
from service.validation.terms import to_rdflib
from service.validation.validator import run_shacl

BASE = "https://w3id.org/osaamiskartta/"
ID = BASE + "id/"
OK = "https://w3id.org/osaamiskartta/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "http://schema.org/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_rounds = itertools.count()


def _existing(store: Store) -> tuple[ox.NamedNode, list[ox.NamedNode]]:
    """An institution of the synthetic data and twenty competences."""
    maps = store.match(None, ox.NamedNode(OK + "hasCompetenceMap"), None, ...)
    inst = min((q.subject for q in maps), key=str)
    typed = store.match(None, RDF_TYPE, ox.NamedNode(OK + "Competence"), ...)
    competences = sorted((q.subject for q in typed), key=str)[:20]
    return inst, competences  # type: ignore[return-value]


def update(graph: ox.NamedNode, inst: ox.NamedNode, competences: list[ox.NamedNode]) -> Delta:
    """100 new triples: ten training products of ten triples each."""
    n = next(_rounds)
    quads = []
    for i in range(10):
        product = ox.NamedNode(f"{ID}training-product/bench-{n}-{i}")
        triples = [
            (RDF_TYPE, ox.NamedNode(OK + "TrainingProduct")),
            (ox.NamedNode(SKOS + "prefLabel"), ox.Literal(f"Koulutustuote {n}-{i}", language="fi")),
            (
                ox.NamedNode(SKOS + "prefLabel"),
                ox.Literal(f"Training product {n}-{i}", language="en"),
            ),
            (ox.NamedNode(SCHEMA + "provider"), inst),
            (ox.NamedNode(SCHEMA + "teaches"), competences[i]),
            (ox.NamedNode(SCHEMA + "teaches"), competences[i + 10]),
            (ox.NamedNode(SCHEMA + "teaches"), competences[(i + 5) % 20]),
            (ox.NamedNode(OK + "sector"), ox.NamedNode(f"{ID}sector/0{i % 10}")),
            (ox.NamedNode(OK + "recognisesPriorLearning"), ox.Literal(i % 2 == 0)),
            (
                ox.NamedNode("http://purl.org/dc/terms/source"),
                ox.NamedNode(f"{ID}document/synteettinen-kansallinen-aineisto"),
            ),
        ]
        quads += [ox.Quad(product, p, o, graph) for p, o in triples]
    assert len(quads) == 100
    return Delta(frozenset(quads), frozenset())


def full_pyshacl(gate: QualityGate) -> tuple[float, float, int]:
    """Seconds to build the rdflib graph, seconds to validate it, and violations found."""
    start = time.perf_counter()
    graph = Graph()
    for t in gate.reads().triples():
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    built = time.perf_counter()
    report = run_shacl(graph, gate.model())
    done = time.perf_counter()
    violations = sum(1 for f in report.findings if f.severity == "Violation")
    return built - start, done - built, violations


def run(
    sizes: list[tuple[int, Path, Path]], times: int, full_max: int
) -> tuple[str, dict[str, list[tuple[int, float]]]]:
    """The table over the sizes, and (size, median seconds) series for the chart."""
    rows = []
    chart: dict[str, list[tuple[int, float]]] = {"gate": [], "full": []}
    for size, synth, store_dir in sizes:
        store = open_store(str(store_dir))
        gate = QualityGate(store, GraphRoles(BASE))
        gate.model()
        gate.hierarchy()
        graph = ox.NamedNode(f"{BASE}graph/{synth.parent.name}/{synth.stem}")
        inst, competences = _existing(store)
        outcomes: list[bool] = []

        def validate(
            graph: ox.NamedNode = graph,
            gate: QualityGate = gate,
            inst: ox.NamedNode = inst,
            competences: list[ox.NamedNode] = competences,
            outcomes: list[bool] = outcomes,
        ) -> None:
            report = gate.validate(update(graph, inst, competences), pending=True)
            outcomes.append(report.conforms)

        stats = repeat(validate, times)
        assert all(outcomes), "the benchmark update must conform"
        triples = sum(1 for _ in store.match(None, None, None, ...))
        full = "not run (too long at this size)"
        if size <= full_max:
            build, check, violations = full_pyshacl(gate)
            full = f"{check:.1f} (+ {build:.1f} to build the graph); {violations} violations"
            chart["full"].append((size, check))
            ratio = f"{check / stats.median:.0f}×"
        else:
            ratio = "–"
        chart["gate"].append((size, stats.median))
        target = "yes" if stats.median < 0.1 else "no"
        rows.append((size_label(size), f"{triples:,}", stats.ms(), target, full, ratio))
        print(f"gate {size_label(size)}: {stats.ms()} ms; full {full}", file=sys.stderr)
        store.close()
    head = (
        "synthetic triples",
        "triples in the store",
        "gate, 100-triple update, ms median (min–max)",
        "under 100 ms",
        "full pySHACL, s",
        "full ÷ gate",
    )
    return table(head, rows), chart


__all__ = ["Stats", "run"]
