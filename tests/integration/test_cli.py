"""The ``osaamiskartta`` command line: load, query, update and dump on a store directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset

from tests.conftest import FIXTURES, REPO

COMMANDS = ["serve", "load", "query", "update", "dump"]


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    child_env = {k: v for k, v in os.environ.items() if not k.startswith("OSAAMISKARTTA_")}
    child_env["OSAAMISKARTTA_LOAD_DIRS"] = "none"
    child_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "service.cli", *args],
        cwd=REPO,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_command_has_help_naming_its_environment_variables(command: str | None) -> None:
    result = cli(*([command] if command else []), "--help")
    assert result.returncode == 0
    if command:
        assert "OSAAMISKARTTA_STORE" in result.stdout


def test_load_query_update_and_dump_work_on_a_store_directory(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    files = [str(FIXTURES / "graphs" / "people.ttl"), str(FIXTURES / "graphs" / "places.nt")]
    loaded = cli("load", "--store", store, *files)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.count("loaded") == 2
    again = cli("load", "--store", store, *files)
    assert again.stdout.count("unchanged") == 2

    query = "SELECT ?label WHERE { <http://example.org/kuopio> ?p ?label }"
    table = cli("query", "--store", store, query)
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[0].strip() == "label"
    assert '"Kuopio"@fi' in table.stdout and "(1 row)" in table.stdout

    update = tmp_path / "insert.ru"
    update.write_text(
        "INSERT DATA { GRAPH <http://example.org/g/cli> "
        "{ <http://example.org/a> <http://example.org/b> 1 } }"
    )
    assert cli("update", str(update), env={"OSAAMISKARTTA_STORE": store}).returncode == 0
    csv = cli(
        "query",
        "--store",
        store,
        "--format",
        "csv",
        "SELECT ?o WHERE { GRAPH <http://example.org/g/cli> { ?s ?p ?o } }",
    )
    assert csv.stdout.splitlines() == ["o", "1"]

    trig = cli("dump", "--store", store)
    dataset = Dataset()
    dataset.parse(data=trig.stdout, format="trig")
    graphs = {str(g.identifier) for g in dataset.graphs()}
    assert {
        "http://example.org/g/cli",
        "https://w3id.org/osaamiskartta/graph/graphs/people",
    } <= graphs
    nquads = tmp_path / "dump.nq"
    assert (
        cli("dump", "--store", store, "--format", "nquads", "--output", str(nquads)).returncode == 0
    )
    assert "<http://example.org/g/cli>" in nquads.read_text()


def test_query_with_syntax_error_exits_nonzero_with_message(tmp_path: Path) -> None:
    result = cli("query", "--store", "memory", "SELECT * WHERE {")
    assert result.returncode == 1
    assert "Syntax error" in result.stderr


def _file_graphs(store: str) -> list[str]:
    dump = cli("dump", "--store", store, "--format", "nquads")
    assert dump.returncode == 0, dump.stderr
    # The graph is the last term of a line (provenance records name these graphs too).
    return sorted(
        line for line in dump.stdout.splitlines() if "/graph/graphs/" in line.rsplit(" ", 2)[-2]
    )


def test_load_bulk_loads_big_files_into_new_graphs_as_the_atomic_load_would(
    tmp_path: Path,
) -> None:
    files = [str(FIXTURES / "graphs" / "people.ttl"), str(FIXTURES / "graphs" / "places.nt")]
    bulk, atomic = str(tmp_path / "bulk"), str(tmp_path / "atomic")
    every_file = {"OSAAMISKARTTA_BULK_LOAD_BYTES": "0"}
    loaded = cli("load", "--store", bulk, *files, env=every_file)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.count("loaded") == 2
    again = cli("load", "--store", bulk, *files, env=every_file)
    assert again.stdout.count("unchanged") == 2
    assert cli("load", "--store", atomic, *files).returncode == 0
    assert _file_graphs(bulk) == _file_graphs(atomic) != []


def test_load_brings_the_model_in_first_so_that_the_shapes_judge_the_files(
    tmp_path: Path,
) -> None:
    store = str(tmp_path / "store")
    model = {"OSAAMISKARTTA_LOAD_DIRS": f"{REPO / 'ontology'},{REPO / 'shapes'}"}
    product = "https://w3id.org/osaamiskartta/id/training-product/ilman-jarjestajaa"
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix ok: <https://w3id.org/osaamiskartta/ontology#> .\n"
        f"<{product}> a ok:TrainingProduct .\n",
        encoding="utf-8",
    )
    refused = cli("load", "--store", store, str(bad), env=model)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "TrainingProduct" in refused.stderr
    assert "/graph/shapes/" in refused.stdout  # the model went in first
    asked = cli("query", "--store", store, f"SELECT ?p WHERE {{ <{product}> ?p ?o }}")
    assert "(0 rows)" in asked.stdout, asked.stdout + asked.stderr
    good = cli("load", "--store", store, str(FIXTURES / "graphs" / "places.nt"), env=model)
    assert good.returncode == 0, good.stderr
    assert good.stdout.count("loaded") == 1  # the model is unchanged: only the file
