"""Resources that are blank nodes, written by PUT, POST, the start-up load and the ``load``
command: the search index and the inferred graph follow them, and a restart on the same store
finds the index up to date."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from tests.conftest import REPO, Service, start_service
from tests.integration.test_cli import cli

BASE = "https://w3id.org/osaamiskartta/"
INFERRED = BASE + "graph/system/inferred"
GRAPH = BASE + "graph/data/blank-nodes"
ORG = "http://www.w3.org/ns/org#"
STALE = "search index is stale"
PREFIXES = """
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/> .
"""


def blank_nodes(name: str, member: str) -> str:
    """A formal organisation and its member, both blank nodes: the domain of org:hasMember,
    the inverse org:memberOf and the superclass org:Organization follow by inference."""
    return PREFIXES + (
        f'_:o a org:FormalOrganization ; skos:prefLabel "{name}"@fi ; org:hasMember _:m .\n'
        f'_:m rdfs:label "{member}"@fi .\n'
    )


def labels(service: Service, q: str) -> set[str]:
    r = httpx.get(f"{service.url}/api/search", params={"q": q})
    assert r.status_code == 200, r.text
    return {h["label"] for h in r.json()["hits"]}


def select(service: Service, query: str) -> list[dict[str, str]]:
    r = httpx.get(
        f"{service.url}/sparql",
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 200, r.text
    return [{k: v["value"] for k, v in row.items()} for row in r.json()["results"]["bindings"]]


def inferred_about(service: Service, label: str) -> set[tuple[str, str]]:
    """The inferred triples about the node labelled ``label`` (its types, and its members'
    org:memberOf back to it), as (predicate, object or 'it')."""
    rows = select(
        service,
        f"""SELECT ?p ?o WHERE {{
              ?x <http://www.w3.org/2004/02/skos/core#prefLabel> "{label}"@fi .
              {{ GRAPH <{INFERRED}> {{ ?x a ?o }} BIND(<{ORG}type> AS ?p) }}
              UNION
              {{ GRAPH <{INFERRED}> {{ ?m ?p ?x }} BIND("it" AS ?o) }}
            }}""",
    )
    return {(row["p"], row["o"]) for row in rows}


EXPECTED = {(ORG + "type", ORG + "Organization"), (ORG + "memberOf", "it")}


def dangling(service: Service) -> list[dict[str, str]]:
    """Inferred triples about blank nodes no asserted triple names."""
    return select(
        service,
        f"""SELECT ?s WHERE {{
              GRAPH <{INFERRED}> {{ ?s ?p ?o }} FILTER(isBlank(?s))
              FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?q ?r }} FILTER(?g != <{INFERRED}>) }}
            }}""",
    )


def send(service: Service, method: str, body: str) -> None:
    r = httpx.request(
        method,
        f"{service.url}/data",
        params={"graph": GRAPH},
        content=body.encode(),
        headers={"Content-Type": "text/turtle", **service.auth},
    )
    assert r.status_code in (200, 201, 204), r.text


def options(tmp_path: Path) -> dict[str, object]:
    """A directory store, the ontology and a file of blank nodes loaded at start-up, and the
    log at info level (it says when the search index is rebuilt)."""
    files = tmp_path / "blanks"
    if not files.is_dir():
        files.mkdir()
        (files / "start.ttl").write_text(blank_nodes("Käynnistysopisto", "Latausyhdistys"))
    return {
        "store": str(tmp_path / "store"),
        "load_dirs": [REPO / "ontology", files],
        "env": {"OSAAMISKARTTA_LOG_LEVEL": "info"},
    }


def test_blank_node_resources_are_searched_and_inferred_after_each_write(
    tmp_path: Path,
) -> None:
    service = start_service(tmp_path / "service", **options(tmp_path))  # type: ignore[arg-type]
    try:
        assert labels(service, "käynnistysopisto") == {"Käynnistysopisto"}
        assert labels(service, "latausyhdistys") == {"Latausyhdistys"}
        assert inferred_about(service, "Käynnistysopisto") >= EXPECTED
        send(service, "PUT", blank_nodes("Tyhjäsolmuopisto", "Sulkayhdistys"))
        assert labels(service, "tyhjäsolmuopisto") == {"Tyhjäsolmuopisto"}
        assert labels(service, "sulkayhdistys") == {"Sulkayhdistys"}
        assert inferred_about(service, "Tyhjäsolmuopisto") >= EXPECTED
        send(service, "POST", blank_nodes("Lisäysopisto", "Postiyhdistys"))
        assert labels(service, "lisäysopisto") == {"Lisäysopisto"}
        assert inferred_about(service, "Lisäysopisto") >= EXPECTED
        send(service, "PUT", blank_nodes("Korvausopisto", "Vaihtoyhdistys"))
        assert labels(service, "tyhjäsolmuopisto") == set()
        assert labels(service, "lisäysopisto") == set()
        assert labels(service, "korvausopisto") == {"Korvausopisto"}
        assert inferred_about(service, "Korvausopisto") >= EXPECTED
        assert dangling(service) == []
    finally:
        service.stop()


def test_a_restart_after_blank_node_writes_finds_the_search_index_up_to_date(
    tmp_path: Path,
) -> None:
    first = start_service(tmp_path / "first", **options(tmp_path))  # type: ignore[arg-type]
    try:
        send(first, "PUT", blank_nodes("Tyhjäsolmuopisto", "Sulkayhdistys"))
        send(first, "POST", blank_nodes("Lisäysopisto", "Postiyhdistys"))
        send(first, "PUT", blank_nodes("Korvausopisto", "Vaihtoyhdistys"))
    finally:
        first.stop()
    assert STALE in first.log.read_text()  # the first start had no index yet
    second = start_service(tmp_path / "second", **options(tmp_path))  # type: ignore[arg-type]
    second.stop()
    assert STALE not in second.log.read_text()


def test_the_load_command_keeps_the_inferred_graph_over_blank_nodes(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    blanks = tmp_path / "blanks.ttl"
    blanks.write_text(blank_nodes("Komentoriviopisto", "Komentoyhdistys"))
    assert cli("load", "--store", store, str(REPO / "ontology" / "imports.ttl")).returncode == 0
    loaded = cli("load", "--store", store, str(blanks))
    assert loaded.returncode == 0, loaded.stderr
    query = f"""SELECT ?s WHERE {{
          GRAPH <{INFERRED}> {{ ?s a <{ORG}Organization> }}
          ?s <http://www.w3.org/2004/02/skos/core#prefLabel> "Komentoriviopisto"@fi }}"""
    answer = cli("query", "--store", store, "--format", "json", query)
    assert answer.returncode == 0, answer.stderr
    assert len(json.loads(answer.stdout)["results"]["bindings"]) == 1
