"""Full-text search and inference through the running service, with real HTTP clients."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from pyoxigraph import Literal
from SPARQLWrapper import JSON, SPARQLWrapper

from service.named_queries import load_registry
from service.named_queries.binding import bind
from tests.conftest import FIXTURES, REPO, Service, start_service
from tests.published import BASE, start_published

ORG = "http://www.w3.org/ns/org#"
OK = "https://w3id.org/osaamiskartta/ontology#"
ID = BASE + "id/"
INFERRED = BASE + "graph/system/inferred"
BROWSER = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"
EX = "http://example.org/"
TEST_GRAPH = BASE + "graph/data/search-test"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    running = start_published(tmp_path_factory.mktemp("published-search"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """The ontology (its axioms) and small fixture graphs, without shapes: any write passes."""
    running = start_service(
        tmp_path_factory.mktemp("writable-search"),
        load_dirs=[REPO / "ontology", FIXTURES / "graphs"],
    )
    yield running
    running.stop()


def search(service: Service, **params: str) -> dict:  # type: ignore[type-arg]
    r = httpx.get(f"{service.url}/api/search", params=params)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    return r.json()  # type: ignore[no-any-return]


def hits(service: Service, q: str, **params: str) -> list[str]:
    return [h["iri"] for h in search(service, q=q, **params)["hits"]]


def select(service: Service, query: str, **params: str) -> list[dict[str, str]]:
    client = SPARQLWrapper(f"{service.url}/sparql")
    client.setQuery(query)
    client.setReturnFormat(JSON)
    for key, value in params.items():
        client.addParameter(key, value)
    rows = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    return [{k: v["value"] for k, v in row.items()} for row in rows]


def update(service: Service, text: str) -> None:
    r = httpx.post(f"{service.url}/update", data={"update": text}, headers=service.auth)
    assert r.status_code in (200, 204), r.text


# -- search ------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["ohjaus", "ohjauksen", "Ohjausta"])
def test_any_inflected_form_finds_the_guidance_services_quality_area(
    published: Service, q: str
) -> None:
    answer = search(published, q=q, limit="100")
    found = {h["iri"]: h for h in answer["hits"]}
    area = ID + "quality-area/ohjauspalvelujen-saatavuus"
    assert area in found  # "Ohjauspalvelujen saatavuus": a compound that starts with ohjaus
    assert any("<mark>Ohjauspalvelujen</mark>" in s["html"] for s in found[area]["highlights"])
    assert answer["total"] >= len(answer["hits"]) > 10
    scores = [h["score"] for h in answer["hits"]]
    assert scores == sorted(scores, reverse=True)


def test_a_word_inside_a_compound_is_found(published: Service) -> None:
    found = search(published, q="ohjaus", limit="100")["hits"]
    marked = " ".join(s["html"] for h in found for s in h["highlights"])
    assert "<mark>uraohjausta</mark>" in marked


def test_english_labels_are_searched_too(published: Service) -> None:
    assert ID + "organisation/isy" in hits(published, "universities")


def test_filters_by_inferred_class_region_and_sector(published: Service) -> None:
    agents = hits(published, "yliopisto", **{"class": "http://xmlns.com/foaf/0.1/Agent"})
    assert ID + "organisation/isy" in agents  # foaf:Agent only by inference
    assert hits(published, "yliopisto", **{"class": OK + "Goal"}) == []
    region = hits(published, "ohjaus", region=ID + "region/varsinais-suomi", limit="100")
    in_region = {
        row["s"]
        for row in select(
            published,
            "SELECT ?s WHERE { ?s <http://purl.org/dc/terms/spatial> "
            f"<{ID}region/varsinais-suomi> }}",
        )
    }
    assert region and set(region) <= in_region
    everything = set(hits(published, "ohjaus", limit="100"))
    assert set(region) < everything
    sector = hits(published, "foorumi", sector=ID + "sector/07", limit="100")
    assert set(sector) < set(hits(published, "foorumi", limit="100"))


def test_bad_search_parameters_are_400_with_the_parameter_named(published: Service) -> None:
    for params, name in (
        ({}, "q"),
        ({"q": "   "}, "q"),
        ({"q": "ohjaus", "limit": "0"}, "limit"),
        ({"q": "ohjaus", "limit": "many"}, "limit"),
        ({"q": "ohjaus", "class": "not an iri"}, "class"),
        ({"q": "ohjaus", "offset": "-1"}, "offset"),
    ):
        r = httpx.get(f"{published.url}/api/search", params=params)
        assert r.status_code == 400, params
        assert r.json()["parameter"] == name


def test_search_page_highlights_and_offers_filters(published: Service) -> None:
    r = httpx.get(f"{published.url}/search", params={"q": "ohjauksen"}, headers={"Accept": BROWSER})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<mark>" in r.text and 'name="class"' in r.text and 'name="region"' in r.text
    assert 'value="ohjauksen"' in r.text  # the header's box keeps the query
    html = httpx.get(f"{published.url}/api/search", params={"q": "ohjaus", "format": "html"})
    assert html.headers["content-type"].startswith("text/html") and "<mark>" in html.text
    empty = httpx.get(f"{published.url}/search", headers={"Accept": BROWSER})
    assert empty.status_code == 200 and 'name="q"' in empty.text
    for path in ("/", "/sparql", "/api/queries/text-search?text=ohjaus", "/doc/network/jory"):
        page = httpx.get(f"{published.url}{path}", headers={"Accept": BROWSER})
        assert 'action="/search"' in page.text, path


def test_search_from_sparql_with_the_named_query_and_the_function(published: Service) -> None:
    r = httpx.get(
        f"{published.url}/api/queries/text-search",
        params={"text": "yliopisto", "class": ORG + "Organization"},
        headers={"Accept": "application/json"},
    )
    assert r.status_code == 200, r.text
    assert ID + "organisation/isy" in r.text
    rows = select(
        published,
        "PREFIX okfn: <https://w3id.org/osaamiskartta/fn#> SELECT ?s ?score WHERE { "
        "?s a <http://www.w3.org/ns/org#FormalOrganization> "
        'BIND(okfn:textScore(?s, "yliopiston") AS ?score) FILTER(BOUND(?score)) }',
    )
    assert {row["s"] for row in rows} == {ID + "organisation/isy"}


@pytest.mark.parametrize(
    "function",
    [
        "<https://w3id.org/osaamiskartta/fn\\u0023textScore>",
        "o:fn\\#textScore",
    ],
)
def test_the_function_spelt_otherwise_still_reads_the_index(
    published: Service, function: str
) -> None:
    """The function's IRI with an escape, or through a shorter prefix: the text does not show
    its namespace, so the query goes to a worker first, which has no index on a memory store
    and sends it back to be run in the service's process."""
    query = (
        "PREFIX o: <https://w3id.org/osaamiskartta/> SELECT ?s ?score WHERE { "
        "?s a <http://www.w3.org/ns/org#FormalOrganization> "
        f'BIND({function}(?s, "yliopiston") AS ?score) FILTER(BOUND(?score)) }}'
    )
    assert "osaamiskartta/fn#" not in query
    for _ in range(2):  # the second time as well: nothing kept of a worker's answer
        rows = select(published, query)
        assert {row["s"] for row in rows} == {ID + "organisation/isy"}


