"""The service on a real Oxigraph server, a standard SPARQL 1.1 engine that cannot name a stored
blank node (the ``standard`` dialect): protocols, the quality gate, named queries, pages, dumps."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pyoxigraph as ox
import pytest

from service.errors import StoreFailure
from service.settings import Settings
from service.store.base import GraphChange
from service.store.configured import open_configured_store, open_remote
from service.store.remote import RemoteStore
from service.store.remote_blank import HANDLES
from service.store.remote_client import Answer, Endpoints, SparqlClient
from tests.conftest import Service
from tests.remote import shared
from tests.remote.conftest import oxigraph_environment
from tests.remote.oxigraph_server import OxigraphServer
from tests.remote.shared import BASE, ELO_GRAPH, OK_PREFIX, SKOS, http, select, update

HAS_COUNT = ox.NamedNode(BASE + "ontology#hasCount")
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SUBCLASS_OF = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
INFERRED = f"<{BASE}graph/system/inferred>"
# Count nodes whose type the inferred graph holds for the very node the data graph describes.
LINKED_COUNTS = (
    f"GRAPH {INFERRED} {{ ?c a <http://schema.org/QuantitativeValue> }} "
    "GRAPH ?g { ?c a ok:Count }"
)


def engine_default_graph(server: OxigraphServer) -> str:
    """The engine's own default graph (not the union its queries see), as N-Triples."""
    r = http.get(f"{server.graph_store_url}?default", headers={"Accept": "application/n-triples"})
    assert r.status_code == 200, r.text
    return r.text


def store_on(server: OxigraphServer) -> RemoteStore:
    return open_remote(Settings.from_env(oxigraph_environment(server)))


def test_the_documents_are_loaded_into_named_graphs_of_the_server(
    on_oxigraph_server: Service, oxigraph_server: OxigraphServer
) -> None:
    assert shared.engine_count(oxigraph_server, f"GRAPH <{ELO_GRAPH}> {{ ?s ?p ?o }}") > 100
    assert engine_default_graph(oxigraph_server) == ""


def test_a_protocol_query_sees_the_union_of_the_graphs(on_oxigraph_server: Service) -> None:
    shared.check_jory_label(on_oxigraph_server)
    graphs = {
        r["g"]["value"]
        for r in select(on_oxigraph_server, "SELECT ?g { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    }
    assert ELO_GRAPH in graphs and HANDLES not in graphs
    # Comments that read like update keywords ("load", "insert") keep a query a query.
    rows = select(
        on_oxigraph_server,
        "# Reads the load-state graph, then\n# insert nothing\n"
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{BASE}graph/system/load-state> {{ ?s ?p ?o }} }}",
    )
    assert int(rows[0]["n"]["value"]) > 0


def test_a_query_that_does_not_parse_is_a_400_with_the_parsers_message(
    on_oxigraph_server: Service,
) -> None:
    r = http.post(f"{on_oxigraph_server.url}/sparql", data={"query": "SELECT * WHERE { ?s ?p"})
    assert r.status_code == 400, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    # Oxigraph's own message, at the line of the client's query.
    assert "error at 1:" in problem["detail"] and "expected" in problem["detail"]
    assert problem["title"] == "Syntax error" and problem["line"] == 1


def test_results_come_in_every_format_and_graphs_over_the_graph_store(
    on_oxigraph_server: Service,
) -> None:
    shared.check_formats_and_graph_store(on_oxigraph_server)


def test_an_update_the_gate_refuses_leaves_the_server_as_it_was(
    on_oxigraph_server: Service, oxigraph_server: OxigraphServer
) -> None:
    shared.check_refused_update_changes_nothing(on_oxigraph_server, oxigraph_server)


def test_a_refused_delete_puts_back_the_very_blank_nodes_it_removed(
    on_oxigraph_server: Service, oxigraph_server: OxigraphServer
) -> None:
    shared.check_refused_delete_puts_back_the_very_blank_nodes(on_oxigraph_server, oxigraph_server)
    assert shared.engine_count(oxigraph_server, f"GRAPH <{HANDLES}> {{ ?s ?p ?o }}") == 0


