"""A resource's page: its description fetched from the store, arranged for reading."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from service.named_queries.binding import bind_rows
from service.publishing import sparql
from service.publishing.labels import LABEL_PROPERTIES, LabelSet, compact, vocabulary_labels
from service.publishing.layout import Group, PropertyLayout
from service.publishing.links import Links
from service.store.base import Store

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DEFINITIONS = (f"{SKOS}definition", "http://purl.org/dc/terms/description")
SOURCE = "http://purl.org/dc/terms/source"
ALT_LABEL = f"{SKOS}altLabel"
XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True)
class Value:
    """One value on a page: a linked resource (by label), a literal, or a blank node's rows."""

    text: str
    href: str | None = None
    iri: str | None = None
    lang: str | None = None
    datatype: str | None = None
    details: tuple[Row, ...] = ()


@dataclass(frozen=True)
class Row:
    """A property and its values."""

    predicate: str
    label: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Section:
    """A group of rows under one heading."""

    group: Group
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class ResourcePage:
    """Everything a resource's HTML page shows."""

    iri: str
    label: str
    types: tuple[Value, ...]
    definition: str | None
    alt_labels: tuple[str, ...]
    sections: tuple[Section, ...]
    incoming: tuple[Row, ...]
    # How many resources link to it; a lower bound when not exact (INCOMING_COUNTED).
    incoming_total: int
    incoming_total_exact: bool
    sources: tuple[Value, ...]


# Links to a resource are counted up to this many by each property (incoming_count.rq's LIMIT is
# one more): a page shows at most 200 of them, and counting a national hub's tens of thousands
# made its page grow with the data.
INCOMING_COUNTED = 10_000


@dataclass(frozen=True)
class Description:
    """A resource's triples for its page and its RDF document, and how many resources link to
    it by each property (of which at most 200 each, incoming.rq's LIMIT, are among the triples;
    a count above INCOMING_COUNTED means "more than that")."""

    triples: list[ox.Triple]
    incoming: dict[str, int]


def describe(store: Store, iri: str) -> Description:
    """The resource's own triples, its blank-node values one level deep, at most 200
    links to it by each property, and the labels of every IRI these mention (empty when the
    graph does not mention the resource). Queries of their own, each bound to what it needs:
    as one, with every incoming link and its label, a hub of the national graph took 40 s."""
    resource = ox.NamedNode(iri)
    own = sparql.triples(sparql.run(store, "describe", resource=resource))
    linking = [
        ox.NamedNode(row["p"]["value"])
        for row in sparql.rows(store, "incoming_properties", resource=resource)
    ]
    counted = {
        p.value: sparql.number(sparql.rows(store, "incoming_count", resource=resource, p=p)[0], "n")
        for p in linking
    }
    counts = {p: n for p, n in counted.items() if n}
    incoming = [
        t
        for p in counts
        for t in sparql.triples(sparql.run(store, "incoming", resource=resource, p=ox.NamedNode(p)))
    ]
    labels = labels_of(store, own + incoming)
    return Description(list(dict.fromkeys(own + incoming + labels)), counts)


def labels_of(store: Store, triples: Sequence[ox.Triple]) -> list[ox.Triple]:
    """The label triples the store has for every IRI ``triples`` mention."""
    mentioned = {
        term.value
        for t in triples
        for term in (t.subject, t.predicate, t.object)
        if isinstance(term, ox.NamedNode)
    }
    if not mentioned:
        return []
    query = bind_rows(
        sparql.load("describe_labels"), "s", [ox.NamedNode(i) for i in sorted(mentioned)]
    )
    return sparql.triples(store.query(query))


def exists(store: Store, iri: str) -> bool:
    """Whether the graph mentions the IRI at all."""
    return sparql.ask(store, "exists", resource=ox.NamedNode(iri))


class _Labels:
    """Labels from the description, falling back to the bundled vocabulary labels."""

    def __init__(self, triples: Sequence[ox.Triple]) -> None:
        self._labels: dict[str, LabelSet] = defaultdict(LabelSet)
        by_priority = sorted(
            (t for t in triples if t.predicate.value in LABEL_PROPERTIES),
            key=lambda t: LABEL_PROPERTIES.index(t.predicate.value),
        )
        for t in by_priority:
            if isinstance(t.subject, ox.NamedNode) and isinstance(t.object, ox.Literal):
                self._labels[t.subject.value].add(t.object)

    def get(self, iri: str, lang: str) -> str | None:
        if iri in self._labels and (label := self._labels[iri].pick(lang)):
            return label
        known = vocabulary_labels().get(iri)
        return known.pick(lang) if known else None

    def text(self, iri: str, lang: str) -> str:
        """A label, else a prefixed name, else the IRI (shown only when nothing better exists)."""
        return self.get(iri, lang) or compact(iri)