@pytest.mark.parametrize(
    ("name", "words"),
    [("text-search", w) for w in ("ohjaus", "yliopisto", "osaaminen", "sanaajotaeiole")]
    + [("label-search", w) for w in ("Savonia", "sav", "ITÄ-SUOMEN", "verkosto", "jo")]
    + [("label-search", "sanaajotaeiole")],
)
def test_a_search_query_answers_as_its_sparql_does_when_run_on_the_endpoint(
    published: Service, name: str, words: str
) -> None:
    """The named query binds its resources to the index's matches beforehand (its header's
    search entry: words, or a substring of a name); the same SPARQL on /sparql reads every
    labelled resource instead. The answers must be the same, row for row and in order."""
    query = next(q for q in load_registry(REPO / "queries") if q.name == name)
    r = httpx.get(
        f"{published.url}/api/queries/{name}",
        params={"text": words, "limit": "1000"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 200, r.text
    named = [{k: v["value"] for k, v in row.items()} for row in r.json()["results"]["bindings"]]
    bound = bind(query.sparql, {"text": Literal(words), "lang": Literal("fi")})
    endpoint = select(published, bound)
    assert named == endpoint
    assert (len(named) > 0) == (words != "sanaajotaeiole")


def test_search_follows_an_update_a_delete_and_a_graph_replace(writable: Service) -> None:
    assert hits(writable, "kokeiluohjaamo") == []
    update(
        writable,
        f"INSERT DATA {{ GRAPH <{TEST_GRAPH}> {{ <{EX}x> "
        f'<http://www.w3.org/2004/02/skos/core#prefLabel> "Kokeiluohjaamon palvelut"@fi }} }}',
    )
    assert hits(writable, "kokeiluohjaamo") == [EX + "x"]
    assert hits(writable, "ohjaamon") == [EX + "x"]
    update(
        writable,
        f"DELETE DATA {{ GRAPH <{TEST_GRAPH}> {{ <{EX}x> "
        f'<http://www.w3.org/2004/02/skos/core#prefLabel> "Kokeiluohjaamon palvelut"@fi }} }}',
    )
    assert hits(writable, "kokeiluohjaamo") == []
    turtle = f'<{EX}y> <http://purl.org/dc/terms/description> "Verkostotapaamisen muistio"@fi .'
    put = httpx.put(
        f"{writable.url}/data",
        params={"graph": TEST_GRAPH},
        content=turtle,
        headers={"Content-Type": "text/turtle", **writable.auth},
    )
    assert put.status_code in (200, 201, 204), put.text
    assert hits(writable, "verkostotapaaminen") == [EX + "y"]
    replaced = f'<{EX}z> <http://schema.org/name> "Toinen muistio"@fi .'
    httpx.put(
        f"{writable.url}/data",
        params={"graph": TEST_GRAPH},
        content=replaced,
        headers={"Content-Type": "text/turtle", **writable.auth},
    ).raise_for_status()
    assert hits(writable, "verkostotapaaminen") == []
    assert hits(writable, "muistio") == [EX + "z"]
    httpx.delete(
        f"{writable.url}/data", params={"graph": TEST_GRAPH}, headers=writable.auth
    ).raise_for_status()
    assert hits(writable, "muistio") == []


# -- inference ---------------------------------------------------------------------------


def test_a_query_for_organisations_finds_every_university_and_ely_centre(
    published: Service,
) -> None:
    query = f"SELECT ?o WHERE {{ ?o a <{ORG}Organization> }}"
    organisations = {row["o"] for row in select(published, query)}
    for slug in ("isy", "savonia-amk", "pohjois-savon-ely-keskus"):
        assert ID + f"organisation/{slug}" in organisations
    universities = select(
        published,
        "SELECT ?u WHERE { ?u a <http://schema.org/CollegeOrUniversity> }",
    )
    assert {row["u"] for row in universities} <= organisations
    agents = {
        row["o"]
        for row in select(published, "SELECT ?o WHERE { ?o a <http://xmlns.com/foaf/0.1/Agent> }")
    }
    asserted = {
        row["o"]
        for row in select(
            published,
            "SELECT ?o WHERE { ?o a <http://xmlns.com/foaf/0.1/Agent> }",
            inference="false",
        )
    }
    assert ID + "organisation/isy" in agents - asserted


def test_inverse_and_transitive_properties_are_answered(published: Service) -> None:
    member_of = select(
        published, f"SELECT ?n WHERE {{ <{ID}organisation/isy> <{ORG}memberOf> ?n }}"
    )
    assert ID + "network/jory" in {row["n"] for row in member_of}
    asserted = select(
        published,
        f"SELECT ?n WHERE {{ <{ID}organisation/isy> <{ORG}memberOf> ?n }}",
        inference="false",
    )
    assert asserted == []
    chains = select(
        published,
        f"SELECT ?a ?c WHERE {{ ?a <{OK}contributesTo> ?c . "
        f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?a <{OK}contributesTo> ?c }} "
        f"FILTER(?g != <{INFERRED}>) }} }}",
    )
    assert chains  # contributesTo follows supports and refines, and chains them