def test_a_refused_delete_of_whole_blank_nodes_puts_back_the_same_graph(
    on_oxigraph_server: Service, oxigraph_server: OxigraphServer
) -> None:
    """Every triple of the count nodes, in every graph, goes: they come back as new nodes (no
    request can recreate a label), the same in every graph they were in."""
    linked = shared.engine_count(oxigraph_server, LINKED_COUNTS, OK_PREFIX)
    assert linked > 0
    before = shared.dump(on_oxigraph_server)
    measure = shared.ID + "measure/ohjaushenkiloston-osaaminen-tyoelamajaksojen-kautta"
    r = update(
        on_oxigraph_server,
        f"{OK_PREFIX}DELETE {{ GRAPH ?g {{ ?c ?p ?o }} GRAPH ?h {{ ?x ok:hasCount ?c }} }}\n"
        "WHERE { GRAPH ?h { ?x ok:hasCount ?c } GRAPH ?g { ?c ?p ?o } } ;\n"
        f"DELETE WHERE {{ GRAPH ?g {{ <{measure}> ok:responsibleActor ?actor }} }}",
    )
    assert r.status_code == 422, r.text
    after = shared.dump(on_oxigraph_server)
    assert after != before  # new labels

    def canonical(nquads: bytes) -> ox.Dataset:
        dataset = ox.Dataset(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
        return dataset

    assert canonical(after) == canonical(before)
    assert shared.engine_count(oxigraph_server, LINKED_COUNTS, OK_PREFIX) == linked


def test_an_accepted_write_reaches_the_server_and_can_be_undone(
    on_oxigraph_server: Service, oxigraph_server: OxigraphServer
) -> None:
    shared.check_accepted_write_reaches_the_engine(on_oxigraph_server, oxigraph_server)


def test_a_sparql_update_to_the_default_graph_lands_in_the_servers_own(
    on_oxigraph_server: Service, oxigraph_server: OxigraphServer
) -> None:
    triple = '<https://example.org/a> <https://example.org/b> "c" .'
    r = update(on_oxigraph_server, f"INSERT DATA {{ {triple} }}")
    assert r.status_code in (200, 204), r.text
    assert engine_default_graph(oxigraph_server).strip() == triple
    r = http.get(
        f"{on_oxigraph_server.url}/data",
        params={"default": ""},
        headers={"Accept": "application/n-triples"},
    )
    assert r.text.strip() == triple
    rows = select(on_oxigraph_server, "SELECT ?o WHERE { <https://example.org/a> ?p ?o }")
    assert [row["o"]["value"] for row in rows] == ["c"]
    assert update(on_oxigraph_server, "CLEAR DEFAULT").status_code in (200, 204)
    assert engine_default_graph(oxigraph_server) == ""


def test_a_named_query_answers_from_the_server(on_oxigraph_server: Service) -> None:
    shared.check_named_query(on_oxigraph_server)


def test_a_resource_page_is_built_from_the_server(on_oxigraph_server: Service) -> None:
    shared.check_resource_page(on_oxigraph_server)


def test_the_dumps_hold_the_data_graphs_and_no_graph_of_the_services_own(
    on_oxigraph_server: Service,
) -> None:
    assert HANDLES not in shared.dumped_graphs(on_oxigraph_server)


def test_blank_nodes_written_to_the_server_are_searched_and_inferred(
    on_oxigraph_server: Service,
) -> None:
    shared.check_blank_nodes_searched_and_inferred(on_oxigraph_server, "oxigraph")


def test_a_stored_blank_node_is_found_again_by_its_label(
    on_oxigraph_server: Service, oxigraph_server: OxigraphServer
) -> None:
    store = store_on(oxigraph_server)
    links = store.match(None, HAS_COUNT, None, ELO_GRAPH)
    count = links[0].object
    assert isinstance(count, ox.BlankNode)
    described = store.match(count, None, None)
    assert {q.subject for q in described} == {count}
    assert len(described) == shared.engine_count(
        oxigraph_server,
        f"{links[0].subject} ok:hasCount ?c . ?c ?p ?o",
        OK_PREFIX,
    )
    assert store.match_predicates([HAS_COUNT], count) == [links[0]]


class RelabellingClient(SparqlClient):
    """A client of an engine that names a blank node differently in every answer."""

    answers = 0

    def query(
        self, text: str, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()
    ) -> Answer:
        answer = super().query(text, default_graphs, named_graphs)
        if answer.media_type != "application/sparql-results+json":
            return answer
        RelabellingClient.answers += 1
        document = json.loads(answer.body)
        for row in document["results"]["bindings"]:
            for value in row.values():
                if value["type"] == "bnode":
                    value["value"] += f"x{RelabellingClient.answers}"
        return Answer(answer.media_type, json.dumps(document).encode())


def test_an_engine_whose_blank_node_labels_change_is_refused_and_left_as_it_was(
    on_oxigraph_server: Service, oxigraph_server: OxigraphServer
) -> None:
    store = store_on(oxigraph_server)
    link = store.match(None, HAS_COUNT, None, ELO_GRAPH)[0]
    count = link.object
    qualifier = store.match(count, ox.NamedNode(BASE + "ontology#countQualifier"), None)  # type: ignore[arg-type]
    unstable = RemoteStore(RelabellingClient(store.client.endpoints), store.dialect)
    before = shared.dump(on_oxigraph_server)
    with pytest.raises(StoreFailure, match="same label"):
        unstable.match(count, None, None)  # type: ignore[arg-type]
    with pytest.raises(StoreFailure, match="same label"):
        unstable.restore(remove=qualifier, add=[])
    assert shared.dump(on_oxigraph_server) == before
    assert shared.engine_count(oxigraph_server, f"GRAPH <{HANDLES}> {{ ?s ?p ?o }}") == 0


class CountingClient(SparqlClient):
    """The real client, counting the requests it sends."""

    def __init__(self, endpoints: Endpoints) -> None:
        super().__init__(endpoints)
        self.requests = 0

    def query(
        self, text: str, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()
    ) -> Answer:
        self.requests += 1
        return super().query(text, default_graphs, named_graphs)

    def graph(self, graph: str | None) -> bytes | None:
        self.requests += 1
        return super().graph(graph)


def counting_store(server: OxigraphServer) -> tuple[RemoteStore, CountingClient]:
    plain = store_on(server)
    client = CountingClient(plain.client.endpoints)
    return RemoteStore(client, plain.dialect), client


def test_prefetched_matches_answer_as_their_own_reads_at_a_request_a_chunk(
    on_oxigraph_server: Service, oxigraph_server: OxigraphServer
) -> None:
    fresh = store_on(oxigraph_server)
    ahead, client = counting_store(oxigraph_server)
    typed = {q.subject for q in fresh.match(None, TYPE, None)}
    subjects = sorted((s for s in typed if isinstance(s, ox.NamedNode)), key=str)[:250]
    absent = ox.NamedNode(BASE + "id/nothing-here")
    blank = next(s for s in typed if isinstance(s, ox.BlankNode))
    nodes = [*subjects, absent, blank]
    assert len(subjects) == 250

    ahead.prefetch(nodes)
    # Three chunks of IRIs, and the engine's own default graph read once over the Graph Store.
    assert client.requests == 4
    answers = {s: set(ahead.match(s, None, None)) for s in [*subjects, absent]}
    assert client.requests == 4
    assert answers == {s: set(fresh.match(s, None, None)) for s in [*subjects, absent]}
    assert answers[absent] == set()
    assert sum(map(len, answers.values())) > 250 * 2
    # A blank node is read on its own, as before.
    assert set(ahead.match(blank, None, None)) == set(fresh.match(blank, None, None))
    assert client.requests > 4


def test_prefetched_incoming_matches_and_pointers_answer_as_their_own_reads(
    on_oxigraph_server: Service, oxigraph_server: OxigraphServer
) -> None:
    fresh = store_on(oxigraph_server)
    ahead, client = counting_store(oxigraph_server)
    classes = sorted({q.object for q in fresh.match(None, TYPE, None)}, key=str)
    targets = [o for o in classes if isinstance(o, ox.NamedNode)]
    inferred = INFERRED.strip("<>")

    ahead.prefetch(targets, as_object=True, predicate=TYPE, graph=inferred)
    ahead.prefetch_pointing_at(targets, [TYPE, SUBCLASS_OF])
    before = client.requests
    typed_inferred = {o: set(ahead.match(None, TYPE, o, inferred)) for o in targets}
    pointing = {o: set(ahead.match_predicates([SUBCLASS_OF, TYPE], o)) for o in targets}
    assert client.requests == before
    assert typed_inferred == {o: set(fresh.match(None, TYPE, o, inferred)) for o in targets}
    assert pointing == {o: set(fresh.match_predicates([TYPE, SUBCLASS_OF], o)) for o in targets}
    assert any(typed_inferred.values()) and any(pointing.values())


def test_a_write_drops_what_was_prefetched(
    on_oxigraph_server: Service, oxigraph_server: OxigraphServer
) -> None:
    store, client = counting_store(oxigraph_server)
    subject = ox.NamedNode(BASE + "id/prefetched-then-written")
    label = ox.Quad(
        subject, ox.NamedNode(SKOS + "prefLabel"), ox.Literal("uusi"), ox.NamedNode(ELO_GRAPH)
    )
    store.prefetch([subject])
    kept = client.requests
    assert store.match(subject, None, None) == []
    assert client.requests == kept
    try:
        store.apply([GraphChange(ELO_GRAPH, (label.triple,), replace=False)])
        assert store.match(subject, None, None) == [label]
    finally:
        store.restore(remove=[label], add=[])
    assert store.match(subject, None, None) == []


def test_handles_left_by_an_undo_cut_short_are_dropped_when_the_store_opens(
    on_oxigraph_server: Service, oxigraph_server: OxigraphServer
) -> None:
    store = store_on(oxigraph_server)
    handles = f"GRAPH <{HANDLES}> {{ ?b ?handle ?id }}"
    store.update(f'INSERT DATA {{ GRAPH <{HANDLES}> {{ _:b <urn:x-test:handle> "left" }} }}')
    assert shared.engine_count(oxigraph_server, handles) == 1
    open_configured_store(Settings.from_env(oxigraph_environment(oxigraph_server)))
    assert shared.engine_count(oxigraph_server, handles) == 0


def test_void_counts_each_triple_the_dumps_hold_once(on_oxigraph_server: Service) -> None:
    shared.check_void_counts_the_dumped_triples(on_oxigraph_server)
