"""Namespaces, fixed IRIs and the IRI rules the synthetic dataset shares."""

from __future__ import annotations

import re

from service.synth.ntriples import iri

ID = "https://w3id.org/osaamiskartta/id/"
OK = "https://w3id.org/osaamiskartta/ontology#"
RDF_TYPE = iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "http://schema.org/"
DQV = "http://www.w3.org/ns/dqv#"
QB = "http://purl.org/linked-data/cube#"
CV = "http://data.europa.eu/m8g/"

PREF_LABEL = iri(SKOS + "prefLabel")
SOURCE = iri(DCT + "source")
SPATIAL = iri(DCT + "spatial")
POSITION = iri(SCHEMA + "position")

DOCUMENT = iri(ID + "document/synteettinen-kansallinen-aineisto")
COMPETENCE_SCHEME = iri(ID + "scheme/synteettiset-osaamiset")
FINLAND = iri("http://publications.europa.eu/resource/authority/country/FIN")
INDICATORS = tuple(
    iri(f"{ID}quality-indicator/ohjaus-edistaa-asiakkaan-voimaantumista-{n}") for n in (1, 2, 3, 4)
)
# Authorities that the real graph already holds (their IRIs are reused, not written again).
REAL_ACTORS = frozenset(
    {"pohjois-savon-liitto", "pohjois-savon-ely-keskus", "pohjois-savon-te-toimisto"}
)
ANSWER_YEARS = tuple(range(2018, 2026))
_SLUG_DROP = re.compile(r"[^a-z0-9-]+")


def slug(name: str) -> str:
    """The IRI slug of a Finnish name (MODELLING.md: lowercase ASCII, spaces to hyphens)."""
    replacements: dict[str, str | int | None] = {"ä": "a", "ö": "o", "å": "a", " ": "-"}
    lowered = name.lower().translate(str.maketrans(replacements))
    return re.sub(r"-+", "-", _SLUG_DROP.sub("", lowered)).strip("-")


def node(kind: str, name: str) -> str:
    """The IRI term of an instance: ``id/{kind}/{name}``."""
    return iri(f"{ID}{kind}/{name}")
