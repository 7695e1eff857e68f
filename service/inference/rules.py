"""The entailment rules: RDFS and the OWL 2 RL rules for the axioms the ontology uses.

Implemented (names from the OWL 2 RL rule tables): cax-sco, cax-eqc1/2, scm-sco, scm-spo,
scm-eqc1, scm-eqp1, prp-spo1, prp-eqp1/2, prp-inv1/2, prp-symp, prp-trp, prp-dom, prp-rng
(which are also RDFS rules 2, 3, 5, 7, 9, 11). Forward chaining over an in-memory set, run on a
whole store or on the neighbourhood of a write.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from service.inference.vocabulary import (
    DOMAIN,
    EQUIVALENT_CLASS,
    EQUIVALENT_PROPERTY,
    INVERSE_OF,
    RANGE,
    SUB_CLASS_OF,
    SUB_PROPERTY_OF,
    SYMMETRIC,
    TRANSITIVE,
    TYPE,
)

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Fact = tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, Term]
Resource = ox.NamedNode | ox.BlankNode


def _closure(direct: dict[Term, set[Term]], start: Term) -> frozenset[Term]:
    seen: set[Term] = set()
    todo = list(direct.get(start, ()))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(direct.get(node, ()))
    seen.discard(start)
    return frozenset(seen)


@dataclass
class Axioms:
    """The schema part of the data, indexed for the rules."""

    super_classes: dict[Term, set[Term]] = field(default_factory=lambda: defaultdict(set))
    super_properties: dict[Term, set[Term]] = field(default_factory=lambda: defaultdict(set))
    inverses: dict[Term, set[Term]] = field(default_factory=lambda: defaultdict(set))
    domains: dict[Term, set[Term]] = field(default_factory=lambda: defaultdict(set))
    ranges: dict[Term, set[Term]] = field(default_factory=lambda: defaultdict(set))
    transitive: set[Term] = field(default_factory=set)
    symmetric: set[Term] = field(default_factory=set)
    _classes: dict[Term, frozenset[Term]] = field(default_factory=dict)
    _properties: dict[Term, frozenset[Term]] = field(default_factory=dict)

    @classmethod
    def from_triples(cls, triples: Iterable[ox.Triple | ox.Quad]) -> Axioms:
        """Read the axioms among ``triples`` (everything else is ignored)."""
        axioms = cls()
        for t in triples:
            s, p, o = t.subject, t.predicate, t.object
            if p == SUB_CLASS_OF:
                axioms.super_classes[s].add(o)
            elif p == EQUIVALENT_CLASS:
                axioms.super_classes[s].add(o)
                axioms.super_classes[o].add(s)
            elif p == SUB_PROPERTY_OF:
                axioms.super_properties[s].add(o)
            elif p == EQUIVALENT_PROPERTY:
                axioms.super_properties[s].add(o)
                axioms.super_properties[o].add(s)
            elif p == INVERSE_OF:
                axioms.inverses[s].add(o)
                axioms.inverses[o].add(s)
            elif p == DOMAIN:
                axioms.domains[s].add(o)
            elif p == RANGE:
                axioms.ranges[s].add(o)
            elif p == TYPE and o == TRANSITIVE:
                axioms.transitive.add(s)
            elif p == TYPE and o == SYMMETRIC:
                axioms.symmetric.add(s)
        return axioms

    def classes_above(self, c: Term) -> frozenset[Term]:
        """Every class ``c`` is a subclass of, directly or not (scm-sco)."""
        if c not in self._classes:
            self._classes[c] = _closure(self.super_classes, c)
        return self._classes[c]

    def properties_above(self, p: Term) -> frozenset[Term]:
        """Every property ``p`` is a subproperty of, directly or not (scm-spo)."""
        if p not in self._properties:
            self._properties[p] = _closure(self.super_properties, p)
        return self._properties[p]

    def relevant_predicates(self) -> frozenset[Term]:
        """Predicates some rule applies to (besides rdf:type)."""
        return frozenset(
            {*self.super_properties, *self.inverses, *self.domains, *self.ranges}
            | self.transitive
            | self.symmetric
        )

    def chaining_predicates(self) -> frozenset[Term]:
        """Predicates whose triples can take part in a transitive chain: the transitive
        properties with every property below, equivalent to or inverse of them."""
        family: set[Term] = set(self.transitive)
        changed = True
        while changed:
            changed = False
            for p in list(self.relevant_predicates()):
                if p in family:
                    continue
                if self.properties_above(p) & family or self.inverses.get(p, set()) & family:
                    family.add(p)
                    changed = True
        return frozenset(family)

    def schema_entailments(self) -> set[ox.Triple]:
        """scm-sco and scm-spo: the transitive closure of the class and property hierarchies."""
        out: set[ox.Triple] = set()
        for c in list(self.super_classes):
            for d in self.classes_above(c):
                if isinstance(c, ox.NamedNode | ox.BlankNode):
                    out.add(ox.Triple(c, SUB_CLASS_OF, d))
        for p in list(self.super_properties):
            for q in self.properties_above(p):
                if isinstance(p, ox.NamedNode | ox.BlankNode):
                    out.add(ox.Triple(p, SUB_PROPERTY_OF, q))
        return out


def entail(axioms: Axioms, facts: Iterable[Fact]) -> set[Fact]:
    """Every fact that follows from ``facts`` by the rules (``facts`` included)."""
    known: set[Fact] = set()
    forward: dict[tuple[Term, Term], set[Term]] = defaultdict(set)
    backward: dict[tuple[Term, Term], set[Term]] = defaultdict(set)
    agenda: list[Fact] = []

    def add(fact: Fact) -> None:
        if fact not in known:
            known.add(fact)
            agenda.append(fact)
            s, p, o = fact
            if p in axioms.transitive:
                forward[(s, p)].add(o)
                backward[(o, p)].add(s)

    for fact in facts:
        add(fact)
    while agenda:
        s, p, o = agenda.pop()
        if p == TYPE:
            for c in axioms.classes_above(o):
                add((s, TYPE, c))
            continue
        resource = isinstance(o, ox.NamedNode | ox.BlankNode)
        for q in axioms.properties_above(p):
            # A super-property that is no IRI (`rdfs:subPropertyOf _:b`) can state nothing.
            if isinstance(q, ox.NamedNode):
                add((s, q, o))
        for c in axioms.domains.get(p, ()):
            add((s, TYPE, c))
        if p in axioms.transitive:
            # Before the resource check: `w p s` and `s p "x"` give `w p "x"`, whichever of
            # them comes first (a literal's own chain, the forward join below, has no next).
            for w in list(backward.get((s, p), ())):
                add((w, p, o))  # type: ignore[arg-type]
        if not resource:
            continue
        assert isinstance(o, ox.NamedNode | ox.BlankNode)
        for q in axioms.inverses.get(p, ()):
            if isinstance(q, ox.NamedNode):
                add((o, q, s))
        if p in axioms.symmetric:
            add((o, p, s))
        for c in axioms.ranges.get(p, ()):
            add((o, TYPE, c))
        if p in axioms.transitive:
            for z in list(forward.get((o, p), ())):
                add((s, p, z))
    return known
