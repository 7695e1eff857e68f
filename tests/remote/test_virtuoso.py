"""The service on a real Virtuoso: protocols, the quality gate, named queries, pages, dumps."""

from __future__ import annotations

import pyoxigraph as ox

from service.settings import Settings
from service.store.configured import open_remote
from tests.conftest import Service
from tests.remote import shared
from tests.remote.conftest import remote_environment
from tests.remote.shared import ELO_GRAPH, JORY, http, select, update
from tests.remote.virtuoso import Virtuoso


def test_the_documents_are_loaded_into_virtuoso(on_virtuoso: Service, virtuoso: Virtuoso) -> None:
    assert shared.engine_count(virtuoso, f"GRAPH <{ELO_GRAPH}> {{ ?s ?p ?o }}") > 100


def test_a_protocol_query_sees_the_union_of_the_graphs_and_not_virtuosos_own(
    on_virtuoso: Service,
) -> None:
    shared.check_jory_label(on_virtuoso)
    graphs = {
        r["g"]["value"]
        for r in select(on_virtuoso, "SELECT ?g { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    }
    classes = select(on_virtuoso, "SELECT DISTINCT ?c WHERE { ?s a ?c }")
    assert ELO_GRAPH in graphs
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
    shared.check_formats_and_graph_store(on_virtuoso)


def test_an_update_the_gate_refuses_leaves_virtuoso_as_it_was(
    on_virtuoso: Service, virtuoso: Virtuoso
) -> None:
    shared.check_refused_update_changes_nothing(on_virtuoso, virtuoso)


def test_a_refused_delete_puts_back_the_very_blank_nodes_it_removed(
    on_virtuoso: Service, virtuoso: Virtuoso
) -> None:
    shared.check_refused_delete_puts_back_the_very_blank_nodes(on_virtuoso, virtuoso)


def test_an_accepted_write_reaches_virtuoso_and_can_be_undone(
    on_virtuoso: Service, virtuoso: Virtuoso
) -> None:
    shared.check_accepted_write_reaches_the_engine(on_virtuoso, virtuoso)


def test_a_sparql_update_to_the_default_graph_lands_in_its_stand_in(
    on_virtuoso: Service, virtuoso: Virtuoso
) -> None:
    r = update(on_virtuoso, 'INSERT DATA { <https://example.org/a> <https://example.org/b> "c" }')
    assert r.status_code in (200, 204), r.text
    default = "GRAPH <urn:x-osaamiskartta:default-graph> { <https://example.org/a> ?p ?o }"
    assert shared.engine_count(virtuoso, default) == 1
    r = http.get(
        f"{on_virtuoso.url}/data",
        params={"default": ""},
        headers={"Accept": "application/n-triples"},
    )
    assert r.text.strip() == '<https://example.org/a> <https://example.org/b> "c" .'
    assert update(on_virtuoso, "CLEAR DEFAULT").status_code in (200, 204)
    assert shared.engine_count(virtuoso, default) == 0


def test_a_named_query_answers_from_virtuoso(on_virtuoso: Service) -> None:
    shared.check_named_query(on_virtuoso)


def test_a_resource_page_is_built_from_virtuoso(on_virtuoso: Service) -> None:
    shared.check_resource_page(on_virtuoso)


def test_the_dumps_hold_the_data_graphs_and_no_system_graph(on_virtuoso: Service) -> None:
    assert not [n for n in shared.dumped_graphs(on_virtuoso) if "openlinksw" in n]


def test_blank_nodes_written_to_virtuoso_are_searched_and_inferred(on_virtuoso: Service) -> None:
    shared.check_blank_nodes_searched_and_inferred(on_virtuoso, "virtuoso")


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


def test_void_counts_each_triple_the_dumps_hold_once(on_virtuoso: Service) -> None:
    shared.check_void_counts_the_dumped_triples(on_virtuoso)
