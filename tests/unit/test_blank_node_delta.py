"""The delta of a committed write names the blank nodes the store holds, not the parsed file's
labels: the search index and the inferred graph are kept from it, so both must be able to find
those nodes in the store afterwards."""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox
import pytest

from service.inference.maintainer import InferenceMaintainer
from service.rdf import parse_triples
from service.search.index import SearchIndex
from service.search.maintainer import SearchMaintainer
from service.sparql.formats import TURTLE
from service.store.base import Change, GraphChange, GraphDrop
from service.store.oxigraph import OxigraphStore
from service.writes import GraphWrite, SparqlUpdate, WriteContext, Writer

BASE = "https://example.org/"
DATA = f"{BASE}graph/data/"
ONTOLOGY = f"{BASE}graph/ontology/axioms"
AXIOMS = b"""
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix ex: <https://example.org/> .
ex:University rdfs:subClassOf ex:Organization .
ex:hasMember owl:inverseOf ex:memberOf ; rdfs:domain ex:Network .
"""
# Labelled and anonymous blank nodes, linked to each other and to an IRI.
BLANK = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/> .
_:b0 a ex:University ; skos:prefLabel "{title}"@fi ; ex:hasMember _:b1 , ex:isy .
_:b1 rdfs:label "Sulkasolmuyhdistys"@fi .
[] a ex:University ; skos:prefLabel "Nimetön korkeakoulu"@fi ; ex:hasMember ex:isy .
"""


def blank(title: str = "Tyhjäsolmuopisto") -> tuple[ox.Triple, ...]:
    return parse_triples(BLANK.replace("{title}", title).encode(), TURTLE)


class Services:
    """A memory store with a writer and the two maintainers, as the service wires them."""

    def __init__(self, store: OxigraphStore | None = None) -> None:
        self.store = store or OxigraphStore()
        self.index = SearchIndex()
        self.search = SearchMaintainer(self.store, self.index, lambda g: "/system/" not in g)
        self.inference = InferenceMaintainer(self.store, BASE, lambda g: "/system/" not in g)
        self.writer = Writer(self.store, None, [self.inference, self.search])
        axioms = GraphChange(ONTOLOGY, parse_triples(AXIOMS, TURTLE))
        self.write([axioms], channel="startup")

    def write(self, changes: Sequence[Change], channel: str = "graph-store") -> GraphWrite:
        write = GraphWrite(tuple(changes))
        self.result = self.writer.apply(write, WriteContext(channel))
        return write

    def found(self, q: str) -> list[str]:
        terms = self.index.terms(q)
        assert terms is not None
        matches, _ = self.index.search(terms, None, 0, 20, 100)
        return [m.iri for m in matches]

    def index_is_fresh(self) -> bool:
        return self.index.meta("fingerprint") == str(self.search.fingerprint())

    def inferred_is_exact(self) -> bool:
        check = self.inference.recompute()
        return (check.added, check.removed) == (0, 0)


def quads(store: OxigraphStore, graph: str) -> frozenset[ox.Quad]:
    return frozenset(store.match(graph=graph))


def test_a_put_into_a_new_graph_reports_the_quads_the_store_holds() -> None:
    services = Services()
    services.write([GraphChange(DATA + "a", blank())])
    assert services.result.delta.added == quads(services.store, DATA + "a")
    assert services.result.delta.removed == frozenset()


def test_a_put_replacing_a_graph_reports_the_stored_blank_nodes_on_both_sides() -> None:
    services = Services()
    services.write([GraphChange(DATA + "a", blank("Ensimmäinen"))])
    before = quads(services.store, DATA + "a")
    services.write([GraphChange(DATA + "a", blank("Toinen"))])
    after = quads(services.store, DATA + "a")
    assert services.result.delta.added == after - before
    assert services.result.delta.removed == before - after
    # The file's labels are scoped to the file: the second write made new nodes.
    assert not {q.subject for q in after} & {q.subject for q in before}


def test_a_post_to_an_existing_graph_reports_the_new_nodes() -> None:
    services = Services()
    services.write([GraphChange(DATA + "a", blank("Ensimmäinen"))])
    before = quads(services.store, DATA + "a")
    services.write([GraphChange(DATA + "a", blank("Toinen"), replace=False)])
    assert services.result.delta.added == quads(services.store, DATA + "a") - before
    assert len(services.result.delta.added) == len(blank())


def test_two_changes_in_one_write_never_share_a_blank_node() -> None:
    services = Services()
    services.write([GraphChange(DATA + "a", blank()), GraphChange(DATA + "b", blank())])
    a, b = quads(services.store, DATA + "a"), quads(services.store, DATA + "b")
    assert services.result.delta.added == a | b
    assert not {q.subject for q in a} & {q.subject for q in b}


def test_a_put_replacing_the_default_graph_keeps_the_labels_too() -> None:
    services = Services()
    services.write([GraphChange(None, blank("Ensimmäinen"))])
    before = frozenset(services.store.match(graph=None))
    services.write([GraphChange(None, blank("Toinen"))])
    after = frozenset(services.store.match(graph=None))
    assert services.result.delta.added == after - before
    assert services.result.delta.removed == before - after
    assert services.inferred_is_exact() and services.index_is_fresh()


def test_a_crash_between_staging_and_the_update_leaves_nothing_once_reopened(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from service.store.oxigraph import STAGING

    store = OxigraphStore(tmp_path / "store")
    stage = ox.NamedNode(f"{STAGING}left-over")
    store._store.add(ox.Quad(ox.BlankNode(), ox.NamedNode(BASE + "p"), ox.Literal("x"), stage))
    assert store.named_graphs() == []  # never shown, even before it is dropped
    store.close()
    del store
    reopened = OxigraphStore(tmp_path / "store")
    assert reopened.match() == []


@pytest.mark.parametrize("replace_first", [False, True])
def test_search_finds_a_blank_nodes_label_and_its_fingerprint_matches(
    replace_first: bool,
) -> None:
    services = Services()
    if replace_first:  # a replaced graph takes the other way into the store
        services.write([GraphChange(DATA + "a", blank("Vanha nimi"))])
    services.write([GraphChange(DATA + "a", blank())])
    found = services.found("tyhjäsolmuopisto")
    assert len(found) == 1 and found[0].startswith("_:")
    assert services.store.match(ox.BlankNode(found[0][2:]), None, None)
    assert services.found("sulkasolmuyhdistys")
    assert services.found("vanha") == []
    assert services.index_is_fresh()
    assert not services.search.ensure_fresh()


def test_the_inferred_graph_over_blank_nodes_is_what_a_recomputation_gives() -> None:
    services = Services()
    services.write([GraphChange(DATA + "a", blank("Ensimmäinen"))])
    assert services.inference.last.mode == "local"
    assert services.inferred_is_exact()
    services.write([GraphChange(DATA + "a", blank("Toinen"))])
    assert services.inferred_is_exact()
    services.write([GraphChange(DATA + "a", blank("Kolmas"), replace=False)])
    assert services.inferred_is_exact()
    services.write([GraphDrop(DATA + "a")])
    assert services.inferred_is_exact()
    assert services.store.match(graph=f"{BASE}graph/system/inferred") == []


def test_an_update_over_blank_nodes_keeps_both_maintainers_exact() -> None:
    services = Services()
    services.writer.apply(
        SparqlUpdate(
            f"INSERT DATA {{ GRAPH <{DATA}u> {{ _:x a <{BASE}University> ; "
            f'<http://www.w3.org/2004/02/skos/core#prefLabel> "Päivitysopisto"@fi ; '
            f"<{BASE}hasMember> <{BASE}isy> }} }}"
        ),
        WriteContext("sparql-update"),
    )
    assert services.found("päivitysopisto")
    assert services.index_is_fresh()
    assert services.inferred_is_exact()
    services.writer.apply(
        SparqlUpdate(f"DELETE WHERE {{ GRAPH <{DATA}u> {{ ?s ?p ?o }} }}"),
        WriteContext("sparql-update"),
    )
    assert services.found("päivitysopisto") == []
    assert services.index_is_fresh()
    assert services.inferred_is_exact()
