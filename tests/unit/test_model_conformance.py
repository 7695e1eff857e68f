"""The data in data/ conforms to the shapes, with the ontology loaded, as the service
validates it."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import SH

from tests.model import ID, OKS, Result, data_graph, ontology_graph, run_validation, shapes_graph

# Findings the sources themselves contain: the Pohjois-Savo ELO strategy states support only
# for its goal 2 (→ national goal 3), and the national goal is not linked to an EU goal.
EXPECTED_WARNINGS = {
    (ID["goal/pohjois-savo-elo-1"], OKS.RegionalGoalSupportsNationalGoal),
    (ID["goal/pohjois-savo-elo-3"], OKS.RegionalGoalSupportsNationalGoal),
    (ID["goal/pohjois-savo-elo-4"], OKS.RegionalGoalSupportsNationalGoal),
    (ID["goal/kansallinen-elo-3"], OKS.NationalGoalSupportsEuGoal),
}


@pytest.fixture(scope="session")
def data() -> Graph:
    """Every data file that exists."""
    return data_graph()


@pytest.fixture(scope="session")
def validation(data: Graph) -> tuple[bool, list[Result]]:
    """The data validated against the shapes with the ontology."""
    return run_validation(data, shapes_graph(), ontology_graph())


def test_data_files_exist(data: Graph) -> None:
    """There is data to validate."""
    assert len(data) > 0


def test_data_conforms_without_violations(validation: tuple[bool, list[Result]]) -> None:
    """No result of the data is a Violation."""
    conforms, results = validation
    violations = [(r.focus, r.source_shape, r.path) for r in results if r.severity == SH.Violation]
    assert violations == []
    assert conforms


def test_only_the_known_findings_are_warnings(validation: tuple[bool, list[Result]]) -> None:
    """The Warnings are exactly the unsupported Pohjois-Savo and national goals."""
    _, results = validation
    warnings = {(r.focus, r.source_shape) for r in results if r.severity == SH.Warning}
    assert warnings == EXPECTED_WARNINGS


def test_no_infos(validation: tuple[bool, list[Result]]) -> None:
    """Nothing is reported at Info level."""
    _, results = validation
    assert [r for r in results if r.severity == SH.Info] == []


def test_forum_phase_shapes_follow_the_lifecycle_in_the_data(data: Graph) -> None:
    """The outputs each phase concept requires in data/ are those the forum shapes check."""
    from rdflib import URIRef
    from rdflib.namespace import SKOS

    from tests.unit.test_shapes_rules import PHASE_OUTPUTS

    stated: dict[int, set[str]] = {}
    for phase, output in data.subject_objects(
        URIRef("https://w3id.org/osaamiskartta/ontology#requiresOutput")
    ):
        number = int(str(data.value(phase, SKOS.notation)))
        stated.setdefault(number, set()).add(str(output).rsplit("/", 1)[-1])
    assert stated == {n: set(outputs) for n, outputs in PHASE_OUTPUTS.items()}
