"""Dumps of the published graphs (Turtle, gzipped N-Triples, TriG), cached per data version.

The published graphs are every named graph except the service's bookkeeping under
`{base}graph/system/`. pyoxigraph serialises; a dump is rebuilt on the first request after
the data version moved on.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from service.publishing.version import DataVersion, Version
from service.store.base import Store

PREFIXES = {
    "ok": "https://w3id.org/osaamiskartta/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dqv": "http://www.w3.org/ns/dqv#",
    "qb": "http://purl.org/linked-data/cube#",
    "schema": "http://schema.org/",
    "sh": "http://www.w3.org/ns/shacl#",
}


@dataclass(frozen=True)
class DumpFormat:
    """One dump file: its name, media types and how it is written."""

    name: str
    media_type: str
    title: str
    rdf_media_type: str
    compressed: bool = False


TURTLE = DumpFormat("osaamiskartta.ttl", "text/turtle", "Turtle", "text/turtle")
NTRIPLES_GZ = DumpFormat(
    "osaamiskartta.nt.gz",
    "application/gzip",
    "N-Triples (gzip)",
    "application/n-triples",
    compressed=True,
)
TRIG = DumpFormat("osaamiskartta.trig", "application/trig", "TriG", "application/trig")
FORMATS = (TURTLE, NTRIPLES_GZ, TRIG)


@dataclass(frozen=True)
class Dump:
    """A generated dump file."""

    format: DumpFormat
    content: bytes
    sha256: str

    @property
    def size(self) -> int:
        """Its size in bytes (as served, i.e. compressed for .gz)."""
        return len(self.content)


@dataclass(frozen=True)
class DumpSet:
    """All dump files of one data version."""

    version: Version
    dumps: tuple[Dump, ...]
    triples: int

    def get(self, name: str) -> Dump | None:
        """The dump file called `name`."""
        return next((d for d in self.dumps if d.format.name == name), None)


def published_graphs(store: Store, base_iri: str) -> list[str]:
    """The named graphs the dumps, VoID and catalog describe."""
    system = system_prefix(base_iri)
    return [g for g in store.named_graphs() if not g.startswith(system)]


def system_prefix(base_iri: str) -> str:
    """Graphs under this prefix are the service's own bookkeeping, not published data."""
    return f"{base_iri}graph/system/"


def _dump(fmt: DumpFormat, content: bytes) -> Dump:
    return Dump(fmt, content, hashlib.sha256(content).hexdigest())


def build_dumps(store: Store, base_iri: str, version: Version) -> DumpSet:
    """Serialise the published graphs in every dump format."""
    quads: list[ox.Quad] = []
    union: dict[ox.Triple, None] = {}
    for graph in published_graphs(store, base_iri):
        name = ox.NamedNode(graph)
        for triple in store.graph_triples(graph):
            quads.append(ox.Quad(triple.subject, triple.predicate, triple.object, name))
            union[triple] = None
    turtle = ox.serialize(union, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""
    ntriples = ox.serialize(union, format=ox.RdfFormat.N_TRIPLES) or b""
    trig = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES) or b""
    # mtime=0 keeps the gzip bytes (and so the SHA-256) a function of the data alone.
    compressed = gzip.compress(ntriples, compresslevel=6, mtime=0)
    dumps = (_dump(TURTLE, turtle), _dump(NTRIPLES_GZ, compressed), _dump(TRIG, trig))
    return DumpSet(version, dumps, len(union))


class DumpCache:
    """The dumps of the current data version, built at most once per version."""

    def __init__(
        self,
        store: Store,
        base_iri: str,
        version: DataVersion,
        build: Callable[[Store, str, Version], DumpSet] = build_dumps,
    ) -> None:
        self._store = store
        self._base_iri = base_iri
        self._version = version
        self._build = build
        self._lock = threading.Lock()
        self._current: DumpSet | None = None

    def get(self) -> DumpSet:
        """The dumps for the data as it is now (built on the first request after a write)."""
        with self._lock:
            # Read the version before reading the data: a write during the build leaves an
            # older version on the result, so the next request builds again.
            version = self._version.current
            if self._current is None or self._current.version != version:
                self._current = self._build(self._store, self._base_iri, version)
            return self._current
