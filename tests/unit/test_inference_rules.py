"""The reasoner: its rules agree with owlrl's OWL 2 RL closure, and maintaining the inferred
graph write by write gives what a full recomputation gives."""

from __future__ import annotations

import random

import owlrl
import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from service.inference import maintainer as maintainer_module
from service.inference.maintainer import InferenceMaintainer
from service.inference.rules import Axioms, Fact, entail
from service.inference.vocabulary import TYPE
from service.rdf import parse_triples
from service.sparql.formats import TURTLE
from service.store.base import GraphChange
from service.store.oxigraph import OxigraphStore
from service.writes import GraphWrite, SparqlUpdate, WriteContext, Writer

BASE = "https://example.org/"
AXIOMS = b"""
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix ex: <https://example.org/> .
ex:University rdfs:subClassOf ex:Institution .
ex:Institution rdfs:subClassOf ex:Organization .
ex:hasMember owl:inverseOf ex:memberOf ; rdfs:domain ex:Network ; rdfs:range ex:Agent .
ex:supports rdfs:subPropertyOf ex:contributesTo .
ex:contributesTo a owl:TransitiveProperty .
ex:related a owl:SymmetricProperty .
ex:Network owl:equivalentClass ex:Collaboration .
ex:topConceptOf rdfs:subPropertyOf ex:inScheme .
"""
DATA = b"""
@prefix ex: <https://example.org/> .
ex:isy a ex:University .
ex:jory ex:hasMember ex:isy, ex:savonia .
ex:g1 ex:supports ex:g2 . ex:g2 ex:supports ex:g3 . ex:g3 ex:contributesTo ex:g4 .
ex:a ex:related ex:b .
ex:c1 ex:topConceptOf ex:scheme ; ex:inScheme ex:scheme .
ex:c2 ex:topConceptOf ex:scheme .
"""
EX = "https://example.org/"


def _triples(data: bytes) -> list[ox.Triple]:
    return list(parse_triples(data, TURTLE))


def _rdflib(triples: list[ox.Triple]) -> Graph:
    graph = Graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return graph


def test_rules_derive_what_owlrl_derives_for_the_terms_they_cover() -> None:
    axioms_t, data_t = _triples(AXIOMS), _triples(DATA)
    axioms = Axioms.from_triples(axioms_t + data_t)
    ours = {
        (str(s.value), str(p.value), str(o.value))
        for s, p, o in entail(axioms, [(t.subject, t.predicate, t.object) for t in data_t])
    }
    closed = _rdflib(axioms_t + data_t)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closed)
    # owlrl also derives axiomatic triples (owl:Thing, sameAs, datatypes); compare the facts
    # about the example's own resources with the example's own terms.
    theirs = {
        (str(s), str(p), str(o))
        for s, p, o in closed
        if str(s).startswith(EX)
        and isinstance(o, URIRef)
        and (str(p).startswith(EX) or (str(p).endswith("#type") and str(o).startswith(EX)))
        and not str(s).rsplit("/", 1)[-1][0].isupper()  # instances, not classes
        and str(s).rsplit("/", 1)[-1] not in {"hasMember", "memberOf", "supports"}
        and str(s).rsplit("/", 1)[-1] not in {"contributesTo", "related"}
    }
    assert ours == theirs
    assert (EX + "isy", EX + "memberOf", EX + "jory") in ours
    assert (EX + "g1", EX + "contributesTo", EX + "g4") in ours
    assert (EX + "b", EX + "related", EX + "a") in ours
    assert (
        EX + "jory",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        EX + "Collaboration",
    ) in ours


def _setup() -> tuple[OxigraphStore, Writer, InferenceMaintainer]:
    store = OxigraphStore()
    maintainer = InferenceMaintainer(store, BASE, lambda g: "/system/" not in g)
    writer = Writer(store, None, [maintainer])
    changes = (
        GraphChange(f"{BASE}graph/ontology/x", tuple(_triples(AXIOMS))),
        GraphChange(f"{BASE}graph/data/x", tuple(_triples(DATA))),
    )
    writer.apply(GraphWrite(changes), WriteContext("startup"))
    return store, writer, maintainer


