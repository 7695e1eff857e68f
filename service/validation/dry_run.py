"""Checking uploaded data against the shapes without writing it (POST /validate)."""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox
from rdflib import Graph

from service.store.base import subject_of
from service.validation.delta import Delta
from service.validation.gate import QualityGate
from service.validation.results import Report
from service.validation.terms import object_to_rdflib, to_rdflib, triple_to_rdflib
from service.validation.validator import run_shacl

UPLOAD_GRAPH = ox.NamedNode("urn:x-osaamiskartta:validate:upload")


def validate_upload(gate: QualityGate, triples: Sequence[ox.Triple], with_store: bool) -> Report:
    """The report on ``triples``: alone (with only the ontology beside them, for classes and
    code lists), or as if added to the store's data."""
    if with_store:
        added = frozenset(ox.Quad(t.subject, t.predicate, t.object, UPLOAD_GRAPH) for t in triples)
        return gate.validate(Delta(added, frozenset()), pending=True)
    graph = Graph()
    for t in triples:
        graph.add(triple_to_rdflib(t))
    for name in gate.store.named_graphs():
        if name.startswith(gate.roles.ontology_prefix):
            for t in gate.store.graph_triples(name):
                graph.add(triple_to_rdflib(t))
    uploaded = {to_rdflib(subject_of(t)) for t in triples} | {
        object_to_rdflib(t.object) for t in triples if not isinstance(t.object, ox.Literal)
    }
    with gate.lock:
        return run_shacl(graph, gate.model(), uploaded)
