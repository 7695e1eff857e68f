"""Linked-data publishing against the live service loaded with the project's graph:
dereferencing, pages, the ontology, dumps, VoID, the DCAT-AP catalog and HTTP caching."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterator

import httpx
import pytest
from pyshacl import validate
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from tests.conftest import EXTERNAL, Service
from tests.published import BASE, start_published

VOID = Namespace("http://rdfs.org/ns/void#")
SH = Namespace("http://www.w3.org/ns/shacl#")
OK = Namespace(f"{BASE}ontology#")
JORY = URIRef(f"{BASE}id/network/jory")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
DCAT_AP = EXTERNAL / "DCAT-AP" / "releases" / "3.0.1" / "shacl"
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-triples": "nt",
}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    running = start_published(tmp_path_factory.mktemp("published"))
    yield running
    running.stop()


def count(service: Service, query: str) -> int:
    r = httpx.post(f"{service.url}/sparql", data={"query": query})
    r.raise_for_status()
    binding = r.json()["results"]["bindings"][0]
    return int(next(iter(binding.values()))["value"])


PUBLISHED = f'FILTER(!STRSTARTS(STR(?g), "{BASE}graph/system/"))'


@pytest.mark.parametrize("accept", [*RDF_TYPES, BROWSER])
def test_resource_iri_answers_303_to_its_document(published: Service, accept: str) -> None:
    r = httpx.get(f"{published.url}/id/network/jory", headers={"Accept": accept})
    assert r.status_code == 303
    assert r.headers["location"] == "/doc/network/jory"


@pytest.mark.parametrize(("media_type", "parser"), RDF_TYPES.items())
def test_document_negotiates_each_rdf_format(
    published: Service, media_type: str, parser: str
) -> None:
    r = httpx.get(
        f"{published.url}/id/network/jory", headers={"Accept": media_type}, follow_redirects=True
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith(media_type)
    assert "Accept" in r.headers["vary"]
    graph = Graph().parse(data=r.content, format=parser)
    assert (JORY, SKOS.prefLabel, Literal("JORY (johtoryhmä)", lang="fi")) in graph
    # The description carries incoming links and the labels of neighbours too.
    isy = URIRef(f"{BASE}id/organisation/isy")
    assert (isy, SKOS.prefLabel, Literal("Itä-Suomen yliopisto", lang="fi")) in graph
    assert any(graph.triples((None, None, JORY)))


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("turtle", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("rdfxml", "application/rdf+xml"),
        ("ntriples", "application/n-triples"),
    ],
)
def test_format_parameter_overrides_accept(published: Service, name: str, media_type: str) -> None:
    r = httpx.get(f"{published.url}/doc/network/jory?format={name}", headers={"Accept": BROWSER})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media_type)


def test_browser_gets_a_page_with_labels_groups_incoming_links_and_sources(
    published: Service,
) -> None:
    r = httpx.get(f"{published.url}/doc/network/jory", headers={"Accept": BROWSER})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert '<html lang="fi">' in page and "<h1>JORY (johtoryhmä)</h1>" in page
    # Groups come in the shapes' sh:order: identification, description, relations.
    positions = [page.index(f">{h}</h2>") for h in ("Tunnistetiedot", "Kuvaus", "Suhteet")]
    assert positions == sorted(positions)
    assert ">Viittaukset tähän</h2>" in page and ">Lähdeasiakirjat</h2>" in page
    assert ">Strategiaa ja laatua etsimässä \N{EN DASH} ELO Pohjois-Savossa</a>" in page
    # Related resources are shown by label and linked to their pages, not as bare IRIs.
    assert '<a href="/doc/organisation/isy">Itä-Suomen yliopisto</a>' in page
    assert f">{BASE}id/organisation/isy<" not in page
    for fmt in ("turtle", "jsonld", "rdfxml", "ntriples"):
        assert f'href="/doc/network/jory?format={fmt}"' in page


def test_a_hub_shows_and_serves_at_most_200_links_to_it_per_property(published: Service) -> None:
    refers = "https://example.org/refersTo"
    body = "\n".join(
        f"<https://example.org/hub/{i}> <{refers}> <{JORY}> ;\n"
        f'  <http://www.w3.org/2004/02/skos/core#prefLabel> "Viittaaja {i}"@fi .'
        for i in range(260)
    )
    put = published.put_graph("https://example.org/hub-test", body.encode(), "text/turtle")
    assert put.status_code in (201, 204), put.text
    try:
        turtle = httpx.get(f"{published.url}/doc/network/jory", headers={"Accept": "text/turtle"})
        graph = Graph().parse(data=turtle.text, format="turtle")
        linking = set(graph.subjects(URIRef(refers), JORY))
        assert len(linking) == 200
        assert all((s, SKOS.prefLabel, None) in graph for s in linking)  # each with its label
        assert (JORY, SKOS.prefLabel, Literal("JORY (johtoryhmä)", lang="fi")) in graph
        page = httpx.get(f"{published.url}/doc/network/jory", headers={"Accept": BROWSER}).text
        assert page.count(">Viittaaja ") == 200
        links_to_jory = count(
            published,
            f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p <{JORY}> FILTER(!isBlank(?s)) }}",
        )
        assert links_to_jory > 260
        assert f"Näytetään {200 + links_to_jory - 260} / {links_to_jory}." in page
    finally:
        httpx.delete(
            f"{published.url}/data",
            params={"graph": "https://example.org/hub-test"},
            headers=published.auth,
        )


def test_page_language_follows_accept_language_and_the_switch(published: Service) -> None:
    english = httpx.get(
        f"{published.url}/doc/network/jory",
        headers={"Accept": BROWSER, "Accept-Language": "en-GB,en;q=0.9"},
    )
    assert '<html lang="en">' in english.text
    assert "<h1>JORY (management group)</h1>" in english.text
    assert 'href="/doc/network/jory?lang=fi"' in english.text
    switched = httpx.get(f"{published.url}/doc/network/jory?lang=fi", headers={"Accept": BROWSER})
    assert "<h1>JORY (johtoryhmä)</h1>" in switched.text
    assert 'href="/doc/organisation/isy?lang=fi"' in switched.text


def test_unknown_iri_gets_a_404_page_that_offers_a_search(published: Service) -> None:
    r = httpx.get(f"{published.url}/id/network/no-such-network", headers={"Accept": BROWSER})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert 'action="/search"' in r.text and 'value="no such network"' in r.text
    rdf = httpx.get(
        f"{published.url}/doc/network/no-such-network", headers={"Accept": "text/turtle"}
    )
    assert rdf.status_code == 404


def test_search_finds_resources_by_a_word_of_their_label(published: Service) -> None:
    r = httpx.get(f"{published.url}/search", params={"q": "savonia"}, headers={"Accept": BROWSER})
    assert r.status_code == 200
    assert '<a href="/doc/organisation/savonia-amk">Savonia AMK</a>' in r.text
    answer = httpx.get(f"{published.url}/search", params={"q": "SAVONIA", "format": "json"})
    hits = answer.json()["hits"]
    assert f"{BASE}id/organisation/savonia-amk" in {h["iri"] for h in hits}


def test_ontology_is_documented_at_its_iri_and_served_as_rdf(published: Service) -> None:
    html = httpx.get(f"{published.url}/ontology", headers={"Accept": BROWSER})
    assert html.status_code == 200 and "<h1>Osaamiskartta-ontologia</h1>" in html.text
    assert 'id="Network"' in html.text and 'id="hasGoal"' in html.text
    turtle = httpx.get(f"{published.url}/ontology", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert (URIRef(f"{BASE}ontology"), RDF.type, OWL.Ontology) in graph
    assert (OK.Network, RDF.type, OWL.Class) in graph
    # Instance data is not part of the ontology document.
    assert not any(graph.triples((JORY, None, None)))


def test_landing_page_links_everything_and_counts_by_class_and_region(published: Service) -> None:
    r = httpx.get(f"{published.url}/", headers={"Accept": BROWSER})
    assert r.status_code == 200
    for href in ("/sparql", "/docs", "/dumps/", "/ontology", "/catalog", "/.well-known/void"):
        assert f'href="{href}"' in r.text
    assert '<a href="/doc/region/pohjois-savo">Pohjois-Savo</a>' in r.text
    assert '<a href="/ontology#Network">verkosto</a>' in r.text


def test_dumps_match_their_size_and_sha256_and_parse(published: Service) -> None:
    index = httpx.get(f"{published.url}/dumps/", headers={"Accept": "application/json"}).json()
    names = {d["name"]: d for d in index["dumps"]}
    assert set(names) == {"osaamiskartta.ttl", "osaamiskartta.nt.gz", "osaamiskartta.trig"}
    contents = {}
    for name, entry in names.items():
        r = httpx.get(f"{published.url}/dumps/{name}")
        assert r.status_code == 200 and r.headers["content-type"].startswith(entry["mediaType"])
        assert len(r.content) == entry["size"]
        assert hashlib.sha256(r.content).hexdigest() == entry["sha256"]
        contents[name] = r.content
    ntriples = gzip.decompress(contents["osaamiskartta.nt.gz"])
    lines = [line for line in ntriples.decode().splitlines() if line.strip()]
    turtle = Graph().parse(data=contents["osaamiskartta.ttl"], format="turtle")
    dataset = Dataset().parse(data=contents["osaamiskartta.trig"], format="trig")
    assert len(lines) == len(turtle) == index["triples"]
    assert (JORY, SKOS.prefLabel, Literal("JORY (johtoryhmä)", lang="fi")) in turtle
    assert URIRef(f"{BASE}graph/data/elo-pohjois-savo") in {g.identifier for g in dataset.graphs()}
    assert URIRef(f"{BASE}graph/system/load-state") not in {g.identifier for g in dataset.graphs()}
    html = httpx.get(f"{published.url}/dumps/", headers={"Accept": BROWSER}).text
    assert names["osaamiskartta.ttl"]["sha256"] in html


def test_void_statistics_equal_counts_from_sparql(published: Service) -> None:
    r = httpx.get(f"{published.url}/.well-known/void", headers={"Accept": "text/turtle"})
    void = Graph().parse(data=r.text, format="turtle")
    dataset = URIRef(f"{BASE}dataset")
    triples = count(
        published,
        f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE "
        f"{{ GRAPH ?g {{ ?s ?p ?o }} {PUBLISHED} }} }}",
    )
    assert void.value(dataset, VOID.triples).toPython() == triples
    entities = count(
        published,
        f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {PUBLISHED} "
        f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{BASE}id/")) }}',
    )
    assert void.value(dataset, VOID.entities).toPython() == entities
    networks = count(
        published,
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE "
        f"{{ GRAPH ?g {{ ?s a <{OK.Network}> }} {PUBLISHED} }}",
    )
    partitions = {
        void.value(p, VOID["class"]): void.value(p, VOID.entities).toPython()
        for p in void.objects(dataset, VOID.classPartition)
    }
    assert partitions[OK.Network] == networks
    members = count(
        published,
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?o WHERE "
        f"{{ GRAPH ?g {{ ?s <http://www.w3.org/ns/org#hasMember> ?o }} {PUBLISHED} }} }}",
    )
    properties = {
        void.value(p, VOID.property): void.value(p, VOID.triples).toPython()
        for p in void.objects(dataset, VOID.propertyPartition)
    }
    assert properties[URIRef("http://www.w3.org/ns/org#hasMember")] == members
    assert (dataset, VOID.sparqlEndpoint, URIRef(f"{published.url}/sparql")) in void
    assert (dataset, VOID.dataDump, URIRef(f"{published.url}/dumps/osaamiskartta.nt.gz")) in void
    assert URIRef("http://www.w3.org/ns/org#") in set(void.objects(dataset, VOID.vocabulary))
    assert any(void.objects(dataset, VOID.exampleResource))
    again = httpx.get(f"{published.url}/.well-known/void", headers={"Accept": "text/turtle"})
    assert again.headers["etag"] == r.headers["etag"] and again.content == r.content


def dcat_ap_shapes() -> Graph:
    """DCAT-AP 3.0.1's shapes and ranges; ranges.ttl names five property shapes it never
    defines, which pySHACL refuses, so those dangling references are left out."""
    shapes = Graph()
    for name in ("dcat-ap-SHACL.ttl", "ranges.ttl"):
        shapes.parse(DCAT_AP / name, format="turtle")
    for node, prop in list(shapes.subject_objects(SH.property)):
        if (prop, SH.path, None) not in shapes:
            shapes.remove((node, SH.property, prop))
    return shapes


def test_catalog_conforms_to_dcat_ap_3_0_1(published: Service) -> None:
    r = httpx.get(f"{published.url}/catalog", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    catalog = Graph().parse(data=r.text, format="turtle")
    conforms, _, report = validate(catalog, shacl_graph=dcat_ap_shapes())
    assert conforms, report
    dcat = Namespace("http://www.w3.org/ns/dcat#")
    dct = Namespace("http://purl.org/dc/terms/")
    publisher = URIRef(f"{BASE}id/organisation/pohjois-savon-liitto")
    assert (URIRef(f"{BASE}catalog"), dct.publisher, publisher) in catalog
    assert (publisher, RDF.type, URIRef("http://xmlns.com/foaf/0.1/Agent")) in catalog
    services = set(catalog.subjects(RDF.type, dcat.DataService))
    assert {catalog.value(s, dcat.endpointURL) for s in services} == {
        URIRef(f"{published.url}/sparql")
    }
    downloads = {str(u) for u in catalog.objects(None, dcat.downloadURL)}
    assert f"{published.url}/dumps/osaamiskartta.trig" in downloads
    dataset = URIRef(f"{BASE}dataset")
    assert (dataset, dcat.contactPoint, None) in catalog
    licence = URIRef("http://publications.europa.eu/resource/authority/licence/CC_BY_4_0")
    for distribution in catalog.objects(dataset, dcat.distribution):
        assert (distribution, dct.license, licence) in catalog


def test_read_responses_carry_cors_and_caching_headers(published: Service) -> None:
    for path in ("/", "/doc/network/jory", "/ontology", "/dumps/", "/.well-known/void", "/catalog"):
        r = httpx.get(f"{published.url}{path}", headers={"Origin": "https://example.org"})
        assert r.status_code == 200, path
        assert r.headers["access-control-allow-origin"] == "*"
        assert r.headers["etag"] and r.headers["last-modified"] and r.headers["cache-control"]


def test_conditional_get_answers_304_and_a_write_changes_the_etag(published: Service) -> None:
    url = f"{published.url}/doc/network/jory"
    first = httpx.get(url, headers={"Accept": BROWSER})
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    again = httpx.get(url, headers={"Accept": BROWSER, "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    since = httpx.get(url, headers={"Accept": BROWSER, "If-Modified-Since": modified})
    assert since.status_code == 304
    turtle = httpx.get(url, headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert turtle.status_code == 200  # another representation, another ETag
    dumps_etag = httpx.get(f"{published.url}/dumps/osaamiskartta.ttl").headers["etag"]

    put = published.put_graph(
        "https://example.org/publishing-test",
        b'<https://example.org/a> <https://example.org/b> "c" .',
        "text/turtle",
    )
    assert put.status_code in (201, 204)
    after = httpx.get(url, headers={"Accept": BROWSER, "If-None-Match": etag})
    assert after.status_code == 200 and after.headers["etag"] != etag
    dump = httpx.get(f"{published.url}/dumps/osaamiskartta.ttl")
    assert dump.headers["etag"] != dumps_etag
    assert b"https://example.org/publishing-test" not in dump.content
    assert b"<https://example.org/a>" in dump.content


def test_browsers_read_void_and_the_catalog_as_pages(published: Service) -> None:
    """A browser (or `Accept: text/html`) gets VoID and the catalog as pages: their figures,
    blank-node values one level deep and links to the RDF forms; a harvester still gets RDF."""
    turtle = httpx.get(f"{published.url}/.well-known/void", headers={"Accept": "text/turtle"})
    triples = (
        Graph()
        .parse(data=turtle.text, format="turtle")
        .value(URIRef(f"{BASE}dataset"), VOID.triples)
    )
    for accept in (BROWSER, "text/html"):
        void = httpx.get(f"{published.url}/.well-known/void", headers={"Accept": accept})
        assert void.status_code == 200, void.text
        assert void.headers["content-type"].startswith("text/html")
        assert "Accept" in void.headers["vary"]
        assert f">{int(triples.toPython())}" in void.text
        assert "kolmikkoja" in void.text  # void:triples, labelled
        assert f"{published.url}/dumps/osaamiskartta.ttl" in void.text
        assert 'href="/.well-known/void?format=turtle"' in void.text
        catalog = httpx.get(f"{published.url}/catalog", headers={"Accept": accept})
        assert catalog.status_code == 200, catalog.text
        assert catalog.headers["content-type"].startswith("text/html")
        assert "Pohjois-Savon Liitto" in catalog.text  # the publisher's label, from the store
        assert 'href="/catalog?format=jsonld"' in catalog.text
    again = httpx.get(f"{published.url}/catalog?format=ttl", headers={"Accept": BROWSER})
    assert again.headers["content-type"].startswith("text/turtle")
    Graph().parse(data=again.text, format="turtle")


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/", BROWSER),
        ("/doc/network/jory", "text/turtle"),
        ("/doc/network/jory", BROWSER),
        ("/.well-known/void", "text/turtle"),
        ("/catalog", BROWSER),
        ("/ontology", "text/turtle"),
        ("/dumps/", "application/json"),
        ("/docs", BROWSER),
        ("/tools/competence", BROWSER),
    ],
)
def test_head_answers_with_the_headers_of_get(published: Service, path: str, accept: str) -> None:
    got = httpx.get(f"{published.url}{path}", headers={"Accept": accept})
    head = httpx.head(f"{published.url}{path}", headers={"Accept": accept})
    assert got.status_code == head.status_code == 200, (got.status_code, head.status_code)
    assert got.content and head.content == b""
    for name in ("content-type", "content-length", "content-language", "etag", "vary", "link"):
        assert head.headers.get(name) == got.headers.get(name), name


def test_head_of_a_dump_and_with_a_range_gives_the_whole_files_headers(
    published: Service,
) -> None:
    url = f"{published.url}/dumps/osaamiskartta.nt.gz"
    got = httpx.get(url)
    for asked in ({}, {"Range": "bytes=0-9"}):
        head = httpx.head(url, headers=asked)
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == str(len(got.content))
        for name in ("etag", "digest", "content-type", "content-disposition"):
            assert head.headers[name] == got.headers[name], name


def test_head_where_get_is_not_served_is_refused_as_before(published: Service) -> None:
    assert httpx.head(f"{published.url}/no/such/page").status_code == 404
    refused = httpx.head(f"{published.url}/admin/restore")
    assert refused.status_code == 405
    assert "HEAD" not in refused.headers["allow"]
    # Operations are left out: a HEAD of the backup would build one.
    assert httpx.head(f"{published.url}/admin/backup").status_code == 405
    # Where GET is, HEAD is allowed too.
    assert set(httpx.post(f"{published.url}/").headers["allow"].split(", ")) == {"GET", "HEAD"}


def test_browsers_get_errors_as_pages_and_programs_as_problem_json(published: Service) -> None:
    url = f"{published.url}/no/such/page"
    page = httpx.get(url, headers={"Accept": BROWSER, "Accept-Language": "en"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "404" in page.text and "nothing is served at /no/such/page" in page.text
    assert page.headers["content-language"] == "en"
    for accept in (None, "application/json", "text/html;q=0.5, application/problem+json"):
        problem = httpx.get(url, headers={"Accept": accept} if accept else {})
        assert problem.status_code == 404
        assert problem.headers["content-type"] == "application/problem+json"
        assert problem.json()["status"] == 404
    # The error's own header fields stay: a 405's Allow.
    refused = httpx.post(f"{published.url}/ontology", headers={"Accept": BROWSER})
    assert refused.status_code == 405 and refused.headers["content-type"].startswith("text/html")
    assert "GET" in refused.headers["allow"]
    # A malformed query typed into the address bar: the parser's message, on a page.
    bad = httpx.get(
        f"{published.url}/sparql", params={"query": "SELECT * WHERE {"}, headers={"Accept": BROWSER}
    )
    assert bad.status_code == 400 and bad.headers["content-type"].startswith("text/html")
    assert "Syntax error" in bad.text
