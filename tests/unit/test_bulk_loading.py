"""Bulk loading of big files (start-up, the load command): the store it gives is the one the
atomic load gives, a load cut short is repaired by the next one, and a load that fails or is
refused leaves the store as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from service.errors import BadRequest, ShapeViolation, SyntaxProblem
from service.loading import LoadReport, graph_for_file, load_directories, load_paths, read_state
from service.sparql.formats import TURTLE
from service.store.base import FileLoad
from service.store.oxigraph import OxigraphStore
from service.validation.gate import GraphRoles, QualityGate
from service.writes import Write, WriteContext, Writer, WriteResult

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
BASE = "https://w3id.org/osaamiskartta/"
EX = "http://example.org/"
# The same blank node label in two files: each file's graph gets blank nodes of its own.
BLANKS = f'_:x <{EX}p> "a" .\n_:x <{EX}q> [ <{EX}r> 1 ; <{EX}s> ( 1 2 ) ] .\n'


class Heard:
    """A write observer that keeps what each committed write loaded and added."""

    def __init__(self) -> None:
        self.loaded: list[str] = []
        self.added: list[ox.Quad] = []

    def committed(self, write: Write, context: WriteContext, result: WriteResult) -> None:
        self.loaded.extend(result.delta.loaded)
        self.added.extend(result.delta.added)


def extra_dir(tmp_path: Path) -> Path:
    """Fixture graphs, two files sharing a blank node label, and an empty file."""
    extra = tmp_path / "extra"
    shutil.copytree(FIXTURES / "graphs", extra)
    (extra / "blanks-a.ttl").write_text(BLANKS)
    (extra / "blanks-b.nt").write_text(f'_:x <{EX}p> "b" .\n_:x <{EX}q> _:y .\n_:y <{EX}r> "2" .\n')
    (extra / "empty.ttl").write_text("")
    return extra


def model_dirs(tmp_path: Path) -> list[Path]:
    return [REPO / "ontology", REPO / "shapes", REPO / "data", extra_dir(tmp_path)]


def open_writer(store: OxigraphStore, *observers: Heard) -> Writer:
    return Writer(store, QualityGate(store, GraphRoles(BASE)), list(observers))


def start(store: OxigraphStore, dirs: list[Path], bulk_from: int | None) -> LoadReport:
    return load_directories(open_writer(store), dirs, BASE, bulk_from=bulk_from)


def canonical(store: OxigraphStore) -> set[str]:
    """The store's quads with blank nodes named canonically (bulk and atomic loads name them
    differently)."""
    dataset = ox.Dataset(store.match())
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return {str(q) for q in dataset}


def test_bulk_loading_a_fresh_store_gives_the_quads_of_the_atomic_load(tmp_path: Path) -> None:
    dirs = model_dirs(tmp_path)
    atomic, bulk = OxigraphStore(tmp_path / "atomic"), OxigraphStore(tmp_path / "bulk")
    heard = Heard()
    expected = start(atomic, dirs, None)
    report = load_directories(open_writer(bulk, heard), dirs, BASE, bulk_from=0)

    assert report == expected
    assert canonical(bulk) == canonical(atomic)
    assert bulk.named_graphs() == atomic.named_graphs()
    # Every triples file was bulk-loaded, and its quads reach observers that ask for them.
    assert set(heard.loaded) == set(report.loaded)
    data = set(bulk.match(graph=f"{BASE}graph/extra/people"))
    assert data and data <= set(heard.added)
    # The empty file's graph exists, so a second start finds everything unchanged.
    assert bulk.has_graph(f"{BASE}graph/extra/empty")
    again = start(bulk, dirs, 0)
    assert again.loaded == () and set(again.unchanged) == set(report.loaded)


def test_a_graph_left_half_loaded_without_its_record_is_loaded_again(tmp_path: Path) -> None:
    dirs = model_dirs(tmp_path)
    reference = OxigraphStore(tmp_path / "reference")
    start(reference, dirs, None)
    # A start-up killed during the bulk load of people.ttl: part of the graph, no record.
    store = OxigraphStore(tmp_path / "store")
    people = dirs[-1] / "people.ttl"
    half = tmp_path / "half.ttl"
    half.write_text(people.read_text().split("ex:oppilaitos")[0])
    store.load_file(FileLoad(graph_for_file(BASE, people), half, TURTLE))

    report = start(store, dirs, 0)

    assert graph_for_file(BASE, people) in report.loaded
    assert canonical(store) == canonical(reference)


def test_a_replacement_that_fails_midway_leaves_no_record_to_trust(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    places = data / "places.nt"
    shutil.copy(FIXTURES / "graphs" / "places.nt", places)
    store = OxigraphStore(tmp_path / "store")
    start(store, [data], 0)
    graph = graph_for_file(BASE, places)
    first_version = places.read_bytes()

    # The new version breaks off after a line: the load stops there and raises.
    places.write_bytes(first_version + b"<http://example.org/broken> <http://exa")
    with pytest.raises(SyntaxProblem):
        start(store, [data], 0)
    assert not store.has_graph(graph)
    assert graph not in read_state(store, BASE)

    # Put back as it was, the file is loaded again: nothing claims the old graph is whole.
    places.write_bytes(first_version)
    assert start(store, [data], 0).loaded == (graph,)
    reference = OxigraphStore(tmp_path / "reference")
    start(reference, [data], None)
    assert canonical(store) == canonical(reference)


def test_a_bulk_load_that_does_not_parse_changes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "good.ttl").write_text(BLANKS)
    (data / "bad.nt").write_text(f"<{EX}a> <{EX}b> <{EX}c> .\n<{EX}a> <{EX}b> ")
    store = OxigraphStore(tmp_path / "store")
    with pytest.raises(SyntaxProblem) as raised:
        start(store, [REPO / "ontology", data], 0)
    assert raised.value.line is not None
    assert store.named_graphs() == []
    assert list(store.match()) == []


def test_bulk_loaded_files_are_refused_what_parsing_them_in_python_refuses(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    # Nested triple terms make pyoxigraph's parser recurse until the process dies.
    depth = 400
    (data / "deep.ttl").write_text(
        f"<{EX}s> <{EX}p> " + f"<<( <{EX}a> <{EX}b> " * depth + "1" + " )>>" * depth + " .\n"
    )
    store = OxigraphStore(tmp_path / "store")
    with pytest.raises(BadRequest, match="nests brackets"):
        start(store, [data], 0)
    (data / "deep.ttl").unlink()
    (data / "laughs.rdf").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY a "aaaaaaaa">\n'
        '<!ENTITY b "&a;&a;&a;&a;">\n]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n'
    )
    with pytest.raises(BadRequest, match="billion laughs"):
        start(store, [data], 0)
    assert store.named_graphs() == []


def test_bulk_nests_blank_nodes_deeper_than_the_bracket_guard_allows(tmp_path: Path) -> None:
    # Blank nodes and collections do not make the streaming parser recurse: no guard needed.
    data = tmp_path / "data"
    data.mkdir()
    depth = 5_000
    (data / "deep.ttl").write_text(
        f"<{EX}s> <{EX}p> " + f"[ <{EX}q> ( " * depth + "1" + " ) ]" * depth + " .\n"
    )
    store = OxigraphStore(tmp_path / "store")
    start(store, [data], 0)
    assert len(store.match(graph=f"{BASE}graph/data/deep")) == 3 * depth + 1


def _model(tmp_path: Path) -> OxigraphStore:
    store = OxigraphStore(tmp_path / "store")
    start(store, [REPO / "ontology", REPO / "shapes", REPO / "data"], None)
    return store


def _fixture(tmp_path: Path, name: str) -> Path:
    """A shapes fixture in a data directory (in shapes/ it would become a shapes graph)."""
    path = tmp_path / "cli" / name
    path.parent.mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "shapes" / name, path)
    return path


def test_the_load_command_bulk_loads_a_new_file_that_passes_the_gate(tmp_path: Path) -> None:
    store, reference = _model(tmp_path), OxigraphStore(tmp_path / "reference")
    start(reference, [REPO / "ontology", REPO / "shapes", REPO / "data"], None)
    valid = _fixture(tmp_path, "valid.ttl")
    heard = Heard()
    report = load_paths(open_writer(store, heard), [valid], BASE, bulk_from=0)
    load_paths(open_writer(reference), [valid], BASE, bulk_from=None)
    assert report.loaded == (graph_for_file(BASE, valid.resolve()),)
    assert heard.loaded == list(report.loaded)
    assert canonical(store) == canonical(reference)


def test_the_load_command_undoes_a_bulk_load_the_gate_refuses(tmp_path: Path) -> None:
    store = _model(tmp_path)
    before = canonical(store)
    refused = _fixture(tmp_path, "label-two-finnish.ttl")
    valid = _fixture(tmp_path, "valid.ttl")
    with pytest.raises(ShapeViolation):
        load_paths(open_writer(store), [refused, valid], BASE, bulk_from=0)
    assert canonical(store) == before
    assert graph_for_file(BASE, refused.resolve()) not in store.named_graphs()


def test_a_service_graph_replaced_at_start_up_goes_through_one_drop_then_the_load(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "graphs", data)
    store = OxigraphStore(tmp_path / "store")
    start(store, [data], 0)
    people = data / "people.ttl"
    people.write_text(people.read_text().replace("Oppilaitos", "Toinen oppilaitos"))
    heard = Heard()
    writer = open_writer(store, heard)
    writes: list[tuple[bool, bool]] = []

    class Order:
        """Records, at each commit, whether the people graph and its record exist."""

        def committed(self, write: Write, context: WriteContext, result: WriteResult) -> None:
            graph = graph_for_file(BASE, people)
            writes.append((store.has_graph(graph), graph in read_state(store, BASE)))

    writer.observers.append(Order())
    report = load_directories(writer, [data], BASE, bulk_from=0)
    assert report.loaded == (graph_for_file(BASE, people),)
    # First the old graph and its record go together, then the new graph comes with its record.
    assert writes == [(False, False), (True, True)]
    assert any("Toinen oppilaitos" in str(q.object) for q in heard.added)
