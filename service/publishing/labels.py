"""Languages and labels: which language a reader gets, and the best label for a term in it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

import pyoxigraph as ox

LANGUAGES = ("fi", "en")
DEFAULT_LANGUAGE = "fi"

LABEL_PROPERTIES = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://purl.org/dc/terms/title",
)


def choose_language(accept_language: str | None, param: str | None) -> str:
    """The page language: a valid `?lang=` wins, then the best of Accept-Language, then fi."""
    if param and param.lower() in LANGUAGES:
        return param.lower()
    best: tuple[float, int, str] | None = None
    for order, item in enumerate((accept_language or "").split(",")):
        tag, *params = (part.strip() for part in item.split(";"))
        primary = tag.lower().split("-")[0]
        if primary not in LANGUAGES:
            continue
        q = 1.0
        for p in params:
            key, _, value = p.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        candidate = (q, -order, primary)
        if q > 0 and (best is None or candidate > best):
            best = candidate
    return best[2] if best else DEFAULT_LANGUAGE


def other_language(lang: str) -> str:
    """The language the switch link offers."""
    return "en" if lang == "fi" else "fi"


@dataclass
class LabelSet:
    """The labels one term has, by language ('' for plain literals)."""

    by_language: dict[str, str] = field(default_factory=dict)

    def add(self, literal: ox.Literal) -> None:
        """Keep the first label seen per language (label properties come in priority order)."""
        self.by_language.setdefault(literal.language or "", literal.value)

    def pick(self, lang: str) -> str | None:
        """The label in `lang`, else the other page language, else untagged, else any."""
        for candidate in (lang, other_language(lang), ""):
            if candidate in self.by_language:
                return self.by_language[candidate]
        return next(iter(self.by_language.values()), None)


def pick(literals: Iterable[ox.Literal], lang: str) -> str | None:
    """The best of several literals for `lang`."""
    labels = LabelSet()
    for literal in literals:
        labels.add(literal)
    return labels.pick(lang)


@cache
def vocabulary_labels() -> dict[str, LabelSet]:
    """Finnish and English labels of the reused standard terms (ORG, DCTERMS, SKOS, …), which
    the graph itself does not label; read once from the package's `vocabulary-labels.ttl`."""
    data = (files("service.publishing") / "vocabulary-labels.ttl").read_bytes()
    labels: dict[str, LabelSet] = {}
    for quad in ox.parse(data, format=ox.RdfFormat.TURTLE):
        if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal):
            labels.setdefault(quad.subject.value, LabelSet()).add(quad.object)
    return labels


_PREFIXES = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs",
    "http://www.w3.org/2002/07/owl#": "owl",
    "http://www.w3.org/2004/02/skos/core#": "skos",
    "http://purl.org/dc/terms/": "dct",
    "http://xmlns.com/foaf/0.1/": "foaf",
    "http://www.w3.org/ns/org#": "org",
    "http://www.w3.org/ns/prov#": "prov",
    "http://www.w3.org/ns/dcat#": "dcat",
    "http://www.w3.org/ns/dqv#": "dqv",
    "http://purl.org/linked-data/cube#": "qb",
    "http://schema.org/": "schema",
    "http://data.europa.eu/m8g/": "cv",
    "http://data.europa.eu/snb/model/elm/": "elm",
    "http://www.w3.org/ns/shacl#": "sh",
    "http://www.w3.org/2001/XMLSchema#": "xsd",
    "http://rdfs.org/ns/void#": "void",
    "http://spdx.org/rdf/terms#": "spdx",
    "http://www.w3.org/2006/vcard/ns#": "vcard",
    "https://w3id.org/osaamiskartta/ontology#": "ok",
}


def compact(iri: str) -> str:
    """A prefixed name for well-known namespaces (shown beside labels), else the IRI."""
    for namespace, prefix in _PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri
