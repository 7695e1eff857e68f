"""The competence search over a store: bound to what is asked, sorted by label, and cut at
MAX_SEARCH_ROWS with the answer saying so."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from service.errors import ParameterProblem
from service.store.oxigraph import OxigraphStore
from service.tools import competence

ID = "https://w3id.org/osaamiskartta/id/"
OK = "https://w3id.org/osaamiskartta/ontology#"
SCHEMA = "http://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
GRAPH = ox.NamedNode(f"{ID}graph/test")


def add(store: OxigraphStore, s: str, p: str, o: ox.NamedNode | ox.Literal) -> None:
    predicate = RDF_TYPE if p == "a" else ox.NamedNode(p)
    store._store.add(ox.Quad(ox.NamedNode(s), predicate, o, GRAPH))


@pytest.fixture
def store() -> OxigraphStore:
    store = OxigraphStore(None)
    welding, region = f"{ID}competence/hitsaus", f"{ID}region/pohjois-savo"
    add(store, welding, f"{SKOS}prefLabel", ox.Literal("Hitsaus", language="fi"))
    add(store, region, f"{SKOS}prefLabel", ox.Literal("Pohjois-Savo", language="fi"))
    for provider, name in (("ysao", "Ysao"), ("sakky", "Sakky")):
        add(store, f"{ID}organisation/{provider}", "a", ox.NamedNode(f"{ORG}Organization"))
        add(store, f"{ID}organisation/{provider}", f"{DCT}spatial", ox.NamedNode(region))
        add(
            store,
            f"{ID}organisation/{provider}",
            f"{SKOS}prefLabel",
            ox.Literal(name, language="fi"),
        )
    for n, provider in ((3, "ysao"), (1, "sakky"), (2, "sakky")):
        offer = f"{ID}offer/tila-{n}"
        add(store, offer, "a", ox.NamedNode(f"{OK}Facility"))
        add(store, offer, f"{SCHEMA}teaches", ox.NamedNode(welding))
        add(store, offer, f"{SCHEMA}provider", ox.NamedNode(f"{ID}organisation/{provider}"))
        add(store, offer, f"{SKOS}prefLabel", ox.Literal(f"Tila {n}", language="fi"))
    return store


def test_rows_are_sorted_by_region_provider_and_offer_label(store: OxigraphStore) -> None:
    for competence_iri, region in (
        (f"{ID}competence/hitsaus", ""),
        ("", f"{ID}region/pohjois-savo"),
        (f"{ID}competence/hitsaus", f"{ID}region/pohjois-savo"),
    ):
        found = competence.search(store, competence_iri, region, "fi")
        assert found.complete
        assert [(r["providerLabel"], r["offerLabel"]) for r in found.rows] == [
            ("Sakky", "Tila 1"),
            ("Sakky", "Tila 2"),
            ("Ysao", "Tila 3"),
        ]
    assert competence.search(store, "", f"{ID}region/kainuu", "fi").rows == []


def test_an_answer_over_the_cap_is_cut_and_says_so(
    store: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(competence, "MAX_SEARCH_ROWS", 2)
    found = competence.search(store, f"{ID}competence/hitsaus", "", "fi")
    assert not found.complete and len(found.rows) == 2


def test_a_search_for_everything_is_refused(store: OxigraphStore) -> None:
    with pytest.raises(ParameterProblem, match="choose a competence, a region or both"):
        competence.search(store, " ", "", "fi")
    with pytest.raises(ParameterProblem, match="'region'"):
        competence.search(store, "", "not an iri", "fi")
