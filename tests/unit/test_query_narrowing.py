"""A named query's narrowing changes where the engine starts, never the answer."""

from __future__ import annotations

import dataclasses
import io
import itertools
import re
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from service.named_queries import load_registry
from service.named_queries.registry import NamedQuery, QueryDefinitionError, parse_named_query
from service.named_queries.runner import Page, execute, records
from service.rdf import parse_triples
from service.sparql.formats import N_TRIPLES, SPARQL_JSON, TURTLE
from service.store.base import GraphChange, fresh_blank_nodes
from service.store.oxigraph import OxigraphStore
from service.synth.generator import generate

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = load_registry(ROOT / "queries")
NARROWED = [q for q in REGISTRY if q.narrowing]
REPEATED = (
    "http://purl.org/dc/terms/spatial",
    "http://schema.org/provider",
    "https://w3id.org/osaamiskartta/ontology#sector",
)


@pytest.fixture(scope="module")
def store() -> OxigraphStore:
    """The model, the documents, the queries' user data and a small synthetic country; every
    third triple of the narrowing patterns' properties is stated again in another graph (as
    the union default graph then yields it twice)."""
    changes = [
        GraphChange(f"urn:test:{path.stem}", parse_triples(path.read_bytes(), TURTLE))
        for directory in ("ontology", "data", "tests/fixtures/queries")
        for path in sorted((ROOT / directory).glob("*.ttl"))
    ]
    synthetic = io.StringIO()
    generate(synthetic, 10_000, 5)
    changes.append(
        GraphChange("urn:test:synth", parse_triples(synthetic.getvalue().encode(), N_TRIPLES))
    )
    store = OxigraphStore()
    store.apply(fresh_blank_nodes(changes))
    again = [
        quad.triple
        for predicate in REPEATED
        for quad in itertools.islice(store.match(predicate=ox.NamedNode(predicate)), 0, None, 3)
    ]
    store.apply([GraphChange("urn:test:again", tuple(again))])
    return store


def _rows(store: OxigraphStore, query: NamedQuery, params: dict[str, str], page: Page) -> Any:
    result = execute(store, query, query.resolve(params), page)
    return records(result.serialize(SPARQL_JSON))[1]


def _values(store: OxigraphStore, query: NamedQuery, parameter: str) -> list[str]:
    """Some values of the parameter that the narrowing's pattern matches in the data."""
    pattern = next(n.pattern for n in query.narrowing if n.parameter == parameter)
    prefixes = "\n".join(re.findall(r"^PREFIX .*$", query.sparql, re.MULTILINE))
    text = f"{prefixes}\nSELECT DISTINCT ?{parameter} WHERE {{ {pattern} }}"
    found = records(store.query(text).serialize(SPARQL_JSON))[1]
    values = sorted(str(row[parameter]) for row in found)
    return values[:: max(1, len(values) // 3)][:4]


@pytest.mark.parametrize("query", NARROWED, ids=lambda q: q.name)
def test_each_narrowing_and_their_combinations_give_the_unnarrowed_answer(
    store: OxigraphStore, query: NamedQuery
) -> None:
    plain = dataclasses.replace(query, narrowing=())
    names = [n.parameter for n in query.narrowing]
    choices = {name: _values(store, query, name) for name in names}
    assert all(choices.values()), choices
    compared = 0
    for size in range(1, len(names) + 1):
        for combination in itertools.combinations(names, size):
            for values in itertools.product(*(choices[name] for name in combination)):
                params = dict(zip(combination, values, strict=True))
                assert query.sparql_for(query.resolve(params)) != query.sparql
                for page in (Page(limit=7), Page(limit=7, offset=7)):
                    narrowed = _rows(store, query, params, page)
                    assert narrowed == _rows(store, plain, params, page), params
                    compared += bool(narrowed)
    assert compared > 10  # most comparisons had rows to compare


def test_the_first_given_parameter_of_the_header_chooses_the_narrowing() -> None:
    query = REGISTRY.get("institution-offers")
    assert query is not None
    region, sector = (
        "https://w3id.org/osaamiskartta/id/region/lappi",
        ("https://w3id.org/osaamiskartta/id/sector/07"),
    )
    assert query.sparql_for(query.resolve({})) == query.sparql
    both = query.sparql_for(query.resolve({"sector": sector, "region": region}))
    (by_region,) = [n for n in query.narrowing if n.parameter == "region"]
    assert both == by_region.text != query.sparql


HEADER = """#+ title: {fi: Testi, en: Test}
#+ params:
#+   region: {type: iri}
"""


@pytest.mark.parametrize(
    ("narrowing", "select", "problem"),
    [
        ('#+ narrowing: {sector: "?s ?p ?sector ."}\n', "SELECT DISTINCT", "not a parameter"),
        ('#+ narrowing: {region: "?s ?p ?o ."}\n', "SELECT DISTINCT", "using ?region"),
        ('#+ narrowing: {region: "?s ?p ?region ."}\n', "SELECT", "SELECT DISTINCT"),
        ('#+ narrowing: {region: "?s ?p ?region"}\n', "SELECT DISTINCT", "does not parse"),
        ("#+ narrowing: [region]\n", "SELECT DISTINCT", "narrowing is"),
    ],
)
def test_a_narrowing_that_cannot_be_used_is_refused_when_the_queries_load(
    narrowing: str, select: str, problem: str
) -> None:
    text = f"{HEADER}{narrowing}{select} ?s WHERE {{ ?s ?p ?region }}\n"
    with pytest.raises(QueryDefinitionError, match=re.escape(problem)):
        parse_named_query(text, "test")


def test_a_distinct_sub_select_or_comment_does_not_make_the_query_distinct() -> None:
    text = (
        f'{HEADER}#+ narrowing: {{region: "?s ?p ?region ."}}\n'
        "# SELECT DISTINCT, said in a comment\n"
        "SELECT ?s WHERE {\n"
        "  {\n"
        "    SELECT DISTINCT ?s ?p ?region WHERE { ?s ?p ?region }\n"
        "  }\n"
        "}\n"
    )
    with pytest.raises(QueryDefinitionError, match="SELECT DISTINCT"):
        parse_named_query(text, "test")
    assert parse_named_query(text.replace("SELECT ?s", "SELECT DISTINCT ?s"), "test").narrowing