def test_each_local_update_leaves_what_a_full_recomputation_would() -> None:
    _, writer, maintainer = _setup()
    assert maintainer.last.mode == "full"
    rng = random.Random(8)
    nodes = [f"<{EX}n{i}>" for i in range(8)] + [f"<{EX}g{i}>" for i in range(1, 5)]
    predicates = [
        "supports",
        "contributesTo",
        "hasMember",
        "memberOf",
        "related",
        "topConceptOf",
        "inScheme",
    ]
    classes = ["University", "Institution", "Network"]
    for step in range(60):
        s, o = rng.choice(nodes), rng.choice(nodes)
        if rng.random() < 0.3:
            triple = f"{s} a <{EX}{rng.choice(classes)}>"
        else:
            triple = f"{s} <{EX}{rng.choice(predicates)}> {o}"
        verb = "INSERT" if rng.random() < 0.6 else "DELETE"
        update = f"{verb} DATA {{ GRAPH <{BASE}graph/data/x> {{ {triple} }} }}"
        writer.apply(SparqlUpdate(update), WriteContext("cli"))
        if maintainer.last.mode == "local":
            check = maintainer.recompute()
            assert (check.added, check.removed) == (0, 0), f"step {step}: {update}"


def test_inference_disappears_with_its_cause() -> None:
    store, writer, maintainer = _setup()
    inferred = f"{BASE}graph/system/inferred"
    member_of = ox.NamedNode(EX + "memberOf")
    assert store.match(ox.NamedNode(EX + "savonia"), member_of, None, inferred)
    writer.apply(
        SparqlUpdate(
            f"DELETE DATA {{ GRAPH <{BASE}graph/data/x> "
            f"{{ <{EX}jory> <{EX}hasMember> <{EX}savonia> }} }}"
        ),
        WriteContext("cli"),
    )
    assert maintainer.last.mode == "local"
    assert not store.match(ox.NamedNode(EX + "savonia"), member_of, None, inferred)
    assert store.match(ox.NamedNode(EX + "isy"), member_of, None, inferred)


def _restated(store: OxigraphStore) -> list[ox.Quad]:
    """Inferred triples that some asserted graph states as well."""
    inferred = f"{BASE}graph/system/inferred"
    return [
        q
        for q in store.match(None, None, None, inferred)
        if any(
            a.graph_name != ox.NamedNode(inferred)
            for a in store.match(q.subject, q.predicate, q.object)  # type: ignore[arg-type]
        )
    ]


def test_the_inferred_graph_does_not_restate_asserted_triples() -> None:
    """A triple both asserted and entailed (here under a super-property no rule reads) is not
    materialised again: the union default graph would count it twice and repeat join rows."""
    store, writer, maintainer = _setup()
    in_scheme = ox.NamedNode(EX + "inScheme")
    inferred = f"{BASE}graph/system/inferred"
    assert store.match(ox.NamedNode(EX + "c2"), in_scheme, None, inferred)
    assert _restated(store) == []
    # Asserting an entailed triple takes it out of the inferred graph; retracting it brings it
    # back, as it still follows.
    statement = f"<{EX}c2> <{EX}inScheme> <{EX}scheme>"
    for verb in ("INSERT", "DELETE"):
        writer.apply(
            SparqlUpdate(f"{verb} DATA {{ GRAPH <{BASE}graph/data/x> {{ {statement} }} }}"),
            WriteContext("cli"),
        )
        assert maintainer.last.mode == "local"
        assert _restated(store) == []
    assert store.match(ox.NamedNode(EX + "c2"), in_scheme, None, inferred)
    count = store.query(f"SELECT (COUNT(*) AS ?n) {{ ?c <{EX}inScheme> <{EX}scheme> }}")
    assert [int(row[0].value) for row in count.raw] == [2]  # type: ignore[union-attr]


