"""The dump files built from a store: every format, a batch at a time, each triple once."""

from __future__ import annotations

import gzip
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

from service.publishing import dumps
from service.publishing.version import DataVersion, Version
from service.store.base import Store
from service.store.oxigraph import OxigraphStore

BASE = "https://w3id.org/osaamiskartta/"
SKOS = "http://www.w3.org/2004/02/skos/core#"


def quad(s: str, o: str, graph: str) -> ox.Quad:
    label = ox.Literal(o, language="fi")
    return ox.Quad(ox.NamedNode(s), ox.NamedNode(SKOS + "prefLabel"), label, ox.NamedNode(graph))


@pytest.fixture
def store() -> OxigraphStore:
    store = OxigraphStore(None)
    for i in range(7):
        store._store.add(quad(f"https://example.org/a{i}", f"A {i}", BASE + "graph/data/one"))
    for i in range(5):
        store._store.add(quad(f"https://example.org/b{i}", f"B {i}", BASE + "graph/data/two"))
    # Stated in both data graphs, and once in the service's own graph (not published).
    for graph in ("graph/data/one", "graph/data/two", "graph/system/provenance"):
        store._store.add(quad("https://example.org/both", "Yhteinen", BASE + graph))
    return store


def test_each_format_holds_the_published_graphs_in_batches_each_triple_once(
    store: OxigraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dumps, "BATCH", 3)  # five batches: the prefixes are repeated
    built = dumps.build_dumps(store, BASE, DataVersion().current, tmp_path)
    assert built.triples == 13
    files = {d.format.name: d for d in built.dumps}
    for dump in built.dumps:
        assert dump.path.stat().st_size == dump.size
    lines = gzip.decompress(files["osaamiskartta.nt.gz"].path.read_bytes()).splitlines()
    assert len(lines) == len(set(lines)) == 13
    turtle = Graph().parse(files["osaamiskartta.ttl"].path, format="turtle")
    assert len(turtle) == 13
    assert {str(s) for s, _, _ in turtle} >= {"https://example.org/both", "https://example.org/a6"}
    trig = Dataset().parse(files["osaamiskartta.trig"].path, format="trig")
    sizes = {str(g.identifier): len(g) for g in trig.graphs() if len(g)}
    assert sizes == {BASE + "graph/data/one": 8, BASE + "graph/data/two": 6}


def test_the_cache_keeps_the_set_in_use_and_the_one_before(
    store: OxigraphStore, tmp_path: Path
) -> None:
    version = DataVersion()
    cache = dumps.DumpCache(store, BASE, version, tmp_path / "dumps")
    first = cache.get()
    assert cache.get() is first  # built once per version
    version.bump()
    second = cache.get()
    version.bump()
    third = cache.get()
    assert third.dumps[0].path.is_file() and second.dumps[0].path.is_file()
    assert not first.dumps[0].path.exists()
    assert len(list((tmp_path / "dumps").iterdir())) == 2


def test_a_triple_shared_by_any_two_of_three_graphs_is_written_once(tmp_path: Path) -> None:
    """The largest graph's triples are not looked up in the others: a triple it shares is
    found from the smaller graph's side, and one the two smaller graphs share from either."""
    store = OxigraphStore(None)
    for i in range(20):
        store._store.add(quad(f"https://example.org/big{i}", f"Iso {i}", BASE + "graph/data/big"))
    store._store.add(quad("https://example.org/small", "Pieni", BASE + "graph/data/a"))
    store._store.add(quad("https://example.org/small", "Pieni", BASE + "graph/tools/b"))
    store._store.add(quad("https://example.org/big3", "Iso 3", BASE + "graph/tools/b"))
    store._store.add(quad("https://example.org/big4", "Iso 4", BASE + "graph/data/a"))
    store._store.add(quad("https://example.org/big4", "Iso 4", BASE + "graph/tools/b"))
    built = dumps.build_dumps(store, BASE, DataVersion().current, tmp_path)
    assert built.triples == 21
    files = {d.format.name: d for d in built.dumps}
    lines = gzip.decompress(files["osaamiskartta.nt.gz"].path.read_bytes()).splitlines()
    assert len(lines) == len(set(lines)) == 21


def test_a_set_that_met_a_write_is_not_kept_and_the_kept_sets_stay(
    store: OxigraphStore, tmp_path: Path
) -> None:
    """The graphs are read one after another: a write during a build may leave two states in
    one set. Such a set is thrown away (an earlier one exists), and the set in use and the one
    before it stay on disk."""
    version, writes = DataVersion(), threading.Event()
    directories: list[Path] = []

    def build(store: Store, base: str, at: Version, directory: Path) -> dumps.DumpSet:
        directories.append(directory)
        built = dumps.build_dumps(store, base, at, directory)
        if len(directories) == 3:
            writes.set()  # a write begins while the third set is built
        return built

    cache = dumps.DumpCache(store, BASE, version, tmp_path / "dumps", build, writing=writes.is_set)
    first = cache.get()
    version.bump()
    second = cache.get()
    version.bump()
    future = cache.refresh()
    assert future is not None
    assert future.result(10) is second  # the third was not kept
    assert not directories[2].exists()
    assert all(d.path.is_file() for d in (*first.dumps, *second.dumps))
    writes.clear()
    version.bump()  # the write ends
    fourth = cache.get()
    assert fourth.version == version.current and len(directories) == 4
    assert sorted((tmp_path / "dumps").iterdir()) == sorted(directories[1::2])
