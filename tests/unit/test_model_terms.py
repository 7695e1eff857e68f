"""Every vocabulary term used in data/, shapes/ and queries/ is declared: catches typos in IRIs."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
import rdflib.namespace as rns
from rdflib import Graph, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from tests.model import (
    DATA_DIR,
    FIXTURES,
    OK,
    ONTOLOGY_DIR,
    QUERIES_DIR,
    load,
    ontology_graph,
    rdf_files,
    shapes_graph,
)

CLOSED: list[type[rns.DefinedNamespace]] = [
    rns.DCAT,
    rns.DCTERMS,
    rns.FOAF,
    rns.ORG,
    rns.OWL,
    rns.PROV,
    rns.QB,
    rns.RDF,
    rns.RDFS,
    rns.SH,
    rns.SKOS,
    rns.TIME,
    rns.VANN,
    rns.VOID,
    rns.XSD,
]
SCHEMA_HTTP = "http://schema.org/"
CURATED_NAMESPACES = (
    "http://www.w3.org/ns/dqv#",
    "http://www.w3.org/ns/adms#",
    "http://data.europa.eu/snb/model/elm/",
    "http://data.europa.eu/m8g/",
    "https://spec.edmcouncil.org/fibo/ontology/FND/GoalsAndObjectives/Objectives/",
    "http://www.w3.org/2006/vcard/ns#",
)
VOCABULARY_NAMESPACES = (
    str(OK),
    SCHEMA_HTTP,
    *CURATED_NAMESPACES,
    *(str(ns) for ns in CLOSED),
)
IRI = re.compile(r"<(https?://[^>\s]+)>")
HEADER_IRI = re.compile(r"(https?://[^\s,}\]>]+)")
SHAPE_TERM_PREDICATES = (
    rns.SH.path,
    rns.SH["class"],
    rns.SH.targetClass,
    rns.SH.targetSubjectsOf,
    rns.SH.targetObjectsOf,
    rns.SH.inversePath,
    rns.SH.datatype,
)
AXIOM_PREDICATES = (rns.RDFS.subClassOf, rns.RDFS.subPropertyOf, rns.RDFS.domain, rns.RDFS.range)


class Vocabulary:
    """The terms that may be used: the ontology's, closed namespaces and the curated list."""

    def __init__(self, ontology: Graph, curated: Graph) -> None:
        self.local = {
            s for s in ontology.subjects(rns.RDF.type, None) if str(s).startswith(str(OK))
        }
        self.curated = set(curated.subjects())

    def knows(self, term: URIRef) -> bool:
        """Whether a term is declared somewhere the project trusts."""
        iri = str(term)
        if iri.startswith(str(OK)):
            return term in self.local
        if iri.startswith(SCHEMA_HTTP):
            return URIRef(str(rns.SDO) + iri[len(SCHEMA_HTTP) :]) in rns.SDO
        if iri.startswith(CURATED_NAMESPACES):
            return term in self.curated
        return any(iri.startswith(str(ns)) and term in ns for ns in CLOSED)


def is_vocabulary_term(term: Node) -> bool:
    """An IRI in the namespace of a vocabulary (not an instance IRI)."""
    return isinstance(term, URIRef) and str(term).startswith(VOCABULARY_NAMESPACES)


def graph_terms(graph: Graph) -> Iterator[URIRef]:
    """Predicates and rdf:type objects of a graph: these must all be vocabulary terms."""
    for _, p, o in graph:
        yield p  # type: ignore[misc]
        if p == rns.RDF.type and isinstance(o, URIRef):
            yield o


def shape_terms(shapes: Graph) -> Iterator[Node]:
    """The terms that shapes constrain: paths, classes, targets, datatypes."""
    for predicate in SHAPE_TERM_PREDICATES:
        for term in shapes.objects(None, predicate):
            if isinstance(term, URIRef):
                yield term
    for lst in shapes.objects(None, rns.SH.alternativePath):
        yield from shapes.items(lst)


def axiom_terms(ontology: Graph) -> Iterator[Node]:
    """The standard terms the ontology's local terms are anchored to."""
    for predicate in AXIOM_PREDICATES:
        yield from ontology.objects(None, predicate)


