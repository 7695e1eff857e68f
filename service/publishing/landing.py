"""The landing page's figures: what the sources describe, by class, region and document."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from service.publishing import sparql
from service.publishing.labels import LabelSet, compact, vocabulary_labels
from service.publishing.links import Links
from service.publishing.refreshing import Refreshing
from service.publishing.version import DataVersion, Version
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


@dataclass(frozen=True)
class LandingCounts:
    """The landing query's counts and labels at one data version, before a language is picked."""

    version: Version
    counts: dict[str, dict[str, int]]
    labels: dict[str, LabelSet]


def count(store: Store, version: Version) -> LandingCounts:
    """Run the landing query (one query over every described thing)."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    labels: dict[str, LabelSet] = defaultdict(LabelSet)
    for row in sparql.rows(store, "landing"):
        kind, key = row["kind"]["value"], row["key"]["value"]
        counts[kind][key] = sparql.number(row, "n")
        if "label" in row:
            label = row["label"]
            labels[key].add(ox.Literal(label["value"], language=label.get("xml:lang") or None))
    return LandingCounts(version, dict(counts), dict(labels))


class LandingCountsCache(Refreshing[LandingCounts]):
    """The counts of the newest data version computed (service/publishing/refreshing.py)."""

    def __init__(self, store: Store, version: DataVersion) -> None:
        super().__init__("landing counts", version, lambda at: count(store, at))


def overview(counted: LandingCounts, lang: str, links: Links) -> Overview:
    """The landing page's counts, labelled in ``lang``."""
    counts, labels = counted.counts, counted.labels

    def listing(kind: str) -> tuple[Count, ...]:
        items = []
        for key, n in counts.get(kind, {}).items():
            label = labels[key].pick(lang) if key in labels else None
            if label is None and (known := vocabulary_labels().get(key)):
                label = known.pick(lang)
            items.append(Count(label or compact(key), links.href(key), n, key))
        return tuple(sorted(items, key=lambda c: (-c.count, c.label.casefold())))

    return Overview(listing("class"), listing("region"), listing("document"))
