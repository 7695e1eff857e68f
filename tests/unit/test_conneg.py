"""Content negotiation from Accept q-values and the format parameter."""

from __future__ import annotations

import pytest

from service.errors import NotAcceptable
from service.sparql import formats as f
from service.sparql.conneg import negotiate, parse_accept, prefers


def test_missing_accept_gets_the_servers_first_choice() -> None:
    assert negotiate(None, None, f.RESULT_FORMATS) is f.SPARQL_JSON
    assert negotiate("*/*", None, f.GRAPH_FORMATS) is f.TURTLE


def test_highest_q_value_wins() -> None:
    accept = "application/sparql-results+json;q=0.2, text/csv;q=0.9, */*;q=0.1"
    assert negotiate(accept, None, f.RESULT_FORMATS) is f.SPARQL_CSV


def test_specific_range_overrides_wildcard_q() -> None:
    assert negotiate("text/*;q=0.9, text/csv;q=0", None, f.RESULT_FORMATS) is f.SPARQL_TSV


def test_aliases_are_understood() -> None:
    assert negotiate("application/json", None, f.RESULT_FORMATS) is f.SPARQL_JSON
    assert negotiate("application/json", None, f.GRAPH_FORMATS) is f.JSON_LD
    assert negotiate("application/xml", None, f.GRAPH_FORMATS) is f.RDF_XML


def test_format_parameter_wins_over_accept() -> None:
    assert negotiate("text/csv", "xml", f.RESULT_FORMATS) is f.SPARQL_XML
    assert negotiate(None, "application/n-triples", f.GRAPH_FORMATS) is f.N_TRIPLES


@pytest.mark.parametrize(
    ("accept", "fmt"), [("image/png", None), (None, "turtle"), ("text/csv;q=0", None)]
)
def test_nothing_fitting_is_not_acceptable(accept: str | None, fmt: str | None) -> None:
    with pytest.raises(NotAcceptable):
        negotiate(accept, fmt, f.RESULT_FORMATS)


def test_malformed_accept_entries_are_skipped() -> None:
    assert [r.type for r in parse_accept("garbage, text/csv;q=abc, ;;")] == ["text"]


def test_browsers_prefer_html_over_rdf_xml() -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert prefers(browser, "text/html", (f.TURTLE, f.RDF_XML))
    assert not prefers("text/turtle", "text/html", (f.TURTLE,))
    assert not prefers("*/*", "text/html", (f.TURTLE,))