def test_start_up_recomputes_an_inferred_graph_that_restates_asserted_triples() -> None:
    store, _, _ = _setup()
    inferred = ox.NamedNode(f"{BASE}graph/system/inferred")
    restated = ox.Quad(
        ox.NamedNode(EX + "c1"),
        ox.NamedNode(EX + "inScheme"),
        ox.NamedNode(EX + "scheme"),
        inferred,
    )
    store.restore(remove=[], add=[restated])  # as an older version materialised it
    assert _restated(store) == [restated]
    maintainer = InferenceMaintainer(store, BASE, lambda g: "/system/" not in g)
    maintainer.ensure_fresh()
    assert maintainer.last.mode == "full" and _restated(store) == []
    again = InferenceMaintainer(store, BASE, lambda g: "/system/" not in g)
    again.ensure_fresh()
    assert again.last.mode == "none"


def test_a_recomputation_written_in_slices_leaves_the_same_graph(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The additions of a full recomputation go to the store a slice at a time (a first start
    at 10M triples adds millions): slices of two leave what one write would, removals
    included."""
    store, _, maintainer = _setup()
    inferred = f"{BASE}graph/system/inferred"
    expected = set(store.match(None, None, None, inferred))
    assert len(expected) > 10
    stale = ox.Quad(
        ox.NamedNode(EX + "nobody"),
        ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        ox.NamedNode(EX + "Network"),
        ox.NamedNode(inferred),
    )
    dropped = sorted(expected, key=str)[:5]
    store.restore(remove=dropped, add=[stale])
    monkeypatch.setattr(maintainer_module, "WRITE_CHUNK", 2)
    done = maintainer.recompute()
    assert (done.added, done.removed) == (5, 1)
    assert set(store.match(None, None, None, inferred)) == expected


def test_a_transitive_chain_ending_in_a_literal_is_found_whatever_the_order() -> None:
    """prp-trp with a literal at the end, reached through a sub-property: the rules' answer
    must not depend on the order the facts come in (a set's order, in a recomputation)."""
    axioms = Axioms.from_triples(
        _triples(
            b"@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
            b"@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
            b"@prefix ex: <https://example.org/> .\n"
            b"ex:q a owl:TransitiveProperty . ex:p rdfs:subPropertyOf ex:q .\n"
        )
    )
    a, b, p, q = (ox.NamedNode(EX + n) for n in ("a", "b", "p", "q"))
    facts: list[Fact] = [(a, q, b), (b, p, ox.Literal("x"))]
    for ordered in (facts, facts[::-1]):
        assert (a, q, ox.Literal("x")) in entail(axioms, ordered)


def test_a_failed_maintenance_marks_the_graph_stale_for_the_next_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A write stands when the inferred graph could not follow it: the graph is marked stale,
    and the next start recomputes it (which drops the mark)."""
    store, writer, maintainer = _setup()
    inferred = f"{BASE}graph/system/inferred"

    def broken(seeds: object) -> None:
        raise RuntimeError("the maintenance failed")

    monkeypatch.setattr(maintainer, "update_around", broken)
    writer.apply(
        SparqlUpdate(
            f"INSERT DATA {{ GRAPH <{BASE}graph/data/x> {{ <{EX}oulu> a <{EX}University> }} }}"
        ),
        WriteContext("cli"),
    )
    institution = (ox.NamedNode(EX + "oulu"), TYPE, ox.NamedNode(EX + "Institution"))
    assert not store.match(*institution, inferred)
    assert maintainer.is_marked_stale()
    monkeypatch.undo()
    # A later write that names the graph itself is maintained locally and keeps the mark.
    writer.apply(
        SparqlUpdate(
            f"INSERT DATA {{ GRAPH <{BASE}graph/data/x> {{ "
            f"<{EX}jory> <{EX}hasMember> <{inferred}> . "
            f'<{inferred}> <http://www.w3.org/2000/01/rdf-schema#label> "x" }} }}'
        ),
        WriteContext("cli"),
    )
    assert maintainer.last.mode == "local"
    assert maintainer.is_marked_stale()
    started = InferenceMaintainer(store, BASE, lambda g: "/system/" not in g)
    started.ensure_fresh()
    assert started.last.mode == "full"
    assert store.match(*institution, inferred)
    assert not started.is_marked_stale()
    again = InferenceMaintainer(store, BASE, lambda g: "/system/" not in g)
    again.ensure_fresh()
    assert again.last.mode == "none"
