"""No way out: queries, updates and uploads never make the service contact anything.

A listener on 127.0.0.1 stands for the outside world; it must never be contacted unless the
outbound allowlist names it.
"""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import FIXTURES, Service, start_service


class Listener:
    """Counts connections on a loopback port (and answers nothing)."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.port = self.socket.getsockname()[1]
        self.contacts = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.contacts += 1
            connection.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class _Turtle(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<http://e/loaded> <http://e/from> <http://e/allowlisted> ."
        self.send_response(200)
        self.send_header("Content-Type", "text/turtle")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def allowed() -> Iterator[str]:
    """An HTTP server the outbound allowlist names (a different port from the listener)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Turtle)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, allowed: str) -> Iterator[Service]:
    running = start_service(
        tmp_path_factory.mktemp("no-way-out"),
        load_dirs=[FIXTURES / "graphs"],
        env={"OSAAMISKARTTA_OUTBOUND_ALLOWLIST": allowed},
    )
    yield running
    running.stop()


@pytest.fixture
def listener() -> Iterator[Listener]:
    running = Listener()
    yield running
    assert running.contacts == 0, "the service contacted the listener"
    running.socket.close()


def dump(service: Service) -> str:
    return httpx.get(f"{service.url}/data", headers={"Accept": "application/n-quads"}).text


def update(service: Service, text: str) -> httpx.Response:
    return httpx.post(
        f"{service.url}/update",
        content=text,
        headers={"Content-Type": "application/sparql-update", **service.auth},
    )


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }} }}",
        "SELECT * WHERE {{ BIND(<{url}/sparql> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        "PREFIX x: <{url}/> SELECT * WHERE {{ SERVICE x:sparql {{ ?s ?p ?o }} }}",
        "select * where {{ service <{url}/sp\\u0061rql> {{ ?s ?p ?o }} }}",
    ],
)
def test_service_calls_are_refused(service: Service, listener: Listener, query: str) -> None:
    r = httpx.get(f"{service.url}/sparql", params={"query": query.format(url=listener.url)})
    assert r.status_code == 403, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert "SERVICE" in r.json()["detail"]


def test_the_word_service_in_a_literal_or_a_name_is_fine(service: Service) -> None:
    query = 'PREFIX service: <http://e/> SELECT * WHERE { ?s service:load "SERVICE <http://x/>" }'
    assert httpx.get(f"{service.url}/sparql", params={"query": query}).status_code == 200


@pytest.mark.parametrize("target", ["{url}/data.ttl", "file:///etc/hostname", "file:///etc/passwd"])
def test_load_is_refused_and_changes_nothing(
    service: Service, listener: Listener, target: str
) -> None:
    before = dump(service)
    for text in (f"LOAD <{target}>", f"LOAD SILENT <{target}> INTO GRAPH <http://e/g>"):
        r = update(service, text.format(url=listener.url))
        assert r.status_code == 403, r.text
        assert "LOAD" in r.json()["detail"]
    assert dump(service) == before


def test_jsonld_remote_context_is_not_fetched(service: Service, listener: Listener) -> None:
    before = dump(service)
    document = f'{{"@context": "{listener.url}/ctx.jsonld", "@id": "http://e/a", "name": "x"}}'
    r = httpx.put(
        f"{service.url}/data",
        params={"graph": "http://e/jsonld"},
        content=document,
        headers={"Content-Type": "application/ld+json", **service.auth},
    )
    assert r.status_code == 400, r.text
    assert "remote context" in r.json()["detail"]
    assert dump(service) == before


def test_rdfxml_external_entities_are_not_resolved(service: Service, listener: Listener) -> None:
    before = dump(service)
    for entity in (
        f'SYSTEM "{listener.url}/entity"',
        'SYSTEM "file:///etc/passwd"',
        f'PUBLIC "-//x//y" "{listener.url}/p"',
    ):
        document = f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY ext {entity}> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/">
  <rdf:Description rdf:about="http://e/a"><ex:p>&ext;</ex:p></rdf:Description>
</rdf:RDF>"""
        r = httpx.put(
            f"{service.url}/data",
            params={"graph": "http://e/xml"},
            content=document,
            headers={"Content-Type": "application/rdf+xml", **service.auth},
        )
        assert r.status_code == 400, r.text
    assert dump(service) == before


def test_load_from_an_allowlisted_target_is_fetched(service: Service, allowed: str) -> None:
    r = update(service, f"LOAD <{allowed}data.ttl> INTO GRAPH <http://e/loaded>")
    assert r.status_code in (200, 204), r.text
    r = httpx.get(
        f"{service.url}/sparql",
        params={"query": "ASK { GRAPH <http://e/loaded> { <http://e/loaded> ?p ?o } }"},
    )
    assert r.json()["boolean"] is True
    assert update(service, "LOAD <http://127.0.0.2:9/x.ttl>").status_code == 403
    assert update(service, "DROP GRAPH <http://e/loaded>").status_code in (200, 204)


# RDF/XML entity bombs are refused before pyoxigraph expands them (it has no bound).
PROLOG = '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ {entities} ]>\n'
BODY = """<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/">
  <rdf:Description rdf:about="http://e/a"><ex:p>{refs}</ex:p></rdf:Description>
</rdf:RDF>"""


def put(service: Service, document: str) -> httpx.Response:
    return httpx.put(
        f"{service.url}/data",
        params={"graph": "http://e/laughs"},
        content=document,
        headers={"Content-Type": "application/rdf+xml", **service.auth},
        timeout=60,
    )


def test_billion_laughs_is_refused(service: Service) -> None:
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    )
    r = put(service, PROLOG.format(entities=entities) + BODY.format(refs="&lol9;"))
    assert r.status_code == 400 and "nested entities" in r.json()["detail"]


def test_quadratic_blowup_is_refused(service: Service) -> None:
    entities = f'<!ENTITY big "{"x" * 100_000}">'
    r = put(service, PROLOG.format(entities=entities) + BODY.format(refs="&big;" * 200))
    assert r.status_code == 400 and "expand" in r.json()["detail"]


def test_namespace_entities_as_owl_files_use_them_still_load(service: Service) -> None:
    entities = '<!ENTITY ex "http://e/">'
    document = PROLOG.format(entities=entities) + BODY.replace(
        'rdf:about="http://e/a"', 'rdf:about="&ex;a"'
    ).format(refs="plain")
    r = put(service, document)
    assert r.status_code in (201, 204), r.text
