"""Ontology plus data stays consistent under the OWL 2 RL closure computed by owlrl."""

from __future__ import annotations

import owlrl
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from tests.model import OK, data_graph, ontology_graph

# owlrl reports an inconsistency it finds by adding a triple with this predicate to the graph
# (owlrl.OWLRL.OWLRL_Semantics.add_error: subject owlrl's error node, object a message literal).
OWLRL_ERROR = URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")


def closure(graph: Graph) -> Graph:
    """The OWL 2 RL deductive closure of a copy of the graph."""
    closed = Graph()
    closed += graph
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closed)
    return closed


def problems(closed: Graph) -> list[str]:
    """Inconsistencies in a closed graph: owlrl errors, owl:Nothing members, disjoint overlaps."""
    found = [str(o) for o in closed.objects(None, OWLRL_ERROR)]
    found += [f"{s} is owl:Nothing" for s in closed.subjects(RDF.type, OWL.Nothing)]
    for a, b in closed.subject_objects(OWL.disjointWith):
        both = set(closed.subjects(RDF.type, a)) & set(closed.subjects(RDF.type, b))
        found += [f"{s} is in disjoint {a} and {b}" for s in both]
    return found


@pytest.fixture(scope="session")
def closed_model() -> Graph:
    """Ontology and all data, closed under OWL 2 RL."""
    return closure(ontology_graph() + data_graph())


def test_model_has_no_inconsistency(closed_model: Graph) -> None:
    """owlrl reports no error and nothing becomes owl:Nothing."""
    assert problems(closed_model) == []


def test_no_class_is_inferred_equivalent_to_nothing(closed_model: Graph) -> None:
    """No local class is a subclass of owl:Nothing."""
    empty = [
        c
        for c in closed_model.subjects(RDFS.subClassOf, OWL.Nothing)
        if isinstance(c, URIRef) and c != OWL.Nothing
    ]
    assert empty == []


def test_a_contradiction_is_detected() -> None:
    """A resource in two disjoint classes is reported, so the check above can fail."""
    graph = ontology_graph()
    graph.add((OK.Measure, OWL.disjointWith, OK.Goal))
    thing = URIRef("https://example.org/fixture/both")
    graph.add((thing, RDF.type, OK.Measure))
    graph.add((thing, RDF.type, OK.Goal))
    assert problems(closure(graph)) != []


def test_owlrl_error_triples_are_read() -> None:
    """owlrl's own error for sameAs against differentFrom reaches the problem list."""
    graph = Graph()
    a, b = URIRef("https://example.org/fixture/a"), URIRef("https://example.org/fixture/b")
    graph.add((a, OWL.sameAs, b))
    graph.add((a, OWL.differentFrom, b))
    closed = closure(graph)
    assert list(closed.objects(None, OWLRL_ERROR)) != []
    assert problems(closed) != []
