"""Running pySHACL on a subgraph with the shapes parsed once."""

from __future__ import annotations

from collections.abc import Iterable

from pyshacl import Validator
from pyshacl.graph_abstraction import DataGraph
from pyshacl.pytypes import GraphLike
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from service.validation import constraint_lookup, sparql_cache
from service.validation.model import ShapesModel
from service.validation.results import Finding, Report
from service.validation.terms import OxTerm as OxNode
from service.validation.terms import to_rdflib

sparql_cache.install()
constraint_lookup.install()


def run_shacl(
    data: Graph, model: ShapesModel, only: Iterable[Node | OxNode] | None = None
) -> Report:
    """Validate ``data``; with ``only``, keep the results whose focus is one of those nodes."""
    validator = Validator(
        DataGraph.from_rdflib(data), shacl_graph=model.graph, options={"inplace": True}
    )
    validator.shacl_graph = model.shapes  # reuse the parsed shapes instead of parsing again
    _, report_graph, _ = validator.run()
    keep = None if only is None else {to_rdflib(n) if isinstance(n, OxNode) else n for n in only}
    findings = tuple(
        finding
        for report in report_graph.subjects(RDF.type, SH.ValidationReport)
        # top-level results only: nested sh:detail results repeat them for the value nodes
        for result in report_graph.objects(report, SH.result)
        if (finding := _finding(report_graph, result, model.graph)) is not None
        and (keep is None or finding.focus in keep)
    )
    return Report(findings, len(keep) if keep is not None else 0, report_graph)


def _finding(report: Graph, result: Node, shapes: Graph) -> Finding | None:
    focus = report.value(result, SH.focusNode)
    shape = report.value(result, SH.sourceShape)
    if focus is None or shape is None:
        return None
    severity = report.value(result, SH.resultSeverity)
    path = report.value(result, SH.resultPath)
    return Finding(
        focus=focus,
        severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
        shape=shape,
        component=report.value(result, SH.sourceConstraintComponent),
        path=_path_text(report, path) if path is not None else None,
        value=report.value(result, SH.value),
        messages=_messages(report, result, shape, shapes),
    )


def _messages(report: Graph, result: Node, shape: Node, shapes: Graph) -> dict[str, str]:
    """Messages by language: the shape's own sh:message (pySHACL drops the language tags of
    SPARQL constraint messages, so the shapes graph is the source), else the result's."""
    for source in (report.value(result, SH.sourceConstraint), shape):
        if source is None:
            continue
        found = {
            m.language or "": str(m)
            for m in shapes.objects(source, SH.message)
            if isinstance(m, Literal)
        }
        if found:
            return found
    return {
        m.language or "": str(m)
        for m in report.objects(result, SH.resultMessage)
        if isinstance(m, Literal)
    }


def _path_text(graph: GraphLike, path: Node) -> str:
    """A result path as text: the IRI, or '^IRI' for an inverse path."""
    if isinstance(path, BNode):
        inverse = graph.value(path, SH.inversePath)  # type: ignore[union-attr]
        if inverse is not None:
            return f"^{inverse}"
    return str(path)
