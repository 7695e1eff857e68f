"""The named queries over HTTP: listing, every query in every format, facts of the documents,
typed parameters that stay data, 400s that name the parameter, paging, OpenAPI and examples."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
from openapi_spec_validator import validate

from service.named_queries import NamedQuery, load_registry
from tests.conftest import FIXTURES, REPO, Service, start_service

ID = "https://w3id.org/osaamiskartta/id/"
REGISTRY = load_registry(REPO / "queries")
NAMES = [q.name for q in REGISTRY]
SH = "http://www.w3.org/ns/shacl#"


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """The service over the ontology, the documents and the user data of the query tests."""
    running = start_service(
        tmp_path_factory.mktemp("named-queries"),
        load_dirs=[REPO / "ontology", REPO / "data", FIXTURES / "queries"],
    )
    yield running
    running.stop()


@pytest.fixture(scope="module")
def client(api: Service) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api.url, timeout=30) as c:
        yield c


def _runnable(query: NamedQuery) -> dict[str, str]:
    """Values for the required parameters, from the header's examples."""
    return {p.name: p.example or "" for p in query.parameters if p.required}


def _records(client: httpx.Client, name: str, **params: str) -> list[dict[str, Any]]:
    response = client.get(f"/api/queries/{name}", params={"limit": "1000", **params})
    assert response.status_code == 200, response.text
    records: list[dict[str, Any]] = response.json()["records"]
    return records


