"""Parameters of named queries are typed terms bound with VALUES, never pasted as text."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from service.named_queries.binding import bind, where_position
from service.named_queries.params import Parameter, ParameterProblem
from service.named_queries.registry import QueryDefinitionError, parse_named_query
from service.named_queries.runner import Page, query_text, search_candidates
from service.search import TEXT_SCORE, SearchIndex, TextScore
from service.search.index import Text
from service.store.oxigraph import OxigraphStore

EX = "http://example.org/"


def _store() -> ox.Store:
    store = ox.Store()
    for name in ("a", "b"):
        store.add(
            ox.Quad(
                ox.NamedNode(EX + name),
                ox.NamedNode(EX + "label"),
                ox.Literal(f"label {name}", language="fi"),
            )
        )
    return store


def test_values_block_goes_first_in_the_outer_where_group() -> None:
    query = (
        "PREFIX ex: <http://example.org/#where{>\n"
        "SELECT ?s # WHERE { in a comment\nWHERE {\n ?s ?p ?o }"
    )
    bound = bind(query, {"s": ox.NamedNode(EX + "a")})
    assert bound.index("VALUES") > query.index("WHERE {")
    assert "VALUES (?s) { (<http://example.org/a>) }" in bound


def test_filters_of_the_group_see_the_bound_value() -> None:
    query = "SELECT ?s WHERE { ?s ?p ?o FILTER (!BOUND(?only) || ?s = ?only) }"
    store = _store()
    everything = {str(r["s"]) for r in store.query(query)}
    only_a = {str(r["s"]) for r in store.query(bind(query, {"only": ox.NamedNode(EX + "a")}))}
    assert everything == {f"<{EX}a>", f"<{EX}b>"}
    assert only_a == {f"<{EX}a>"}


def test_a_query_without_where_cannot_take_parameters() -> None:
    with pytest.raises(ValueError):
        where_position("SELECT * { ?s ?p ?o }")


@pytest.mark.parametrize(
    "hostile",
    [
        '"} } ; DROP ALL ; SELECT * WHERE { {',
        'label a"@fi } UNION { ?s ?p ?o } #',
        '\\" ) } INSERT DATA { <x:a> <x:b> <x:c> } #',
        "label a\n} . DROP ALL",
    ],
)
def test_a_string_value_with_sparql_syntax_stays_one_literal(hostile: str) -> None:
    parameter = Parameter(name="text", type="string", lang="fi")
    query = "SELECT ?s WHERE { ?s <http://example.org/label> ?text }"
    store = _store()
    rows = list(store.query(bind(query, {"text": parameter.to_term(hostile)})))
    assert rows == []
    assert len(list(store)) == 2


def test_a_hostile_iri_value_is_refused_by_name() -> None:
    parameter = Parameter(name="network", type="iri")
    with pytest.raises(ParameterProblem) as problem:
        parameter.to_term("http://example.org/> } ; DROP ALL ; #")
    assert problem.value.parameter == "network"


@pytest.mark.parametrize(
    ("parameter", "raw", "reason"),
    [
        (
            Parameter(name="year", type="integer", minimum=1900, maximum=2100),
            "20x3",
            "not an integer",
        ),
        (
            Parameter(name="year", type="integer", minimum=1900, maximum=2100),
            "1800",
            "below the minimum",
        ),
        (Parameter(name="day", type="date"), "2023-02-30", "not a date"),
        (Parameter(name="answered", type="boolean"), "maybe", "not a boolean"),
        (Parameter(name="lang", type="enum", values=("fi", "en")), "sv", "not one of"),
        (Parameter(name="goal", type="iri"), "pohjois-savo-elo-2", "not an absolute IRI"),
    ],
)
def test_a_wrong_value_names_the_parameter_and_the_reason(
    parameter: Parameter, raw: str, reason: str
) -> None:
    with pytest.raises(ParameterProblem) as problem:
        parameter.to_term(raw)
    assert problem.value.parameter == parameter.name
    assert reason in problem.value.reason


def test_values_become_typed_terms() -> None:
    assert Parameter(name="y", type="integer").to_term("2023") == ox.Literal(
        "2023", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    )
    assert Parameter(name="d", type="date").to_term("2023-12-31").datatype == ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#date"
    )
    assert Parameter(name="t", type="string", lang="fi").to_term("ohjaus").language == "fi"


HEADER = """#+ title:
#+   fi: Testi
#+   en: Test
#+ params:
#+   year:
#+     type: integer
#+     required: true
#+   lang:
#+     type: enum
#+     values: [fi, en]
#+     default: fi
SELECT ?s WHERE { ?s ?p ?year }
"""


def test_defaults_fill_in_and_required_parameters_are_required() -> None:
    query = parse_named_query(HEADER, "test")
    assert query.resolve({"year": "2020"})["lang"] == ox.Literal("fi")
    with pytest.raises(ParameterProblem) as problem:
        query.resolve({})
    assert problem.value.parameter == "year"


def test_an_undeclared_parameter_is_refused() -> None:
    query = parse_named_query(HEADER, "test")
    with pytest.raises(ParameterProblem) as problem:
        query.resolve({"year": "2020", "region": "x"})
    assert problem.value.parameter == "region"


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?s WHERE { ?s ?p ?o }",  # no header
        "#+ title: {fi: A, en: B}\nSELECT ?s WHERE { ?s ?p ",  # SPARQL does not parse
        "#+ title: {fi: A, en: B}\n#+ params: {x: {type: colour}}\nSELECT ?x WHERE { ?x ?p ?o }",
    ],
)
def test_a_broken_query_file_is_refused_when_loaded(text: str) -> None:
    with pytest.raises(QueryDefinitionError):
        parse_named_query(text, "broken")


SEARCHING = (
    "#+ title: {fi: Haku, en: Search}\n"
    "#+ params: {words: {type: string, required: true}}\n"
    "#+ search: {words: words, binds: thing}\n"
    "PREFIX okfn: <https://w3id.org/osaamiskartta/fn#>\n"
    "SELECT ?thing ?score WHERE { ?thing <http://example.org/label> ?l "
    "BIND (okfn:textScore(?thing, ?words) AS ?score) FILTER (BOUND(?score)) }"
)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("{words: words, binds: thing}", "{words: other, binds: thing}"),  # no such parameter
        ("{words: words, binds: thing}", "{binds: thing}"),  # no words
        ("{words: words, binds: thing}", "{words: words, binds: score}"),  # not what it scores
        ("required: true", "required: false"),  # the words may be missing
        ("okfn:textScore(?thing, ?words)", "STR(?thing)"),  # the query keeps every resource
    ],
)
def test_a_search_binding_that_could_change_the_answer_is_refused(old: str, new: str) -> None:
    parse_named_query(SEARCHING, "search")  # as written, it is accepted
    with pytest.raises(QueryDefinitionError):
        parse_named_query(SEARCHING.replace(old, new), "search")


def _searching_store(*resources: str) -> OxigraphStore:
    """A store whose okfn:textScore reads an index of ``resources``, each titled 'ohjaus'."""
    index = SearchIndex()
    index.replace([(r, [Text("title", "fi", "Ohjaus")]) for r in resources], fingerprint=1)
    store = OxigraphStore()
    store.functions[TEXT_SCORE] = TextScore(index)
    return store


def test_the_search_binding_puts_the_index_matches_first_in_the_where_group() -> None:
    query = parse_named_query(SEARCHING, "search")
    store = _searching_store(EX + "a", EX + "b")
    terms = query.resolve({"words": "ohjauksen"})
    candidates = search_candidates(store, query, terms)
    assert candidates is not None
    assert sorted(c.value for c in candidates) == [EX + "a", EX + "b"]
    text = query_text(query, terms, Page(), candidates)
    group = text[text.index("WHERE {") : text.index("?thing <http://example.org/label>")]
    assert f"VALUES ?thing {{ {' '.join(map(str, candidates))} }}" in group
    assert search_candidates(store, query, query.resolve({"words": "strategia"})) == []


def test_no_search_binding_where_a_blank_node_matches_or_no_index_is_there() -> None:
    query = parse_named_query(SEARCHING, "search")
    terms = query.resolve({"words": "ohjaus"})
    assert search_candidates(_searching_store(EX + "a", "_:b1"), query, terms) is None
    assert search_candidates(OxigraphStore(), query, terms) is None


NAMING = (
    "#+ title: {fi: Nimihaku, en: Name search}\n"
    "#+ params: {text: {type: string, required: true}}\n"
    "#+ search: {words: text, binds: thing, match: name}\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "SELECT ?thing WHERE { ?thing skos:prefLabel ?name .\n"
    "  FILTER (CONTAINS(LCASE(STR(?name)), LCASE(?text))) }"
)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("match: name", "match: label"),  # no such kind of match
        ("skos:prefLabel", "skos:altLabel"),  # other names than the index's titles
        ("CONTAINS(LCASE(STR(?name)), LCASE(?text))", "STRSTARTS(STR(?name), ?text)"),
        ("?thing skos:prefLabel ?name", "?other skos:prefLabel ?name"),  # not what it binds
    ],
)
def test_a_name_search_binding_that_could_change_the_answer_is_refused(old: str, new: str) -> None:
    parse_named_query(NAMING, "names")  # as written, it is accepted
    with pytest.raises(QueryDefinitionError):
        parse_named_query(NAMING.replace(old, new), "names")


def test_a_name_search_is_bound_to_the_resources_with_a_name_containing_the_text() -> None:
    query = parse_named_query(NAMING, "names")
    store = _searching_store(EX + "a", EX + "b")  # both titled "Ohjaus"
    terms = query.resolve({"text": "HJAU"})
    candidates = search_candidates(store, query, terms)
    assert candidates is not None
    assert sorted(c.value for c in candidates) == [EX + "a", EX + "b"]
    assert "VALUES ?thing" in query_text(query, terms, Page(), candidates)
    assert search_candidates(store, query, query.resolve({"text": "strategia"})) == []
    assert search_candidates(store, query, query.resolve({"text": "oh"})) is None  # too short
