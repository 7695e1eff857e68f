"""The part of the data a change can affect: its focus nodes and what their shapes reach.

A triple's change can alter the verdict on its subject and object, on nodes that reach them
along the shapes' path predicates (a forum whose action plan lost its measures), and on nodes
reached through inverse paths. The subgraph holds everything those focus nodes' shapes read,
plus the class hierarchy, so validating it gives the same results for them as validating the
whole store.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet

import pyoxigraph as ox
from rdflib import Graph

from service.validation.delta import Delta
from service.validation.model import ShapesModel
from service.validation.reads import DataReads
from service.validation.terms import triple_to_rdflib

Node = ox.NamedNode | ox.BlankNode
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SUBCLASS_OF = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")


def _nodes(terms: Iterable[object]) -> set[Node]:
    return {t for t in terms if isinstance(t, ox.NamedNode | ox.BlankNode)}


def seeds(delta: Delta) -> set[Node]:
    """Subjects and objects of the changed triples."""
    return _nodes(q.subject for q in delta.added | delta.removed) | _nodes(
        q.object for q in delta.added | delta.removed
    )


def focus_seeds(delta: Delta, model: ShapesModel) -> set[Node]:
    """The changed nodes whose own data the shapes read differently after the change.

    A changed triple changes what its subject's shapes see. Its object's outgoing data is
    unchanged, so the object (and what reaches it) is affected only when something reads its
    incoming triples: an inverse path or an ``sh:targetObjectsOf`` over that predicate. Leaving
    the other objects out keeps a shared object (a source document, a sector, an institution
    that thousands of things point at) from pulling its whole neighbourhood into every write.
    """
    changed = delta.added | delta.removed
    return _nodes(q.subject for q in changed) | _nodes(
        q.object for q in changed if model.reads_anything or q.predicate in model.inverse
    )


def retyped(delta: Delta) -> set[Node]:
    """The nodes whose rdf:type triples the change adds or removes."""
    return _nodes(q.subject for q in delta.added | delta.removed if q.predicate == RDF_TYPE)


def focus_nodes(
    start: set[Node],
    reads: DataReads,
    model: ShapesModel,
    retyped: AbstractSet[Node] = frozenset(),
) -> set[Node]:
    """The seeds and every node whose shapes read, within their reach, what changed.

    From a changed node, a referrer is followed when its shapes read the node's triples
    (``sh:node``, a qualified value shape, a longer path), or only its type when the change
    touched the type (``sh:class``); the nodes reached this way have no changed triples of
    their own, so from them only readers of triples are followed.
    """
    focus = set(start)
    frontier = set(start)
    for _ in range(model.depth):
        found: set[Node] = set()
        reads.prefetch(frontier)
        if model.reads_anything:
            reads.prefetch(frontier, as_object=True)
        else:
            reads.prefetch(frontier & retyped, as_object=True)
            reads.prefetch_pointing_at(frontier - retyped, model.reads_triples)
        for node in frontier:
            if model.reads_anything:
                incoming = reads.triples(None, None, node)
                found |= _nodes(t.subject for t in incoming)
                found |= _nodes(t.object for t in reads.triples(node, None, None))
                continue
            if node in retyped:
                followed = model.reads_triples | model.reads_type
                incoming = reads.triples(None, None, node)
            else:
                # Looked up per predicate: a shared node (a source document, a sector) has an
                # incoming triple from nearly everything, and almost none of them read it.
                followed = model.reads_triples
                incoming = reads.pointing_at(node, followed)
            found |= _nodes(t.subject for t in incoming if t.predicate in followed)
            outgoing = reads.triples(node, None, None)
            found |= _nodes(t.object for t in outgoing if t.predicate in model.inverse)
        frontier = found - focus
        focus |= frontier
        if not frontier:
            break
    return focus


def subgraph(
    focus: set[Node], reads: DataReads, model: ShapesModel, hierarchy: Iterable[ox.Triple]
) -> Graph:
    """Everything the focus nodes' shapes can read, as an rdflib graph for pySHACL."""
    triples: set[ox.Triple] = set(hierarchy)
    seen: set[Node] = set()
    frontier = set(focus)
    for _ in range(model.depth + 1):
        reached: set[Node] = set()
        reads.prefetch(frontier)
        if model.reads_anything:
            reads.prefetch(frontier, as_object=True)
        else:
            reads.prefetch_pointing_at(frontier, model.inverse)
        for node in frontier:
            outgoing = reads.triples(node, None, None)
            triples |= outgoing
            # Classes are covered by the hierarchy; following rdf:type would pull in the ontology.
            reached |= _nodes(t.object for t in outgoing if t.predicate != RDF_TYPE)
            # Only inverse paths read incoming triples: look those predicates up directly
            # rather than scanning everything that points at the node (a shared node such as
            # the source document has an incoming triple from nearly every resource).
            incoming = (
                reads.triples(None, None, node)
                if model.reads_anything
                else reads.pointing_at(node, model.inverse)
            )
            triples |= incoming
            reached |= _nodes(t.subject for t in incoming)
        seen |= frontier
        frontier = reached - seen
    # The types of every node mentioned, for sh:class and class targets.
    mentioned = _nodes(t.object for t in list(triples)) - seen
    reads.prefetch(mentioned, predicate=RDF_TYPE)
    for node in mentioned:
        triples |= reads.triples(node, RDF_TYPE, None)
    graph = Graph()
    for t in triples:
        graph.add(triple_to_rdflib(t))
    return graph
