"""A corpus of malformed and malicious requests. Each must get a 4xx or a correct answer:
never a 5xx, never a hang, never a change to the store."""

from __future__ import annotations

from dataclasses import dataclass, field

GSP = "/data"
DEEP = 20_000  # far past where pyoxigraph's recursive parsers overflow the stack


@dataclass(frozen=True)
class Case:
    """One request; ``write`` cases are sent with a valid write token."""

    name: str
    method: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    write: bool = False


def _q(name: str, query: str, **headers: str) -> Case:
    if len(query) > 4000:  # too long for a URL: in the body
        content = {"Content-Type": "application/sparql-query", **headers}
        return Case(name, "POST", "/sparql", headers=content, body=query.encode())
    return Case(name, "GET", "/sparql", {"query": query}, headers)


def _post_query(name: str, body: bytes, content_type: str) -> Case:
    return Case(name, "POST", "/sparql", headers={"Content-Type": content_type}, body=body)


def _update(name: str, body: bytes, content_type: str = "application/sparql-update") -> Case:
    return Case(
        name, "POST", "/update", headers={"Content-Type": content_type}, body=body, write=True
    )


def _put(name: str, body: bytes, content_type: str, graph: str = "http://e/hostile") -> Case:
    return Case(
        name, "PUT", GSP, {"graph": graph}, {"Content-Type": content_type}, body, write=True
    )


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE rdf:RDF [<!ENTITY a "ha">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + ']><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/">'
    '<rdf:Description rdf:about="http://e/a"><e:p>&j;</e:p></rdf:Description></rdf:RDF>'
).encode()

