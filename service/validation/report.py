"""Validation reports as clients see them: a readable JSON summary in Finnish or English,
or the W3C SHACL validation report in RDF."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from service.named_queries.binding import bind_rows
from service.sparql.formats import SPARQL_JSON
from service.store.base import Store
from service.validation.results import Finding, Report

Labels = dict[str, dict[str, str]]


@cache
def _labels_query() -> str:
    return (Path(__file__).parent / "rq" / "labels.rq").read_text(encoding="utf-8")


def lookup_labels(store: Store, nodes: Iterable[Node]) -> Labels:
    """Labels by language of the IRIs among ``nodes`` (one query for all of them)."""
    iris = sorted({str(n) for n in nodes if isinstance(n, URIRef)})
    if not iris:
        return {}
    query = bind_rows(_labels_query(), "node", [ox.NamedNode(i) for i in iris])
    document = json.loads(store.query(query).serialize(SPARQL_JSON))
    labels: Labels = {}
    for row in document["results"]["bindings"]:
        label = row["label"]
        labels.setdefault(row["node"]["value"], {}).setdefault(
            label.get("xml:lang", ""), label["value"]
        )
    return labels


def pending_labels(labels: Labels, added: Iterable[ox.Quad]) -> Labels:
    """``labels`` plus the labels a not yet applied change would add."""
    merged = {node: dict(by_language) for node, by_language in labels.items()}
    for quad in added:
        if (
            quad.predicate.value in _LABEL_PREDICATES
            and isinstance(quad.object, ox.Literal)
            and isinstance(quad.subject, ox.NamedNode)
        ):
            by_language = merged.setdefault(quad.subject.value, {})
            by_language.setdefault(quad.object.language or "", quad.object.value)
    return merged


_LABEL_PREDICATES = {
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
}


def nodes_of(report: Report) -> set[Node]:
    """Every node a report mentions that could have a label."""
    found: set[Node] = set()
    for f in report.findings:
        found.update(n for n in (f.focus, f.shape, f.value) if n is not None)
    return found


def _label(labels: Labels, node: Node | None, language: str) -> str | None:
    if node is None:
        return None
    by_language = labels.get(str(node), {})
    for lang in (language, "en", "fi", ""):
        if lang in by_language:
            return by_language[lang]
    return None


def _term(node: Node | None) -> Any:
    if node is None:
        return None
    if isinstance(node, Literal):
        return str(node)
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def summary(report: Report, labels: Labels, language: str) -> dict[str, Any]:
    """The readable JSON summary: counts and, per result, focus with label, path, value,
    shape, severity and the message in ``language``."""
    return {
        "conforms": report.conforms,
        "violations": report.count("Violation"),
        "warnings": report.count("Warning"),
        "infos": report.count("Info"),
        "language": language,
        "results": [_result(f, labels, language) for f in _ordered(report.findings)],
    }


def _ordered(findings: Iterable[Finding]) -> list[Finding]:
    rank = {"Violation": 0, "Warning": 1, "Info": 2}
    return sorted(findings, key=lambda f: (rank.get(f.severity, 3), str(f.shape), str(f.focus)))


def _result(finding: Finding, labels: Labels, language: str) -> dict[str, Any]:
    return {
        "severity": finding.severity,
        "focusNode": _term(finding.focus),
        "focusLabel": _label(labels, finding.focus, language),
        "path": finding.path,
        "value": _term(finding.value),
        "valueLabel": _label(labels, finding.value, language),
        "shape": _term(finding.shape),
        "message": finding.message(language),
    }


def report_graph(report: Report) -> Graph:
    """The W3C SHACL validation report of the findings."""
    graph = Graph()
    graph.bind("sh", SH)
    root = BNode()
    graph.add((root, RDF.type, SH.ValidationReport))
    graph.add((root, SH.conforms, Literal(report.conforms, datatype=XSD.boolean)))
    for finding in _ordered(report.findings):
        result = BNode()
        graph.add((root, SH.result, result))
        graph.add((result, RDF.type, SH.ValidationResult))
        graph.add((result, SH.focusNode, finding.focus))
        graph.add((result, SH.resultSeverity, SH[finding.severity]))
        graph.add((result, SH.sourceShape, finding.shape))
        if finding.component is not None:
            graph.add((result, SH.sourceConstraintComponent, finding.component))
        if finding.path is not None:
            if finding.path.startswith("^"):
                inverse = BNode()
                graph.add((inverse, SH.inversePath, URIRef(finding.path[1:])))
                graph.add((result, SH.resultPath, inverse))
            else:
                graph.add((result, SH.resultPath, URIRef(finding.path)))
        if finding.value is not None:
            graph.add((result, SH.value, finding.value))
        for lang, text in finding.messages.items():
            graph.add((result, SH.resultMessage, Literal(text, lang=lang or None)))
    return graph


def report_rdf(report: Report, media_type: str) -> bytes:
    """The W3C report in Turtle, JSON-LD, N-Triples or RDF/XML."""
    fmt = {
        "text/turtle": "turtle",
        "application/ld+json": "json-ld",
        "application/n-triples": "nt",
        "application/rdf+xml": "xml",
    }.get(media_type, "turtle")
    return report_graph(report).serialize(format=fmt, encoding="utf-8")


def text_report(report: Report, labels: Labels, language: str) -> str:
    """A readable report for the terminal, grouped by severity and then by shape."""
    lines = [
        f"{'conforms' if report.conforms else 'does not conform'}: "
        f"{report.count('Violation')} violations, {report.count('Warning')} warnings, "
        f"{report.count('Info')} infos"
    ]
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in _ordered(report.findings):
        groups.setdefault((finding.severity, str(finding.shape)), []).append(finding)
    for (severity, shape), findings in groups.items():
        lines.append("")
        lines.append(f"{severity} · {shape} ({len(findings)})")
        lines.append(f"  {findings[0].message(language)}")
        for finding in findings:
            label = _label(labels, finding.focus, language)
            focus = _term(finding.focus)
            where = f"{label} <{focus}>" if label else f"<{focus}>"
            shown = finding.value is not None and finding.value != finding.focus
            value = f" = {_term(finding.value)}" if shown else ""
            path = f" {finding.path}" if finding.path else ""
            lines.append(f"  - {where}{path}{value}")
    return "\n".join(lines) + "\n"
