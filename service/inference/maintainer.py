"""Keeps the inferred graph equal to the entailments of the asserted data, write by write.

A write that changes an axiom (or a very large write, or a bulk load of whole files) recomputes
everything. Any other write recomputes only what can depend on it: the nodes it touched,
widened along chains of transitive properties, with the asserted triples around them; the
inferred triples about those nodes are replaced by what the rules now give. See README
"Inference" for why this is exact.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice

import pyoxigraph as ox

from service.inference.rules import Axioms, Fact, Term, entail
from service.inference.vocabulary import (
    AXIOM_PREDICATES,
    PROPERTY_CHARACTERISTICS,
    TYPE,
    inferred_graph,
    is_axiom,
)
from service.store.base import (
    MatchingPredicates,
    Store,
    StreamingMatches,
    prefetch,
    prefetch_pointing_at,
)
from service.writes import Write, WriteContext, WriteResult

log = logging.getLogger("uvicorn.error")
# Above this many touched nodes a write recomputes everything (cheaper than many lookups).
LOCAL_LIMIT = 5_000
INVALIDATED_AT_TIME = ox.NamedNode("http://www.w3.org/ns/prov#invalidatedAtTime")
XSD_DATE_TIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
# Inferred triples added per call to the store.
WRITE_CHUNK = 50_000


@dataclass(frozen=True)
class Maintenance:
    """What the last maintenance did (for logs, tests and the benchmark)."""

    mode: str  # "full", "local" or "none"
    nodes: int
    added: int
    removed: int
    seconds: float


class InferenceMaintainer:
    """A write observer that materialises entailments into ``{base}graph/system/inferred``."""

    def __init__(self, store: Store, base_iri: str, asserted: Callable[[str], bool]) -> None:
        self.store = store
        self.graph = inferred_graph(base_iri)
        self._graph_node = ox.NamedNode(self.graph)
        self._asserted_graph = asserted
        self._axioms: Axioms | None = None
        self._lock = threading.Lock()
        self.last = Maintenance("none", 0, 0, 0, 0.0)

    # -- reading the asserted data -----------------------------------------------------

    def _asserted(self, quad: ox.Quad) -> bool:
        graph = quad.graph_name
        return not isinstance(graph, ox.NamedNode) or self._asserted_graph(graph.value)

    def _match(self, s: Term | None, p: ox.NamedNode | None, o: Term | None) -> list[ox.Quad]:
        return [q for q in self.store.match(s, p, o) if self._asserted(q)]  # type: ignore[arg-type]

    def _pointing_at(self, node: Term, predicates: frozenset[Term]) -> list[ox.Quad]:
        """The asserted quads whose object is ``node`` and whose predicate is one of
        ``predicates``: one read on a store that matches several predicates at once (a remote
        engine answers one request instead of one per predicate)."""
        named = [p for p in predicates if isinstance(p, ox.NamedNode)]
        if isinstance(self.store, MatchingPredicates):
            quads = self.store.match_predicates(named, node)  # type: ignore[arg-type]
        else:
            quads = [q for p in named for q in self.store.match(None, p, node)]  # type: ignore[arg-type]
        return [q for q in quads if self._asserted(q)]

    def axioms(self) -> Axioms:
        """The axioms of the asserted data, read once after each change to them."""
        if self._axioms is None:
            quads: list[ox.Quad] = []
            for p in AXIOM_PREDICATES:
                quads.extend(self._match(None, p, None))
            for c in PROPERTY_CHARACTERISTICS:
                quads.extend(self._match(None, TYPE, c))
            self._axioms = Axioms.from_triples(quads)
        return self._axioms

    # -- the observer ------------------------------------------------------------------

    def committed(self, write: Write, context: WriteContext, result: WriteResult) -> None:
        """Bring the inferred graph in step with a committed write. When that fails, the graph
        is marked stale (``prov:invalidatedAtTime``, in the graph itself), so that the next
        start recomputes it; a full recomputation drops the mark with everything unwanted."""
        try:
            self._follow(result)
        except BaseException:
            self._mark_stale()
            raise

    def _mark_stale(self) -> None:
        now = ox.Literal(datetime.now(UTC).isoformat(), datatype=XSD_DATE_TIME)
        mark = ox.Quad(self._graph_node, INVALIDATED_AT_TIME, now, self._graph_node)
        try:
            with self.store.exclusive():
                self.store.restore(remove=[], add=[mark])
        except Exception:  # the store that failed the maintenance may fail this too
            log.exception("inference: the inferred graph could not be marked stale")

    def is_marked_stale(self) -> bool:
        """Whether a maintenance failed since the last full recomputation."""
        return bool(self.store.match(self._graph_node, INVALIDATED_AT_TIME, None, self.graph))

    def _follow(self, result: WriteResult) -> None:
        if any(map(self._asserted_graph, result.delta.loaded)):
            # Whole graphs were bulk-loaded: they may hold axioms, and they are big (small
            # files are not bulk-loaded), so everything is derived again without reading their
            # quads into Python first.
            self._axioms = None
            self.recompute()
            return
        changed = [q for q in (*result.delta.added, *result.delta.removed) if self._asserted(q)]
        if not changed:
            return
        if any(is_axiom(q) for q in changed):
            self._axioms = None
            self.recompute()
            return
        axioms = self.axioms()
        seeds = self._seeds(changed, axioms)
        if len(seeds) > LOCAL_LIMIT:
            self.recompute()
            return
        self.update_around(seeds)

    def ensure_fresh(self) -> None:
        """At start-up: compute the inferred graph when the store has none yet, or when it
        restates asserted triples (as graphs materialised before that was avoided did)."""
        if not self.store.has_graph(self.graph):
            if self.store.named_graphs():
                self.recompute()
        elif self.is_marked_stale():
            log.info("inference: a maintenance failed after a write; recomputing")
            self.recompute()
        elif self._restates_asserted():
            log.info("inference: the inferred graph restates asserted triples; recomputing")
            self.recompute()

    def _restates_asserted(self) -> bool:
        """Whether an inferred triple under a predicate no rule reads is also asserted (the
        triples under predicates the rules read are never materialised when asserted)."""
        axioms = self.axioms()
        read = {TYPE, *axioms.relevant_predicates()}
        concluded = {q for p in axioms.super_properties for q in axioms.properties_above(p)}
        concluded.update(q for qs in axioms.inverses.values() for q in qs)
        for p in concluded - read:
            assert isinstance(p, ox.NamedNode)
            for quad in self.store.match(None, p, None, self.graph):
                if self._match(quad.subject, p, quad.object):  # type: ignore[arg-type]
                    return True
        return False

    # -- full recomputation ------------------------------------------------------------

    def recompute(self) -> Maintenance:
        """Derive everything again from the asserted data and replace what differs."""
        # Millions of short-lived tuples would trigger the cycle collector again and again;
        # none of them form cycles, so it waits until the end.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._recompute()
        finally:
            if collecting:
                gc.enable()

    def _recompute(self) -> Maintenance:
        # Memory: the facts are tuples of terms read once each (``_Terms``) and compared as
        # they are, not copied into pyoxigraph triples; the store's quads are streamed. At 10M
        # triples the sets hold a few million facts.
        with self._lock:
            started = time.perf_counter()
            axioms = self.axioms()
            terms = _Terms()
            read = {TYPE, *axioms.relevant_predicates()}
            asserted: set[Fact] = set()
            for p in read:
                if isinstance(p, ox.NamedNode):
                    asserted.update(map(terms.fact, self._stream(None, p, None)))
            wanted = entail(axioms, asserted)
            wanted.update(terms.fact(t) for t in axioms.schema_entailments())
            wanted -= asserted
            del asserted
            # What the rules conclude under a predicate no rule reads (a super-property, the
            # inverse of one) may be asserted too: it is left out, or the union default graph
            # would hold the triple twice and joins over it would repeat rows.
            for p in {*AXIOM_PREDICATES, *(f[1] for f in wanted)} - read:
                if isinstance(p, ox.NamedNode):
                    wanted.difference_update(map(_fact, self._stream(None, p, None)))
            current = {terms.fact(q) for q in self._stream(None, None, None, self.graph)}
            removed, added = current - wanted, wanted - current
            self._write(removed, added)
            self.last = Maintenance(
                "full", 0, len(added), len(removed), time.perf_counter() - started
            )
            log.info("inference: %d triples materialised", len(wanted))
            return self.last

    def _stream(
        self, s: Term | None, p: ox.NamedNode | None, o: Term | None, graph: str | None = None
    ) -> Iterator[ox.Quad]:
        """The asserted quads matching a pattern (every quad of ``graph`` when one is given),
        lazily on a store that can, so that a whole predicate's quads are never held."""
        where = ... if graph is None else graph
        if isinstance(self.store, StreamingMatches):
            quads: Iterable[ox.Quad] = self.store.iter_match(s, p, o, where)  # type: ignore[arg-type]
        else:
            quads = self.store.match(s, p, o, where)  # type: ignore[arg-type]
        if graph is not None:
            return iter(quads)
        return (q for q in quads if self._asserted(q))

    # -- local maintenance -------------------------------------------------------------

    def _seeds(self, changed: Iterable[ox.Quad], axioms: Axioms) -> set[Term]:
        """The nodes whose inferred triples a change can alter: subjects, and objects when
        a rule concludes something about the object (range, inverse, symmetry, chains)."""
        reaching_objects = {
            p
            for p in axioms.relevant_predicates()
            if any(
                axioms.ranges.get(q) or axioms.inverses.get(q) or q in axioms.symmetric
                for q in (p, *axioms.properties_above(p))
            )
            or p in axioms.chaining_predicates()
        }
        seeds: set[Term] = set()
        for q in changed:
            seeds.add(q.subject)
            if q.predicate in reaching_objects and isinstance(
                q.object, ox.NamedNode | ox.BlankNode
            ):
                seeds.add(q.object)
        return seeds

    def _widen(self, seeds: set[Term], chaining: frozenset[Term]) -> set[Term]:
        """The seeds and every node linked to them by a chain of transitive-family triples."""
        nodes = set(seeds)
        frontier = set(seeds)
        while frontier:
            # Two reads a node, whatever the number of predicates, asked a level at a time so
            # that a remote store reads the level in a few requests (update_around reads the
            # nodes' own triples again: a remote store keeps them for it).
            self._prefetch(frontier, chaining)
            linked: set[Term] = set()
            for node in frontier:
                linked.update(
                    q.object for q in self._match(node, None, None) if q.predicate in chaining
                )
                linked.update(q.subject for q in self._pointing_at(node, chaining))
            frontier = {
                n for n in linked if n not in nodes and isinstance(n, ox.NamedNode | ox.BlankNode)
            }
            nodes |= frontier
        return nodes

    def _prefetch(self, nodes: set[Term], predicates: frozenset[Term]) -> None:
        """About to read each node's own triples and those pointing at it with ``predicates``."""
        prefetch(self.store, nodes)  # type: ignore[arg-type]
        named = [p for p in predicates if isinstance(p, ox.NamedNode)]
        prefetch_pointing_at(self.store, nodes, named)  # type: ignore[arg-type]

    def update_around(self, seeds: set[Term]) -> Maintenance:
        """Recompute the inferred triples about ``seeds`` (and what chains them) only."""
        with self._lock:
            started = time.perf_counter()
            axioms = self.axioms()
            relevant = axioms.relevant_predicates()
            nodes = self._widen(seeds, axioms.chaining_predicates())
            around: set[Fact] = set()
            # The nodes' asserted triples: whether an entailed triple about them is asserted
            # is answered from these, without a read each.
            asserted: set[ox.Triple] = set()
            self._prefetch(nodes, relevant)
            for node in nodes:
                for q in self._match(node, None, None):
                    asserted.add(q.triple)
                    if q.predicate == TYPE or q.predicate in relevant:
                        around.add(_fact(q))
                around.update(_fact(q) for q in self._pointing_at(node, relevant))
            closure = entail(axioms, around)

            def owned(t: ox.Triple | Fact) -> bool:
                s, p, o = t[0], t[1], t[2]
                if p in AXIOM_PREDICATES or (p == INVALIDATED_AT_TIME and s == self._graph_node):
                    return False  # the stale mark goes with a full recomputation only
                return s in nodes or (p != TYPE and o in nodes)

            wanted = {ox.Triple(*f) for f in closure - around if owned(f)}
            wanted = {
                t
                for t in wanted
                if not (t in asserted if t.subject in nodes else self._is_asserted(t))
            }
            current: set[ox.Triple] = set()
            prefetch(self.store, nodes, graph=self.graph)  # type: ignore[arg-type]
            prefetch(self.store, nodes, as_object=True, graph=self.graph)  # type: ignore[arg-type]
            for node in nodes:
                current.update(q.triple for q in self.store.match(node, None, None, self.graph))  # type: ignore[arg-type]
                current.update(
                    q.triple
                    for q in self.store.match(None, None, node, self.graph)  # type: ignore[arg-type]
                    if q.predicate != TYPE
                )
            current = {t for t in current if owned((t.subject, t.predicate, t.object))}  # type: ignore[arg-type]
            removed, added = current - wanted, wanted - current
            self._write(removed, added)
            self.last = Maintenance(
                "local", len(nodes), len(added), len(removed), time.perf_counter() - started
            )
            return self.last

    def _is_asserted(self, triple: ox.Triple) -> bool:
        return bool(self._match(triple.subject, triple.predicate, triple.object))

    def _write(
        self, removed: Collection[Fact | ox.Triple], added: Collection[Fact | ox.Triple]
    ) -> None:
        if not (removed or added):
            return
        g = self._graph_node
        remove = [_quad(t, g) for t in removed]
        # Queries do not see the graph half-updated; blank nodes keep their identity. The
        # in-process store, whose readers the gate keeps out, takes the additions in slices (a
        # first start at 10M triples adds millions); a remote engine gets one update, atomic
        # there for its other clients too.
        size = WRITE_CHUNK if isinstance(self.store, StreamingMatches) else None
        additions = iter(added)
        with self.store.exclusive():
            while chunk := [_quad(t, g) for t in islice(additions, size)]:
                self.store.restore(remove=remove, add=chunk)
                remove = []
            if remove:
                self.store.restore(remove=remove, add=[])


class _Terms:
    """One Python object per distinct term: the store hands out a new object for every
    occurrence, and a whole-store pass would otherwise hold millions of copies of a few
    thousand classes and predicates."""

    def __init__(self) -> None:
        self._seen: dict[Term, Term] = {}

    def one(self, term: Term) -> Term:
        return self._seen.setdefault(term, term)

    def fact(self, statement: ox.Quad | ox.Triple) -> Fact:
        one = self.one
        return (one(statement.subject), one(statement.predicate), one(statement.object))  # type: ignore[return-value]


def _quad(statement: Fact | ox.Triple, graph: ox.NamedNode) -> ox.Quad:
    return ox.Quad(statement[0], statement[1], statement[2], graph)  # type: ignore[arg-type]


def _fact(quad: ox.Quad) -> Fact:
    return (quad.subject, quad.predicate, quad.object)  # type: ignore[return-value]
