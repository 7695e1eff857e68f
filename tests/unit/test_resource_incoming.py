"""Links to a resource: at most 200 shown by each property, and counted up to
INCOMING_COUNTED, so that a national hub's page does not grow with the data."""

from __future__ import annotations

import pyoxigraph as ox

from service.publishing import html, resource
from service.publishing.layout import PropertyLayout
from service.publishing.links import Links
from service.store.base import GraphChange
from service.store.oxigraph import OxigraphStore

BASE = "https://w3id.org/osaamiskartta/"
HUB = ox.NamedNode(f"{BASE}id/sector/07")
SECTOR = ox.NamedNode(f"{BASE}ontology#sector")
CITES = ox.NamedNode("https://example.org/cites")
ONLY_BLANK = ox.NamedNode("https://example.org/mentions")
LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
MANY = resource.INCOMING_COUNTED + 50


def _hub_store() -> OxigraphStore:
    triples = [ox.Triple(HUB, LABEL, ox.Literal("Tekniikan alat", language="fi"))]
    for i in range(MANY):
        product = ox.NamedNode(f"{BASE}id/product/p{i}")
        triples.append(ox.Triple(product, SECTOR, HUB))
        triples.append(ox.Triple(product, LABEL, ox.Literal(f"Tuote {i}", language="fi")))
    for i in range(3):
        triples.append(ox.Triple(ox.NamedNode(f"https://example.org/doc/{i}"), CITES, HUB))
    triples.append(ox.Triple(ox.BlankNode(), ONLY_BLANK, HUB))
    store = OxigraphStore()
    # Stated twice: the union of the graphs counts each linking resource once.
    store.apply([GraphChange("https://example.org/g1", tuple(triples))])
    store.apply([GraphChange("https://example.org/g2", tuple(triples[:101]))])
    return store


def test_a_hub_counts_its_links_up_to_the_limit_and_says_there_are_more() -> None:
    store = _hub_store()
    described = resource.describe(store, HUB.value)
    # Counted up to one more than the limit; a property only blank nodes use is left out.
    assert described.incoming == {SECTOR.value: resource.INCOMING_COUNTED + 1, CITES.value: 3}
    linking = {t.subject for t in described.triples if t.object == HUB}
    assert len([s for s in linking if s.value.startswith(f"{BASE}id/product/")]) == 200
    page = resource.build_page(
        described, HUB.value, "fi", PropertyLayout({}, {}), Links(BASE, None)
    )
    assert page.incoming_total == resource.INCOMING_COUNTED + 3
    assert not page.incoming_total_exact
    shown = sum(len(r.values) for r in page.incoming)
    assert shown == 203
    text = html.render(
        "resource.html",
        "fi",
        "?lang=en",
        links=Links(BASE, None),
        page=page,
        formats=[],
        incoming_shown=shown,
    )
    assert f"Näytetään 203 / yli {resource.INCOMING_COUNTED + 3}." in text


def test_a_resource_with_fewer_links_gets_the_exact_count() -> None:
    store = OxigraphStore()
    triples = tuple(
        ox.Triple(ox.NamedNode(f"https://example.org/doc/{i}"), CITES, HUB) for i in range(250)
    )
    store.apply([GraphChange("https://example.org/g", triples)])
    described = resource.describe(store, HUB.value)
    assert described.incoming == {CITES.value: 250}
    page = resource.build_page(
        described, HUB.value, "en", PropertyLayout({}, {}), Links(BASE, None)
    )
    assert page.incoming_total == 250 and page.incoming_total_exact
    text = html.render(
        "resource.html",
        "en",
        "?lang=fi",
        links=Links(BASE, None),
        page=page,
        formats=[],
        incoming_shown=200,
    )
    assert "Showing 200 of 250." in text
