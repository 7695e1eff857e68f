"""Which queries a cheap run vouches for: none that calls what varies from run to run."""

from __future__ import annotations

import pytest

from service.sparql.repeatable import repeatable


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1",
        "SELECT ?label WHERE { <http://example.org/random-thing> ?p ?label }",  # not a call
        "ASK { ?s <http://example.org/nowhere> ?o }",
        'SELECT ?s WHERE { ?s ?p "brand" }',
    ],
)
def test_queries_the_data_alone_decides_are_repeatable(query: str) -> None:
    assert repeatable(query)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { { BIND(RAND() AS ?r) FILTER(?r < 0.5) } ?s ?p ?o }",
        'ASK { FILTER(STR(NOW()) > "2030-01-01") }',
        "SELECT (uuid() AS ?u) WHERE {}",
        "SELECT (STRUUID() AS ?u) WHERE {}",
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * where { service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT ?r WHERE { BIND(Rand\n() AS ?r) }",
    ],
)
def test_queries_calling_what_varies_are_not(query: str) -> None:
    assert not repeatable(query)
