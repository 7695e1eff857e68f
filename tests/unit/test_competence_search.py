"""The competence search over a store: bound to what is asked, a page of providers at a time
sorted by region and name, and cut at MAX_SEARCH_ROWS with the answer saying so."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from service.errors import ParameterProblem
from service.publishing.version import DataVersion, VersionedMemo
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


def add_provider(store: OxigraphStore, slug: str, name: str, region: str) -> None:
    provider = f"{ID}organisation/{slug}"
    add(store, provider, "a", ox.NamedNode(f"{ORG}Organization"))
    add(store, provider, f"{DCT}spatial", ox.NamedNode(region))
    add(store, provider, f"{SKOS}prefLabel", ox.Literal(name, language="fi"))


def add_offer(store: OxigraphStore, slug: str, provider: str, label: str) -> None:
    offer = f"{ID}offer/{slug}"
    add(store, offer, "a", ox.NamedNode(f"{OK}Facility"))
    add(store, offer, f"{SCHEMA}teaches", ox.NamedNode(f"{ID}competence/hitsaus"))
    add(store, offer, f"{SCHEMA}provider", ox.NamedNode(f"{ID}organisation/{provider}"))
    add(store, offer, f"{SKOS}prefLabel", ox.Literal(label, language="fi"))


@pytest.fixture
def store() -> OxigraphStore:
    store = OxigraphStore(None)
    welding, region = f"{ID}competence/hitsaus", f"{ID}region/pohjois-savo"
    add(store, welding, f"{SKOS}prefLabel", ox.Literal("Hitsaus", language="fi"))
    add(store, region, f"{SKOS}prefLabel", ox.Literal("Pohjois-Savo", language="fi"))
    for provider, name in (("ysao", "Ysao"), ("sakky", "Sakky")):
        add_provider(store, provider, name, region)
    for n, provider in ((3, "ysao"), (1, "sakky"), (2, "sakky")):
        add_offer(store, f"tila-{n}", provider, f"Tila {n}")
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


def _more_providers(store: OxigraphStore) -> None:
    """Two more providers of welding: one in Kainuu, one in Pohjois-Savo; and a goal that
    names Pohjois-Savo but provides nothing."""
    kainuu, savo = f"{ID}region/kainuu", f"{ID}region/pohjois-savo"
    add(store, kainuu, f"{SKOS}prefLabel", ox.Literal("Kainuu", language="fi"))
    for provider, name, region in (("kao", "Kainuun ammattiopisto", kainuu), ("ab", "Aa", savo)):
        add_provider(store, provider, name, region)
        add_offer(store, f"{provider}-paja", provider, f"{name}: paja")
    add(store, f"{ID}goal/tavoite", f"{DCT}spatial", ox.NamedNode(savo))


def test_pages_are_cut_between_providers_sorted_by_region_and_name(
    store: OxigraphStore,
) -> None:
    _more_providers(store)
    welding, savo = f"{ID}competence/hitsaus", f"{ID}region/pohjois-savo"
    first = competence.search(store, welding, "", "fi", 0, 2)
    assert (first.providers, first.next_offset, first.previous_offset) == (4, 2, None)
    # Kainuu before Pohjois-Savo; within a region, by name.
    assert [r["providerLabel"] for r in first.rows] == ["Kainuun ammattiopisto", "Aa"]
    second = competence.search(store, welding, "", "fi", 2, 2)
    assert (second.next_offset, second.previous_offset, list(second.shown)) == (None, 0, [2, 3])
    assert [(r["providerLabel"], r["offerLabel"]) for r in second.rows] == [
        ("Sakky", "Tila 1"),
        ("Sakky", "Tila 2"),
        ("Ysao", "Tila 3"),
    ]
    beyond = competence.search(store, welding, "", "fi", 4, 2)
    assert (beyond.rows, beyond.providers, beyond.next_offset) == ([], 4, None)
    # The region's providers: the goal that names it provides nothing and is not one.
    in_savo = competence.search(store, "", savo, "fi", 0, 10)
    assert in_savo.providers == 3
    assert [r["providerLabel"] for r in in_savo.rows] == ["Aa", "Sakky", "Sakky", "Ysao"]
    both = competence.search(store, welding, savo, "fi", 0, 10)
    assert both.providers == 3 and both.rows == in_savo.rows


def test_the_sorted_providers_are_kept_until_the_next_write(store: OxigraphStore) -> None:
    version = DataVersion()
    known: VersionedMemo[tuple[str, str, str], list[str]] = VersionedMemo(version)
    welding = f"{ID}competence/hitsaus"
    assert competence.search(store, welding, "", "fi", known=known).providers == 2
    _more_providers(store)  # not a write the version hears of: the kept list answers
    assert competence.search(store, welding, "", "fi", known=known).providers == 2
    version.bump()
    assert competence.search(store, welding, "", "fi", known=known).providers == 4
