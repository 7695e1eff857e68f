"""Readable documentation of the ontology, generated from the ontology graph in one query."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from service.publishing import sparql
from service.publishing.labels import LABEL_PROPERTIES, LabelSet, compact, vocabulary_labels
from service.publishing.links import Links
from service.publishing.resource import Row, Value
from service.store.base import QueryResult, Store

OWL = "http://www.w3.org/2002/07/owl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DEFINITION = "http://www.w3.org/2004/02/skos/core#definition"
DESCRIPTIONS = (
    DEFINITION,
    "http://purl.org/dc/terms/description",
    "http://www.w3.org/2000/01/rdf-schema#comment",
)
TITLE = "http://purl.org/dc/terms/title"
CLASS = f"{OWL}Class"
ONTOLOGY = f"{OWL}Ontology"


@dataclass(frozen=True)
class TermDoc:
    """One class or property: its anchor, label, definition and other statements."""

    iri: str
    anchor: str
    label: str
    kind: str
    definition: str | None
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class OntologyDoc:
    """The ontology's documentation page."""

    iri: str
    title: str
    description: str | None
    header: tuple[Row, ...]
    classes: tuple[TermDoc, ...]
    properties: tuple[TermDoc, ...]


def ontology_rdf(store: Store, ontology: str) -> QueryResult:
    """The ontology graph as a CONSTRUCT answer (serialised by the engine)."""
    return sparql.run(store, "ontology_graph", ontology=ox.NamedNode(ontology))


@dataclass
class _Term:
    kinds: set[str] = field(default_factory=set)
    statements: dict[str, list[dict[str, str]]] = field(default_factory=lambda: defaultdict(list))


def _literal_set(values: list[dict[str, str]]) -> LabelSet:
    labels = LabelSet()
    for v in values:
        if v["type"] == "literal":
            labels.add(ox.Literal(v["value"], language=v.get("xml:lang") or None))
    return labels


def build_ontology_doc(store: Store, ontology: str, lang: str, links: Links) -> OntologyDoc | None:
    """The documentation of `ontology` in `lang`; None when no graph declares it."""
    terms: dict[str, _Term] = defaultdict(_Term)
    object_labels: dict[str, LabelSet] = defaultdict(LabelSet)
    for row in sparql.rows(store, "ontology_terms", ontology=ox.NamedNode(ontology)):
        term = terms[row["term"]["value"]]
        term.kinds.add(row["kind"]["value"])
        statement = row["o"]
        if statement not in term.statements[row["p"]["value"]]:
            term.statements[row["p"]["value"]].append(statement)
        if "oLabel" in row:
            label = row["oLabel"]
            object_labels[row["o"]["value"]].add(
                ox.Literal(label["value"], language=label.get("xml:lang") or None)
            )
    if ontology not in terms:
        return None

    def label_of(iri: str) -> str:
        own = _labels_of(terms[iri]).pick(lang) if iri in terms else None
        if own:
            return own
        if iri in object_labels and (found := object_labels[iri].pick(lang)):
            return found
        known = vocabulary_labels().get(iri)
        return (known.pick(lang) if known else None) or compact(iri)

    def rows_of(term: _Term, skip: set[str]) -> tuple[Row, ...]:
        rows = []
        for predicate, values in term.statements.items():
            if predicate in skip:
                continue
            shown = []
            for v in values:
                if v["type"] == "uri":
                    shown.append(Value(label_of(v["value"]), links.href(v["value"]), v["value"]))
                elif v["type"] == "literal":
                    if (
                        v.get("xml:lang")
                        and v["xml:lang"] != lang
                        and any(w.get("xml:lang") == lang for w in values)
                    ):
                        continue  # the same text in the page's language is shown
                    shown.append(Value(v["value"], lang=v.get("xml:lang")))
            if shown:
                rows.append(Row(predicate, label_of(predicate), tuple(shown)))
        return tuple(sorted(rows, key=lambda r: r.label.casefold()))

    skip = {RDF_TYPE, *LABEL_PROPERTIES, DEFINITION}
    docs: list[TermDoc] = []
    for iri, term in terms.items():
        if iri == ontology:
            continue
        kind = CLASS if CLASS in term.kinds else sorted(term.kinds)[0]
        definition = _literal_set(term.statements.get(DEFINITION, [])).pick(lang)
        anchor = iri.split("#", 1)[1] if "#" in iri else iri.rsplit("/", 1)[-1]
        docs.append(TermDoc(iri, anchor, label_of(iri), kind, definition, rows_of(term, skip)))
    docs.sort(key=lambda d: d.label.casefold())
    head = terms[ontology]
    description = None
    for p in DESCRIPTIONS:
        if p in head.statements:
            description = _literal_set(head.statements[p]).pick(lang)
            break
    title = _literal_set(head.statements.get(TITLE, [])).pick(lang) or label_of(ontology)
    return OntologyDoc(
        iri=ontology,
        title=title,
        description=description,
        header=rows_of(head, {RDF_TYPE, TITLE, *DESCRIPTIONS}),
        classes=tuple(d for d in docs if d.kind == CLASS),
        properties=tuple(d for d in docs if d.kind != CLASS),
    )


def _labels_of(term: _Term) -> LabelSet:
    labels = LabelSet()
    for p in LABEL_PROPERTIES:
        for v in term.statements.get(p, []):
            if v["type"] == "literal":
                labels.add(ox.Literal(v["value"], language=v.get("xml:lang") or None))
    return labels
