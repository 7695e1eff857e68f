"""Idempotent loading of RDF files into one named graph each.

A file ``{dir}/{name}.ttl`` becomes the graph ``{base}graph/{dir}/{name}``. The SHA-256 of
every loaded file is kept in the graph ``{base}graph/system/load-state``, so a graph is replaced
only when its file changed, and starting twice on the same files gives the same store.

Files take one of two ways in. Most are parsed into triples and written, with their records,
in one atomic write. Big files (``bulk_from`` bytes or more, in a triples-only format) going
into new graphs (at start-up, replacing graphs too) are bulk-loaded instead when the caller
says nothing else reads the store:
pyoxigraph parses the file and writes the graph itself, without a transaction and without
Python objects for the triples. Crash safety then comes from the records: a file's record is
committed only after its graph is whole, and a graph is loaded only when it has no record (a
graph being replaced loses graph and record in one write first). A graph a crash left
half-loaded therefore has no record matching its file, and the next load drops and reloads it.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, Triple

from service.rdf import TRIPLE_FORMATS, check_file, parse_triples
from service.sparql import queries
from service.sparql.formats import SPARQL_JSON, rdf_format_for_path
from service.store.base import (
    BulkLoading,
    Change,
    FileLoad,
    GraphChange,
    GraphDrop,
    QueryDataset,
    Store,
)
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
    with path.open("rb") as file:
        digest = hashlib.file_digest(file, "sha256").hexdigest()
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
    bulk_from: int | None = None,
) -> LoadReport:
    """Load the files whose content changed since their last load.

    Graphs recorded under any of ``prune_prefixes`` whose file is gone are dropped. With
    ``bulk_from``, files of that many bytes or more may be bulk-loaded: pass it only while
    nothing else reads the store (the module docstring says why). Everything else is one
    atomic write.
    """
    context = context or WriteContext("load")
    store = writer.store
    recorded = read_state(store, base_iri)
    state = dict(recorded)
    changes: list[Change] = []
    loads: list[FileLoad] = []
    loaded: list[str] = []
    unchanged: list[str] = []
    # Files that share a graph (x.ttl beside x.nt) replace it in turn, as the atomic write does.
    shared = {g for g, n in Counter(f.graph for f in files).items() if n > 1}
    for f in files:
        if state.get(f.graph, ("", ""))[1] == f.version and store.has_graph(f.graph):
            unchanged.append(f.graph)
            continue
        fmt = rdf_format_for_path(f.path.name)
        assert fmt is not None
        if (
            bulk_from is not None
            and f.graph not in shared
            and _bulk_loadable(f, fmt.name, store, bulk_from, context)
        ):
            check_file(f.path, fmt)
            loads.append(FileLoad(f.graph, f.path, fmt))
        else:
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
    if loads:
        _forget(writer, loads, recorded, base_iri, context)
    if changes or loads:
        changes.append(GraphChange(state_graph(base_iri), _state_triples(state), replace=True))
        writer.apply(GraphWrite(tuple(changes), tuple(loads)), context)
    return LoadReport(tuple(loaded), tuple(unchanged), tuple(dropped))


def _bulk_loadable(
    f: SourceFile, fmt: str, store: Store, bulk_from: int, context: WriteContext
) -> bool:
    if not isinstance(store, BulkLoading) or fmt not in TRIPLE_FORMATS:
        return False
    if f.path.stat().st_size < bulk_from:
        return False  # small files cost little either way and keep the load atomic
    # A graph being replaced is dropped in a write of its own first. Where writes are
    # validated (the command line), that drop alone could be refused where the replacement
    # would pass, so there only new graphs are bulk-loaded.
    return context.channel == STARTUP or not store.has_graph(f.graph)


def _forget(
    writer: Writer,
    loads: Sequence[FileLoad],
    recorded: dict[str, tuple[str, str]],
    base_iri: str,
    context: WriteContext,
) -> None:
    """Drop the graphs about to be bulk-loaded that exist (replaced or half-loaded), with their
    records, in one atomic write: from then on until their load completes they have no record,
    so a crash in between cannot leave a partial graph that looks loaded."""
    existing = [load.graph for load in loads if writer.store.has_graph(load.graph)]
    stale = [load.graph for load in loads if load.graph in recorded]
    if not (existing or stale):
        return
    kept = {g: v for g, v in recorded.items() if g not in stale}
    forget: list[Change] = [GraphDrop(g) for g in existing]
    forget.append(GraphChange(state_graph(base_iri), _state_triples(kept), replace=True))
    writer.apply(GraphWrite(tuple(forget)), context)


def load_directories(
    writer: Writer,
    directories: Sequence[Path],
    base_iri: str,
    *,
    bulk_from: int | None = None,
) -> LoadReport:
    """Load every RDF file below the directories (missing directories are skipped), and drop
    graphs whose file was removed from a directory. ``bulk_from``: see ``load_sources``."""
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
        bulk_from=bulk_from,
    )


def load_paths(
    writer: Writer, paths: Sequence[Path], base_iri: str, *, bulk_from: int | None = None
) -> LoadReport:
    """Load individual files (the ``load`` command); each goes into its own graph.
    ``bulk_from``: see ``load_sources``."""
    files = [
        describe(p, graph_for_file(base_iri, p.resolve()), f"{p.resolve().parent.name}/{p.name}")
        for p in paths
    ]
    return load_sources(
        writer, files, base_iri, context=WriteContext("cli", "load command"), bulk_from=bulk_from
    )
