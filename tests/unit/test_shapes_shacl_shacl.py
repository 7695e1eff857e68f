"""The shapes are well-formed SHACL: they conform to the W3C SHACL-for-SHACL shapes graph."""

from __future__ import annotations

from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import RDF, SH

from tests.model import SHACL_SHACL, SHAPES_DIR, rdf_files, shapes_graph


def test_shacl_for_shacl_is_available() -> None:
    """The shapes graph of the W3C test suite sits beside the repository."""
    assert SHACL_SHACL.is_file(), SHACL_SHACL


def test_shapes_conform_to_shacl_for_shacl() -> None:
    """Validating our shapes with shacl-shacl gives no result."""
    conforms, _, text = validate(
        shapes_graph(),
        shacl_graph=Graph().parse(SHACL_SHACL, format="turtle"),
        inference="none",
        max_validation_depth=40,
    )
    assert conforms, text


def test_shacl_for_shacl_catches_a_broken_shape() -> None:
    """A shape with two paths and a non-integer sh:minCount does not pass."""
    broken = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <https://example.org/> .
        ex:Broken a sh:PropertyShape ; sh:path ex:a, ex:b ; sh:minCount "one" .
        """,
        format="turtle",
    )
    conforms, _, _ = validate(
        broken,
        shacl_graph=Graph().parse(SHACL_SHACL, format="turtle"),
        inference="none",
        max_validation_depth=40,
    )
    assert not conforms


def test_each_shapes_file_declares_shapes() -> None:
    """Every file in shapes/ holds at least one node shape."""
    for path in rdf_files(SHAPES_DIR):
        graph = Graph().parse(path, format="turtle")
        assert any(graph.subjects(RDF.type, SH.NodeShape)) or path.stem == "common", path
