"""Records the tools write: each is one named graph, replaced as a whole through the Writer,
so a refused submission leaves the store as it was and an edit is a replacement."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import pyoxigraph as ox

from service.errors import NotFound
from service.store.base import GraphChange, GraphDrop
from service.writes import GraphWrite, WriteContext, Writer, WriteResult

OK = "https://w3id.org/osaamiskartta/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD = "http://www.w3.org/2001/XMLSchema#"
CHANNEL = "tools"
_SLUG = re.compile(r"[A-Za-z0-9._~-]+")
# The document every tool entry names as its dct:source: entries come from the tools' users,
# not from one of the source texts, and the shapes want each named thing's source named.
DOCUMENT_SLUG = "osaamiskartan-tyokalut"


def slugify(text: str) -> str:
    """Lowercase ASCII slug of a Finnish name (ä→a, ö→o, å→a, spaces→-)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "nimeton"


def term(prefix: str, local: str) -> ox.NamedNode:
    """An IRI in a namespace."""
    return ox.NamedNode(prefix + local)


@dataclass(frozen=True)
class Ids:
    """IRIs of instances and of the graphs the tools write, under the service's base."""

    base: str

    def instance(self, kind: str, slug: str) -> ox.NamedNode:
        """`{base}id/{kind}/{slug}`; NotFound for a slug no instance IRI can have (slugs are
        made of unreserved IRI characters)."""
        if not _SLUG.fullmatch(slug):
            raise NotFound(f"there is no {kind} {slug!r}")
        return ox.NamedNode(f"{self.base}id/{kind}/{slug}")

    def slug_of(self, iri: str, kind: str) -> str | None:
        """The slug of an instance IRI of `kind`, or None."""
        prefix = f"{self.base}id/{kind}/"
        return iri[len(prefix) :] if iri.startswith(prefix) else None

    def graph(self, *parts: str) -> str:
        """`{base}graph/tools/{parts…}`: where one record lives."""
        return f"{self.base}graph/tools/" + "/".join(parts)

    @property
    def document(self) -> ox.NamedNode:
        """The source document of entries made with the tools."""
        return self.instance("document", DOCUMENT_SLUG)


def labelled(subject: ox.NamedNode, fi: str, en: str) -> list[ox.Triple]:
    """Finnish and (when given) English preferred labels."""
    label = term(SKOS, "prefLabel")
    triples = [ox.Triple(subject, label, ox.Literal(fi, language="fi"))] if fi else []
    if en:
        triples.append(ox.Triple(subject, label, ox.Literal(en, language="en")))
    return triples


def document_triples(ids: Ids) -> list[ox.Triple]:
    """The tools' source document."""
    doc = ids.document
    return [
        ox.Triple(doc, RDF_TYPE, term(OK, "SourceDocument")),
        *labelled(
            doc,
            "Osaamiskartan työkaluilla kirjatut tiedot",
            "Entries made with the Osaamiskartta tools",
        ),
        ox.Triple(doc, term(OK, "sourceFile"), ox.Literal("osaamiskartta-tools")),
    ]


def typed_or_plain(value: str, datatype: str) -> ox.Literal:
    """`value` typed as `datatype` when it is a valid lexical form, else a plain string, so
    the shapes' datatype rule (not a parser) tells the user what is wrong."""
    text = value.strip()
    if datatype == "integer" and re.fullmatch(r"[+-]?\d+", text):
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "integer"))
    if datatype == "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            date.fromisoformat(text)
        except ValueError:
            return ox.Literal(value)
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "date"))
    return ox.Literal(value)


def save(
    writer: Writer,
    ids: Ids,
    records: Mapping[str, Sequence[ox.Triple]],
    context: WriteContext,
    drop: Iterable[str] = (),
) -> WriteResult:
    """Replace each record graph with its triples (and drop `drop`) in one gated write."""
    changes: list[GraphChange | GraphDrop] = [
        GraphChange(ids.graph("document"), tuple(document_triples(ids)), replace=True)
    ]
    changes.extend(GraphChange(g, tuple(t), replace=True) for g, t in records.items())
    changes.extend(GraphDrop(g) for g in drop)
    return writer.apply(GraphWrite(tuple(changes)), context)


def context(description: str, agent: str) -> WriteContext:
    """The write context of a tool submission."""
    return WriteContext(CHANNEL, description, agent)
