"""The VoID statistics count each published triple once, however many published graphs hold
it, and leave the service's own graphs out."""

from __future__ import annotations

import pyoxigraph as ox

from service.publishing.version import DataVersion
from service.publishing.void import compute_statistics
from service.store.oxigraph import OxigraphStore

BASE = "https://w3id.org/osaamiskartta/"
OK = "https://w3id.org/osaamiskartta/ontology#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
MEMBER = ox.NamedNode("http://www.w3.org/ns/org#hasMember")
NETWORK = ox.NamedNode(OK + "Network")
JORY = ox.NamedNode(BASE + "id/network/jory")
KUOPIO = ox.NamedNode(BASE + "id/organisation/kuopio")
OUTSIDE = ox.NamedNode("https://example.org/elsewhere")


def graph(name: str) -> ox.NamedNode:
    return ox.NamedNode(BASE + name)


def statistics(quads: list[ox.Quad]):  # type: ignore[no-untyped-def]
    engine = ox.Store()
    engine.extend(quads)
    return compute_statistics(OxigraphStore(engine=engine), BASE, DataVersion().current)


def test_a_triple_in_several_published_graphs_counts_once() -> None:
    typed = (JORY, RDF_TYPE, NETWORK)
    label = (JORY, LABEL, ox.Literal("JORY", language="fi"))
    member = (JORY, MEMBER, KUOPIO)
    outside = (OUTSIDE, LABEL, ox.Literal("muualla", language="fi"))
    quads = [
        # The typing and the label in three published graphs, whose IRIs sort either way.
        *(
            ox.Quad(*t, graph(g))
            for t in (typed, label)
            for g in ("graph/data/b", "graph/data/a", "graph/tools/c")
        ),
        # The member only in the largest graph; the outside label only in the two smaller ones.
        ox.Quad(*member, graph("graph/data/b")),
        ox.Quad(*outside, graph("graph/tools/c")),
        ox.Quad(*outside, graph("graph/data/a")),
        *(ox.Quad(KUOPIO, LABEL, ox.Literal(f"nimi {n}"), graph("graph/data/b")) for n in range(3)),
        # The service's own graphs: never counted, even for triples also published.
        ox.Quad(*member, graph("graph/system/load-state")),
        ox.Quad(KUOPIO, RDF_TYPE, NETWORK, graph("graph/system/load-state")),
        ox.Quad(KUOPIO, LABEL, ox.Literal("Kuopio"), graph("graph/system/a")),
        # The default graph is not published either.
        ox.Quad(KUOPIO, LABEL, ox.Literal("Kuopio", language="fi")),
    ]
    stats = statistics(quads)
    assert stats.triples == 7
    assert stats.property_triples == ((LABEL.value, 5), (RDF_TYPE.value, 1), (MEMBER.value, 1))
    assert stats.properties == 3
    assert stats.distinct_subjects == 3  # JORY, Kuopio and the outside IRI
    assert stats.entities == 2  # the outside IRI is not in the entity IRI space
    assert stats.distinct_objects == 7  # the class, five labels, Kuopio
    assert stats.classes == ((NETWORK.value, 1),)
    assert stats.examples == (JORY.value,)


def test_nothing_published_gives_zeros() -> None:
    stats = statistics([ox.Quad(JORY, RDF_TYPE, NETWORK, graph("graph/system/load-state"))])
    assert (stats.triples, stats.entities, stats.distinct_subjects) == (0, 0, 0)
    assert (stats.distinct_objects, stats.properties) == (0, 0)
    assert stats.classes == () and stats.property_triples == () and stats.examples == ()
