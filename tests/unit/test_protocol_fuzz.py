"""Property-based fuzzing of the protocol handlers: whatever arrives, they answer with a
client error (a ServiceError below 500) or a value, never another exception."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.errors import ServiceError
from service.graph_store import parse_body, resolve_target
from service.nesting import check_nesting
from service.outbound import check_outbound, outbound_targets
from service.sparql.conneg import negotiate
from service.sparql.formats import RESULT_FORMATS
from service.sparql.protocol import HttpRequest, parse_request
from service.xml_guard import check_entities

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
text = st.text(max_size=200)
names = st.sampled_from(
    [
        "query",
        "update",
        "default-graph-uri",
        "named-graph-uri",
        "using-graph-uri",
        "format",
        "output",
        "graph",
        "default",
        "x",
    ]
)
params = st.lists(st.tuples(names, text), max_size=5).map(tuple)
content_types = st.one_of(
    st.none(),
    text,
    st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "application/sparql-query",
            "application/sparql-update",
            "multipart/form-data; boundary=b",
            "text/turtle",
            "application/rdf+xml",
            "application/ld+json",
            "application/sparql-query; charset=latin1",
        ]
    ),
)
methods = st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "get", "BREW"])


def client_error(exc: ServiceError) -> None:
    assert 400 <= exc.status < 500, exc


@FUZZ
@given(methods, params, content_types, st.binary(max_size=300), st.booleans())
def test_parse_request_answers_or_refuses(method, query, ctype, body, queries) -> None:
    try:
        parse_request(HttpRequest(method, query, ctype, body), accepts_queries=queries)
    except ServiceError as exc:
        client_error(exc)


@FUZZ
@given(params, st.one_of(st.none(), text))
def test_resolve_target_answers_or_refuses(query, direct) -> None:
    try:
        resolve_target(query, direct)
    except ServiceError as exc:
        client_error(exc)


@FUZZ
@given(content_types, st.binary(max_size=300))
def test_parse_body_answers_or_refuses(ctype, body) -> None:
    try:
        parse_body(ctype, body, "http://e/base")
    except ServiceError as exc:
        client_error(exc)


@FUZZ
@given(st.one_of(st.none(), text), st.one_of(st.none(), text))
def test_negotiation_answers_or_refuses(accept, fmt) -> None:
    try:
        negotiate(accept, fmt, RESULT_FORMATS)
    except ServiceError as exc:
        client_error(exc)


@FUZZ
@given(st.text(alphabet="SERVICELOADsilent <>{}?\"'#:/.\\ \nhttp", max_size=120))
def test_outbound_check_refuses_every_target_not_allowlisted(query) -> None:
    try:
        check_outbound(query, ("http://allowed.example/",))
    except ServiceError as exc:
        client_error(exc)
        return
    for _, iri in outbound_targets(query):
        assert iri is not None and iri.startswith("http://allowed.example/")


@FUZZ
@given(st.binary(max_size=400), st.text(alphabet="{[(<\"'#)]}\nab", max_size=400))
def test_guards_answer_or_refuse(data, brackets) -> None:
    for call in (lambda: check_entities(data), lambda: check_nesting(brackets, "query", 8)):
        try:
            call()
        except ServiceError as exc:
            client_error(exc)
