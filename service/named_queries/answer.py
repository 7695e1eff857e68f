"""A named query's answer for one request, and its renderings: records, CSV, SPARQL JSON, HTML.

The engine serialises the page once as SPARQL JSON; every other rendering is made from that, so
all formats show the same rows. When the page needed no trimming, SPARQL JSON is the engine's
own document, passed on as it is.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pyoxigraph import Literal

from service.named_queries.catalogue import SchemeConcepts
from service.named_queries.html import answer_page
from service.named_queries.params import Term
from service.named_queries.registry import NamedQuery
from service.named_queries.runner import Page, check_against_data, execute, plain_value
from service.sparql.formats import HTML, SPARQL_CSV, Format
from service.store.base import QueryDataset, Store

if TYPE_CHECKING:
    from service.publishing.version import VersionedMemo

Binding = dict[str, dict[str, str]]

# The plain records are the default; SPARQL JSON is offered under its own media type only,
# so that `application/json` means the documented records.
RECORDS_JSON = Format("json", "application/json", (), ("json",), "json")
SPARQL_RESULTS_JSON = Format(
    "sparql-json", "application/sparql-results+json", (), ("sparql-json", "srj"), "srj"
)
ANSWER_FORMATS = (RECORDS_JSON, SPARQL_CSV, SPARQL_RESULTS_JSON, HTML)


@dataclass(frozen=True)
class Links:
    """Where the neighbouring pages are (absolute URLs; None when there is none)."""

    first: str
    next: str | None = None
    previous: str | None = None


@dataclass(frozen=True)
class Answer:
    """One page of a named query's answer, with the parameters it was asked with."""

    query: NamedQuery
    terms: dict[str, Term]
    page: Page
    columns: list[str]
    bindings: list[Binding]
    has_next: bool
    links: Links | None = field(default=None, compare=False)
    # The engine's SPARQL JSON when it is exactly this page (no row beyond it to trim).
    sparql_json: bytes | None = field(default=None, compare=False, repr=False)

    @property
    def parameters(self) -> dict[str, Any]:
        """The bound parameter values as plain JSON values."""
        return {name: _term_value(term) for name, term in self.terms.items()}

    def with_links(self, links: Links) -> Answer:
        """The same answer, knowing where its neighbouring pages are."""
        return dataclasses.replace(self, links=links)


def answer(
    store: Store,
    query: NamedQuery,
    raw: dict[str, str],
    page: Page,
    dataset: QueryDataset | None = None,
    known: VersionedMemo[tuple[str, str, str], bool] | None = None,
) -> Answer:
    """Check the parameters, run the query and keep one page; ParameterProblem when one is bad.

    ``known`` keeps the parameter checks' answers until the next write."""
    terms = checked_terms(store, query, raw, known)
    engine_json = execute(store, query, terms, page, dataset).serialize(SPARQL_RESULTS_JSON)
    return paged(query, terms, page, engine_json)


def checked_terms(
    store: Store,
    query: NamedQuery,
    raw: dict[str, str],
    known: VersionedMemo[tuple[str, str, str], bool] | None = None,
) -> dict[str, Term]:
    """The parameter values as terms, checked against the data (ParameterProblem)."""
    terms = query.resolve(raw)
    check_against_data(store, query, terms, known)
    return terms


def paged(query: NamedQuery, terms: dict[str, Term], page: Page, engine_json: bytes) -> Answer:
    """One page of the engine's SPARQL JSON answer (asked with one row beyond the page)."""
    document = json.loads(engine_json)
    bindings: list[Binding] = document["results"]["bindings"]
    columns = list(document["head"].get("vars", query.columns))
    has_next = len(bindings) > page.limit
    return Answer(
        query,
        terms,
        page,
        columns,
        bindings[: page.limit],
        has_next,
        sparql_json=None if has_next else engine_json,
    )


def _term_value(term: Term) -> Any:
    if isinstance(term, Literal):
        kind = "literal"
        datatype = term.datatype.value
    else:
        kind, datatype = "uri", ""
    return plain_value({"type": kind, "value": term.value, "datatype": datatype})


def records_document(result: Answer) -> dict[str, Any]:
    """The documented plain JSON: columns, records of plain values, and the page."""
    links = result.links
    return {
        "query": result.query.name,
        "parameters": result.parameters,
        "columns": result.columns,
        "records": [
            {c: plain_value(b[c]) if c in b else None for c in result.columns}
            for b in result.bindings
        ],
        "page": {
            "limit": result.page.limit,
            "offset": result.page.offset,
            "next": links.next if links else None,
            "previous": links.previous if links else None,
        },
    }


def render_records(result: Answer) -> bytes:
    """The plain JSON as bytes."""
    return json.dumps(records_document(result), ensure_ascii=False).encode()


def render_sparql_json(result: Answer) -> bytes:
    """The page as SPARQL 1.1 Query Results JSON."""
    if result.sparql_json is not None:
        return result.sparql_json
    document = {"head": {"vars": result.columns}, "results": {"bindings": result.bindings}}
    return json.dumps(document, ensure_ascii=False).encode()


def render_csv(result: Answer) -> bytes:
    """The page as SPARQL 1.1 Query Results CSV: a header row, then lexical values."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.columns)
    for b in result.bindings:
        writer.writerow([_csv_value(b.get(c)) for c in result.columns])
    return out.getvalue().encode()


def _csv_value(term: dict[str, str] | None) -> str:
    if term is None:
        return ""
    if term["type"] == "bnode":
        return "_:" + term["value"]
    return term["value"]


def render(result: Answer, fmt: Format, concepts: SchemeConcepts | None = None) -> bytes:
    """The page in ``fmt`` (one of ANSWER_FORMATS); ``concepts`` fill the HTML form's choices."""
    if fmt == HTML:
        return answer_page(result, concepts or {}).encode()
    return {
        RECORDS_JSON.name: render_records,
        SPARQL_CSV.name: render_csv,
        SPARQL_RESULTS_JSON.name: render_sparql_json,
    }[fmt.name](result)