def test_asserted_only_by_parameter_or_by_naming_graphs_and_never_in_dumps(
    published: Service,
) -> None:
    query = f"ASK {{ <{ID}organisation/isy> <{ORG}memberOf> ?n }}"
    assert httpx.get(
        f"{published.url}/sparql",
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    ).json()["boolean"]
    for params in (
        {"inference": "false"},
        {"default-graph-uri": BASE + "graph/data/elo-pohjois-savo"},
    ):
        r = httpx.get(
            f"{published.url}/sparql",
            params={"query": query, **params},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert r.json()["boolean"] is False, params
    bad = httpx.get(f"{published.url}/sparql", params={"query": query, "inference": "perhaps"})
    assert bad.status_code == 400 and "inference" in bad.text
    named = httpx.get(
        f"{published.url}/api/queries/network-members",
        params={"inference": "nope"},
    )
    assert named.status_code == 400
    dump = httpx.get(f"{published.url}/dumps/osaamiskartta.trig")
    if dump.status_code == 404:
        index = httpx.get(f"{published.url}/dumps/", headers={"Accept": "application/json"}).json()
        dump = httpx.get(index["dumps"][0]["url"])
    assert dump.status_code == 200 and INFERRED.encode() not in dump.content
    void = httpx.get(f"{published.url}/.well-known/void", headers={"Accept": "text/turtle"})
    assert "system/inferred" not in void.text


def test_an_inference_appears_with_its_cause_and_goes_with_it(writable: Service) -> None:
    ask = f"ASK {{ <{EX}kuopion-opisto> <{ORG}memberOf> <{EX}jory> }}"

    def holds() -> bool:
        r = httpx.get(
            f"{writable.url}/sparql",
            params={"query": ask},
            headers={"Accept": "application/sparql-results+json"},
        )
        return bool(r.json()["boolean"])

    assert not holds()
    cause = f"GRAPH <{TEST_GRAPH}-inference> {{ <{EX}jory> <{ORG}hasMember> <{EX}kuopion-opisto> }}"
    update(writable, f"INSERT DATA {{ {cause} }}")
    assert holds()
    types = select(writable, f"SELECT ?t WHERE {{ <{EX}jory> a ?t }}")
    assert ORG + "Organization" in {row["t"] for row in types}  # the domain of org:hasMember
    update(writable, f"DELETE DATA {{ {cause} }}")
    assert not holds()
    assert select(writable, f"SELECT ?t WHERE {{ <{EX}jory> a ?t }}") == []


def test_broader_chains_through_a_graph_replace(writable: Service) -> None:
    skos = "http://www.w3.org/2004/02/skos/core#"
    graph = f"{TEST_GRAPH}-skos"

    def put(turtle: str) -> None:
        httpx.put(
            f"{writable.url}/data",
            params={"graph": graph},
            content=turtle,
            headers={"Content-Type": "text/turtle", **writable.auth},
        ).raise_for_status()

    chain = f"SELECT ?top WHERE {{ <{EX}c> <{skos}broaderTransitive> ?top }}"
    put(f"<{EX}c> <{skos}broader> <{EX}b> . <{EX}b> <{skos}broader> <{EX}a> .")
    assert {row["top"] for row in select(writable, chain)} == {EX + "b", EX + "a"}
    put(f"<{EX}c> <{skos}broader> <{EX}b> .")
    assert {row["top"] for row in select(writable, chain)} == {EX + "b"}
    narrower = select(writable, f"SELECT ?n WHERE {{ <{EX}b> <{skos}narrower> ?n }}")
    assert narrower == [{"n": EX + "c"}]


def test_clients_cannot_write_the_inferred_graph_and_provenance_records_no_inference(
    writable: Service,
) -> None:
    r = httpx.put(
        f"{writable.url}/data",
        params={"graph": INFERRED},
        content=f"<{EX}a> <{EX}b> <{EX}c> .",
        headers={"Content-Type": "text/turtle", **writable.auth},
    )
    assert r.status_code == 403
    generated = select(
        writable,
        "SELECT DISTINCT ?g WHERE { ?w <http://www.w3.org/ns/prov#generated> ?g }",
    )
    assert generated and INFERRED not in {row["g"] for row in generated}


def test_a_stale_index_is_rebuilt_at_start_up(service_factory, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pyoxigraph as ox

    store = tmp_path / "store"
    first = service_factory(store=str(store), load_dirs=[FIXTURES / "graphs"])
    assert hits(first, "ohjausverkosto") == [EX + "verkosto"]
    first.stop()
    # Another tool changes the store while the service is down; the index file does not know.
    raw = ox.Store(str(store))
    label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    raw.add(
        ox.Quad(
            ox.NamedNode(EX + "uusi"),
            label,
            ox.Literal("Uusi ohjaamo", language="fi"),
            ox.NamedNode(TEST_GRAPH),
        )
    )
    raw.remove(
        ox.Quad(
            ox.NamedNode(EX + "verkosto"),
            label,
            ox.Literal("Ohjausverkosto", language="fi"),
            ox.NamedNode(BASE + "graph/graphs/people"),
        )
    )
    raw.flush()
    del raw
    assert (tmp_path / "store.search.sqlite").is_file()
    second = service_factory(store=str(store), load_dirs=[FIXTURES / "graphs"])
    assert hits(second, "ohjaamo") == [EX + "uusi"]
    assert hits(second, "ohjausverkosto") == []


def test_concurrent_page_and_ontology_requests_keep_the_service_up(published: Service) -> None:
    # A pyoxigraph result read on another thread than the one that made it aborted the
    # process (pyo3 "unsendable"); pages now read their results where they are made.
    from concurrent.futures import ThreadPoolExecutor

    paths = ["/doc/network/jory", "/doc/organisation/isy", "/ontology?format=turtle"] * 20
    with httpx.Client(base_url=published.url) as client, ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda p: client.get(p).status_code, paths))
    assert statuses == [200] * len(paths)
    assert httpx.get(f"{published.url}/health").status_code == 200