CASES: list[Case] = [
    # Broken queries
    _q("empty query", ""),
    _q("unterminated group", "SELECT * WHERE {"),
    _q("closing braces only", "}}}}}}"),
    _q("nul byte", "SELECT * WHERE { ?s ?p ?o }\x00"),
    _q("negative limit", "SELECT * WHERE { ?s ?p ?o } LIMIT -1"),
    _q("unknown prefix", "SELECT * WHERE { x:a ?p ?o }"),
    _q("select of nothing", "SELECT WHERE { }"),
    _q("bad iri", "SELECT * WHERE { <http://a b> ?p ?o }"),
    _q("lone surrogate escape", 'SELECT * WHERE { ?s ?p "\\uD800" }'),
    # Deeply nested
    _q("deep groups", "SELECT * WHERE " + "{" * DEEP + "}" * DEEP),
    _q("deep parentheses", "ASK { FILTER(" + "(" * DEEP + "1" + ")" * DEEP + ") }"),
    _q("deep blank nodes", "ASK { ?s ?p " + "[ <http://e/p> " * DEEP + "1" + " ]" * DEEP + " }"),
    _update(
        "deep update",
        ("INSERT DATA { <http://e/a> <http://e/p> " + "( " * DEEP + ") " * DEEP + "}").encode(),
    ),
    _put(
        "deep turtle",
        (
            "<http://e/a> <http://e/p> " + "[ <http://e/q> " * DEEP + "1" + " ]" * DEEP + " ."
        ).encode(),
        "text/turtle",
    ),
    _put(
        "deep json-ld",
        (
            '{"@id": "http://e/a", "http://e/p": '
            + '{"http://e/q": ' * DEEP
            + "1"
            + "}" * DEEP
            + "}"
        ).encode(),
        "application/ld+json",
    ),
    # Huge literals
    _post_query(
        "huge literal in a query",
        b'ASK { ?s ?p "' + b"x" * 3_000_000 + b'" }',
        "application/sparql-query",
    ),
    _put(
        "huge literal breaking a shape-free graph",
        b'<http://e/a> <http://e/p> "' + b"x" * 200 + b'""" .',
        "text/turtle",
    ),
    # Invalid UTF-8
    _post_query(
        "invalid utf-8 query", b'SELECT * WHERE { ?s ?p "\xff\xfe" }', "application/sparql-query"
    ),
    _post_query("invalid utf-8 form", b"query=%FF%FE", "application/x-www-form-urlencoded"),
    _post_query("raw invalid utf-8 form", b"query=\xff\xfe", "application/x-www-form-urlencoded"),
    _update("invalid utf-8 update", b'INSERT DATA { <http://e/a> <http://e/p> "\xc3\x28" }'),
    _put("invalid utf-8 turtle", b'<http://e/a> <http://e/p> "\xed\xa0\x80" .', "text/turtle"),
    _put(
        "latin-1 charset", b'<http://e/a> <http://e/p> "\xe4" .', "text/turtle; charset=iso-8859-1"
    ),
    # Billion laughs and external entities
    _put("billion laughs", LAUGHS, "application/rdf+xml"),
    _put(
        "external entity",
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM '
        b'"file:///etc/passwd">]><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-'
        b'ns#"><rdf:Description rdf:about="http://e/a">&x;</rdf:Description></rdf:RDF>',
        "application/rdf+xml",
    ),
    # Absurd Accept headers
    _q("accept with bad q", "ASK {}", Accept="application/sparql-results+json;q=abc"),
    _q("accept of 10k characters", "ASK {}", Accept="a/" + "b" * 10_000),
    _q("accept of many ranges", "ASK {}", Accept=", ".join(["x/y;q=0.1"] * 2000)),
    _q("accept of separators", "ASK {}", Accept=",,,;;;=,=;q=,"),
    _q("accept refusing everything", "ASK {}", Accept="*/*;q=0"),
    _q("accept q above one", "ASK {}", Accept="text/csv;q=5, */*;q=-1"),
    Case("accept on a page", "GET", "/", headers={"Accept": "text/html;level=1;q=0.5;;;"}),
    Case("accept-language nonsense", "GET", "/", headers={"Accept-Language": "*;q=x, ,;, fi-"}),
    # Path tricks in graph names
    Case("dot segments in graph", "GET", GSP, {"graph": "../../etc/passwd"}),
    Case("file graph", "GET", GSP, {"graph": "file:///etc/passwd"}),
    Case("direct dot segments", "GET", "/data/%2e%2e/%2e%2e/etc/passwd"),
    Case("direct encoded slash", "GET", "/data/a%2f..%2f..%2fetc"),
    Case("static traversal", "GET", "/static/..%2f..%2fsettings.py"),
    Case("static double dot", "GET", "/static/../service/settings.py"),
    Case("dump traversal", "GET", "/dumps/..%2f..%2fetc%2fpasswd"),
    Case("doc traversal", "GET", "/doc/..%2f..%2f/etc"),
    Case("nul in graph", "GET", GSP, {"graph": "http://e/\x00"}),
    _put("put to a relative graph", b"<http://e/a> <http://e/p> 1 .", "text/turtle", graph="../x"),
    _put(
        "put to a graph with spaces",
        b"<http://e/a> <http://e/p> 1 .",
        "text/turtle",
        graph="http://e/a b",
    ),
    # Wrong content types
    _post_query("text/plain query", b"ASK {}", "text/plain"),
    _post_query("image query", b"\x89PNG\r\n", "image/png"),
    _post_query("no content type", b"ASK {}", ""),
    _post_query("multipart without boundary", b"--x\r\n\r\n", "multipart/form-data"),
    _post_query("json to sparql", b'{"query": "ASK {}"}', "application/json"),
    _put("turtle labelled json-ld", b"<http://e/a> <http://e/p> 1 .", "application/ld+json"),
    _put("unknown rdf type", b"<http://e/a> <http://e/p> 1 .", "application/x-unknown"),
    _put(
        "multipart with broken part",
        b"--b\r\nContent-Type: text/turtle\r\n\r\n<http://e/a\r\n--b--\r\n",
        "multipart/form-data; boundary=b",
    ),
    _update("update as query type", b"ASK {}", "application/sparql-query"),
    Case(
        "validate with nonsense",
        "POST",
        "/validate",
        {"with": "everything"},
        {"Content-Type": "text/turtle"},
        b"<http://e/a> <http://e/p> 1 .",
    ),
    # Truncated bodies (complete but cut-off documents; cut connections are in the test)
    _put("truncated turtle", b'<http://e/a> <http://e/p> "unfinished', "text/turtle"),
    _put("truncated n-triples", b"<http://e/a> <http://e/p> <http://e/", "application/n-triples"),
    _put(
        "truncated rdf/xml",
        b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/'
        b'02/22-rdf-syntax-ns#"><rdf:Description',
        "application/rdf+xml",
    ),
    _put("truncated json-ld", b'{"@id": "http://e/a", "http://e/p": [', "application/ld+json"),
    _update("truncated update", b"INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/p> "),
    _post_query(
        "truncated form", b"query=SELECT%20*%20WHERE%20%7B%20", "application/x-www-form-urlencoded"
    ),
    # Methods and parameters
    Case("patch sparql", "PATCH", "/sparql"),
    Case("two queries", "GET", "/sparql", {"query": "ASK {}", "query ": "x"}),
    Case("update by get", "GET", "/sparql", {"update": "CLEAR ALL"}),
    Case("delete the store", "DELETE", GSP, write=True),
    Case(
        "drop all by query param",
        "POST",
        "/sparql",
        {"update": "DROP ALL"},
        {"Content-Type": "application/sparql-query"},
        b"ASK {}",
    ),
    _update("drop all twice in one request", b"DROP ALL ; DROP ALL ; LOAD <http://127.0.0.1:9/>"),
    _update(
        "service in update",
        b"INSERT { <http://e/a> <http://e/p> ?o } WHERE { SERVICE "
        b"<http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    ),
]
