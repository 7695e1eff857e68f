"""Running a named query on a store: parameter checks against the data, binding, paging."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyoxigraph import NamedNode

from service.named_queries.binding import bind, bind_rows
from service.named_queries.params import ParameterProblem, Term
from service.named_queries.registry import NamedQuery
from service.search.sparql_function import TEXT_SCORE, TextScore
from service.sparql.formats import SPARQL_JSON
from service.store.base import QueryDataset, QueryResult, Store

if TYPE_CHECKING:
    from service.publishing.version import VersionedMemo

_RQ = Path(__file__).parent / "rq"
XSD = "http://www.w3.org/2001/XMLSchema#"
MAX_LIMIT = 10_000
# Far beyond any answer, and well inside what the engine's OFFSET takes.
MAX_OFFSET = 2**53


@cache
def rq(name: str) -> str:
    """The text of one of the package's own queries (``rq/{name}.rq``)."""
    return (_RQ / f"{name}.rq").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Page:
    """Which slice of the answer to return."""

    limit: int = 100
    offset: int = 0

    @classmethod
    def parse(cls, limit: str | None, offset: str | None, maximum: int = MAX_LIMIT) -> Page:
        """Validate `limit` and `offset` request values; ParameterProblem when out of range."""
        page = cls()
        values = {"limit": page.limit, "offset": page.offset}
        for name, raw in (("limit", limit), ("offset", offset)):
            if raw is None or raw == "":
                continue
            try:
                values[name] = int(raw)
            except ValueError:
                raise ParameterProblem(name, f"{raw!r} is not an integer") from None
        if not 1 <= values["limit"] <= maximum:
            raise ParameterProblem("limit", f"must be between 1 and {maximum}")
        if not 0 <= values["offset"] <= MAX_OFFSET:
            raise ParameterProblem("offset", f"must be between 0 and {MAX_OFFSET}")
        return cls(**values)


def check_against_data(
    store: Store,
    query: NamedQuery,
    terms: dict[str, Term],
    known: VersionedMemo[tuple[str, str, str], bool] | None = None,
) -> None:
    """Refuse concept values outside their scheme and IRIs not of the declared class.

    ``known`` keeps the answers until the next write, sparing a query per parameter when the
    same values come again.
    """
    for parameter in query.parameters:
        term = terms.get(parameter.name)
        if not isinstance(term, NamedNode):
            continue
        if parameter.type == "concept" and parameter.scheme:
            check, name, expected = "in_scheme", "scheme", parameter.scheme
            reason = f"<{term.value}> is not a concept of <{parameter.scheme}>"
        elif parameter.rdf_class:
            check, name, expected = "has_class", "class", parameter.rdf_class
            reason = f"<{term.value}> is not a {parameter.rdf_class}"
        else:
            continue
        values: dict[str, Term] = {"value": term, name: NamedNode(expected)}
        if known is None:
            passes = _holds(store, check, values)
        else:
            key = (check, term.value, expected)
            kept = known.get(key)
            if kept is None:
                at = known.now()
                kept = _holds(store, check, values)
                known.put(key, kept, at)
            passes = kept
        if not passes:
            raise ParameterProblem(parameter.name, reason)


def _holds(store: Store, check: str, values: dict[str, Term]) -> bool:
    """The answer of one of the ASK checks with ``values`` bound."""
    answer = store.query(bind(rq(check), values))
    return bool(json.loads(answer.serialize(SPARQL_JSON))["boolean"])


def execute(
    store: Store,
    query: NamedQuery,
    terms: dict[str, Term],
    page: Page,
    dataset: QueryDataset | None = None,
) -> QueryResult:
    """Evaluate the query with its parameters bound; SELECT answers are paged.

    One row more than the page is asked for, so the caller can tell whether a next page exists.
    """
    candidates = search_candidates(store, query, terms)
    return store.query(query_text(query, terms, page, candidates), dataset=dataset)


def search_candidates(
    store: Store, query: NamedQuery, terms: dict[str, Term]
) -> list[NamedNode] | None:
    """The resources a query with a ``search`` header can keep: the search index's matches
    for its words (None: no such header, no index on this store, or a blank node matches)."""
    if query.search is None:
        return None
    function = getattr(store, "functions", {}).get(TEXT_SCORE)
    words = terms.get(query.search.words)
    if not isinstance(function, TextScore) or words is None:
        return None
    if query.search.match == "name":
        return function.name_matches(words.value)
    return function.matches(words.value)


def query_text(
    query: NamedQuery,
    terms: dict[str, Term],
    page: Page,
    candidates: list[NamedNode] | None = None,
) -> str:
    """The text ``execute`` evaluates: the parameters bound (and the search binding's variable
    to its ``candidates``), one row more than the page."""
    text = bind(query.sparql_for(terms), terms)
    if candidates is not None and query.search is not None:
        text = bind_rows(text, query.search.variable, candidates)
    if query.form == "SELECT":
        text = f"{text}\nLIMIT {page.limit + 1}\nOFFSET {page.offset}"
    return text


def records(sparql_json: bytes) -> tuple[list[str], list[dict[str, Any]]]:
    """Columns and plain records (IRIs as strings, typed literals as JSON values)."""
    document = json.loads(sparql_json)
    columns = list(document["head"].get("vars", []))
    rows = [
        {column: plain_value(binding[column]) if column in binding else None for column in columns}
        for binding in document["results"]["bindings"]
    ]
    return columns, rows


def plain_value(term: dict[str, str]) -> Any:
    """A SPARQL JSON term as a plain JSON value."""
    value = term["value"]
    datatype = term.get("datatype", "")
    if term["type"] == "literal" and datatype.startswith(XSD):
        local = datatype[len(XSD) :]
        if local in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger"):
            return int(value)
        if local in ("decimal", "double", "float"):
            return float(value)
        if local == "boolean":
            return value in ("true", "1")
    return value
