"""The service on a real Virtuoso: protocols, the quality gate, named queries, pages, dumps."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef

from service.settings import Settings
from service.store.remote import open_remote
from tests.conftest import Service
from tests.model import SHAPE_FIXTURES
from tests.remote.conftest import remote_environment
from tests.remote.virtuoso import Virtuoso

BASE = "https://w3id.org/osaamiskartta/"
ID = BASE + "id/"
JORY = ID + "network/jory"
FIXTURE_GRAPH = "https://example.org/fixture-graph/"
JSON = {"Accept": "application/sparql-results+json"}
http = httpx.Client(timeout=60.0)


def select(service: Service, query: str) -> list[dict[str, dict[str, str]]]:
    r = http.post(f"{service.url}/sparql", data={"query": query}, headers=JSON)
    assert r.status_code == 200, r.text
    return list(r.json()["results"]["bindings"])


def update(service: Service, text: str) -> httpx.Response:
    return http.post(
        f"{service.url}/update",
        content=text,
        headers={"Content-Type": "application/sparql-update", **service.auth},
    )


def dump_digest(service: Service) -> str:
    r = http.get(f"{service.url}/data", headers={"Accept": "application/n-quads"})
    assert r.status_code == 200
    return hashlib.sha256(r.content).hexdigest()


def engine_count(virtuoso: Virtuoso, pattern: str, prologue: str = "") -> int:
    """A count asked of Virtuoso itself, past the service."""
    r = http.get(
        virtuoso.query_url,
        params={"query": f"{prologue}SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"},
        headers=JSON,
    )
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def insert_data(path: Path, graph: str) -> str:
    data = Graph().parse(path, format="turtle").serialize(format="nt")
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n{data}\n}} }}"


def test_the_documents_are_loaded_into_virtuoso(on_virtuoso: Service, virtuoso: Virtuoso) -> None:
    graph = BASE + "graph/data/elo-pohjois-savo"
    assert engine_count(virtuoso, f"GRAPH <{graph}> {{ ?s ?p ?o }}") > 100


def test_a_protocol_query_sees_the_union_of_the_graphs_and_not_virtuosos_own(
    on_virtuoso: Service,
) -> None:
    rows = select(
        on_virtuoso,
        f"PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        f'SELECT ?label WHERE {{ <{JORY}> skos:prefLabel ?label FILTER(lang(?label) = "fi") }}',
    )
    assert [r["label"] for r in rows] == [
        {"type": "literal", "value": "JORY (johtoryhmä)", "xml:lang": "fi"}
    ]
    graphs = {
        r["g"]["value"]
        for r in select(on_virtuoso, "SELECT ?g { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    }
    classes = select(on_virtuoso, "SELECT DISTINCT ?c WHERE { ?s a ?c }")
    assert BASE + "graph/data/elo-pohjois-savo" in graphs
    assert not [g for g in graphs if "openlinksw" in g or "localuriqaserver" in g]
    assert not [c for c in classes if "openlinksw" in c["c"]["value"]]


def test_a_query_that_does_not_parse_is_a_400_problem(on_virtuoso: Service) -> None:
    r = http.post(f"{on_virtuoso.url}/sparql", data={"query": "SELECT * WHERE { ?s ?p"})
    assert r.status_code == 400, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "syntax" in r.json()["detail"].lower()


def test_results_come_in_every_format_and_graphs_over_the_graph_store(
    on_virtuoso: Service,
) -> None:
    query = f"SELECT ?p ?o WHERE {{ <{JORY}> ?p ?o }}"
    for media_type in ("application/sparql-results+xml", "text/csv", "text/tab-separated-values"):
        r = http.get(
            f"{on_virtuoso.url}/sparql", params={"query": query}, headers={"Accept": media_type}
        )
        assert r.status_code == 200 and r.headers["content-type"].startswith(media_type)
    r = http.get(
        f"{on_virtuoso.url}/data",
        params={"graph": BASE + "graph/data/elo-pohjois-savo"},
        headers={"Accept": "text/turtle"},
    )
    assert r.status_code == 200, r.text
    graph = Graph().parse(data=r.text, format="turtle")
    assert (URIRef(JORY), None, None) in graph
    missing = http.get(f"{on_virtuoso.url}/data", params={"graph": "https://example.org/none"})
    assert missing.status_code == 404


def test_an_update_the_gate_refuses_leaves_virtuoso_as_it_was(
    on_virtuoso: Service, virtuoso: Virtuoso
) -> None:
    before = dump_digest(on_virtuoso)
    counts = engine_count(virtuoso, "GRAPH ?g { ?s ?p ?o }")
    r = update(
        on_virtuoso, insert_data(SHAPE_FIXTURES / "label-only-english.ttl", FIXTURE_GRAPH + "x")
    )
    assert r.status_code == 422, r.text
    assert r.json()["report"]["conforms"] is False
    assert engine_count(virtuoso, "GRAPH ?g { ?s ?p ?o }") == counts
    assert dump_digest(on_virtuoso) == before


def test_a_refused_delete_puts_back_the_very_blank_nodes_it_removed(
    on_virtuoso: Service, virtuoso: Virtuoso
) -> None:
    measure = ID + "measure/ohjaushenkiloston-osaaminen-tyoelamajaksojen-kautta"
    blank_pattern = "GRAPH ?g { ?count ok:countQualifier ?q FILTER(isBlank(?count)) }"
    prefix = "PREFIX ok: <https://w3id.org/osaamiskartta/ontology#>\n"
    blank = engine_count(virtuoso, blank_pattern, prefix)
    assert blank > 0
    before = dump_digest(on_virtuoso)
    r = update(
        on_virtuoso,
        f"{prefix}DELETE WHERE {{ GRAPH ?g {{ ?count ok:countQualifier ?q }} }} ;\n"
        f"DELETE WHERE {{ GRAPH ?g {{ <{measure}> ok:responsibleActor ?actor }} }}",
    )
    assert r.status_code == 422, r.text
    # The dump names blank nodes by Virtuoso's own identifiers: equal only if the very same
    # nodes got their triples back.
    assert dump_digest(on_virtuoso) == before


def test_an_accepted_write_reaches_virtuoso_and_can_be_undone(
    on_virtuoso: Service, virtuoso: Virtuoso
) -> None:
    graph = FIXTURE_GRAPH + "valid"
    r = http.put(
        f"{on_virtuoso.url}/data",
        params={"graph": graph},
        content=(SHAPE_FIXTURES / "valid.ttl").read_bytes(),
        headers={"Content-Type": "text/turtle", **on_virtuoso.auth},
    )
    assert r.status_code == 201, r.text
    stored = engine_count(virtuoso, f"GRAPH <{graph}> {{ ?s ?p ?o }}")
    assert stored == len(Graph().parse(SHAPE_FIXTURES / "valid.ttl"))
    rows = select(
        on_virtuoso,
        "SELECT ?s WHERE { ?s a <https://w3id.org/osaamiskartta/ontology#SourceDocument> }",
    )
    assert {"type": "uri", "value": "https://example.org/fixture/lahde"} in [r["s"] for r in rows]
    r = http.delete(f"{on_virtuoso.url}/data", params={"graph": graph}, headers=on_virtuoso.auth)
    assert r.status_code == 204, r.text
    assert engine_count(virtuoso, f"GRAPH <{graph}> {{ ?s ?p ?o }}") == 0


def test_a_sparql_update_to_the_default_graph_lands_in_its_stand_in(
    on_virtuoso: Service, virtuoso: Virtuoso
) -> None:
    r = update(on_virtuoso, 'INSERT DATA { <https://example.org/a> <https://example.org/b> "c" }')
    assert r.status_code in (200, 204), r.text
    default = "GRAPH <urn:x-osaamiskartta:default-graph> { <https://example.org/a> ?p ?o }"
    assert engine_count(virtuoso, default) == 1
    r = http.get(
        f"{on_virtuoso.url}/data",
        params={"default": ""},
        headers={"Accept": "application/n-triples"},
    )
    assert r.text.strip() == '<https://example.org/a> <https://example.org/b> "c" .'
    assert update(on_virtuoso, "CLEAR DEFAULT").status_code in (200, 204)
    assert engine_count(virtuoso, default) == 0


def test_a_named_query_answers_from_virtuoso(on_virtuoso: Service) -> None:
    r = http.get(
        f"{on_virtuoso.url}/api/queries/network-members",
        params={"network": JORY, "limit": "1000"},
    )
    assert r.status_code == 200, r.text
    by_role: dict[str, set[str]] = {}
    for record in r.json()["records"]:
        by_role.setdefault(record["roleLabel"], set()).add(record["memberLabel"])
    assert len(by_role["jäsen"]) == 9
    assert by_role["liitännäisjäsen"] == {"Itä-Suomen aluehallintovirasto", "Kuopion kaupunki"}


def test_a_resource_page_is_built_from_virtuoso(on_virtuoso: Service) -> None:
    r = http.get(f"{on_virtuoso.url}/doc/network/jory", headers={"Accept": "text/html"})
    assert r.status_code == 200, r.text
    assert "JORY (johtoryhmä)" in r.text
    assert '<a href="/doc/region/pohjois-savo">Pohjois-Savo</a>' in r.text


def test_the_dumps_hold_the_data_graphs_and_no_system_graph(on_virtuoso: Service) -> None:
    r = http.get(f"{on_virtuoso.url}/dumps/osaamiskartta.trig")
    assert r.status_code == 200, r.text
    dataset = Dataset().parse(data=r.content, format="trig")
    names = {str(g.identifier) for g in dataset.graphs()}
    assert BASE + "graph/data/elo-pohjois-savo" in names
    assert BASE + "graph/system/load-state" not in names
    assert not [n for n in names if "openlinksw" in n]
    skos_label = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
    label = (URIRef(JORY), skos_label, Literal("JORY (johtoryhmä)", lang="fi"))
    assert any(label in graph for graph in dataset.graphs())


def test_blank_nodes_written_to_virtuoso_are_searched_and_inferred(on_virtuoso: Service) -> None:
    """Virtuoso names the blank nodes it stores itself: the service reads them back, so the
    search index and the inferred graph name the nodes Virtuoso holds."""
    skos = "http://www.w3.org/2004/02/skos/core#"
    graph = FIXTURE_GRAPH + "blank-concepts"

    def write(method: str, narrower: str, broader: str) -> None:
        body = (
            f'_:a <{skos}prefLabel> "{narrower}"@fi ; <{skos}broader> _:b .\n'
            f'_:b <{skos}prefLabel> "{broader}"@fi .\n'
        )
        r = http.request(
            method,
            f"{on_virtuoso.url}/data",
            params={"graph": graph},
            content=body.encode(),
            headers={"Content-Type": "text/turtle", **on_virtuoso.auth},
        )
        assert r.status_code in (200, 201, 204), r.text

    def found(q: str) -> set[str]:
        r = http.get(f"{on_virtuoso.url}/api/search", params={"q": q})
        assert r.status_code == 200, r.text
        return {h["label"] for h in r.json()["hits"]}

    def narrower_of(label: str) -> set[str]:
        rows = select(
            on_virtuoso,
            f"""SELECT ?n WHERE {{ ?b <{skos}prefLabel> "{label}"@fi .
                GRAPH <{BASE}graph/system/inferred> {{ ?b <{skos}narrower> ?x }}
                ?x <{skos}prefLabel> ?n }}""",
        )
        return {row["n"]["value"] for row in rows}

    write("PUT", "Virtuosoalakäsite", "Virtuosoyläkäsite")
    assert found("virtuosoalakäsite") == {"Virtuosoalakäsite"}
    assert found("virtuosoyläkäsite") == {"Virtuosoyläkäsite"}
    assert narrower_of("Virtuosoyläkäsite") == {"Virtuosoalakäsite"}
    write("POST", "Lisäalakäsite", "Lisäyläkäsite")
    assert found("lisäalakäsite") == {"Lisäalakäsite"}
    assert narrower_of("Lisäyläkäsite") == {"Lisäalakäsite"}
    write("PUT", "Korvaava alakäsite", "Korvaava yläkäsite")
    assert found("virtuosoalakäsite") == found("lisäalakäsite") == set()
    assert narrower_of("Korvaava yläkäsite") == {"Korvaava alakäsite"}
    r = http.delete(f"{on_virtuoso.url}/data", params={"graph": graph}, headers=on_virtuoso.auth)
    assert r.status_code == 204, r.text
    assert found("korvaava") == set()
    inferred = f"<{BASE}graph/system/inferred>"
    dangling = select(
        on_virtuoso,
        f"""SELECT ?s WHERE {{ GRAPH {inferred} {{ ?s ?p ?o }} FILTER(isBlank(?s))
            FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?q ?r }} FILTER(?g != {inferred}) }} }}""",
    )
    assert dangling == []


def test_several_predicates_pointing_at_a_node_are_read_in_one_request(
    on_virtuoso: Service, virtuoso: Virtuoso
) -> None:
    """What the quality gate asks of each node a change reaches: the same quads as asking
    predicate by predicate, in one request."""
    store = open_remote(Settings.from_env(remote_environment(virtuoso)))
    jory = ox.NamedNode(JORY)
    predicates = [
        ox.NamedNode("http://www.w3.org/ns/org#organization"),
        ox.NamedNode("http://www.w3.org/ns/org#subOrganizationOf"),
        ox.NamedNode("http://www.w3.org/ns/org#memberOf"),
    ]
    one_by_one = {q for p in predicates for q in store.match(None, p, jory, ...)}
    sent = []
    query = store.client.query
    store.client.query = lambda text: sent.append(text) or query(text)  # type: ignore[method-assign]
    together = store.match_predicates(predicates, jory)
    assert len(sent) == 1
    assert set(together) == one_by_one
    assert len(together) == len(one_by_one) > 5
    assert store.match_predicates([], jory) == []
