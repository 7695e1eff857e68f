"""The quality gate over HTTP: every write is validated against the shapes before it stands."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph

from tests.conftest import REPO, Service, start_service
from tests.model import SHAPE_FIXTURES
from tests.unit.test_shapes_rules import CASES, FORUM_CASES, VALID, Expected

ID = "https://w3id.org/osaamiskartta/id/"
OKS = "https://w3id.org/osaamiskartta/shapes#"
FIXTURE_GRAPH = "https://example.org/fixture-graph/"
MODEL_DIRS = [REPO / "ontology", REPO / "shapes", REPO / "data"]
# Validation of a large write and the start-up revalidation take seconds, not milliseconds.
http = httpx.Client(timeout=60.0)


@pytest.fixture(scope="module")
def gated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """The service with the real model and data, plus the shared context of the fixtures."""
    running = start_service(tmp_path_factory.mktemp("gate"), load_dirs=MODEL_DIRS)
    for name in VALID:
        r = http.put(
            f"{running.url}/data",
            params={"graph": FIXTURE_GRAPH + name},
            content=(SHAPE_FIXTURES / f"{name}.ttl").read_bytes(),
            headers={"Content-Type": "text/turtle", **running.auth},
        )
        assert r.status_code in (200, 201), r.text
    yield running
    running.stop()


def dump_digest(service: Service) -> str:
    """SHA-256 of the whole store as the service dumps it."""
    r = http.get(f"{service.url}/data", headers={"Accept": "application/n-quads"})
    assert r.status_code == 200
    return hashlib.sha256(r.content).hexdigest()


def shapes_named(body: dict[str, object], severity: str) -> set[str]:
    """The shapes of the results of one severity in a JSON report."""
    results = body["results"]
    assert isinstance(results, list)
    return {r["shape"] for r in results if r["severity"] == severity}


def insert_data(path: Path, graph: str) -> str:
    """A SPARQL INSERT DATA carrying a fixture's triples into ``graph``."""
    data = Graph().parse(path, format="turtle").serialize(format="nt")
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n{data}\n}} }}"


VIOLATIONS = [c for c in CASES if c.severity.endswith("Violation")]
WARNINGS = [c for c in CASES + FORUM_CASES if c.severity.endswith("Warning")]


@pytest.mark.parametrize("case", VIOLATIONS, ids=lambda c: c.fixture)
def test_a_graph_store_write_that_breaks_a_rule_is_refused_and_changes_nothing(
    gated: Service, case: Expected
) -> None:
    before = dump_digest(gated)
    r = http.post(
        f"{gated.url}/data",
        params={"graph": FIXTURE_GRAPH + case.fixture},
        content=(SHAPE_FIXTURES / f"{case.fixture}.ttl").read_bytes(),
        headers={"Content-Type": "text/turtle", **gated.auth},
    )
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    report = r.json()["report"]
    assert report["conforms"] is False
    assert OKS + case.shape in shapes_named(report, "Violation")
    assert dump_digest(gated) == before


@pytest.mark.parametrize("case", VIOLATIONS, ids=lambda c: c.fixture)
def test_a_sparql_update_that_breaks_a_rule_is_refused_and_changes_nothing(
    gated: Service, case: Expected
) -> None:
    before = dump_digest(gated)
    r = http.post(
        f"{gated.url}/update",
        content=insert_data(SHAPE_FIXTURES / f"{case.fixture}.ttl", FIXTURE_GRAPH + case.fixture),
        headers={"Content-Type": "application/sparql-update", **gated.auth},
    )
    assert r.status_code == 422, r.text
    assert OKS + case.shape in shapes_named(r.json()["report"], "Violation")
    assert dump_digest(gated) == before


@pytest.mark.parametrize("case", WARNINGS, ids=lambda c: c.fixture)
def test_a_write_that_only_triggers_a_warning_is_accepted_with_the_warning(
    gated: Service, case: Expected
) -> None:
    graph = FIXTURE_GRAPH + case.fixture
    r = http.put(
        f"{gated.url}/data",
        params={"graph": graph},
        content=(SHAPE_FIXTURES / f"{case.fixture}.ttl").read_bytes(),
        headers={"Content-Type": "text/turtle", **gated.auth},
    )
    assert r.status_code in (200, 201), r.text
    body = r.json()
    assert body["validation"]["conforms"] is True
    assert OKS + case.shape in shapes_named(body["validation"], "Warning")
    assert "warnings=" in r.headers["osaamiskartta-validation"]
    http.delete(f"{gated.url}/data", params={"graph": graph}, headers=gated.auth)


