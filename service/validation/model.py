"""The shapes as the gate uses them: pySHACL's parsed shapes, kept once, and the predicates
their paths and targets follow, which decide how far a change can reach."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from pyshacl.shapes_graph import ShapesGraph
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

_WRAPPERS = (SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath)


@dataclass(frozen=True)
class ShapesModel:
    """Parsed shapes plus the predicates a change must be followed along."""

    graph: Graph
    shapes: ShapesGraph
    forward: frozenset[ox.NamedNode]
    inverse: frozenset[ox.NamedNode]
    depth: int

    @classmethod
    def from_graph(cls, graph: Graph) -> ShapesModel:
        """Read the shapes once; pySHACL's shape objects are reused by every validation."""
        forward: set[URIRef] = set()
        inverse: set[URIRef] = set()
        longest = 1
        for path in graph.objects(None, SH.path):
            longest = max(longest, _walk(graph, path, forward, inverse, inverted=False))
        # A focus is also a target when something points at it (sh:targetObjectsOf).
        inverse.update(o for o in graph.objects(None, SH.targetObjectsOf) if isinstance(o, URIRef))
        shapes = ShapesGraph(graph)
        _ = shapes.shapes  # parse now, not during the first write
        # Nested shapes (sh:node, qualified value shapes) add one step beyond the longest path.
        return cls(
            graph,
            shapes,
            frozenset(ox.NamedNode(str(p)) for p in forward),
            frozenset(ox.NamedNode(str(p)) for p in inverse),
            longest + 1,
        )


def _walk(
    graph: Graph, path: Node, forward: set[URIRef], inverse: set[URIRef], inverted: bool
) -> int:
    """Collect the predicates of a SHACL path; returns its length in steps."""
    if isinstance(path, URIRef):
        (inverse if inverted else forward).add(path)
        forward.add(path)
        return 1
    if not isinstance(path, BNode):
        return 0
    if (graph.value(path, SH.inversePath)) is not None:
        return _walk(graph, graph.value(path, SH.inversePath), forward, inverse, not inverted)
    if (alternatives := graph.value(path, SH.alternativePath)) is not None:
        return max(
            (_walk(graph, p, forward, inverse, inverted) for p in Collection(graph, alternatives)),
            default=0,
        )
    for wrapper in _WRAPPERS:
        if (inner := graph.value(path, wrapper)) is not None:
            # Repetition can reach any depth; the caller's depth bound covers the usual cases.
            return _walk(graph, inner, forward, inverse, inverted) + 1
    if graph.value(path, RDF.first) is not None:
        return sum(_walk(graph, p, forward, inverse, inverted) for p in Collection(graph, path))
    return 0
