"""The RDFS and OWL terms the reasoner reads, and where its conclusions go."""

from __future__ import annotations

import pyoxigraph as ox

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"

TYPE = ox.NamedNode(RDF + "type")
SUB_CLASS_OF = ox.NamedNode(RDFS + "subClassOf")
SUB_PROPERTY_OF = ox.NamedNode(RDFS + "subPropertyOf")
DOMAIN = ox.NamedNode(RDFS + "domain")
RANGE = ox.NamedNode(RDFS + "range")
EQUIVALENT_CLASS = ox.NamedNode(OWL + "equivalentClass")
EQUIVALENT_PROPERTY = ox.NamedNode(OWL + "equivalentProperty")
INVERSE_OF = ox.NamedNode(OWL + "inverseOf")
TRANSITIVE = ox.NamedNode(OWL + "TransitiveProperty")
SYMMETRIC = ox.NamedNode(OWL + "SymmetricProperty")

# Triples with these predicates are axioms: a write that changes one changes the rules.
AXIOM_PREDICATES = frozenset(
    {
        SUB_CLASS_OF,
        SUB_PROPERTY_OF,
        DOMAIN,
        RANGE,
        EQUIVALENT_CLASS,
        EQUIVALENT_PROPERTY,
        INVERSE_OF,
    }
)
PROPERTY_CHARACTERISTICS = frozenset({TRANSITIVE, SYMMETRIC})


def inferred_graph(base_iri: str) -> str:
    """IRI of the system graph that holds the materialised entailments."""
    return f"{base_iri}graph/system/inferred"


def is_axiom(triple: ox.Triple | ox.Quad) -> bool:
    """True for a triple that is part of the rules rather than of the data they apply to."""
    return triple.predicate in AXIOM_PREDICATES or (
        triple.predicate == TYPE and triple.object in PROPERTY_CHARACTERISTICS
    )