def test_deleting_what_a_rule_needs_is_refused(gated: Service) -> None:
    measure = ID + "measure/ohjaushenkiloston-osaaminen-tyoelamajaksojen-kautta"
    before = dump_digest(gated)
    r = http.post(
        f"{gated.url}/update",
        content=f"PREFIX ok: <https://w3id.org/osaamiskartta/ontology#>\n"
        f"DELETE WHERE {{ GRAPH ?g {{ <{measure}> ok:responsibleActor ?actor }} }}",
        headers={"Content-Type": "application/sparql-update", **gated.auth},
    )
    assert r.status_code == 422, r.text
    results = r.json()["report"]["results"]
    assert {(x["focusNode"], x["shape"]) for x in results} == {
        (measure, OKS + "Measure-responsibleActor")
    }
    assert dump_digest(gated) == before


def test_the_report_speaks_the_language_asked_for(gated: Service) -> None:
    body = (SHAPE_FIXTURES / "measure-without-responsible-actor.ttl").read_bytes()
    answers = {}
    for language in ("fi", "en"):
        r = http.post(
            f"{gated.url}/data",
            params={"graph": FIXTURE_GRAPH + "language"},
            content=body,
            headers={"Content-Type": "text/turtle", "Accept-Language": language, **gated.auth},
        )
        assert r.status_code == 422
        (result,) = r.json()["report"]["results"]
        assert result["focusLabel"] == "Vastuuton toimenpide"
        answers[language] = result["message"]
    assert "vastuutoimija" in answers["fi"]
    assert "responsible actor" in answers["en"]


@pytest.mark.parametrize("accept", ["text/turtle", "application/ld+json"])
def test_the_report_is_the_w3c_validation_report_when_rdf_is_asked_for(
    gated: Service, accept: str
) -> None:
    r = http.post(
        f"{gated.url}/data",
        params={"graph": FIXTURE_GRAPH + "rdf-report"},
        content=(SHAPE_FIXTURES / "measure-without-goal.ttl").read_bytes(),
        headers={"Content-Type": "text/turtle", "Accept": accept, **gated.auth},
    )
    assert r.status_code == 422
    assert r.headers["content-type"].startswith(accept)
    report = Graph().parse(data=r.text, format="turtle" if "turtle" in accept else "json-ld")
    conforms = report.query(
        "PREFIX sh: <http://www.w3.org/ns/shacl#> "
        "SELECT ?c ?shape WHERE { ?r a sh:ValidationReport ; sh:conforms ?c ; "
        "sh:result/sh:sourceShape ?shape }"
    )
    assert {(str(c), str(s)) for c, s in conforms} == {("false", OKS + "Measure-underGoal")}


def test_every_accepted_write_is_recorded_in_the_provenance_graph(gated: Service) -> None:
    graph = FIXTURE_GRAPH + "provenance"
    r = http.put(
        f"{gated.url}/data",
        params={"graph": graph},
        content=b"<https://example.org/x> <https://example.org/p> <https://example.org/y> .",
        headers={"Content-Type": "application/n-triples", **gated.auth},
    )
    assert r.status_code == 201
    query = f"""
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX ok: <https://w3id.org/osaamiskartta/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?added ?agent ?conforms WHERE {{
          GRAPH <https://w3id.org/osaamiskartta/graph/system/provenance> {{
            ?write a ok:Write ; prov:generated <{graph}> ; ok:triplesAdded ?added ;
                   ok:conforms ?conforms ; prov:endedAtTime ?time ;
                   prov:wasAssociatedWith/skos:prefLabel ?agent .
          }}
        }}"""
    rows = http.get(
        f"{gated.url}/sparql",
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    ).json()["results"]["bindings"]
    assert [(x["added"]["value"], x["agent"]["value"], x["conforms"]["value"]) for x in rows] == [
        ("1", "writer", "true")
    ]


