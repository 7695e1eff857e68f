"""The result and RDF formats the service reads and writes, keyed by media type."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    """What a query produces, which decides the formats it can be written in."""

    BINDINGS = "bindings"  # SELECT
    BOOLEAN = "boolean"  # ASK
    GRAPH = "graph"  # CONSTRUCT, DESCRIBE, a graph of the store
    DATASET = "dataset"  # the whole store, or several graphs


@dataclass(frozen=True)
class Format:
    """One serialisation: its canonical media type, aliases and short names."""

    name: str
    media_type: str
    aliases: tuple[str, ...] = ()
    short_names: tuple[str, ...] = ()
    extension: str = ""
    text: bool = True

    @property
    def content_type(self) -> str:
        """The Content-Type header value to send."""
        return f"{self.media_type}; charset=utf-8" if self.text else self.media_type

    def media_types(self) -> tuple[str, ...]:
        """The canonical media type followed by its aliases."""
        return (self.media_type, *self.aliases)


SPARQL_JSON = Format(
    "sparql-json",
    "application/sparql-results+json",
    ("application/json", "text/javascript", "application/javascript"),
    ("json", "srj"),
    "srj",
)
SPARQL_XML = Format(
    "sparql-xml",
    "application/sparql-results+xml",
    ("application/xml", "text/xml"),
    ("xml", "srx"),
    "srx",
)
SPARQL_CSV = Format("csv", "text/csv", (), ("csv",), "csv")
SPARQL_TSV = Format("tsv", "text/tab-separated-values", (), ("tsv",), "tsv")

TURTLE = Format(
    "turtle",
    "text/turtle",
    ("application/x-turtle", "application/turtle", "text/n3", "text/rdf+n3", "application/n3"),
    ("turtle", "ttl", "n3"),
    "ttl",
)
N_TRIPLES = Format(
    "n-triples", "application/n-triples", ("text/plain",), ("ntriples", "n-triples", "nt"), "nt"
)
RDF_XML = Format(
    "rdf-xml",
    "application/rdf+xml",
    ("application/xml", "text/xml"),
    ("rdfxml", "rdf-xml", "rdf+xml", "rdf", "xml"),
    "rdf",
)
JSON_LD = Format(
    "json-ld",
    "application/ld+json",
    ("application/x-json+ld", "application/json"),
    ("jsonld", "json-ld", "json"),
    "jsonld",
)
N_QUADS = Format(
    "n-quads", "application/n-quads", ("text/x-nquads",), ("nquads", "n-quads", "nq"), "nq"
)
TRIG = Format("trig", "application/trig", ("application/x-trig",), ("trig",), "trig")
HTML = Format("html", "text/html", ("application/xhtml+xml",), ("html",), "html")

# Order is the server's preference when the client has none.
RESULT_FORMATS = (SPARQL_JSON, SPARQL_XML, SPARQL_CSV, SPARQL_TSV)
GRAPH_FORMATS = (TURTLE, N_TRIPLES, RDF_XML, JSON_LD, N_QUADS, TRIG)
DATASET_FORMATS = (TRIG, N_QUADS)
RDF_FORMATS = (TURTLE, N_TRIPLES, RDF_XML, JSON_LD, N_QUADS, TRIG)

FORMATS_BY_KIND: dict[Kind, tuple[Format, ...]] = {
    Kind.BINDINGS: RESULT_FORMATS,
    Kind.BOOLEAN: RESULT_FORMATS,
    Kind.GRAPH: GRAPH_FORMATS,
    Kind.DATASET: DATASET_FORMATS,
}


def rdf_format_for_media_type(media_type: str) -> Format | None:
    """The RDF format a request body of this media type is read as, if any."""
    media_type = media_type.split(";", 1)[0].strip().lower()
    for fmt in RDF_FORMATS:
        # A body sent as JSON or XML is read as JSON-LD or RDF/XML; text/plain as N-Triples.
        if media_type in fmt.media_types():
            return fmt
    return None


def rdf_format_for_path(path: str) -> Format | None:
    """The RDF format of a file, from its extension."""
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    extra = {"owl": RDF_XML, "n3": TURTLE, "json": JSON_LD, "xml": RDF_XML}
    for fmt in RDF_FORMATS:
        if suffix == fmt.extension:
            return fmt
    return extra.get(suffix)
