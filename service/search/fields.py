"""Which literals are searched, and how much a match in each counts."""

from __future__ import annotations

SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DCT = "http://purl.org/dc/terms/"
SCHEMA = "http://schema.org/"
FOAF = "http://xmlns.com/foaf/0.1/"

TITLE = "title"
ALT = "alt"
BODY = "body"
# The FTS5 columns in order, with their BM25 weights: a word in a name counts most.
COLUMNS = (TITLE, ALT, BODY)
WEIGHTS = (10.0, 4.0, 1.0)

FIELD_OF: dict[str, str] = {
    SKOS + "prefLabel": TITLE,
    RDFS + "label": TITLE,
    DCT + "title": TITLE,
    SCHEMA + "name": TITLE,
    FOAF + "name": TITLE,
    SKOS + "altLabel": ALT,
    SKOS + "hiddenLabel": ALT,
    DCT + "alternative": ALT,
    SCHEMA + "alternateName": ALT,
    SKOS + "definition": BODY,
    SKOS + "scopeNote": BODY,
    SKOS + "note": BODY,
    RDFS + "comment": BODY,
    DCT + "description": BODY,
    DCT + "abstract": BODY,
    SCHEMA + "description": BODY,
    SCHEMA + "text": BODY,
}