def test_clients_cannot_write_the_graphs_the_service_maintains(gated: Service) -> None:
    before = dump_digest(gated)
    for graph in (
        "https://w3id.org/osaamiskartta/graph/shapes/forums",
        "https://w3id.org/osaamiskartta/graph/system/provenance",
    ):
        r = http.delete(f"{gated.url}/data", params={"graph": graph}, headers=gated.auth)
        assert r.status_code == 403, r.text
        r = http.post(
            f"{gated.url}/update",
            content=f"CLEAR GRAPH <{graph}>",
            headers={"Content-Type": "application/sparql-update", **gated.auth},
        )
        assert r.status_code == 403, r.text
    assert dump_digest(gated) == before


def test_dry_run_validates_an_upload_alone_or_with_the_store(gated: Service) -> None:
    before = dump_digest(gated)
    # A measure under a real goal, with a responsible actor, but its source is missing.
    upload = f"""
        @prefix ok: <https://w3id.org/osaamiskartta/ontology#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <https://example.org/dry-run/toimenpide> a ok:Measure ;
            skos:prefLabel "Kokeilu"@fi ;
            ok:underGoal <{ID}goal/pohjois-savo-elo-1> ;
            ok:responsibleActor <{ID}organisation/savonia-amk> .
    """.encode()
    alone = http.post(
        f"{gated.url}/validate", content=upload, headers={"Content-Type": "text/turtle"}
    )
    assert alone.status_code == 200
    assert alone.json()["scope"] == "upload"
    assert OKS + "Sourced-source" in shapes_named(alone.json(), "Violation")
    # Alone, the goal and the actor are unknown; with the store they are what they should be.
    assert OKS + "Measure-underGoal" in shapes_named(alone.json(), "Violation")
    with_store = http.post(
        f"{gated.url}/validate",
        params={"with": "store"},
        content=upload,
        headers={"Content-Type": "text/turtle"},
    )
    assert with_store.status_code == 200
    assert shapes_named(with_store.json(), "Violation") == {OKS + "Sourced-source"}
    assert dump_digest(gated) == before


def test_the_start_up_revalidation_report_lists_the_findings_of_the_data(gated: Service) -> None:
    body: dict[str, object] = {}
    for _ in range(100):
        body = http.get(f"{gated.url}/validate/report").json()
        if body["state"] != "running":
            break
        threading.Event().wait(0.1)
    assert body["state"] == "done"
    assert body["violations"] == 0
    assert body["warnings"] == 4


def test_concurrent_writes_cannot_together_break_a_rule(gated: Service) -> None:
    measure = ID + "measure/koulutustarpeiden-ja-osaamiskapeikkojen-kartoitus"
    actors = [
        ID + "organisation/pohjois-savon-ely-keskus",
        ID + "group/te-toimistot",
        ID + "group/alueen-koulutuksen-jarjestajat",
    ]
    statuses: list[int] = []

    def remove(actor: str) -> None:
        r = http.post(
            f"{gated.url}/update",
            content=f"PREFIX ok: <https://w3id.org/osaamiskartta/ontology#>\n"
            f"DELETE WHERE {{ GRAPH ?g {{ <{measure}> ok:responsibleActor <{actor}> }} }}",
            headers={"Content-Type": "application/sparql-update", **gated.auth},
        )
        statuses.append(r.status_code)

    threads = [threading.Thread(target=remove, args=(a,)) for a in actors]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [204, 204, 422]
    left = http.get(
        f"{gated.url}/sparql",
        params={
            "query": f"SELECT ?a WHERE {{ <{measure}> "
            f"<https://w3id.org/osaamiskartta/ontology#responsibleActor> ?a }}"
        },
        headers={"Accept": "application/sparql-results+json"},
    ).json()["results"]["bindings"]
    assert len(left) == 1


MEMBERSHIP = """@prefix ex: <https://example.org/fixture/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix role: <https://w3id.org/osaamiskartta/id/membership-role/> .
{node} a org:Membership ; org:member ex:oppilaitos ; org:organization ex:verkosto ;
    dct:source ex:lahde {role}.
"""


