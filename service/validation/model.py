"""The shapes as the gate uses them: pySHACL's parsed shapes, kept once, and the predicates
their paths and targets follow, which decide how far a change can reach.

A change to a node's triples matters to another node only when that node's shapes read them:
a referrer whose property shape checks the value with ``sh:class`` reads only the value's
``rdf:type``; one with ``sh:node``, a qualified value shape or a longer path reads its other
triples too; one that checks only the value itself (``sh:datatype``, ``sh:in``, counts) reads
nothing of it. So each path predicate is classed by what its shapes read of the node at its end.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import pyoxigraph as ox
from pyshacl.shapes_graph import ShapesGraph
from rdflib import BNode, Graph, URIRef, Variable
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

_WRAPPERS = (SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath)
_APPLIED_ONE = (SH.node, SH.qualifiedValueShape, SH["not"])
_APPLIED_LIST = (SH["and"], SH["or"], SH.xone)
_THIS = Variable("this")


class Reads(IntEnum):
    """What a shape checking a node reads of that node."""

    NOTHING = 0  # the node itself: its datatype, kind, value
    TYPE = 1  # its rdf:type (sh:class)
    TRIPLES = 2  # its triples (paths, SPARQL, closedness)


@dataclass(frozen=True)
class ShapesModel:
    """Parsed shapes plus the predicates a change must be followed along."""

    graph: Graph
    shapes: ShapesGraph
    # Predicates p where a shape of the subject of (s p o) reads o's triples, or only o's type.
    reads_triples: frozenset[ox.NamedNode]
    reads_type: frozenset[ox.NamedNode]
    inverse: frozenset[ox.NamedNode]
    depth: int

    @classmethod
    def from_graph(cls, graph: Graph) -> ShapesModel:
        """Read the shapes once; pySHACL's shape objects are reused by every validation."""
        reads: dict[URIRef, Reads] = {}
        inverse: set[URIRef] = set()
        longest = 1
        for shape, path in graph.subject_objects(SH.path):
            at_end = _value_reads(graph, shape, frozenset({shape}))
            longest = max(longest, _walk(graph, path, reads, inverse, False, at_end))
        # A focus is also a target when something points at it (sh:targetObjectsOf).
        inverse.update(o for o in graph.objects(None, SH.targetObjectsOf) if isinstance(o, URIRef))
        if not _sparql_reads_only_this(graph):
            # A SPARQL constraint that walks away from $this can read any node's triples.
            reads = dict.fromkeys(reads, Reads.TRIPLES)
        shapes = ShapesGraph(graph)
        _ = shapes.shapes  # parse now, not during the first write

        def named(level: Reads) -> frozenset[ox.NamedNode]:
            return frozenset(ox.NamedNode(str(p)) for p, r in reads.items() if r == level)

        # Nested shapes (sh:node, qualified value shapes) add one step beyond the longest path.
        return cls(
            graph,
            shapes,
            named(Reads.TRIPLES),
            named(Reads.TYPE),
            frozenset(ox.NamedNode(str(p)) for p in inverse),
            longest + 1,
        )


def _value_reads(graph: Graph, shape: Node, seen: frozenset[Node]) -> Reads:
    """What ``shape``'s constraints read of the nodes they check (a property shape's value
    nodes, a node shape's focus), its own path aside."""
    if any(graph.value(shape, p) is not None for p in (SH.property, SH.sparql, SH.closed)):
        return Reads.TRIPLES
    found = Reads.TYPE if graph.value(shape, SH["class"]) is not None else Reads.NOTHING
    applied = [s for p in _APPLIED_ONE for s in graph.objects(shape, p)]
    applied += [
        s for p in _APPLIED_LIST for ls in graph.objects(shape, p) for s in Collection(graph, ls)
    ]
    for inner in applied:
        found = max(found, _applied_reads(graph, inner, seen))
    return found


def _applied_reads(graph: Graph, shape: Node, seen: frozenset[Node]) -> Reads:
    """What a shape applied to a node (sh:node, sh:or, …) reads of it: a property shape
    reads its triples."""
    if shape in seen or graph.value(shape, SH.path) is not None:
        return Reads.TRIPLES
    return _value_reads(graph, shape, seen | {shape})


def _walk(
    graph: Graph,
    path: Node,
    reads: dict[URIRef, Reads],
    inverse: set[URIRef],
    inverted: bool,
    at_end: Reads,
) -> int:
    """Class the predicates of a SHACL path by what is read of the node each step reaches
    (``at_end`` for the last step, its triples for the steps before); returns its length."""
    if isinstance(path, URIRef):
        if inverted:
            # Inverse steps are followed both ways, whatever the shape reads.
            inverse.add(path)
            at_end = Reads.TRIPLES
        reads[path] = max(reads.get(path, Reads.NOTHING), at_end)
        return 1
    if not isinstance(path, BNode):
        return 0
    if (graph.value(path, SH.inversePath)) is not None:
        inner = graph.value(path, SH.inversePath)
        return _walk(graph, inner, reads, inverse, not inverted, at_end)
    if (alternatives := graph.value(path, SH.alternativePath)) is not None:
        return max(
            (
                _walk(graph, p, reads, inverse, inverted, at_end)
                for p in Collection(graph, alternatives)
            ),
            default=0,
        )
    for wrapper in _WRAPPERS:
        if (inner := graph.value(path, wrapper)) is not None:
            # Repetition reads each reached node's triples, and can reach any depth; the
            # caller's depth bound covers the usual cases.
            return _walk(graph, inner, reads, inverse, inverted, Reads.TRIPLES) + 1
    if graph.value(path, RDF.first) is not None:
        steps = list(Collection(graph, path))
        return sum(
            _walk(
                graph, p, reads, inverse, inverted, at_end if i == len(steps) - 1 else Reads.TRIPLES
            )
            for i, p in enumerate(steps)
        )
    return 0


def _sparql_reads_only_this(graph: Graph) -> bool:
    """True when every SPARQL constraint reads only triples whose subject is $this."""
    prefixes = {
        str(graph.value(d, SH.prefix)): str(graph.value(d, SH.namespace))
        for d in graph.objects(None, SH.declare)
    }
    for select in graph.objects(None, SH.select):
        try:
            algebra = prepareQuery(str(select), initNs=prefixes).algebra
        except Exception:  # an unreadable query is taken to read anything
            return False
        if not _patterns_from_this(algebra):
            return False
    return True


def _patterns_from_this(node: object) -> bool:
    """Every triple pattern in an algebra tree has ?this as subject and a plain predicate."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "triples":
                if any(s != _THIS or not isinstance(p, URIRef | Variable) for s, p, _ in value):
                    return False
            elif not _patterns_from_this(value):
                return False
        return True
    if isinstance(node, list | tuple):
        return all(_patterns_from_this(v) for v in node)
    return True
