"""The quality gate: validates the part of the data a write changes, the way full validation
of the resulting store would, and refuses the write when a Violation would remain."""

from __future__ import annotations

import threading
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Graph

from service.store.base import Store, subject_of
from service.validation.delta import Delta
from service.validation.model import ShapesModel
from service.validation.neighbourhood import (
    SUBCLASS_OF,
    Node,
    focus_nodes,
    focus_seeds,
    retyped,
    seeds,
    subgraph,
)
from service.validation.reads import DataReads
from service.validation.results import Finding, Report
from service.validation.terms import to_oxigraph, triple_to_rdflib
from service.validation.validator import run_shacl


class GraphRoles:
    """Which graphs hold shapes, which are the service's own, and which the shapes judge."""

    def __init__(self, base_iri: str) -> None:
        self.shapes_prefix = f"{base_iri}graph/shapes/"
        self.ontology_prefix = f"{base_iri}graph/ontology/"
        self.system_prefix = f"{base_iri}graph/system/"

    def is_shapes(self, graph: str) -> bool:
        """True for a graph loaded from shapes/."""
        return graph.startswith(self.shapes_prefix)

    def is_managed(self, graph: str) -> bool:
        """True for graphs that only files and the service itself write (shapes, ontology,
        system graphs such as provenance): clients cannot change them."""
        return graph.startswith((self.shapes_prefix, self.ontology_prefix, self.system_prefix))

    def is_model(self, graph: str) -> bool:
        """True for the shapes and ontology graphs, whose change changes validation itself."""
        return graph.startswith((self.shapes_prefix, self.ontology_prefix))

    def unjudged(self, graph: str) -> bool:
        """True for graphs the shapes do not look at (the shapes and system graphs)."""
        return graph.startswith((self.shapes_prefix, self.system_prefix))


class QualityGate:
    """Holds the parsed shapes and validates changes against them."""

    def __init__(self, store: Store, roles: GraphRoles) -> None:
        self.store = store
        self.roles = roles
        # pySHACL's parsed shapes are not shared between threads.
        self.lock = threading.RLock()
        self._model: ShapesModel | None = None
        self._hierarchy: list[ox.Triple] | None = None
        self.store_has_violations = False

    def refresh(self) -> None:
        """Forget the parsed shapes and class hierarchy (after the shapes or ontology changed)."""
        with self.lock:
            self._model = None
            self._hierarchy = None

    def model(self) -> ShapesModel:
        """The shapes of the store's shapes graphs, parsed once."""
        if self._model is None:
            graph = Graph()
            for name in self.store.named_graphs():
                if self.roles.is_shapes(name):
                    for t in self.store.graph_triples(name):
                        graph.add(triple_to_rdflib(t))
            self._model = ShapesModel.from_graph(graph)
        return self._model

    def hierarchy(self) -> list[ox.Triple]:
        """The rdfs:subClassOf triples, which every validated subgraph carries."""
        if self._hierarchy is None:
            self._hierarchy = [q.triple for q in self.store.match(None, SUBCLASS_OF, None, ...)]
        return self._hierarchy

    def reads(self, pending: Delta | None = None) -> DataReads:
        """Reads of the judged data, with ``pending`` as if it were applied."""
        return DataReads(self.store, self.roles.unjudged, pending)

    def validate(self, delta: Delta, pending: bool) -> Report:
        """Validate what ``delta`` touches; ``pending`` means it is not applied yet.

        Violations anywhere in reach block the write. Warnings and Infos are reported for the
        nodes the write changed, and for the nodes it reaches only when the write caused them.
        When the store already breaks the shapes (they changed since the data was written),
        only the violations the write causes count.
        """
        visible = Delta(
            frozenset(q for q in delta.added if self._judged(q)),
            frozenset(q for q in delta.removed if self._judged(q)),
        )
        if not visible:
            return Report()
        with self.lock:
            model = self.model()
            after = self.reads(delta if pending else None)
            changed = seeds(visible)
            reclassed = any(q.predicate == SUBCLASS_OF for q in visible.added | visible.removed)
            if reclassed:
                # A class moved in the hierarchy changes what sh:class accepts of every
                # instance of it: everything is validated, with the hierarchy as it would be.
                self._hierarchy = None
                focus = {subject_of(t) for t in after.triples()}
                report = _in_batches(focus, after, model, _hierarchy_of(after))
            else:
                focus = focus_nodes(focus_seeds(visible, model), after, model, retyped(visible))
                report = run_shacl(subgraph(focus, after, model, self.hierarchy()), model, focus)
            blocking = not report.conforms and self.store_has_violations
            reached = {
                f.focus
                for f in report.findings
                if f.severity != "Violation" and to_oxigraph(f.focus) not in changed
            }
            if not (blocking or reached):
                return report
            before = self.reads(None if pending else _inverse(delta))
            # A literal focus node (sh:targetObjectsOf over literal values) is no subject to
            # read around: its findings are kept as they are.
            nodes = (to_oxigraph(n) for n in reached)
            recheck = focus if blocking else {n for n in nodes if not isinstance(n, ox.Literal)}
            hierarchy = _hierarchy_of(before) if reclassed else self.hierarchy()
            rechecked = _in_batches(recheck, before, model, hierarchy)
            known = {f.key() for f in rechecked.findings}
            kept = tuple(
                f
                for f in report.findings
                if f.key() not in known
                or (f.severity == "Violation" and not blocking)
                or (f.severity != "Violation" and f.focus not in reached)
            )
            return Report(kept, report.focus_count, report.graph)

    def validate_store(self, batch: int = 2000) -> Report:
        """Validate every node of the judged data, a batch of focus nodes at a time (the same
        results as validating the whole store at once, in bounded memory)."""
        with self.lock:
            model = self.model()
            reads = self.reads()
            nodes = {subject_of(q) for q in self.store.match() if self._judged(q)}
            report = _in_batches(nodes, reads, model, self.hierarchy(), batch)
            self.store_has_violations = not report.conforms
            return report

    def _judged(self, quad: ox.Quad) -> bool:
        graph = quad.graph_name
        return not (isinstance(graph, ox.NamedNode) and self.roles.unjudged(graph.value))


def _hierarchy_of(reads: DataReads) -> list[ox.Triple]:
    """The rdfs:subClassOf triples as ``reads`` sees them (a pending change included)."""
    return list(reads.triples(None, SUBCLASS_OF, None))


def _in_batches(
    nodes: Iterable[Node],
    reads: DataReads,
    model: ShapesModel,
    hierarchy: list[ox.Triple],
    batch: int = 2000,
) -> Report:
    """Validate ``nodes`` a batch at a time: the same results as validating them at once, in
    bounded memory."""
    ordered = sorted(nodes, key=str)
    findings: list[Finding] = []
    for start in range(0, len(ordered), batch):
        chunk = set(ordered[start : start + batch])
        findings.extend(run_shacl(subgraph(chunk, reads, model, hierarchy), model, chunk).findings)
    return Report(tuple(findings), len(ordered))


def _inverse(delta: Delta) -> Delta:
    return Delta(delta.removed, delta.added)
