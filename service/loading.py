"""Idempotent loading of RDF files into one named graph each.

A file ``{dir}/{name}.ttl`` becomes the graph ``{base}graph/{dir}/{name}``. The SHA-256 of
every loaded file is kept in the graph ``{base}graph/system/load-state`` and written in the
same atomic write as the data, so a graph is replaced only when its file changed, and starting
twice on the same files gives the same store.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, Triple

from service.rdf import parse_triples
from service.sparql import queries
from service.sparql.formats import SPARQL_JSON, rdf_format_for_path
from service.store.base import Change, GraphChange, GraphDrop, QueryDataset, Store
from service.writes import STARTUP, GraphWrite, WriteContext, Writer

DCT_SOURCE = NamedNode("http://purl.org/dc/terms/source")
OWL_VERSION_INFO = NamedNode("http://www.w3.org/2002/07/owl#versionInfo")


def state_graph(base_iri: str) -> str:
    """IRI of the graph that records which file version each graph was loaded from."""
    return f"{base_iri}graph/system/load-state"


def graph_for_file(base_iri: str, path: Path, root: Path | None = None) -> str:
    """The graph IRI of a file: ``{base}graph/{dir}/{stem}``, ``dir`` being the load
    directory's name (plus any subdirectories below it)."""
    root = root or path.parent
    relative = path.relative_to(root).with_suffix("")
    return f"{base_iri}graph/{quote(root.name)}/{quote(relative.as_posix())}"


@dataclass(frozen=True)
class SourceFile:
    """A file to load, the graph it becomes and its content hash."""

    path: Path
    graph: str
    source: str
    version: str


@dataclass(frozen=True)
class LoadReport:
    """Which graphs a load replaced, left alone or dropped."""

    loaded: tuple[str, ...]
    unchanged: tuple[str, ...]
    dropped: tuple[str, ...]


def rdf_files(directory: Path) -> list[Path]:
    """The RDF files below a directory, in a stable order; other files are ignored."""
    if not directory.is_dir():
        return []
    return sorted(
        p
        for p in directory.rglob("*")
        if p.is_file() and not p.name.startswith(".") and rdf_format_for_path(p.name)
    )


def describe(path: Path, graph: str, source: str) -> SourceFile:
    """Hash a file and name its graph."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return SourceFile(path, graph, source, f"sha256:{digest}")


def read_state(store: Store, base_iri: str) -> dict[str, tuple[str, str]]:
    """graph IRI -> (source, version) as recorded in the store."""
    result = store.query(
        queries.load("load_state"), dataset=QueryDataset(default_graphs=(state_graph(base_iri),))
    )
    rows = json.loads(result.serialize(SPARQL_JSON))["results"]["bindings"]
    return {r["graph"]["value"]: (r["source"]["value"], r["version"]["value"]) for r in rows}


def _state_triples(state: dict[str, tuple[str, str]]) -> tuple[Triple, ...]:
    triples: list[Triple] = []
    for graph, (source, version) in sorted(state.items()):
        triples.append(Triple(NamedNode(graph), DCT_SOURCE, Literal(source)))
        triples.append(Triple(NamedNode(graph), OWL_VERSION_INFO, Literal(version)))
    return tuple(triples)


def load_sources(
    writer: Writer,
    files: Sequence[SourceFile],
    base_iri: str,
    *,
    prune_prefixes: Iterable[str] = (),
    context: WriteContext | None = None,
) -> LoadReport:
    """Load the files whose content changed since their last load, in one atomic write.

    Graphs recorded under any of ``prune_prefixes`` whose file is gone are dropped.
    """
    state = read_state(writer.store, base_iri)
    changes: list[Change] = []
    loaded: list[str] = []
    unchanged: list[str] = []
    for f in files:
        if state.get(f.graph, ("", ""))[1] == f.version and writer.store.has_graph(f.graph):
            unchanged.append(f.graph)
            continue
        fmt = rdf_format_for_path(f.path.name)
        assert fmt is not None
        triples = parse_triples(f.path.read_bytes(), fmt, base_iri=f.graph)
        changes.append(GraphChange(f.graph, triples, replace=True))
        state[f.graph] = (f.source, f.version)
        loaded.append(f.graph)
    wanted = {f.graph for f in files}
    prefixes = tuple(prune_prefixes)
    dropped = [g for g in state if g not in wanted and prefixes and g.startswith(prefixes)]
    for graph in dropped:
        changes.append(GraphDrop(graph))
        del state[graph]
    if changes:
        changes.append(GraphChange(state_graph(base_iri), _state_triples(state), replace=True))
        writer.apply(GraphWrite(tuple(changes)), context or WriteContext("load"))
    return LoadReport(tuple(loaded), tuple(unchanged), tuple(dropped))


def load_directories(writer: Writer, directories: Sequence[Path], base_iri: str) -> LoadReport:
    """Load every RDF file below the directories (missing directories are skipped), and drop
    graphs whose file was removed from a directory."""
    files: list[SourceFile] = []
    prefixes: list[str] = []
    for directory in directories:
        prefixes.append(f"{base_iri}graph/{directory.name}/")
        for path in rdf_files(directory):
            graph = graph_for_file(base_iri, path, directory)
            source = f"{directory.name}/{path.relative_to(directory).as_posix()}"
            files.append(describe(path, graph, source))
    existing = [d for d in directories if d.is_dir()]
    prune = [p for d, p in zip(directories, prefixes, strict=True) if d in existing]
    return load_sources(
        writer,
        files,
        base_iri,
        prune_prefixes=prune,
        context=WriteContext(STARTUP, "start-up load of the data directories"),
    )


def load_paths(writer: Writer, paths: Sequence[Path], base_iri: str) -> LoadReport:
    """Load individual files (the ``load`` command); each goes into its own graph."""
    files = [
        describe(p, graph_for_file(base_iri, p.resolve()), f"{p.resolve().parent.name}/{p.name}")
        for p in paths
    ]
    return load_sources(writer, files, base_iri, context=WriteContext("cli", "load command"))
