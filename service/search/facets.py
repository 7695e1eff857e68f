"""The choices the search form offers: common classes, the regions and the sectors."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from service.publishing.labels import compact, pick, vocabulary_labels
from service.store.base import Store

SKOS = "http://www.w3.org/2004/02/skos/core#"
OK = "https://w3id.org/osaamiskartta/ontology#"
IN_SCHEME = ox.NamedNode(SKOS + "inScheme")
PREF_LABEL = ox.NamedNode(SKOS + "prefLabel")
# The classes most searches narrow to; their labels come from the ontology.
CLASSES = (
    "http://www.w3.org/ns/org#Organization",
    OK + "Network",
    OK + "Goal",
    OK + "Action",
    OK + "Project",
    OK + "TrainingProduct",
    OK + "CompetenceMapItem",
    OK + "QualityIndicator",
    SKOS + "Concept",
)


@dataclass(frozen=True)
class Choice:
    """One option of a filter."""

    iri: str
    label: str


@dataclass(frozen=True)
class Facets:
    """The filters' options."""

    classes: tuple[Choice, ...]
    regions: tuple[Choice, ...]
    sectors: tuple[Choice, ...]


def _label(store: Store, iri: str, lang: str) -> str:
    literals = [q.object for q in store.match(ox.NamedNode(iri), PREF_LABEL, None)]
    known = vocabulary_labels().get(iri)
    return (
        pick([lit for lit in literals if isinstance(lit, ox.Literal)], lang)
        or (known.pick(lang) if known else None)
        or compact(iri)
    )


def _scheme(store: Store, scheme: str, lang: str) -> tuple[Choice, ...]:
    members = {
        q.subject.value
        for q in store.match(None, IN_SCHEME, ox.NamedNode(scheme))
        if isinstance(q.subject, ox.NamedNode)
    }
    return tuple(
        sorted((Choice(m, _label(store, m, lang)) for m in members), key=lambda c: c.label)
    )


def facets(store: Store, base_iri: str, lang: str) -> Facets:
    """The options in ``lang``."""
    return Facets(
        tuple(Choice(c, _label(store, c, lang)) for c in CLASSES),
        _scheme(store, f"{base_iri}id/scheme/maakunnat", lang),
        _scheme(store, f"{base_iri}id/scheme/koulutusalat", lang),
    )
