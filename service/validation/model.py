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
    # A SPARQL constraint reads beyond $this's own triples: any triple, either way, may matter.
    reads_anything: bool = False

    @classmethod
    def from_graph(cls, graph: Graph) -> ShapesModel:
        """Read the shapes once; pySHACL's shape objects are reused by every validation."""
        reader = _ShapeReader(graph)
        reads: dict[URIRef, Reads] = {}
        inverse: set[URIRef] = set()
        longest = 1
        for shape, path in graph.subject_objects(SH.path):
            at_end = reader.value_reads(shape, frozenset({shape}))
            longest = max(longest, _walk(graph, path, reads, inverse, False, at_end))
        # Nested shapes (sh:node on a shape with paths, …) read further than their own path.
        for shape in set(graph.subjects(SH.path)) | set(graph.subjects(SH.property)):
            longest = max(longest, reader.hops(shape, frozenset()))
        # A focus is also a target when something points at it (sh:targetObjectsOf).
        inverse.update(o for o in graph.objects(None, SH.targetObjectsOf) if isinstance(o, URIRef))
        # A SPARQL constraint that walks away from $this can read any node's triples.
        anything = not _sparql_reads_only_this(graph)
        shapes = ShapesGraph(graph)
        _ = shapes.shapes  # parse now, not during the first write

        def named(level: Reads) -> frozenset[ox.NamedNode]:
            return frozenset(ox.NamedNode(str(p)) for p, r in reads.items() if r == level)

        # One step of slack beyond the furthest read (the types of the last nodes reached).
        return cls(
            graph,
            shapes,
            named(Reads.TRIPLES),
            named(Reads.TYPE),
            frozenset(ox.NamedNode(str(p)) for p in inverse),
            longest + 1,
            anything,
        )


# Constraints that read the checked node's own triples: paths, SPARQL, closedness, the pair
# constraints (a node shape's sh:equals compares the node's values of a predicate), and a
# disjointness flag, which applies sibling shapes to the same values.
_READ_TRIPLES = (
    SH.property,
    SH.sparql,
    SH.closed,
    SH.equals,
    SH.disjoint,
    SH.lessThan,
    SH.lessThanOrEquals,
    SH.qualifiedValueShapesDisjoint,
)
# Recursive shapes read to any depth; the gate follows them this far.
MAX_HOPS = 8


class _ShapeReader:
    """What shapes read of the nodes they check, and how far from them."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        # Parameters of SPARQL-based constraint components: their validators can read the
        # value node's triples.
        parameters = {
            path
            for component in graph.subjects(RDF.type, SH.ConstraintComponent)
            for parameter in graph.objects(component, SH.parameter)
            for path in graph.objects(parameter, SH.path)
        }
        self.triggers = (*_READ_TRIPLES, *parameters)

    def value_reads(self, shape: Node, seen: frozenset[Node]) -> Reads:
        """What ``shape``'s constraints read of the nodes they check (a property shape's value
        nodes, a node shape's focus), its own path aside."""
        graph = self.graph
        if any(graph.value(shape, p) is not None for p in self.triggers):
            return Reads.TRIPLES
        found = Reads.TYPE if graph.value(shape, SH["class"]) is not None else Reads.NOTHING
        for inner in self._applied(shape):
            found = max(found, self._applied_reads(inner, seen))
        return found

    def _applied_reads(self, shape: Node, seen: frozenset[Node]) -> Reads:
        """What a shape applied to a node (sh:node, sh:or, …) reads of it: a property shape
        reads its triples."""
        if shape in seen or self.graph.value(shape, SH.path) is not None:
            return Reads.TRIPLES
        return self.value_reads(shape, seen | {shape})

    def _applied(self, shape: Node) -> list[Node]:
        """The shapes ``shape`` applies to the nodes it checks (or to its path's values)."""
        graph = self.graph
        applied = [s for p in _APPLIED_ONE for s in graph.objects(shape, p)]
        applied += [
            s
            for p in _APPLIED_LIST
            for ls in graph.objects(shape, p)
            for s in Collection(graph, ls)
        ]
        return applied

    def hops(self, shape: Node, seen: frozenset[Node]) -> int:
        """How many triples away from the node it checks ``shape`` reads, nested shapes
        included (capped at MAX_HOPS for recursive shapes)."""
        if shape in seen or len(seen) >= MAX_HOPS:
            return MAX_HOPS
        seen = seen | {shape}
        path = self.graph.value(shape, SH.path)
        steps = _walk(self.graph, path, {}, set(), False, Reads.NOTHING) if path is not None else 0
        nested = [*self._applied(shape), *self.graph.objects(shape, SH.property)]
        return min(MAX_HOPS, steps + max((self.hops(s, seen) for s in nested), default=0))


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
    if (inner := graph.value(path, SH.inversePath)) is not None:
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
            # Repetition reads each reached node's triples, and can reach any depth: followed
            # as far as the gate follows anything.
            length = _walk(graph, inner, reads, inverse, inverted, Reads.TRIPLES)
            return length + 1 if wrapper == SH.zeroOrOnePath else max(length + 1, MAX_HOPS)
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
    """True when every SPARQL constraint and validator reads only triples whose subject is
    $this."""
    prefixes = {
        str(graph.value(d, SH.prefix)): str(graph.value(d, SH.namespace))
        for d in graph.objects(None, SH.declare)
    }
    for select in [*graph.objects(None, SH.select), *graph.objects(None, SH.ask)]:
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
