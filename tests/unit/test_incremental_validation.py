"""Incremental validation gives the verdict that full validation of the resulting store gives.

Random changes (additions and deletions, drawn from the terms the shapes care about) are
validated both ways: the gate's validation of what the change touches, and pySHACL on the
whole resulting data.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from service.loading import load_directories
from service.store.oxigraph import OxigraphStore
from service.validation.delta import Delta
from service.validation.gate import GraphRoles, QualityGate
from service.validation.terms import to_rdflib
from service.validation.validator import run_shacl
from service.writes import Writer

REPO = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/osaamiskartta/"
ID = BASE + "id/"
OK = "https://w3id.org/osaamiskartta/ontology#"
GRAPH = ox.NamedNode("urn:x-test:changes")


@pytest.fixture(scope="module")
def gate(tmp_path_factory: pytest.TempPathFactory) -> QualityGate:
    """A store with the model and two source documents (small enough to validate in full)."""
    data = tmp_path_factory.mktemp("data", numbered=False)
    for name in ("elo-pohjois-savo.ttl", "punos.ttl"):
        (data / name).write_bytes((REPO / "data" / name).read_bytes())
    store = OxigraphStore()
    load_directories(Writer(store), [REPO / "ontology", REPO / "shapes", data], BASE)
    return QualityGate(store, GraphRoles(BASE))


def full_validation(gate: QualityGate, delta: Delta) -> set[tuple[object, ...]]:
    """Keys of every result of pySHACL over all judged data with the change applied."""
    graph = Graph()
    reads = gate.reads(delta)
    for t in reads.triples():
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return {f.key() for f in run_shacl(graph, gate.model()).findings if f.severity == "Violation"}


def _quads(gate: QualityGate) -> list[ox.Quad]:
    return sorted(
        (q for q in gate.store.match() if gate._judged(q) and "/graph/data/" in str(q.graph_name)),
        key=str,
    )


NODES = [
    ID + "measure/koulutustarpeiden-ja-osaamiskapeikkojen-kartoitus",
    ID + "goal/pohjois-savo-elo-2",
    ID + "goal/kansallinen-elo-3",
    ID + "network/jory",
    ID + "project/punos",
    ID + "organisation/savonia-amk",
    ID + "action-plan/pohjois-savon-elo-toimintasuunnitelma",
    ID + "quality-standard/ohjaus-edistaa-asiakkaan-voimaantumista",
    ID + "quality-indicator/ohjaus-edistaa-asiakkaan-voimaantumista-1",
    ID + "new/thing",
]
PREDICATES = [
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/source",
    OK + "underGoal",
    OK + "responsibleActor",
    OK + "supports",
    OK + "policyLevel",
    OK + "hasMeasure",
    "http://www.w3.org/ns/dqv#inDimension",
    "http://www.w3.org/ns/org#hasMember",
]
OBJECTS: list[ox.NamedNode | ox.Literal] = [
    *(ox.NamedNode(n) for n in NODES),
    ox.NamedNode(OK + "Measure"),
    ox.NamedNode(OK + "StrategicGoal"),
    ox.NamedNode(OK + "QualityIndicator"),
    ox.NamedNode(ID + "policy-level/kansallinen"),
    ox.NamedNode(ID + "document/elo-pohjois-savo"),
    ox.Literal("nimi", language="fi"),
    ox.Literal("name", language="en"),
]

additions = st.lists(
    st.builds(
        lambda s, p, o: ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, GRAPH),
        st.sampled_from(NODES),
        st.sampled_from(PREDICATES),
        st.sampled_from(OBJECTS),
    ),
    max_size=4,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), added=additions)
def test_incremental_verdict_equals_full_validation(
    gate: QualityGate, data: st.DataObject, added: list[ox.Quad]
) -> None:
    existing = _quads(gate)
    removed = data.draw(st.lists(st.sampled_from(existing), max_size=4, unique=True))
    delta = Delta(frozenset(added) - set(existing), frozenset(removed))
    incremental = gate.validate(delta, pending=True)
    full = full_validation(gate, delta)
    assert incremental.conforms == (not full)
    assert {f.key() for f in incremental.violations} == full


SAVONIA = ox.NamedNode(ID + "organisation/savonia-amk")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PREF_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")


def _own(gate: QualityGate, subject: ox.NamedNode, predicate: ox.NamedNode) -> frozenset[ox.Quad]:
    return frozenset(q for q in gate.store.match(subject, predicate, None, ...) if gate._judged(q))


DOCUMENT = ox.NamedNode(ID + "document/elo-pohjois-savo")


def _renamed(label: object) -> ox.Literal:
    assert isinstance(label, ox.Literal)
    return ox.Literal(f"{label.value} (2)", language=label.language)


def test_a_label_edit_reaches_no_referrer(gate: QualityGate) -> None:
    """Everything from the source document cites it (dct:source), and the shapes read at most
    its type: renaming it validates it alone."""
    old = _own(gate, DOCUMENT, PREF_LABEL)
    assert old
    new = frozenset(ox.Quad(DOCUMENT, PREF_LABEL, _renamed(q.object), q.graph_name) for q in old)
    referrers = {q.subject for q in gate.store.match(None, None, DOCUMENT, ...)}
    assert len(referrers) > 50
    report = gate.validate(Delta(new, old), pending=True)
    assert report.conforms
    assert report.focus_count == 1


def test_a_type_change_reaches_the_referrers_that_check_it(gate: QualityGate) -> None:
    """Without its types the institution is no agent: the membership naming it as a member
    (sh:node oks:Agent, a check of the member's class) breaks, as full validation finds."""
    delta = Delta(frozenset(), _own(gate, SAVONIA, RDF_TYPE))
    report = gate.validate(delta, pending=True)
    foci = {str(f.focus) for f in report.violations}
    assert ID + "membership/jory-savonia-amk" in foci
    assert {f.key() for f in report.violations} == full_validation(gate, delta)
