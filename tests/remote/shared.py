"""What the service on any remote engine must do, asked the same way of each engine's tests:
requests to the service, counts asked of the engine past it, and the checks that do not depend
on the engine."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Protocol

import httpx
from rdflib import Dataset, Graph, Literal, URIRef

from tests.conftest import Service
from tests.model import SHAPE_FIXTURES

BASE = "https://w3id.org/osaamiskartta/"
ID = BASE + "id/"
JORY = ID + "network/jory"
ELO_GRAPH = BASE + "graph/data/elo-pohjois-savo"
FIXTURE_GRAPH = "https://example.org/fixture-graph/"
OK_PREFIX = "PREFIX ok: <https://w3id.org/osaamiskartta/ontology#>\n"
SKOS = "http://www.w3.org/2004/02/skos/core#"
JSON = {"Accept": "application/sparql-results+json"}
http = httpx.Client(timeout=60.0)


class Engine(Protocol):
    """A running SPARQL engine the tests can ask directly."""

    @property
    def query_url(self) -> str: ...


def select(service: Service, query: str) -> list[dict[str, dict[str, str]]]:
    r = http.post(f"{service.url}/sparql", data={"query": query}, headers=JSON)
    assert r.status_code == 200, r.text
    return list(r.json()["results"]["bindings"])


def update(service: Service, text: str) -> httpx.Response:
    return service.update(text)


def dump(service: Service) -> bytes:
    """Every quad the service holds, as N-Quads with the engine's blank-node labels."""
    r = http.get(f"{service.url}/data", headers={"Accept": "application/n-quads"})
    assert r.status_code == 200
    return r.content


def dump_digest(service: Service) -> str:
    return hashlib.sha256(dump(service)).hexdigest()


def engine_count(engine: Engine, pattern: str, prologue: str = "") -> int:
    """A count asked of the engine itself, past the service."""
    r = http.get(
        engine.query_url,
        params={"query": f"{prologue}SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"},
        headers=JSON,
    )
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def insert_data(path: Path, graph: str) -> str:
    data = Graph().parse(path, format="turtle").serialize(format="nt")
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n{data}\n}} }}"


def check_jory_label(service: Service) -> None:
    """A protocol query without a dataset sees the graph JORY is described in."""
    rows = select(
        service,
        f"PREFIX skos: <{SKOS}>\n"
        f'SELECT ?label WHERE {{ <{JORY}> skos:prefLabel ?label FILTER(lang(?label) = "fi") }}',
    )
    assert [r["label"] for r in rows] == [
        {"type": "literal", "value": "JORY (johtoryhmä)", "xml:lang": "fi"}
    ]


def check_formats_and_graph_store(service: Service) -> None:
    """Results in XML, CSV and TSV; a graph as Turtle over the Graph Store; a missing one 404."""
    query = f"SELECT ?p ?o WHERE {{ <{JORY}> ?p ?o }}"
    for media_type in ("application/sparql-results+xml", "text/csv", "text/tab-separated-values"):
        r = http.get(
            f"{service.url}/sparql", params={"query": query}, headers={"Accept": media_type}
        )
        assert r.status_code == 200 and r.headers["content-type"].startswith(media_type)
        assert "johtoryhm" in r.text
    r = http.get(
        f"{service.url}/data", params={"graph": ELO_GRAPH}, headers={"Accept": "text/turtle"}
    )
    assert r.status_code == 200, r.text
    graph = Graph().parse(data=r.text, format="turtle")
    assert (URIRef(JORY), None, None) in graph
    missing = http.get(f"{service.url}/data", params={"graph": "https://example.org/none"})
    assert missing.status_code == 404


def check_refused_update_changes_nothing(service: Service, engine: Engine) -> None:
    before = dump_digest(service)
    counts = engine_count(engine, "GRAPH ?g { ?s ?p ?o }")
    r = update(service, insert_data(SHAPE_FIXTURES / "label-only-english.ttl", FIXTURE_GRAPH + "x"))
    assert r.status_code == 422, r.text
    assert r.json()["report"]["conforms"] is False
    assert engine_count(engine, "GRAPH ?g { ?s ?p ?o }") == counts
    assert dump_digest(service) == before


