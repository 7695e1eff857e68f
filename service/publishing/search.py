"""A simple label search (case-insensitive substring of a label), until full-text search."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from service.publishing import sparql
from service.publishing.labels import LabelSet, compact, vocabulary_labels
from service.publishing.links import Links
from service.store.base import Store

MAX_TEXT = 200


@dataclass(frozen=True)
class Hit:
    """One resource whose label matched."""

    iri: str
    href: str
    label: str
    types: tuple[str, ...]


def label_search(store: Store, text: str, lang: str, links: Links) -> list[Hit]:
    """Resources whose label contains `text`, best-labelled first (at most 100)."""
    text = text.strip()[:MAX_TEXT]
    if not text:
        return []
    labels: dict[str, LabelSet] = defaultdict(LabelSet)
    types: dict[str, dict[str, LabelSet]] = defaultdict(dict)
    for row in sparql.rows(store, "label_search", text=ox.Literal(text)):
        iri = row["resource"]["value"]
        labels.setdefault(iri, LabelSet())  # a hit without any label still counts
        if "label" in row:
            lit = row["label"]
            labels[iri].add(ox.Literal(lit["value"], language=lit.get("xml:lang") or None))
        if "type" in row:
            type_labels = types[iri].setdefault(row["type"]["value"], LabelSet())
            if "typeLabel" in row:
                lit = row["typeLabel"]
                type_labels.add(ox.Literal(lit["value"], language=lit.get("xml:lang") or None))
    hits = []
    for iri, label_set in labels.items():
        names = []
        for type_iri, type_labels in types.get(iri, {}).items():
            known = vocabulary_labels().get(type_iri)
            names.append(
                type_labels.pick(lang) or (known.pick(lang) if known else None) or compact(type_iri)
            )
        hits.append(
            Hit(
                iri,
                links.href(iri),
                label_set.pick(lang) or compact(iri),
                tuple(sorted(set(names))),
            )
        )
    needle = text.casefold()
    return sorted(hits, key=lambda h: (needle not in h.label.casefold(), h.label.casefold()))
