"""Dumps of the published graphs (Turtle, gzipped N-Triples, TriG), as files per data version.

The published graphs are every named graph except the service's bookkeeping under
`{base}graph/system/`. A dump set is rebuilt in the background when it is first asked for after
the data version moved on; until it is ready, the previous set is served. The triples are read
from the store and serialised by pyoxigraph as they are written, into files hashed on the way,
so that memory holds a few triples at a time, not the data set (at a million triples the dumps
were built in memory: 1.4 GB at the peak).
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain, islice
from operator import attrgetter
from pathlib import Path
from types import TracebackType

import pyoxigraph as ox

from service.named_queries.binding import bind_rows
from service.publishing.refreshing import Refreshing
from service.publishing.sparql import load, number, rows, triples
from service.publishing.version import DataVersion, Version
from service.store.base import Store, StreamingGraphs
from service.streaming import ByteSink

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
# Quads read and written at a time: the memory a build holds beside the store's.
BATCH = 100_000


@dataclass(frozen=True)
class Dump:
    """A generated dump file."""

    format: DumpFormat
    path: Path
    size: int
    sha256: str


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


class _HashedFile(ByteSink):
    """A file being written, with the SHA-256 and size of what was written."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = path.open("wb")
        self._hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self._hash.update(data)
        self.size += len(data)
        return self._file.write(data)

    def flush(self) -> None:
        self._file.flush()

    def __enter__(self) -> _HashedFile:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._file.close()

    def dump(self, fmt: DumpFormat) -> Dump:
        return Dump(fmt, self.path, self.size, self._hash.hexdigest())


def _quads_of(store: Store, graph: str) -> Iterable[ox.Quad]:
    """A named graph's quads, read one at a time where the store can."""
    if isinstance(store, StreamingGraphs):
        return store.iter_quads(graph)
    name = ox.NamedNode(graph)
    return (ox.Quad(t.subject, t.predicate, t.object, name) for t in store.graph_triples(graph))


def build_dumps(store: Store, base_iri: str, version: Version, directory: Path) -> DumpSet:
    """Serialise the published graphs in every dump format into files in ``directory``.

    One pass over the store, a batch of quads at a time, each batch written in every format
    (each batch's Turtle and TriG repeat the prefixes: valid, and a few lines per batch). The
    union dumps write a triple stated in more than one graph once."""
    graphs = published_graphs(store, base_iri)
    shared = _shared_triples(store, graphs)
    written: set[ox.Triple] = set()
    quads = chain.from_iterable(_quads_of(store, g) for g in graphs)
    # mtime=0 keeps the gzip bytes (and so the SHA-256) a function of the data alone.
    with (
        _HashedFile(directory / TURTLE.name) as turtle,
        _HashedFile(directory / TRIG.name) as trig,
        _HashedFile(directory / NTRIPLES_GZ.name) as compressed,
        gzip.GzipFile(fileobj=compressed, mode="wb", compresslevel=6, mtime=0) as gz,
    ):
        lines = _LineCounter(gz)
        while batch := list(islice(quads, BATCH)):
            ox.serialize(batch, trig.io, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
            union = list(map(attrgetter("triple"), batch))
            if shared:
                union = [t for t in union if t not in shared or _first(t, written)]
            ox.serialize(union, turtle.io, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
            ox.serialize(union, lines.io, format=ox.RdfFormat.N_TRIPLES)
    dumps = (turtle.dump(TURTLE), compressed.dump(NTRIPLES_GZ), trig.dump(TRIG))
    return DumpSet(version, dumps, lines.count)


def _shared_triples(store: Store, graphs: list[str]) -> frozenset[ox.Triple]:
    """The triples stated in more than one of ``graphs``: each graph's triples are looked up
    in the others, except the largest graph's. A triple in two graphs has a copy outside any
    one of them, so none is missed; the largest graph's lookups were most of the work (5 s
    of a 15 s build at a million triples, where the synthetic graph holds nearly all)."""
    if len(graphs) < 2:
        return frozenset()
    largest = max(graphs, key=lambda g: _size_up_to(store, g))
    names = [ox.NamedNode(g) for g in graphs]
    looked_up = [name for name in names if name.value != largest]
    query = bind_rows(bind_rows(load("shared_triples"), "a", looked_up), "b", names)
    return frozenset(triples(store.query(query)))


def _size_up_to(store: Store, graph: str) -> int:
    """The graph's triples, counted up to graph_size_up_to.rq's limit."""
    return number(rows(store, "graph_size_up_to", g=ox.NamedNode(graph))[0], "triples")


def _first(triple: ox.Triple, written: set[ox.Triple]) -> bool:
    """True the first time ``triple`` is seen."""
    if triple in written:
        return False
    written.add(triple)
    return True


class _LineCounter(ByteSink):
    """Passes N-Triples on to ``output``, counting the lines: one per triple."""

    def __init__(self, output: gzip.GzipFile) -> None:
        self._output = output
        self.count = 0

    def write(self, data: bytes) -> int:
        self.count += data.count(b"\n")
        return self._output.write(data)

    def flush(self) -> None:
        self._output.flush()


class DumpCache(Refreshing[DumpSet]):
    """The dumps of the newest data version built, as files under ``directory`` (a temporary
    one when None): the newest set and the one before it, which a response may still be
    sending. A new set is built in the background (service/publishing/refreshing.py)."""

    def __init__(
        self,
        store: Store,
        base_iri: str,
        version: DataVersion,
        directory: Path | None = None,
        build: Callable[[Store, str, Version, Path], DumpSet] = build_dumps,
        writing: Callable[[], bool] = lambda: False,
    ) -> None:
        # The graphs are read one after another, so a write during a build could leave
        # graphs of two states in one set: such a set is not kept (``writing``, see
        # service/publishing/refreshing.py).
        super().__init__("dumps", version, self._build_set, writing)
        self._store = store
        self._base_iri = base_iri
        self._build = build
        self._kept: list[Path] = []
        if directory is None:
            self._temporary = tempfile.TemporaryDirectory(prefix="osaamiskartta-dumps-")
            directory = Path(self._temporary.name)
        else:
            shutil.rmtree(directory, ignore_errors=True)  # another run's files
            directory.mkdir(parents=True)
        self._directory = directory

    def _build_set(self, version: Version) -> DumpSet:
        building = self._directory / f"{uuid.uuid4().hex}"
        building.mkdir()
        try:
            return self._build(self._store, self._base_iri, version, building)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise

    # Both run in the build's pass, one pass at a time (Refreshing), so the kept directories
    # need no lock of their own.

    def _accepted(self, value: DumpSet) -> None:
        self._kept.append(_directory_of(value))
        while len(self._kept) > 2:
            shutil.rmtree(self._kept.pop(0), ignore_errors=True)

    def _discarded(self, value: DumpSet) -> None:
        # Never served: its files go; the set in use and the one before stay.
        shutil.rmtree(_directory_of(value), ignore_errors=True)


def _directory_of(built: DumpSet) -> Path:
    return built.dumps[0].path.parent