def check_refused_delete_puts_back_the_very_blank_nodes(service: Service, engine: Engine) -> None:
    """A refused delete of some triples of blank nodes: the same nodes get them back."""
    measure = ID + "measure/ohjaushenkiloston-osaaminen-tyoelamajaksojen-kautta"
    blank_pattern = "GRAPH ?g { ?count ok:countQualifier ?q FILTER(isBlank(?count)) }"
    blank = engine_count(engine, blank_pattern, OK_PREFIX)
    assert blank > 0
    before = dump_digest(service)
    r = update(
        service,
        f"{OK_PREFIX}DELETE WHERE {{ GRAPH ?g {{ ?count ok:countQualifier ?q }} }} ;\n"
        f"DELETE WHERE {{ GRAPH ?g {{ <{measure}> ok:responsibleActor ?actor }} }}",
    )
    assert r.status_code == 422, r.text
    # The dump names blank nodes by the engine's own labels: equal only if the very same nodes
    # got their triples back.
    assert dump_digest(service) == before
    assert engine_count(engine, blank_pattern, OK_PREFIX) == blank


def check_accepted_write_reaches_the_engine(service: Service, engine: Engine) -> None:
    """A graph PUT is stored in the engine, queried through the service, and deleted."""
    graph = FIXTURE_GRAPH + "valid"
    r = http.put(
        f"{service.url}/data",
        params={"graph": graph},
        content=(SHAPE_FIXTURES / "valid.ttl").read_bytes(),
        headers={"Content-Type": "text/turtle", **service.auth},
    )
    assert r.status_code == 201, r.text
    stored = engine_count(engine, f"GRAPH <{graph}> {{ ?s ?p ?o }}")
    assert stored == len(Graph().parse(SHAPE_FIXTURES / "valid.ttl"))
    rows = select(service, f"SELECT ?s WHERE {{ ?s a <{BASE}ontology#SourceDocument> }}")
    assert {"type": "uri", "value": "https://example.org/fixture/lahde"} in [r["s"] for r in rows]
    r = http.delete(f"{service.url}/data", params={"graph": graph}, headers=service.auth)
    assert r.status_code == 204, r.text
    assert engine_count(engine, f"GRAPH <{graph}> {{ ?s ?p ?o }}") == 0


def check_named_query(service: Service) -> None:
    r = http.get(
        f"{service.url}/api/queries/network-members", params={"network": JORY, "limit": "1000"}
    )
    assert r.status_code == 200, r.text
    by_role: dict[str, set[str]] = {}
    for record in r.json()["records"]:
        by_role.setdefault(record["roleLabel"], set()).add(record["memberLabel"])
    assert len(by_role["jäsen"]) == 9
    assert by_role["liitännäisjäsen"] == {"Itä-Suomen aluehallintovirasto", "Kuopion kaupunki"}


def check_resource_page(service: Service) -> None:
    r = http.get(f"{service.url}/doc/network/jory", headers={"Accept": "text/html"})
    assert r.status_code == 200, r.text
    assert "JORY (johtoryhmä)" in r.text
    assert '<a href="/doc/region/pohjois-savo">Pohjois-Savo</a>' in r.text


def dumped_graphs(service: Service) -> set[str]:
    """The names of the graphs in the TriG dump, after checking it holds the documents."""
    r = http.get(f"{service.url}/dumps/osaamiskartta.trig")
    assert r.status_code == 200, r.text
    dataset = Dataset().parse(data=r.content, format="trig")
    names = {str(g.identifier) for g in dataset.graphs()}
    assert ELO_GRAPH in names
    assert BASE + "graph/system/load-state" not in names
    label = (URIRef(JORY), URIRef(SKOS + "prefLabel"), Literal("JORY (johtoryhmä)", lang="fi"))
    assert any(label in graph for graph in dataset.graphs())
    return names


def check_void_counts_the_dumped_triples(service: Service) -> None:
    """VoID's triple count is the number of distinct published triples, as in the N-Triples
    dump, which writes a triple held by several graphs once; its property partitions add up
    to it. A graph with a label the documents hold already and one new label is written
    first, so that the counts of before the write cannot pass for the new ones."""
    graph = FIXTURE_GRAPH + "void-repeat"
    labels = (
        f'<{JORY}> <{SKOS}prefLabel> "JORY (johtoryhmä)"@fi ;\n'
        f'  <{SKOS}altLabel> "VoID-tarkistus"@fi .\n'
    )
    r = http.put(
        f"{service.url}/data",
        params={"graph": graph},
        content=labels.encode(),
        headers={"Content-Type": "text/turtle", **service.auth},
    )
    assert r.status_code in (201, 204), r.text
    try:
        distinct = select(
            service,
            "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g "
            f'{{ ?s ?p ?o }} FILTER(!STRSTARTS(STR(?g), "{BASE}graph/system/")) }} }}',
        )
        _void_and_dumps_reach(service, int(distinct[0]["n"]["value"]))
    finally:
        r = http.delete(f"{service.url}/data", params={"graph": graph}, headers=service.auth)
        assert r.status_code == 204, r.text