def test_the_gate_judges_an_uploads_blank_nodes_as_new_nodes_whatever_their_labels(
    gated: Service,
) -> None:
    """A body may reuse a label the store gives one of its blank nodes (a client that GETs a
    graph and POSTs part of it elsewhere): its nodes are still new, so the gate must neither
    lend them the stored node's triples nor charge them with those."""
    stored, other = FIXTURE_GRAPH + "blank-membership", FIXTURE_GRAPH + "blank-copy"
    complete = MEMBERSHIP.format(node="[]", role="; org:role role:jasen ")
    r = http.put(
        f"{gated.url}/data",
        params={"graph": stored},
        content=complete.encode(),
        headers={"Content-Type": "text/turtle", **gated.auth},
    )
    assert r.status_code in (200, 201), r.text
    r = http.get(
        f"{gated.url}/data", params={"graph": stored}, headers={"Accept": "application/n-triples"}
    )
    [label] = {line.split()[0] for line in r.text.splitlines() if line.startswith("_:")}
    try:
        before = dump_digest(gated)
        # Without a role this membership breaks a rule, though the stored node has one.
        r = http.post(
            f"{gated.url}/data",
            params={"graph": other},
            content=MEMBERSHIP.format(node=label, role="").encode(),
            headers={"Content-Type": "text/turtle", **gated.auth},
        )
        assert r.status_code == 422, r.text
        assert OKS + "Membership-role" in shapes_named(r.json()["report"], "Violation")
        assert dump_digest(gated) == before
        # With a role of its own it keeps every rule, though with the stored node's role it
        # would have two.
        own = MEMBERSHIP.format(node=label, role="; org:role role:liitannaisjasen ")
        r = http.post(
            f"{gated.url}/data",
            params={"graph": other},
            content=own.encode(),
            headers={"Content-Type": "text/turtle", **gated.auth},
        )
        assert r.status_code in (200, 201), r.text
    finally:
        for graph in (stored, other):
            http.delete(f"{gated.url}/data", params={"graph": graph}, headers=gated.auth)


def data_quads(service: Service) -> int:
    """How many quads the store holds outside the service's own graphs."""
    r = http.get(
        f"{service.url}/sparql",
        params={
            "query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
            'FILTER(!CONTAINS(STR(?g), "/graph/system/")) }'
        },
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_a_triple_term_is_refused_with_a_400_and_changes_nothing(gated: Service) -> None:
    """RDF 1.2 triple terms parse, but the gate's SHACL engine has no such term: the write is
    refused as unsupported (it used to fail with a 500 inside the gate)."""
    before = dump_digest(gated)
    term = "<<( <http://example.org/s> <http://example.org/p> <http://example.org/o> )>>"
    r = gated.update(
        f"INSERT DATA {{ GRAPH <{FIXTURE_GRAPH}triple-term> "
        f"{{ <http://example.org/a> <http://example.org/says> {term} }} }}",
    )
    assert r.status_code == 400, r.text  # the update parser (SPARQL 1.1) has no such syntax
    assert r.headers["content-type"] == "application/problem+json"
    statement = f"<http://example.org/a> <http://example.org/says> {term} .".encode()
    for content_type in ("text/turtle", "application/n-triples"):
        r = http.put(
            f"{gated.url}/data",
            params={"graph": FIXTURE_GRAPH + "triple-term"},
            content=statement,
            headers={"Content-Type": content_type, **gated.auth},
        )
        assert r.status_code == 400, r.text
        assert r.headers["content-type"] == "application/problem+json"
        assert "triple term" in r.json()["detail"]
    assert dump_digest(gated) == before


def test_an_update_whose_template_has_a_literal_subject_is_a_no_op(gated: Service) -> None:
    """SPARQL allows a literal where a subject goes in a template; it matches nothing (the
    write is recorded in the provenance graph, as every accepted one is)."""
    before = data_quads(gated)
    assert gated.update('DELETE WHERE { "x" ?p ?o }').status_code in (200, 204)
    assert gated.update('DELETE { "x" ?p ?o } WHERE { ?s ?p ?o }').status_code in (200, 204)
    assert data_quads(gated) == before


def test_a_super_property_that_is_no_iri_entails_nothing_from_it(gated: Service) -> None:
    """`rdfs:subPropertyOf _:b` is valid RDF; inference has no property to state the facts
    with, and carries on (it used to fail after the write had committed)."""
    graph = FIXTURE_GRAPH + "odd-super-property"
    r = gated.update(
        f"PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> INSERT DATA {{ GRAPH <{graph}> {{ "
        "<http://example.org/odd> rdfs:subPropertyOf [] . "
        '<http://example.org/a> <http://example.org/odd> "arvo" } }',
    )
    assert r.status_code in (200, 204), r.text
    r = http.get(f"{gated.url}/health")
    assert r.status_code == 200
    r = http.delete(f"{gated.url}/data", params={"graph": graph}, headers=gated.auth)
    assert r.status_code in (200, 204), r.text
