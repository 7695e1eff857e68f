"""The SPARQL 1.1 Service Description of the endpoint (sd: vocabulary)."""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from service.sparql import formats as f
from service.sparql.formats import Format
from service.store.oxigraph_result import rdf_format

SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DCT_TITLE = ox.NamedNode("http://purl.org/dc/terms/title")

_FORMAT_IRIS = {
    f.SPARQL_JSON.name: "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    f.SPARQL_XML.name: "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    f.SPARQL_CSV.name: "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    f.SPARQL_TSV.name: "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    f.TURTLE.name: "http://www.w3.org/ns/formats/Turtle",
    f.N_TRIPLES.name: "http://www.w3.org/ns/formats/N-Triples",
    f.RDF_XML.name: "http://www.w3.org/ns/formats/RDF_XML",
    f.JSON_LD.name: "http://www.w3.org/ns/formats/JSON-LD",
    f.N_QUADS.name: "http://www.w3.org/ns/formats/N-Quads",
    f.TRIG.name: "http://www.w3.org/ns/formats/TriG",
}

DESCRIPTION_FORMATS = (f.TURTLE, f.JSON_LD, f.RDF_XML, f.N_TRIPLES)


def _sd(local: str) -> ox.NamedNode:
    return ox.NamedNode(SD + local)


def description_triples(endpoint: str, named_graphs: Sequence[str]) -> list[ox.Triple]:
    """The description of the service at ``endpoint`` whose store holds ``named_graphs``."""
    service = ox.NamedNode(endpoint)
    dataset = ox.BlankNode("dataset")
    default_graph = ox.BlankNode("defaultGraph")
    triples = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), service),
        ox.Triple(service, DCT_TITLE, ox.Literal("Osaamiskartta SPARQL endpoint", language="en")),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Update")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, _sd("Graph")),
    ]
    triples += [
        ox.Triple(service, _sd("resultFormat"), ox.NamedNode(iri)) for iri in _FORMAT_IRIS.values()
    ]
    for i, graph in enumerate(named_graphs):
        node = ox.BlankNode(f"namedGraph{i}")
        triples += [
            ox.Triple(dataset, _sd("namedGraph"), node),
            ox.Triple(node, RDF_TYPE, _sd("NamedGraph")),
            ox.Triple(node, _sd("name"), ox.NamedNode(graph)),
        ]
    return triples


def render_description(endpoint: str, named_graphs: Sequence[str], fmt: Format) -> bytes:
    """The service description serialised in an RDF format."""
    return ox.serialize(description_triples(endpoint, named_graphs), format=rdf_format(fmt)) or b""