def _all_quads(service: Service) -> set[str]:
    """Every quad of every graph, inferred and bookkeeping included, blank nodes named
    canonically (two loads name them differently)."""
    import pyoxigraph as ox

    r = httpx.get(
        f"{service.url}/sparql",
        params={"query": "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 200, r.text
    rows = ox.parse_query_results(r.content, format=ox.QueryResultsFormat.JSON)
    dataset = ox.Dataset(ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in rows)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return {str(q) for q in dataset}


def _found(answer: dict) -> list[tuple[str, str, float]]:  # type: ignore[type-arg]
    """The resources found with their labels and scores; blank nodes by label only (two loads
    name them differently)."""
    assert answer["total"] == len(answer["hits"])  # under the limit: all of it is compared
    return sorted(
        ("_:" if h["iri"].startswith("_:") else h["iri"], h["label"], round(h["score"], 6))
        for h in answer["hits"]
    )


def test_a_start_that_bulk_loads_its_files_indexes_and_infers_as_an_atomic_start_does(
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    from tests.published import LOAD_DIRS

    # The project's files are smaller than the default threshold: one atomic write.
    atomic = start_service(tmp_path / "atomic", load_dirs=LOAD_DIRS)
    bulk = start_service(
        tmp_path / "bulk", load_dirs=LOAD_DIRS, env={"OSAAMISKARTTA_BULK_LOAD_BYTES": "0"}
    )
    try:
        assert _all_quads(bulk) == _all_quads(atomic)
        assert any(INFERRED in q for q in _all_quads(bulk))
        for q in ("ohjaus", "verkosto", "osaaminen", "koulutus", "Savo", "guidance", "yliopisto"):
            expected = _found(search(atomic, q=q, limit="100"))
            assert expected, q
            assert _found(search(bulk, q=q, limit="100")) == expected, q
    finally:
        bulk.stop()
        atomic.stop()
