"""Load the model (ontology, shapes, data) and validate graphs the way the service does."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

REPO = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = REPO / "ontology"
SHAPES_DIR = REPO / "shapes"
DATA_DIR = REPO / "data"
QUERIES_DIR = REPO / "queries"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHAPE_FIXTURES = FIXTURES / "shapes"
EXTERNAL = REPO.parent / "shared" / "external"
SHACL_SHACL = (
    EXTERNAL
    / "data-shapes"
    / "data-shapes-test-suite"
    / "tests"
    / "core"
    / "complex"
    / "shacl-shacl-data-shapes.ttl"
)

OK = Namespace("https://w3id.org/osaamiskartta/ontology#")
OKS = Namespace("https://w3id.org/osaamiskartta/shapes#")
ID = Namespace("https://w3id.org/osaamiskartta/id/")


def rdf_files(directory: Path) -> list[Path]:
    """The Turtle and TriG files of a directory, in a stable order."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.suffix in {".ttl", ".trig"})


def load(paths: Iterable[Path]) -> Graph:
    """Parse files into one graph (TriG quads are merged into the default graph)."""
    graph = Graph()
    for path in paths:
        if path.suffix == ".trig":
            from rdflib import Dataset

            dataset = Dataset()
            dataset.parse(path, format="trig")
            for s, p, o, _ in dataset.quads((None, None, None, None)):
                graph.add((s, p, o))
        else:
            graph.parse(path, format="turtle")
    return graph


def ontology_graph() -> Graph:
    """The ontology and its concept schemes."""
    return load(rdf_files(ONTOLOGY_DIR))


def shapes_graph() -> Graph:
    """All SHACL shapes of the project."""
    return load(rdf_files(SHAPES_DIR))


def data_graph() -> Graph:
    """Every data file that exists right now."""
    return load(rdf_files(DATA_DIR))


@dataclass(frozen=True)
class Result:
    """One validation result, reduced to what a rule test compares."""

    focus: Node
    source_shape: Node
    constraint: Node | None
    severity: URIRef
    messages: frozenset[Literal]
    path: Node | None
    value: Node | None


def run_validation(data: Graph, shapes: Graph, ontology: Graph) -> tuple[bool, list[Result]]:
    """Validate as the service does: ontology mixed in, RDFS inference, Warnings allowed.

    pySHACL copies only the ontology's axioms (classes, properties) from ont_graph, not its
    individuals, so the shared concepts (actor types, roles, regions) join the data graph.
    """
    conforms, report, _ = validate(
        data + ontology,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="rdfs",
        allow_warnings=True,
    )
    results = [
        Result(
            focus=report.value(r, SH.focusNode),
            source_shape=report.value(r, SH.sourceShape),
            constraint=report.value(r, SH.sourceConstraint),
            severity=report.value(r, SH.resultSeverity),
            messages=frozenset(report.objects(r, SH.resultMessage)),
            path=report.value(r, SH.resultPath),
            value=report.value(r, SH.value),
        )
        for top in report.subjects(RDF.type, SH.ValidationReport)
        for r in report.objects(top, SH.result)
    ]
    return bool(conforms), results


def messages_of(shapes: Graph, shape: Node) -> frozenset[Literal]:
    """The sh:message values that a shape declares."""
    return frozenset(m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal))
