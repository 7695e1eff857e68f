"""Where a SPARQL update can write: quad patterns that cover every quad it may add or remove.

The update itself is executed by the store, with its own semantics; the footprint only says
which quads to read before and after, so that the difference is exactly the update's effect.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from types import EllipsisType

import pyoxigraph as ox
from pyparsing import ParseException
from rdflib import BNode, Variable
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node

from service.errors import SyntaxProblem
from service.store.base import Store
from service.validation.terms import to_oxigraph

ANY_GRAPH = "*"  # a template's GRAPH ?g: any named graph

Position = ox.NamedNode | ox.BlankNode | ox.Literal | None


@dataclass(frozen=True)
class QuadPattern:
    """A quad pattern; None is a wildcard, graph None is the default graph."""

    subject: Position
    predicate: ox.NamedNode | None
    obj: Position
    graph: str | None


@dataclass
class Footprint:
    """Quad patterns and whole graphs an update may change."""

    patterns: set[QuadPattern] = field(default_factory=set)
    whole_graphs: set[str | None] = field(default_factory=set)
    every_graph: bool = False

    def named_graphs(self) -> set[str]:
        """The graphs the update names explicitly (not through ALL, NAMED or GRAPH ?g)."""
        named = {g for g in self.whole_graphs if g is not None}
        named.update(p.graph for p in self.patterns if p.graph not in (None, ANY_GRAPH))
        return named  # type: ignore[return-value]

    def read(self, store: Store) -> set[ox.Quad]:
        """Every quad of the store the footprint covers, as it is now."""
        quads: set[ox.Quad] = set()
        if self.every_graph:
            return set(store.match())
        for graph in self.whole_graphs:
            quads.update(store.match(graph=graph))
        for p in self.patterns:
            if p.graph in self.whole_graphs:
                continue
            if isinstance(p.subject, ox.Literal):
                # The grammar allows a literal subject in a template (`DELETE WHERE { "x" ?p
                # ?o }`); no quad has one.
                continue
            where: str | EllipsisType | None = ... if p.graph == ANY_GRAPH else p.graph
            quads.update(store.match(p.subject, p.predicate, p.obj, where))
        return quads


def _term(node: Node) -> Position:
    """A template position: variables and blank nodes (fresh on insert) match anything."""
    if isinstance(node, Variable | BNode):
        return None
    return to_oxigraph(node)  # type: ignore[return-value]


def _graph(node: object, with_graph: str | None) -> str | None:
    if node is None:
        return with_graph
    if isinstance(node, Variable):
        return ANY_GRAPH
    return str(node)


def _add_templates(
    footprint: Footprint, template: CompValue | dict | None, with_graph: str | None
) -> None:
    if not template:
        return
    triples: Iterable = template["triples"] if "triples" in template else []  # noqa: SIM401
    for s, p, o in triples or []:
        footprint.patterns.add(QuadPattern(_term(s), _term(p), _term(o), with_graph))  # type: ignore[arg-type]
    quads = template["quads"] if "quads" in template else {}  # noqa: SIM401
    for graph, quad_triples in (quads or {}).items():
        target = _graph(graph, with_graph)
        for s, p, o in quad_triples:
            footprint.patterns.add(QuadPattern(_term(s), _term(p), _term(o), target))  # type: ignore[arg-type]


def _graph_ref(ref: object) -> str | None:
    """A graph of CLEAR/DROP/COPY…: None is DEFAULT."""
    return None if ref == "DEFAULT" else str(ref)


def footprint_of_update(update: str, base_iri: str | None = None) -> Footprint:
    """Parse the update and collect where it can write."""
    try:
        parsed = translateUpdate(parseUpdate(update), base=base_iri)
    except ParseException as exc:
        raise SyntaxProblem(
            f"SPARQL update: {exc.msg}", line=exc.lineno, column=exc.col, language="SPARQL update"
        ) from exc
    except Exception as exc:  # rdflib raises plain exceptions for e.g. undefined prefixes
        raise SyntaxProblem(f"SPARQL update: {exc}", language="SPARQL update") from exc
    footprint = Footprint()
    # An update with no operations (empty, or only a prologue) is valid SPARQL; rdflib then
    # returns a bare list instead of an Update.
    for op in getattr(parsed, "algebra", ()):
        name = op.name
        if name == "Load":
            # Only reached for targets the outbound allowlist names (service/outbound.py):
            # what LOAD brings in can only land in its graph.
            footprint.whole_graphs.add(str(op["graphiri"]) if "graphiri" in op else None)
            continue
        # CompValue.get returns the key itself for a missing key, so test membership instead.
        with_graph = str(op["withClause"]) if "withClause" in op else None
        if name in ("InsertData", "DeleteData", "DeleteWhere"):
            _add_templates(footprint, op, None)
        elif name == "Modify":
            for part in ("delete", "insert"):
                if part in op:
                    _add_templates(footprint, op[part], with_graph)
        elif name in ("Clear", "Drop"):
            ref = op.graphiri
            if ref in ("NAMED", "ALL"):
                footprint.every_graph = True
            else:
                footprint.whole_graphs.add(_graph_ref(ref))
        elif name in ("Add", "Copy", "Move"):
            source, target = op.graph
            footprint.whole_graphs.update({_graph_ref(source), _graph_ref(target)})
        elif name == "Create":
            continue  # an empty graph: no quads
        else:
            footprint.every_graph = True
    return footprint
