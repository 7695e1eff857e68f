"""A query worker without the full-text index sends back a query that called the full-text
function, whatever else became of its run here."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from service import query_worker
from service.limits import Caps
from service.search.sparql_function import TEXT_SCORE
from service.sparql.protocol import QueryOperation
from service.store.oxigraph import OxigraphStore

JSON = "application/sparql-results+json"
SPELT_OTHERWISE = (
    "PREFIX o: <https://w3id.org/osaamiskartta/> SELECT ?s WHERE { ?s ?p ?o "
    'FILTER(COALESCE(o:fn\\#textScore(?s, "x0") < 1, true)) }'
)


@pytest.fixture
def store() -> OxigraphStore:
    store = OxigraphStore(None)
    for i in range(5):
        store._store.add(
            ox.Quad(
                ox.NamedNode(f"http://example.org/{i}"),
                ox.NamedNode("http://example.org/p"),
                ox.Literal(f"x{i}"),
                ox.NamedNode("http://example.org/g"),
            )
        )
    store.functions = {TEXT_SCORE: query_worker._counted(query_worker._no_index)}
    return store


def ask(store: OxigraphStore, query: str, caps: Caps) -> str:
    request = query_worker.QueryRequest(None, QueryOperation(query, None), JSON, None, caps)  # type: ignore[arg-type]
    return query_worker.answer(store, request)[0]


def test_a_call_without_the_index_is_sent_back(store: OxigraphStore) -> None:
    assert ask(store, SPELT_OTHERWISE, Caps()) == "elsewhere"


def test_sent_back_even_when_the_run_here_broke_a_cap(store: OxigraphStore) -> None:
    # Five rows past a cap of three: refused here, for rows counted without the scores.
    assert ask(store, SPELT_OTHERWISE, Caps(max_rows=3)) == "elsewhere"
    plain = "SELECT ?s WHERE { ?s ?p ?o }"
    assert ask(store, plain, Caps(max_rows=3)) == "problem"
    assert ask(store, plain, Caps()) == "ok"
