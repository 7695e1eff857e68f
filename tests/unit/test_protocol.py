"""Turning protocol requests into operations, and the protocol's update dataset."""

from __future__ import annotations

import pytest

from service.errors import BadRequest, MethodNotAllowed, UnsupportedMediaType
from service.sparql.protocol import (
    DescriptionRequest,
    HttpRequest,
    QueryOperation,
    UpdateOperation,
    parse_request,
)
from service.sparql.update_dataset import apply_update_dataset
from service.store.base import QueryDataset


def test_get_with_query_and_dataset_parameters() -> None:
    op = parse_request(
        HttpRequest(
            "GET",
            (("query", "ASK {}"), ("default-graph-uri", "urn:a"), ("named-graph-uri", "urn:b")),
        )
    )
    assert op == QueryOperation("ASK {}", QueryDataset(("urn:a",), ("urn:b",)), None)


def test_get_without_query_asks_for_the_description() -> None:
    assert parse_request(HttpRequest("GET", ())) == DescriptionRequest(None)


def test_form_post_combines_url_and_body_parameters() -> None:
    op = parse_request(
        HttpRequest(
            "POST",
            (("default-graph-uri", "urn:g"),),
            "application/x-www-form-urlencoded",
            b"query=ASK%20%7B%7D",
        )
    )
    assert op == QueryOperation("ASK {}", QueryDataset(("urn:g",), ()), None)


def test_direct_posts_of_query_and_update() -> None:
    q = parse_request(HttpRequest("POST", (), "application/sparql-query", b"ASK {}"))
    u = parse_request(
        HttpRequest(
            "POST",
            (("using-graph-uri", "urn:u"),),
            "application/sparql-update; charset=UTF-8",
            b"CLEAR ALL",
        )
    )
    assert q == QueryOperation("ASK {}", None, None)
    assert u == UpdateOperation("CLEAR ALL", ("urn:u",), ())


@pytest.mark.parametrize(
    ("request_", "error"),
    [
        (HttpRequest("GET", (("query", "a"), ("query", "b"))), BadRequest),
        (HttpRequest("GET", (("update", "CLEAR ALL"),)), BadRequest),
        (HttpRequest("PUT", ()), MethodNotAllowed),
        (HttpRequest("POST", (), None, b"query=ASK"), UnsupportedMediaType),
        (HttpRequest("POST", (), "text/plain", b"ASK {}"), UnsupportedMediaType),
        (
            HttpRequest("POST", (), "application/sparql-query; charset=UTF-16", b"ASK {}"),
            UnsupportedMediaType,
        ),
        (HttpRequest("POST", (), "application/sparql-query", b"\xff\xfe"), BadRequest),
        (
            HttpRequest(
                "POST",
                (),
                "application/x-www-form-urlencoded",
                b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT",
            ),
            BadRequest,
        ),
        (
            HttpRequest("POST", (), "application/x-www-form-urlencoded", b"query=a&update=b"),
            BadRequest,
        ),
    ],
)
def test_protocol_violations_are_client_errors(request_: HttpRequest, error: type) -> None:
    with pytest.raises(error):
        parse_request(request_)


def test_update_endpoint_refuses_queries() -> None:
    with pytest.raises(UnsupportedMediaType):
        parse_request(
            HttpRequest("POST", (), "application/sparql-query", b"ASK {}"), accepts_queries=False
        )
    with pytest.raises(MethodNotAllowed):
        parse_request(HttpRequest("GET", ()), accepts_queries=False)


def test_using_graph_uri_is_added_before_where_of_modify_operations_only() -> None:
    update = (
        "PREFIX ex: <http://ex/#x> CLEAR ALL ; INSERT DATA { GRAPH <urn:g> { <urn:s> "
        '<urn:p> "WHERE {" } } ; INSERT { GRAPH <urn:h> { ?s a ex:T } } '
        "WHERE { ?s a ?t FILTER(?t < 3) } ; DELETE WHERE { ?s ?p ?o }"
    )
    out = apply_update_dataset(update, ["urn:d"], ["urn:n"])
    assert out.count("USING <urn:d> USING NAMED <urn:n> WHERE") == 1
    assert out.index("USING <urn:d>") > out.index("INSERT {")
    assert out.endswith("DELETE WHERE { ?s ?p ?o }")


@pytest.mark.parametrize(
    "update",
    [
        "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "DELETE { ?s ?p ?o } USING <urn:g> WHERE { ?s ?p ?o }",
    ],
)
def test_using_graph_uri_conflicts_with_using_or_with(update: str) -> None:
    with pytest.raises(BadRequest):
        apply_update_dataset(update, [], ["urn:n"])


def test_without_using_parameters_the_update_is_untouched() -> None:
    text = "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert apply_update_dataset(text, [], []) is text
