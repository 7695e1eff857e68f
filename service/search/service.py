"""Full-text search as the service offers it: parameters checked, filters, labels, snippets."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from service.errors import ParameterProblem
from service.parameters import integer
from service.publishing.labels import LabelSet, compact, pick, vocabulary_labels
from service.publishing.links import Links
from service.search.fields import ALT, BODY, TITLE
from service.search.highlight import highlight, matched_spans
from service.search.index import Match, SearchIndex, Terms, Text
from service.store.base import Store

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SKOS_PREF = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
DCT_SPATIAL = ox.NamedNode("http://purl.org/dc/terms/spatial")
OK_SECTOR = ox.NamedNode("https://w3id.org/osaamiskartta/ontology#sector")
MAX_QUERY = 500
MAX_LIMIT = 100
MAX_OFFSET = 10_000
COUNT_CAP = 10_000
_FIELD_ORDER = {TITLE: 0, ALT: 1, BODY: 2}


@dataclass(frozen=True)
class SearchRequest:
    """A checked search: the text, filters (IRIs) and the page wanted."""

    q: str
    classes: tuple[str, ...] = ()
    region: str | None = None
    sector: str | None = None
    limit: int = 20
    offset: int = 0


@dataclass(frozen=True)
class Snippet:
    """One matching text of a hit, as HTML with the matched words in ``<mark>``."""

    field: str
    lang: str
    html: str


@dataclass(frozen=True)
class SearchHit:
    """One resource found, its best label, types and the texts that matched."""

    iri: str
    href: str
    label: str
    score: float
    types: tuple[str, ...]
    snippets: tuple[Snippet, ...]


@dataclass(frozen=True)
class SearchAnswer:
    """A page of hits and how many there are in all (``capped``: at least that many)."""

    request: SearchRequest
    total: int
    capped: bool
    hits: tuple[SearchHit, ...]


def _iri(name: str, value: str) -> str:
    try:
        return ox.NamedNode(value).value
    except ValueError:
        raise ParameterProblem(name, f"{value!r} is not an absolute IRI") from None


def parse_request(params: Mapping[str, list[str]]) -> SearchRequest:
    """Check the query parameters: ``q`` (required), ``class`` (repeatable), ``region``,
    ``sector``, ``limit`` and ``offset``; a bad value raises ParameterProblem (400)."""

    def one(name: str) -> str | None:
        values = params.get(name, [])
        if len(values) > 1:
            raise ParameterProblem(name, "give it once")
        return values[0] if values else None

    q = (one("q") or "").strip()
    if not q:
        raise ParameterProblem("q", "say what to search for, e.g. q=ohjaus")
    if len(q) > MAX_QUERY:
        raise ParameterProblem("q", f"at most {MAX_QUERY} characters")
    region, sector = one("region"), one("sector")
    return SearchRequest(
        q,
        tuple(_iri("class", c) for c in params.get("class", []) if c),
        _iri("region", region) if region else None,
        _iri("sector", sector) if sector else None,
        integer("limit", one("limit"), 20, 1, MAX_LIMIT),
        integer("offset", one("offset"), 0, 0, MAX_OFFSET),
    )


def _filter(store: Store, request: SearchRequest) -> Callable[[str], bool] | None:
    """Whether a resource passes the filters; read from the store, inferences included, so
    a filter on org:Organization keeps universities."""
    checks: list[tuple[ox.NamedNode, tuple[ox.NamedNode, ...]]] = []
    if request.classes:
        checks.append((RDF_TYPE, tuple(ox.NamedNode(c) for c in request.classes)))
    if request.region:
        checks.append((DCT_SPATIAL, (ox.NamedNode(request.region),)))
    if request.sector:
        checks.append((OK_SECTOR, (ox.NamedNode(request.sector),)))

    if not checks:
        return None

    def keep(iri: str) -> bool:
        if iri.startswith("_:"):
            return False
        node = ox.NamedNode(iri)
        return all(
            any(store.match(node, predicate, value) for value in values)
            for predicate, values in checks
        )

    return keep


def search(
    store: Store,
    index: SearchIndex,
    request: SearchRequest,
    lang: str,
    links: Links,
    shown_type: Callable[[ox.Quad], bool] = lambda q: True,
) -> SearchAnswer:
    """Run a search: ranked hits with labels in ``lang`` and highlighted snippets."""
    terms = index.terms(request.q)
    if terms is None:
        raise ParameterProblem("q", "has no words to search for")
    matches, total = index.search(
        terms, _filter(store, request), request.offset, request.limit, COUNT_CAP
    )
    hits = tuple(_hit(store, m, terms, lang, links, shown_type) for m in matches)
    return SearchAnswer(request, total, total >= COUNT_CAP, hits)


def _pick_title(texts: tuple[Text, ...], lang: str) -> str | None:
    labels = LabelSet()
    for t in texts:
        if t.field == TITLE:
            labels.add(ox.Literal(t.value, language=t.lang) if t.lang else ox.Literal(t.value))
    return labels.pick(lang)


def _type_names(
    store: Store, iri: str, lang: str, shown: Callable[[ox.Quad], bool]
) -> tuple[str, ...]:
    if iri.startswith("_:"):
        return ()
    names = set()
    for quad in store.match(ox.NamedNode(iri), RDF_TYPE, None):
        cls = quad.object
        if not shown(quad) or not isinstance(cls, ox.NamedNode):
            continue
        labels = [q.object for q in store.match(cls, SKOS_PREF, None)]
        known = vocabulary_labels().get(cls.value)
        names.add(
            pick([lit for lit in labels if isinstance(lit, ox.Literal)], lang)
            or (known.pick(lang) if known else None)
            or compact(cls.value)
        )
    return tuple(sorted(names))


def _hit(
    store: Store,
    match: Match,
    terms: Terms,
    lang: str,
    links: Links,
    shown: Callable[[ox.Quad], bool],
) -> SearchHit:
    snippets = []
    for text in sorted(match.texts, key=lambda t: (_FIELD_ORDER[t.field], t.lang != lang)):
        spans = matched_spans(text.value, text.lang, terms)
        if spans:
            snippets.append(Snippet(text.field, text.lang, highlight(text.value, spans)))
    href = match.iri if match.iri.startswith("_:") else links.href(match.iri)
    return SearchHit(
        match.iri,
        href,
        _pick_title(match.texts, lang) or compact(match.iri),
        round(match.score, 4),
        _type_names(store, match.iri, lang, shown),
        tuple(snippets[:3]),
    )


@dataclass(frozen=True)
class Searching:
    """What the routes need to search: the index and which type statements to show."""

    index: SearchIndex
    shown: Callable[[ox.Quad], bool]


def answer_json(answer: SearchAnswer) -> dict[str, object]:
    """The JSON form of an answer (the /api/search response)."""
    r = answer.request
    return {
        "query": r.q,
        "filters": {"class": list(r.classes), "region": r.region, "sector": r.sector},
        "offset": r.offset,
        "limit": r.limit,
        "total": answer.total,
        "totalIsLowerBound": answer.capped,
        "hits": [
            {
                "iri": h.iri,
                "label": h.label,
                "score": h.score,
                "types": list(h.types),
                "href": h.href,
                "highlights": [
                    {"field": s.field, "lang": s.lang, "html": s.html} for s in h.snippets
                ],
            }
            for h in answer.hits
        ],
    }
