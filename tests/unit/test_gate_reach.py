"""How far the quality gate follows a change: shapes that read further than a referrer's
path (nested shapes, pair constraints, disjoint qualified shapes, custom SPARQL components,
repeated paths, SPARQL constraints beyond $this, a class hierarchy changed in the data) get
the verdict full validation gives.

Each case is a small shapes graph, data that conforms, and a change that breaks it; the
gate's violations are compared with pySHACL's over all the data after the change.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph

from service.store.oxigraph import OxigraphStore
from service.validation.delta import Delta
from service.validation.gate import GraphRoles, QualityGate
from service.validation.terms import to_rdflib
from service.validation.validator import run_shacl

BASE = "https://w3id.org/osaamiskartta/"
SHAPES = ox.NamedNode(BASE + "graph/shapes/test")
DATA = ox.NamedNode(BASE + "graph/data/test")
PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://ex.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
TARGET = "ex:S a sh:NodeShape ; sh:targetClass ex:A ;"
NESTED = f"""{TARGET} sh:property [ sh:path ex:p ; sh:node ex:S1 ] .
ex:S1 a sh:NodeShape ; sh:property [ sh:path ex:q ; sh:node ex:S2 ] .
ex:S2 a sh:NodeShape ; sh:property [ sh:path ex:r ; sh:node ex:S3 ] .
ex:S3 a sh:NodeShape ; sh:property [ sh:path ex:s ; sh:class ex:C ] ."""
COMPONENT = """ex:NoBadStatus a sh:ConstraintComponent ;
    sh:parameter [ sh:path ex:forbiddenStatus ] ;
    sh:validator [ a sh:SPARQLAskValidator ; sh:message "bad" ;
        sh:ask "ASK { FILTER NOT EXISTS { $value <http://ex.org/status> $forbiddenStatus } }" ] .
"""
CHAIN = (
    "ex:f a ex:A ; ex:p ex:n1 . "
    + " ".join(f"ex:n{i} ex:p ex:n{i + 1} . ex:n{i} a ex:C ." for i in range(1, 6))
    + " ex:n6 a ex:C ."
)

# (shapes, data, added, removed)
CASES = {
    "a node shape's sh:disjoint on the value": (
        f"{TARGET} sh:property [ sh:path ex:p ; sh:node ex:V ] .\n"
        "ex:V a sh:NodeShape ; sh:disjoint ex:q .",
        "ex:f a ex:A ; ex:p ex:x . ex:x ex:q ex:y .",
        "ex:x ex:q ex:x .",
        "",
    ),
    "a disjoint sibling qualified shape reading the value's type": (
        f"""{TARGET} sh:property
            [ sh:path ex:p ; sh:qualifiedValueShape [ sh:nodeKind sh:IRI ] ;
              sh:qualifiedMinCount 1 ; sh:qualifiedValueShapesDisjoint true ] ,
            [ sh:path ex:other ; sh:qualifiedValueShape [ sh:class ex:C ] ;
              sh:qualifiedMinCount 0 ] .""",
        "ex:f a ex:A ; ex:p ex:x .",
        "ex:x a ex:C .",
        "",
    ),
    "a custom SPARQL component on a value shape": (
        COMPONENT
        + f"{TARGET} sh:property [ sh:path ex:p ; sh:node ex:V ] .\n"
        + 'ex:V a sh:NodeShape ; ex:forbiddenStatus "bad" .',
        'ex:f a ex:A ; ex:p ex:x . ex:x ex:status "good" .',
        'ex:x ex:status "bad" .',
        "",
    ),
    "a class checked four nested shapes away": (
        NESTED,
        "ex:f a ex:A ; ex:p ex:y . ex:y ex:q ex:z . ex:z ex:r ex:w .\n"
        "ex:w ex:s ex:v . ex:v a ex:C .",
        "",
        "ex:v a ex:C .",
    ),
    "a class at the end of a repeated path": (
        f"{TARGET} sh:property [ sh:path [ sh:oneOrMorePath ex:p ] ; sh:class ex:C ] .",
        CHAIN,
        "",
        "ex:n6 a ex:C .",
    ),
    "a SPARQL constraint reading a linked node": (
        f"""{TARGET} sh:sparql [ sh:select
            '''SELECT $this WHERE {{ $this <http://ex.org/link> ?o .
                                   ?o <http://ex.org/status> "bad" }}''' ] .""",
        'ex:f a ex:A ; ex:link ex:o . ex:o ex:status "good" .',
        'ex:o ex:status "bad" .',
        'ex:o ex:status "good" .',
    ),
    "a SPARQL constraint reading incoming triples": (
        f"""{TARGET} sh:sparql [ sh:select
            "SELECT $this WHERE {{ FILTER NOT EXISTS {{ ?x <http://ex.org/ref> $this }} }}" ] .""",
        "ex:f a ex:A . ex:g ex:ref ex:f .",
        "",
        "ex:g ex:ref ex:f .",
    ),
    "a subclass link removed from the data": (
        f"{TARGET} sh:property [ sh:path ex:p ; sh:class ex:C ] .",
        "ex:f a ex:A ; ex:p ex:x . ex:x a ex:Sub . ex:Sub rdfs:subClassOf ex:C .",
        "",
        "ex:Sub rdfs:subClassOf ex:C .",
    ),
    "a subclass link that makes new targets": (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ;\n"
        "  sh:property [ sh:path ex:name ; sh:minCount 1 ] .",
        "ex:x a ex:Sub .",
        "ex:Sub rdfs:subClassOf ex:C .",
        "",
    ),
}


def _quads(turtle: str, graph: ox.NamedNode) -> list[ox.Quad]:
    parsed = ox.parse(PREFIXES + turtle, format=ox.RdfFormat.TURTLE)
    return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in parsed]


def _full(gate: QualityGate, delta: Delta) -> set[tuple[object, ...]]:
    graph = Graph()
    for t in gate.reads(delta).triples():
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return {f.key() for f in run_shacl(graph, gate.model()).findings if f.severity == "Violation"}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_gate_finds_what_full_validation_finds(case: str) -> None:
    shapes, data, added, removed = CASES[case]
    engine = ox.Store()
    engine.extend(_quads(shapes, SHAPES) + _quads(data, DATA))
    gate = QualityGate(OxigraphStore(engine=engine), GraphRoles(BASE))
    assert not _full(gate, Delta(frozenset(), frozenset()))
    delta = Delta(frozenset(_quads(added, DATA)), frozenset(_quads(removed, DATA)))
    full = _full(gate, delta)
    assert full, "the change breaks the shapes"
    report = gate.validate(delta, pending=True)
    assert {f.key() for f in report.violations} == full