def _literal(literal: ox.Literal) -> Value:
    datatype = literal.datatype.value
    plain = datatype in (f"{XSD}string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")
    return Value(literal.value, lang=literal.language, datatype=None if plain else datatype)


def _sort_key(value: Value) -> tuple[int, str]:
    return (0 if value.href else 1, value.text.casefold())


def build_page(
    description: Description, iri: str, lang: str, layout: PropertyLayout, links: Links
) -> ResourcePage:
    """Arrange the description of `iri` for the page in `lang`."""
    triples = description.triples
    labels = _Labels(triples)
    subject = ox.NamedNode(iri)
    outgoing: dict[str, list[ox.Triple]] = defaultdict(list)
    incoming: dict[str, list[ox.Triple]] = defaultdict(list)
    blank: dict[ox.BlankNode, list[ox.Triple]] = defaultdict(list)
    for t in triples:
        if t.subject == subject:
            outgoing[t.predicate.value].append(t)
        elif t.object == subject and isinstance(t.subject, ox.NamedNode):
            incoming[t.predicate.value].append(t)
        if isinstance(t.subject, ox.BlankNode):
            blank[t.subject].append(t)

    def value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Value:
        if isinstance(term, ox.NamedNode):
            return Value(labels.text(term.value, lang), links.href(term.value), term.value)
        if isinstance(term, ox.Literal):
            return _literal(term)
        if isinstance(term, ox.BlankNode):
            rows = _rows(blank.get(term, []), lambda t: t.object)
            return Value("", details=tuple(rows))
        return Value(str(term))

    def _rows(group: Sequence[ox.Triple], pick_term: object) -> list[Row]:
        by_predicate: dict[str, list[Value]] = defaultdict(list)
        for t in group:
            by_predicate[t.predicate.value].append(value(pick_term(t)))  # type: ignore[operator]
        for p, vs in by_predicate.items():
            # The same text in the page's language makes its translations redundant.
            if any(v.lang == lang for v in vs):
                by_predicate[p] = [v for v in vs if not v.lang or v.lang == lang]
        return [
            Row(p, labels.text(p, lang), tuple(sorted(vs, key=_sort_key)))
            for p, vs in sorted(by_predicate.items(), key=lambda kv: labels.text(kv[0], lang))
        ]

    classes = [
        t.object.value for t in outgoing.get(RDF_TYPE, []) if isinstance(t.object, ox.NamedNode)
    ]
    label = labels.get(iri, lang) or compact(iri)
    definition, shown_in_header = None, {RDF_TYPE, SOURCE}
    for p in DEFINITIONS:
        literals = [t.object for t in outgoing.get(p, []) if isinstance(t.object, ox.Literal)]
        if literals:
            chosen = LabelSet()
            for lit in literals:
                chosen.add(lit)
            definition = chosen.pick(lang)
            shown_in_header.add(p)
            break
    alt = tuple(
        sorted(
            {
                t.object.value
                for t in outgoing.get(ALT_LABEL, [])
                if isinstance(t.object, ox.Literal)
            }
        )
    )

    placed: dict[str, list[tuple[float, Row]]] = defaultdict(list)
    groups: dict[str, Group] = {}
    for predicate, group_triples in outgoing.items():
        if predicate in shown_in_header:
            continue  # shown in the page's header or its sources section
        row = _rows(group_triples, lambda t: t.object)[0]
        placement = layout.place(predicate, classes)
        groups[placement.group.key] = placement.group
        placed[placement.group.key].append((placement.order, row))
    sections = tuple(
        Section(groups[key], tuple(r for _, r in sorted(rows, key=lambda x: (x[0], x[1].label))))
        for key, rows in sorted(placed.items(), key=lambda kv: (groups[kv[0]].order, kv[0]))
    )
    incoming_rows = _rows([t for ts in incoming.values() for t in ts], lambda t: t.subject)
    total = sum(min(n, INCOMING_COUNTED) for n in description.incoming.values())
    exact = all(n <= INCOMING_COUNTED for n in description.incoming.values())
    capped = tuple(incoming_rows)  # at most 200 a property already (incoming.rq)
    sources = tuple(sorted((value(t.object) for t in outgoing.get(SOURCE, [])), key=_sort_key))
    types = tuple(sorted((value(ox.NamedNode(c)) for c in classes), key=_sort_key))
    return ResourcePage(iri, label, types, definition, alt, sections, capped, total, exact, sources)
