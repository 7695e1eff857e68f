"""The synthetic dataset: deterministic, the size asked, all regions, and conforming."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from service.cli import main
from service.synth.generator import generate
from service.synth.vocabulary import REGIONS

ROOT = Path(__file__).resolve().parents[2]
SIZE = 10_000
SKOS_IN_SCHEME = ox.NamedNode("http://www.w3.org/2004/02/skos/core#inScheme")
DCT_SPATIAL = ox.NamedNode("http://purl.org/dc/terms/spatial")


def _text(triples: int, seed: int) -> str:
    out = io.StringIO()
    generate(out, triples, seed)
    return out.getvalue()


@pytest.fixture(scope="module")
def synth_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("synth") / "synth.nt"
    assert main(["synth", "--triples", str(SIZE), "--seed", "3", "--out", str(path)]) == 0
    return path


def test_same_seed_gives_the_same_bytes_and_another_seed_does_not(synth_file: Path) -> None:
    again = _text(SIZE, 3)
    assert synth_file.read_text(encoding="utf-8") == again
    assert _text(SIZE, 4) != again


def test_size_is_reached_and_every_line_is_one_triple(synth_file: Path) -> None:
    store = ox.Store()
    store.load(path=str(synth_file), format=ox.RdfFormat.N_TRIPLES)
    lines = synth_file.read_text(encoding="utf-8").count("\n")
    assert len(store) == lines
    assert SIZE <= lines < SIZE + 2_000


def test_regions_match_the_ontology_and_all_are_used(synth_file: Path) -> None:
    regions = ox.Store()
    regions.load(path=str(ROOT / "ontology" / "regions.ttl"), format=ox.RdfFormat.TURTLE)
    scheme = ox.NamedNode("https://w3id.org/osaamiskartta/id/scheme/maakunnat")
    known = {
        q.subject.value.rsplit("/", 1)[1]
        for q in regions.quads_for_pattern(None, SKOS_IN_SCHEME, scheme)
    }
    assert known == {r.slug for r in REGIONS}
    data = ox.Store()
    data.load(path=str(synth_file), format=ox.RdfFormat.N_TRIPLES)
    used = {
        q.object.value.rsplit("/", 1)[1]
        for q in data.quads_for_pattern(None, DCT_SPATIAL, None)
        if "/id/region/" in q.object.value
    }
    assert used == known


def test_a_small_output_conforms_to_the_shapes(
    synth_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["validate", "--with-store", "--lang", "en", str(synth_file)], environ={})
    out = capsys.readouterr().out
    assert status == 0, out
    assert "0 violations, 0 warnings" in out


def test_a_broken_output_is_caught(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The validation above can fail: drop every provider of the training products."""
    lines = _text(SIZE, 3).splitlines(keepends=True)
    broken = tmp_path / "broken.nt"
    broken.write_text(
        "".join(
            line
            for line in lines
            if "training-product/" not in line.split(" ", 1)[0] or "schema.org/provider" not in line
        ),
        encoding="utf-8",
    )
    assert main(["validate", "--with-store", "--lang", "en", str(broken)], environ={}) == 1
    assert "TrainingProduct-provider" in capsys.readouterr().out