def _void_and_dumps_reach(service: Service, triples: int) -> None:
    """Ask VoID and the dumps index until both count ``triples`` (they are recomputed in the
    background after a write, and serve the previous counts meanwhile)."""
    void_ns = "http://rdfs.org/ns/void#"
    dataset = URIRef(BASE + "dataset")
    seen: list[tuple[int, int, int]] = []
    # A deadline, not a number of tries: each request may wait for its value a while.
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        r = http.get(f"{service.url}/.well-known/void", headers={"Accept": "text/turtle"})
        index = http.get(f"{service.url}/dumps/", headers={"Accept": "application/json"})
        if r.status_code == 200 and index.status_code == 200:
            void = Graph().parse(data=r.text, format="turtle")
            partitions = [
                void.value(p, URIRef(void_ns + "triples")).toPython()
                for p in void.objects(dataset, URIRef(void_ns + "propertyPartition"))
            ]
            counted = void.value(dataset, URIRef(void_ns + "triples")).toPython()
            seen.append((counted, sum(partitions), index.json()["triples"]))
            if seen[-1] == (triples, triples, triples):
                return
        time.sleep(0.5)
    raise AssertionError(f"VoID and the dumps never counted {triples} triples: {seen[-3:]}")


def check_blank_nodes_searched_and_inferred(service: Service, word: str) -> None:
    """The engine names the blank nodes it stores itself: the service reads them back, so the
    search index and the inferred graph name the nodes the engine holds. ``word`` makes the
    labels this engine's own."""
    graph = FIXTURE_GRAPH + "blank-concepts"

    def write(method: str, narrower: str, broader: str) -> None:
        body = (
            f'_:a <{SKOS}prefLabel> "{narrower}"@fi ; <{SKOS}broader> _:b .\n'
            f'_:b <{SKOS}prefLabel> "{broader}"@fi .\n'
        )
        r = http.request(
            method,
            f"{service.url}/data",
            params={"graph": graph},
            content=body.encode(),
            headers={"Content-Type": "text/turtle", **service.auth},
        )
        assert r.status_code in (200, 201, 204), r.text

    def found(q: str) -> set[str]:
        r = http.get(f"{service.url}/api/search", params={"q": q})
        assert r.status_code == 200, r.text
        return {h["label"] for h in r.json()["hits"]}

    def narrower_of(label: str) -> set[str]:
        rows = select(
            service,
            f"""SELECT ?n WHERE {{ ?b <{SKOS}prefLabel> "{label}"@fi .
                GRAPH <{BASE}graph/system/inferred> {{ ?b <{SKOS}narrower> ?x }}
                ?x <{SKOS}prefLabel> ?n }}""",
        )
        return {row["n"]["value"] for row in rows}

    narrower, broader = f"{word}alakäsite", f"{word}yläkäsite"
    write("PUT", narrower.capitalize(), broader.capitalize())
    assert found(narrower) == {narrower.capitalize()}
    assert found(broader) == {broader.capitalize()}
    assert narrower_of(broader.capitalize()) == {narrower.capitalize()}
    write("POST", "Lisäalakäsite", "Lisäyläkäsite")
    assert found("lisäalakäsite") == {"Lisäalakäsite"}
    assert narrower_of("Lisäyläkäsite") == {"Lisäalakäsite"}
    write("PUT", "Korvaava alakäsite", "Korvaava yläkäsite")
    assert found(narrower) == found("lisäalakäsite") == set()
    assert narrower_of("Korvaava yläkäsite") == {"Korvaava alakäsite"}
    r = http.delete(f"{service.url}/data", params={"graph": graph}, headers=service.auth)
    assert r.status_code == 204, r.text
    assert found("korvaava") == set()
    inferred = f"<{BASE}graph/system/inferred>"
    dangling = select(
        service,
        f"""SELECT ?s WHERE {{ GRAPH {inferred} {{ ?s ?p ?o }} FILTER(isBlank(?s))
            FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?q ?r }} FILTER(?g != {inferred}) }} }}""",
    )
    assert dangling == []
