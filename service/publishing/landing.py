"""The landing page's figures: what the sources describe, by class, region and document."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from service.publishing import sparql
from service.publishing.labels import LabelSet, compact, vocabulary_labels
from service.publishing.links import Links
from service.store.base import Store


@dataclass(frozen=True)
class Count:
    """A labelled number with a link to what it counts."""

    label: str
    href: str
    count: int
    iri: str


@dataclass(frozen=True)
class Overview:
    """Counts of things from the source documents by class, by region and by document."""

    by_class: tuple[Count, ...]
    by_region: tuple[Count, ...]
    by_document: tuple[Count, ...]


def overview(store: Store, lang: str, links: Links) -> Overview:
    """The landing page's counts (one query)."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    labels: dict[str, LabelSet] = defaultdict(LabelSet)
    for row in sparql.rows(store, "landing"):
        kind, key = row["kind"]["value"], row["key"]["value"]
        counts[kind][key] = sparql.number(row, "n")
        if "label" in row:
            label = row["label"]
            labels[key].add(ox.Literal(label["value"], language=label.get("xml:lang") or None))

    def listing(kind: str) -> tuple[Count, ...]:
        items = []
        for key, n in counts.get(kind, {}).items():
            label = labels[key].pick(lang) if key in labels else None
            if label is None and (known := vocabulary_labels().get(key)):
                label = known.pick(lang)
            items.append(Count(label or compact(key), links.href(key), n, key))
        return tuple(sorted(items, key=lambda c: (-c.count, c.label.casefold())))

    return Overview(listing("class"), listing("region"), listing("document"))