def _walk(node: object, seen: set[int]) -> Iterator[URIRef]:
    """Every IRI in a parsed SPARQL algebra tree."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, URIRef):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _walk(value, seen)
    elif isinstance(node, (list, tuple, set)):
        for value in node:
            yield from _walk(value, seen)


def query_terms(path: Path) -> set[URIRef]:
    """IRIs of a query: from the parsed algebra and from full IRIs in its header."""
    text = path.read_text(encoding="utf-8")
    query = prepareQuery(text)
    terms = set(_walk(query.algebra, set()))
    terms |= {URIRef(m) for m in IRI.findall(text)}
    header = "\n".join(line for line in text.splitlines() if line.startswith("#+"))
    terms |= {URIRef(m) for m in HEADER_IRI.findall(header)}
    return {t for t in terms if str(t) not in VOCABULARY_NAMESPACES}


def unknown(vocabulary: Vocabulary, terms: Iterable[Node], strict: bool) -> set[str]:
    """Terms that no declaration backs; strict means every IRI must be a vocabulary term."""
    bad = set()
    for term in terms:
        if not isinstance(term, URIRef):
            continue
        if is_vocabulary_term(term):
            if not vocabulary.knows(term):
                bad.add(str(term))
        elif strict:
            bad.add(str(term))
    return bad


@pytest.fixture(scope="session")
def vocabulary() -> Vocabulary:
    """Everything the project may use."""
    return Vocabulary(ontology_graph(), load([FIXTURES / "vocabulary_terms.ttl"]))


@pytest.mark.parametrize("path", rdf_files(DATA_DIR), ids=lambda p: p.name)
def test_data_uses_only_declared_terms(vocabulary: Vocabulary, path: Path) -> None:
    """Every predicate and class of a data file is declared."""
    assert unknown(vocabulary, graph_terms(load([path])), strict=True) == set()


@pytest.mark.parametrize("path", rdf_files(ONTOLOGY_DIR), ids=lambda p: p.name)
def test_ontology_uses_only_declared_terms(vocabulary: Vocabulary, path: Path) -> None:
    """The ontology's predicates, classes and anchors to standard terms are declared."""
    graph = load([path])
    terms = [*graph_terms(graph), *axiom_terms(graph)]
    assert unknown(vocabulary, terms, strict=False) == set()


def test_shapes_use_only_declared_terms(vocabulary: Vocabulary) -> None:
    """Every path, class, target and datatype in the shapes is declared."""
    shapes = shapes_graph()
    terms = [*graph_terms(shapes), *shape_terms(shapes)]
    assert unknown(vocabulary, terms, strict=False) == set()


@pytest.mark.parametrize("path", sorted(QUERIES_DIR.glob("*.rq")), ids=lambda p: p.name)
def test_queries_use_only_declared_terms(vocabulary: Vocabulary, path: Path) -> None:
    """Every vocabulary IRI in a named query (body and header) is declared."""
    assert unknown(vocabulary, query_terms(path), strict=False) == set()


def test_a_typo_in_a_data_term_is_caught(vocabulary: Vocabulary) -> None:
    """A misspelt property, class and schema.org term are all reported."""
    graph = Graph().parse(
        data="""
        @prefix ok: <https://w3id.org/osaamiskartta/ontology#> .
        @prefix org: <http://www.w3.org/ns/org#> .
        @prefix schema: <http://schema.org/> .
        <https://example.org/x> a ok:Mesure ; org:hasMembr <https://example.org/y> ;
            schema:provder <https://example.org/z> ; ok:underGoal <https://example.org/g> .
        """,
        format="turtle",
    )
    assert unknown(vocabulary, graph_terms(graph), strict=True) == {
        str(OK.Mesure),
        "http://www.w3.org/ns/org#hasMembr",
        "http://schema.org/provder",
    }


def test_a_typo_in_a_query_is_caught(vocabulary: Vocabulary, tmp_path: Path) -> None:
    """A misspelt term in a query body is reported."""
    query = tmp_path / "typo.rq"
    query.write_text(
        "PREFIX ok: <https://w3id.org/osaamiskartta/ontology#>\n"
        "SELECT ?m WHERE { ?m a ok:Measure ; ok:responsibleActr ?a }\n",
        encoding="utf-8",
    )
    assert unknown(vocabulary, query_terms(query), strict=False) == {str(OK.responsibleActr)}


def test_an_undeclared_namespace_in_data_is_caught(vocabulary: Vocabulary) -> None:
    """A predicate from a vocabulary nobody declared is reported."""
    graph = Graph()
    graph.add((URIRef("https://example.org/x"), URIRef("http://schema.org.example/name"), OK.x))
    assert unknown(vocabulary, graph_terms(graph), strict=True) != set()