def _triple_count(client: httpx.Client) -> int:
    response = client.get(
        "/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


class _Table(HTMLParser):
    """Collects the header and body cells of an HTML table."""

    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []
        self.rows: list[list[str]] = []
        self._in: str | None = None
        self._section = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("thead", "tbody"):
            self._section = tag
        elif tag == "tr" and self._section == "tbody":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._in = tag
            if tag == "th":
                self.headers.append("")
            else:
                self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "th":
            self.headers[-1] += data
        elif self._in == "td":
            self.rows[-1][-1] += data


def test_the_listing_describes_every_query_with_typed_parameters(client: httpx.Client) -> None:
    response = client.get("/api/queries")
    assert response.status_code == 200
    listing = {q["name"]: q for q in response.json()["queries"]}
    assert set(listing) == set(NAMES)
    for described in listing.values():
        assert {"fi", "en"} <= set(described["title"]) and described["tags"]
        assert described["links"]["run"].endswith(f"/api/queries/{described['name']}")
    years = {p["name"]: p for p in listing["projects-in-region-year"]["parameters"]}
    assert years["year"] == years["year"] | {
        "type": "integer",
        "required": True,
        "minimum": 1900,
        "maximum": 2100,
    }
    regions = {c["iri"]: c["label"] for c in years["region"]["values"]}
    assert regions[ID + "region/etela-savo"]["fi"] == "Etelä-Savo"
    assert years["lang"]["values"] == ["fi", "en"] and years["lang"]["default"] == "fi"


@pytest.mark.parametrize("how", ["format", "accept"])
@pytest.mark.parametrize("name", NAMES)
def test_every_query_answers_in_every_format(client: httpx.Client, name: str, how: str) -> None:
    query = REGISTRY.get(name)
    assert query is not None
    params = _runnable(query)

    def get(fmt: str, media_type: str) -> httpx.Response:
        if how == "format":
            response = client.get(f"/api/queries/{name}", params={**params, "format": fmt})
        else:
            response = client.get(
                f"/api/queries/{name}", params=params, headers={"Accept": media_type}
            )
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(media_type)
        assert "max-age" in response.headers["cache-control"]
        return response

    plain = get("json", "application/json").json()
    assert plain["query"] == name and plain["columns"] == list(query.columns)
    assert all(set(record) == set(query.columns) for record in plain["records"])
    count = len(plain["records"])

    rows = list(csv.reader(io.StringIO(get("csv", "text/csv").text)))
    assert rows[0] == list(query.columns) and len(rows) == count + 1

    results = get("sparql-json", "application/sparql-results+json").json()
    assert results["head"]["vars"] == list(query.columns)
    assert len(results["results"]["bindings"]) == count

    table = _Table()
    table.feed(get("html", "text/html").text)
    assert table.headers == list(query.columns) and len(table.rows) == count


def test_every_report_has_an_answer_on_the_documents_and_user_data(client: httpx.Client) -> None:
    empty = [n for n in NAMES if not _records(client, n, **_runnable(REGISTRY.get(n)))]  # type: ignore[arg-type]
    # The documents record a responsible actor for every measure: that report is rightly empty.
    assert empty == ["measures-without-responsible-actor"]


def test_jory_has_nine_members_and_two_associated_members(client: httpx.Client) -> None:
    records = _records(client, "network-members", network=ID + "network/jory")
    by_role: dict[str, set[str]] = {}
    for record in records:
        by_role.setdefault(record["roleLabel"], set()).add(record["memberLabel"])
    assert len(by_role["jäsen"]) == 9
    assert by_role["liitännäisjäsen"] == {"Itä-Suomen aluehallintovirasto", "Kuopion kaupunki"}


def test_labels_follow_accept_language_unless_lang_is_given(client: httpx.Client) -> None:
    english = client.get("/api/queries/network-members", headers={"Accept-Language": "en-GB"})
    assert english.json()["parameters"]["lang"] == "en"
    assert "associated member" in {r["roleLabel"] for r in english.json()["records"]}
    finnish = client.get(
        "/api/queries/network-members", params={"lang": "fi"}, headers={"Accept-Language": "en"}
    )
    assert "liitännäisjäsen" in {r["roleLabel"] for r in finnish.json()["records"]}


def test_regional_goals_one_three_and_four_support_nothing(client: httpx.Client) -> None:
    records = _records(client, "goals-supporting-nothing", level=ID + "policy-level/maakunnallinen")
    assert {r["goal"] for r in records} == {ID + f"goal/pohjois-savo-elo-{n}" for n in (1, 3, 4)}


def test_projects_of_etela_savo_in_2023_and_typed_values(client: httpx.Client) -> None:
    records = _records(
        client, "projects-in-region-year", region=ID + "region/etela-savo", year="2023"
    )
    assert [r["project"] for r in records] == [ID + "project/punos"]
    answers = _records(client, "quality-answers", organisation=ID + "organisation/savonia-amk")
    assert {r["value"] for r in answers} == {4, 3, None}
    assert {r["isAnswered"] for r in answers} == {True, False}


@pytest.mark.parametrize(
    "hostile",
    [
        '"} } ; DROP ALL ; SELECT * WHERE { {',
        'Savonia") || true) } DELETE WHERE { ?s ?p ?o } #',
        '\\" ) } INSERT DATA { <x:a> <x:b> <x:c> } #',
        "x\n} . DROP ALL",
        "?thing ?name ?text } #",
    ],
)
def test_a_string_value_with_sparql_syntax_stays_data(client: httpx.Client, hostile: str) -> None:
    before = _triple_count(client)
    response = client.get("/api/queries/label-search", params={"text": hostile})
    assert response.status_code == 200
    assert response.json()["records"] == []
    assert response.json()["parameters"]["text"] == hostile
    assert _triple_count(client) == before


def test_an_iri_value_with_sparql_syntax_is_refused_and_changes_nothing(
    client: httpx.Client,
) -> None:
    before = _triple_count(client)
    hostile = ID + "network/jory> } ; DROP ALL ; SELECT * WHERE { <x:y"
    response = client.get("/api/queries/network-members", params={"network": hostile})
    assert response.status_code == 400
    assert response.json()["parameter"] == "network"
    assert _triple_count(client) == before
    assert _records(client, "label-search", text="JORY")


@pytest.mark.parametrize(
    ("name", "params", "parameter", "reason"),
    [
        (
            "projects-in-region-year",
            {"region": ID + "region/etela-savo", "year": "20x3"},
            "year",
            "not an integer",
        ),
        (
            "projects-in-region-year",
            {"region": ID + "region/etela-savo", "year": "1800"},
            "year",
            "below the minimum",
        ),
        ("projects-in-region-year", {"year": "2023"}, "region", "required"),
        ("institution-offers", {"region": ID + "sector/07"}, "region", "not a concept"),
        ("network-members", {"network": "jory"}, "network", "not an absolute IRI"),
        ("network-members", {"network": ID + "organisation/isy"}, "network", "is not a"),
        (
            "quality-answers",
            {"organisation": ID + "organisation/isy", "answered": "maybe"},
            "answered",
            "not a boolean",
        ),
        ("network-members", {"lang": "sv"}, "lang", "not one of"),
        ("network-members", {"colour": "red"}, "colour", "no such parameter"),
        ("network-members", {"limit": "0"}, "limit", "between"),
        ("network-members", {"limit": "ten"}, "limit", "not an integer"),
        ("network-members", {"offset": "-1"}, "offset", "between"),
    ],
)
def test_a_wrong_parameter_is_a_400_naming_it(
    client: httpx.Client, name: str, params: dict[str, str], parameter: str, reason: str
) -> None:
    response = client.get(f"/api/queries/{name}", params=params)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["parameter"] == parameter
    assert reason in problem["reason"]
    assert parameter in problem["detail"]


def test_a_parameter_check_follows_writes(service_factory: Any) -> None:
    """The checks are remembered until the next write: a value becomes right or wrong with
    the data, never with what was asked before."""
    service = service_factory(load_dirs=[REPO / "ontology"])
    network = "http://example.org/id/network/uusi"
    url = f"{service.url}/api/queries/network-members"

    def update(text: str) -> None:
        headers = {"Content-Type": "application/sparql-update", **service.auth}
        response = httpx.post(f"{service.url}/update", content=text, headers=headers)
        assert response.status_code == 204, response.text

    assert httpx.get(url, params={"network": network}).status_code == 400
    update(
        "INSERT DATA { GRAPH <http://example.org/g/net> { "
        f"<{network}> a <http://www.w3.org/ns/org#OrganizationalCollaboration> }} }}"
    )
    assert httpx.get(url, params={"network": network}).status_code == 200
    update("DROP GRAPH <http://example.org/g/net>")
    assert httpx.get(url, params={"network": network}).status_code == 400


def _read_counts(service: Service) -> tuple[int, int]:
    """Named-query reads run on the event loop and on threads, from /metrics."""
    text = httpx.get(f"{service.url}/metrics").text
    found = dict(re.findall(r"^osaamiskartta_(inline|threaded)_reads_total (\S+)$", text, re.M))
    return int(float(found.get("inline", "0"))), int(float(found.get("threaded", "0")))


@pytest.mark.parametrize("below_ms", ["50", "0"])
def test_cheap_repeated_queries_skip_the_thread_and_still_follow_writes(
    service_factory: Any, below_ms: str
) -> None:
    """Once a named query ran in under OSAAMISKARTTA_INLINE_READS_BELOW_MS at this data
    version, it runs on the event loop; the answers are the same, and a write sends the next
    run back to a thread, which sees the write. With 0 every run takes a thread."""
    # The answer cache off: otherwise the repeated requests never reach the query.
    env = {"OSAAMISKARTTA_INLINE_READS_BELOW_MS": below_ms, "OSAAMISKARTTA_RESULT_CACHE_BYTES": "0"}
    service = service_factory(load_dirs=[REPO / "ontology"], env=env)
    network = "http://example.org/id/network/uusi"
    url = f"{service.url}/api/queries/network-members"

    def add_member(name: str) -> None:
        text = (
            "INSERT DATA { GRAPH <http://example.org/g/net> { "
            f"<{network}> a <http://www.w3.org/ns/org#OrganizationalCollaboration> ; "
            f"<http://www.w3.org/ns/org#hasMember> <http://example.org/id/organisation/{name}> "
            "} }"
        )
        headers = {"Content-Type": "application/sparql-update", **service.auth}
        response = httpx.post(f"{service.url}/update", content=text, headers=headers)
        assert response.status_code == 204, response.text

    def members() -> list[str]:
        response = httpx.get(url, params={"network": network, "lang": "fi"})
        assert response.status_code == 200, response.text
        return sorted(r["member"] for r in response.json()["records"])

    add_member("a")
    inline, threaded = _read_counts(service)
    first = [members() for _ in range(5)]
    assert first == [["http://example.org/id/organisation/a"]] * 5
    inline_after, threaded_after = _read_counts(service)
    if below_ms == "0":
        assert (inline_after, threaded_after) == (inline, threaded + 5)
        return
    # The first run is timed on a thread; once one run is known cheap, the ones after it run
    # inline. A cold first run on a slow machine may take longer than the limit, so it may
    # take a second threaded run to learn that the query is cheap, not more.
    assert (inline_after - inline) + (threaded_after - threaded) == 5
    assert 1 <= threaded_after - threaded <= 2
    add_member("b")
    assert members() == [f"http://example.org/id/organisation/{n}" for n in "ab"]
    assert _read_counts(service)[1] == threaded_after + 1


def test_the_concept_choices_follow_writes(service_factory: Any) -> None:
    """The listing's concepts are remembered until the next write, then asked again."""
    service = service_factory(load_dirs=[REPO / "ontology"])
    region = "http://example.org/id/region/testimaa"

    def regions() -> dict[str, Any]:
        listing = httpx.get(f"{service.url}/api/queries").json()["queries"]
        query = next(q for q in listing if q["name"] == "projects-in-region-year")
        values = next(p for p in query["parameters"] if p["name"] == "region")["values"]
        return {c["iri"]: c["label"] for c in values}

    assert region not in regions()
    response = httpx.post(
        f"{service.url}/update",
        content="INSERT DATA { GRAPH <http://example.org/g/region> { "
        f"<{region}> <http://www.w3.org/2004/02/skos/core#inScheme> <{ID}scheme/maakunnat> ; "
        '<http://www.w3.org/2004/02/skos/core#prefLabel> "Testimaa"@fi } }',
        headers={"Content-Type": "application/sparql-update", **service.auth},
    )
    assert response.status_code == 204, response.text
    assert regions()[region] == {"fi": "Testimaa"}


def test_a_parameter_given_twice_is_a_400(client: httpx.Client) -> None:
    response = client.get("/api/queries/network-members?lang=fi&lang=en")
    assert response.status_code == 400 and response.json()["parameter"] == "lang"


def test_an_unknown_query_is_404_and_an_unknown_format_406(client: httpx.Client) -> None:
    assert client.get("/api/queries/no-such-query").status_code == 404
    refused = client.get("/api/queries/network-members", headers={"Accept": "image/png"})
    assert refused.status_code == 406
    assert client.get("/api/queries/network-members?format=xlsx").status_code == 406


def _link(response: httpx.Response, rel: str) -> str | None:
    return response.links.get(rel, {}).get("url")


def test_pages_follow_the_link_headers_to_the_whole_answer(client: httpx.Client) -> None:
    whole = _records(client, "network-members")
    url: str | None = "/api/queries/network-members?limit=4"
    pages: list[list[dict[str, Any]]] = []
    while url:
        response = client.get(url)
        body = response.json()
        pages.append(body["records"])
        assert _link(response, "first") is not None
        assert body["page"]["next"] == _link(response, "next")
        assert body["page"]["previous"] == _link(response, "prev")
        if len(pages) == 1:
            assert _link(response, "prev") is None
        else:
            assert "offset=" in (_link(response, "prev") or "")
        url = _link(response, "next")
    assert [len(p) for p in pages] == [4, 4, 3]
    assert [r for p in pages for r in p] == whole


@pytest.mark.parametrize("limit", ["4", "1000"])
def test_a_sparql_json_page_holds_the_rows_of_the_records_page(
    client: httpx.Client, limit: str
) -> None:
    """A page cut from a longer answer and a whole answer passed on as the engine wrote it."""
    records = _records(client, "network-members", limit=limit)
    response = client.get(
        "/api/queries/network-members",
        params={"limit": limit},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    results = response.json()
    assert results["head"]["vars"] == list(REGISTRY.get("network-members").columns)  # type: ignore[union-attr]
    members = [b["member"]["value"] for b in results["results"]["bindings"]]
    assert members == [r["member"] for r in records]
    assert len(members) == min(int(limit), 11)


def test_the_openapi_document_describes_the_sparql_protocol_endpoints(
    client: httpx.Client,
) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert set(paths["/sparql"]) == {"get", "post"}
    assert set(paths["/update"]) == {"post"}
    get = paths["/sparql"]["get"]
    assert [p["$ref"].rsplit("/", 1)[1] for p in get["parameters"]] == [
        "query",
        "default-graph-uri",
        "named-graph-uri",
        "inference",
        "format",
    ]
    assert set(paths["/sparql"]["post"]["requestBody"]["content"]) == {
        "application/sparql-query",
        "application/sparql-update",
        "application/x-www-form-urlencoded",
    }
    assert "422" in paths["/update"]["post"]["responses"]


def test_the_openapi_document_validates_and_has_one_operation_per_query(
    client: httpx.Client,
) -> None:
    document = client.get("/openapi.json").json()
    validate(document)
    for query in REGISTRY:
        operation = document["paths"][f"/api/queries/{query.name}"]["get"]
        assert operation["operationId"] == query.name
        assert operation["summary"] == query.title["en"]
        assert operation["x-title-fi"] == query.title["fi"]
        assert set(operation["responses"]["200"]["content"]) == {
            "application/json",
            "text/csv",
            "application/sparql-results+json",
            "text/html",
        }
        names = [p["name"] for p in operation["parameters"]]
        assert names == [p.name for p in query.parameters] + [
            "limit",
            "offset",
            "format",
            "inference",
        ]
    years = {
        p["name"]: p["schema"]
        for p in document["paths"]["/api/queries/projects-in-region-year"]["get"]["parameters"]
    }
    assert years["year"] == {"type": "integer", "minimum": 1900, "maximum": 2100}
    assert ID + "region/etela-savo" in years["region"]["enum"]
    assert years["region"]["format"] == "uri"
    assert years["lang"] == {"type": "string", "enum": ["fi", "en"], "default": "fi"}


def test_docs_render_the_document_without_a_cdn(client: httpx.Client) -> None:
    page = client.get("/docs")
    assert page.status_code == 200 and "/openapi.json" in page.text
    assert "cdn" not in page.text.lower()
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert client.get(f"/docs/assets/{asset}").status_code == 200
    assert client.get("/docs/assets/..%2Fcore.py").status_code == 404


def test_sparql_examples_are_executables_that_run(client: httpx.Client) -> None:
    response = client.get("/.well-known/sparql-examples", headers={"Accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/turtle")
    store = ox.Store()
    store.load(response.content, format=ox.RdfFormat.TURTLE)
    select = ox.NamedNode(SH + "select")
    examples = {
        str(q.subject.value).rsplit("/", 1)[1]: q.object.value
        for q in store.quads_for_pattern(None, select, None)
    }
    assert set(examples) == set(NAMES)
    typed = ox.Quad(
        ox.NamedNode(ID + "query/network-members"),
        ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        ox.NamedNode(SH + "SPARQLSelectExecutable"),
    )
    assert typed in store
    run = client.get(
        "/sparql",
        params={"query": examples["network-members"]},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert len(run.json()["results"]["bindings"]) == 11
    as_json_ld = client.get(
        "/.well-known/sparql-examples", headers={"Accept": "application/ld+json"}
    )
    assert as_json_ld.headers["content-type"].startswith("application/ld+json")
    assert json.loads(as_json_ld.content)


def test_the_queries_directory_is_a_setting(tmp_path: Path, service_factory: Any) -> None:
    (tmp_path / "only").mkdir()
    source = REPO / "queries" / "label-search.rq"
    (tmp_path / "only" / "search.rq").write_text(source.read_text(encoding="utf-8"))
    service = service_factory(env={"OSAAMISKARTTA_QUERIES_DIR": str(tmp_path / "only")})
    listing = httpx.get(f"{service.url}/api/queries").json()["queries"]
    assert [q["name"] for q in listing] == ["search"]


def test_schemathesis_finds_no_server_error_in_the_named_queries(
    api: Service, tmp_path: Path
) -> None:
    """Property-based requests generated from the OpenAPI document, a bounded number per query."""
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "run",
            f"{api.url}/openapi.json",
            "--checks",
            "not_a_server_error",
            "--include-path-regex",
            "^/api/queries",
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            "10",
            "--seed",
            "5",
            "--request-timeout",
            "20",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert " generated, " in run.stdout
