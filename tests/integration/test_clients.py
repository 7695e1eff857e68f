"""Real SPARQL clients against the live service: SPARQLWrapper and rdflib's SPARQL stores."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from tests.conftest import Service

EX = "http://example.org/"
SKOS_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
SELECT = f"SELECT ?label WHERE {{ <{EX}verkosto> <{SKOS_LABEL}> ?label }} ORDER BY ?label"
ASK = f"ASK {{ <{EX}oppilaitos> <{EX}memberOf> <{EX}verkosto> }}"
CONSTRUCT = f"CONSTRUCT {{ ?s <{EX}memberOf> ?o }} WHERE {{ ?s <{EX}memberOf> ?o }}"
DESCRIBE = f"DESCRIBE <{EX}oppilaitos>"


def wrapper(service: Service, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    sparql = SPARQLWrapper(f"{service.url}/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    return sparql


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_reads_select_as_json(service: Service, method: str) -> None:
    result = wrapper(service, SELECT, JSON, method).queryAndConvert()
    labels = [b["label"]["value"] for b in result["results"]["bindings"]]  # type: ignore[index]
    assert labels == ["Guidance network", "Ohjausverkosto"]


def test_sparqlwrapper_reads_select_as_xml(service: Service) -> None:
    document = wrapper(service, SELECT, XML).queryAndConvert()
    literals = document.getElementsByTagName("literal")  # type: ignore[union-attr]
    assert sorted(node.firstChild.data for node in literals) == [
        "Guidance network",
        "Ohjausverkosto",
    ]


def test_sparqlwrapper_reads_select_as_csv(service: Service) -> None:
    text = wrapper(service, SELECT, CSV).queryAndConvert().decode()  # type: ignore[union-attr]
    assert text.splitlines() == ["label", "Guidance network", "Ohjausverkosto"]


def test_sparqlwrapper_reads_select_as_tsv(service: Service) -> None:
    text = wrapper(service, SELECT, TSV).queryAndConvert().decode()  # type: ignore[union-attr]
    assert text.splitlines() == ["?label", '"Guidance network"@en', '"Ohjausverkosto"@fi']


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_reads_ask_in_every_result_format(service: Service, fmt: str) -> None:
    result = wrapper(service, ASK, fmt).queryAndConvert()
    if fmt == JSON:
        assert result["boolean"] is True  # type: ignore[index]
    elif fmt == XML:
        assert result.getElementsByTagName("boolean")[0].firstChild.data == "true"  # type: ignore[union-attr]
    else:
        assert b"true" in result  # type: ignore[operator]


@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, XML, JSONLD])
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
def test_sparqlwrapper_reads_graphs_in_every_rdf_format(
    service: Service, fmt: str, query: str
) -> None:
    result = wrapper(service, query, fmt).queryAndConvert()
    graph = (
        result
        if isinstance(result, Graph)
        else Graph().parse(data=result, format="json-ld" if fmt == JSONLD else "turtle")
    )
    assert (URIRef(f"{EX}oppilaitos"), URIRef(f"{EX}memberOf"), URIRef(f"{EX}verkosto")) in graph


@pytest.mark.parametrize(
    ("accept", "parse_as"),
    [
        ("application/n-triples", "nt"),
        ("application/n-quads", "nquads"),
        ("application/trig", "trig"),
    ],
)
def test_construct_is_served_in_line_based_and_dataset_formats(
    service: Service, accept: str, parse_as: str
) -> None:
    sparql = wrapper(service, CONSTRUCT, TURTLE)
    sparql.addCustomHttpHeader("Accept", accept)
    raw = sparql.query().response.read()
    graph = Graph().parse(data=raw, format=parse_as)
    assert len(graph) == 1


def test_rdflib_sparqlstore_queries_the_endpoint(service: Service) -> None:
    store = SPARQLStore(f"{service.url}/sparql")
    graph = Graph(store)
    rows = list(graph.query(SELECT))
    assert sorted(str(r[0]) for r in rows) == ["Guidance network", "Ohjausverkosto"]
    assert graph.query(ASK).askAnswer is True


def test_rdflib_sparqlupdatestore_writes_through_update(service: Service) -> None:
    store = SPARQLUpdateStore(
        f"{service.url}/sparql", f"{service.url}/update", headers=service.auth
    )
    named = URIRef(f"{EX}graph/rdflib")
    graph = Graph(store, identifier=named)
    triple = (URIRef(f"{EX}uusi"), URIRef(f"{EX}nimi"), Literal("Uusi toimija", lang="fi"))
    graph.add(triple)
    reader = Graph(SPARQLStore(f"{service.url}/sparql"), identifier=named)
    assert triple in reader
    graph.remove(triple)
    assert triple not in reader
