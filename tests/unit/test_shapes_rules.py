"""Every rule of the shapes, broken by one small fixture, is reported once and alone.

All fixtures are validated in one run together with the valid fixture: each fixture's
subjects are its own (checked below), and every constraint is local to its focus node, so a
result's focus node says which fixture caused it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from tests.model import (
    OKS,
    SHAPE_FIXTURES,
    Result,
    load,
    messages_of,
    ontology_graph,
    run_validation,
    shapes_graph,
)

EX = "https://example.org/fixture/"
VALID = ("valid", "valid-forum-membership-by-organization")


@dataclass(frozen=True)
class Expected:
    """What one broken fixture must produce."""

    fixture: str
    shape: str
    severity: URIRef = SH.Violation
    constraint: str | None = None


PHASE_OUTPUTS = {
    1: ["tavoitteet", "nimetyt-jasenet"],
    2: ["pelisaannot", "osaamiskartta"],
    3: ["toimintasuunnitelma"],
    4: ["arviointi"],
}
OUTPUT_SHAPES = {
    "tavoitteet": "ForumHasGoals",
    "nimetyt-jasenet": "ForumHasAppointedMembers",
    "pelisaannot": "ForumHasRules",
    "osaamiskartta": "ForumHasCompetenceMap",
    "toimintasuunnitelma": "ForumHasActionPlanWithMeasures",
    "arviointi": "ForumHasEvaluation",
}
FORUM_CASES = [
    Expected(f"forum-phase-{phase}-without-{output}", OUTPUT_SHAPES[output], SH.Warning)
    for phase in range(1, 5)
    for since, outputs in PHASE_OUTPUTS.items()
    if since <= phase
    for output in outputs
]

CASES = [
    Expected("label-only-english", "NamedThing-prefLabelFi"),
    Expected("label-two-finnish", "NamedThing-prefLabelUnique"),
    Expected("source-missing", "Sourced-source"),
    Expected("person-foaf-phone", "Person-noPhone"),
    Expected("person-foaf-mbox", "Person-noMbox"),
    Expected("person-schema-telephone", "Person-noSchemaTelephone"),
    Expected("person-schema-email", "Person-noSchemaEmail"),
    Expected("person-vcard-has-email", "Person-noVcardEmail"),
    Expected("person-vcard-has-telephone", "Person-noVcardTelephone"),
    Expected("person-phone-in-literal", "Person", constraint="Person-noContactLiteral"),
    Expected("person-email-in-literal", "Person", constraint="Person-noContactLiteral"),
    Expected("period-end-before-start", "PeriodOfTime", constraint="PeriodOfTime-endAfterStart"),
    Expected(
        "period-end-date-before-start-year",
        "PeriodOfTime",
        constraint="PeriodOfTime-endAfterStart",
    ),
    Expected(
        "period-end-time-before-start-time",
        "PeriodOfTime",
        constraint="PeriodOfTime-endAfterStart",
    ),
    Expected("period-malformed-start", "PeriodOfTime-startDate"),
    Expected("period-without-bounds", "PeriodOfTime-bounded"),
    Expected("issued-not-a-date", "Dated-issued"),
    Expected("membership-without-role", "Membership-role"),
    Expected("membership-two-members", "Membership-member"),
    Expected("membership-without-network", "Membership-organization"),
    Expected("goal-regional-supports-nothing", "RegionalGoalSupportsNationalGoal", SH.Warning),
    Expected(
        "goal-regional-supports-only-regional", "RegionalGoalSupportsNationalGoal", SH.Warning
    ),
    Expected("goal-national-supports-nothing", "NationalGoalSupportsEuGoal", SH.Warning),
    Expected("goal-without-policy-level", "StrategicGoal-policyLevel"),
    Expected("measure-without-goal", "Measure-underGoal"),
    Expected("measure-without-responsible-actor", "Measure-responsibleActor"),
    Expected("training-product-without-provider", "TrainingProduct-provider"),
    Expected("training-product-without-competence", "TrainingProduct-teaches"),
    Expected("forum-without-phase", "SectorForum-lifecyclePhase"),
    Expected("forum-phase-1-member-not-appointed", "ForumHasAppointedMembers", SH.Warning),
    Expected("forum-phase-3-plan-without-measures", "ForumHasActionPlanWithMeasures", SH.Warning),
    Expected("quality-standard-without-indicator", "QualityStandard-indicator"),
    Expected("answer-without-indicator", "IndicatorAnswer-indicator"),
    Expected("answer-without-organisation", "IndicatorAnswer-organisation"),
    Expected("answer-without-date", "IndicatorAnswer-date"),
    Expected("answer-without-value", "IndicatorAnswer-value"),
    Expected("answer-value-out-of-scale", "IndicatorAnswer-value"),
    Expected("answer-organisation-not-an-organisation", "IndicatorAnswer-organisation"),
    Expected("self-assessment-without-date", "SelfAssessment-date"),
    Expected("count-without-qualifier", "Count-qualifier"),
    Expected("count-not-an-integer", "Count-value"),
    *FORUM_CASES,
]


def fixture_graph(name: str) -> Graph:
    """One fixture file of tests/fixtures/shapes."""
    return load([SHAPE_FIXTURES / f"{name}.ttl"])


@pytest.fixture(scope="session")
def shapes() -> Graph:
    """The project's shapes."""
    return shapes_graph()


@pytest.fixture(scope="session")
def results(shapes: Graph) -> dict[str, list[Result]]:
    """Validation results of all fixtures in one run, keyed by the fixture that caused them."""
    combined = Graph()
    owner: dict[URIRef, str] = {}
    for path in sorted(SHAPE_FIXTURES.glob("*.ttl")):
        graph = load([path])
        for subject in set(graph.subjects()):
            if isinstance(subject, URIRef):
                assert subject not in owner, f"{subject} is defined in two fixtures"
                owner[subject] = path.stem
        combined += graph
    _, found = run_validation(combined, shapes, ontology_graph())
    by_fixture: dict[str, list[Result]] = {}
    for result in found:
        key = (
            owner.get(result.focus, "(not in a fixture)")
            if isinstance(result.focus, URIRef)
            else "(blank node)"
        )
        by_fixture.setdefault(key, []).append(result)
    return by_fixture


def test_every_fixture_file_is_used() -> None:
    """Each fixture file is either valid or the subject of one rule case."""
    named = {c.fixture for c in CASES} | set(VALID)
    assert {p.stem for p in SHAPE_FIXTURES.glob("*.ttl")} == named


def test_every_phase_requirement_has_a_fixture_per_phase() -> None:
    """Phase N is tested without each output that phases 1..N require."""
    assert len(FORUM_CASES) == 2 + 4 + 5 + 6


@pytest.mark.parametrize("name", VALID)
def test_valid_fixture_yields_no_result(results: dict[str, list[Result]], name: str) -> None:
    """A fixture that keeps every rule is not reported at all."""
    assert results.get(name, []) == []


def test_nothing_outside_the_fixtures_is_reported(results: dict[str, list[Result]]) -> None:
    """The ontology and the valid parts of the fixtures produce no result."""
    assert results.get("(not in a fixture)", []) == []
    assert results.get("(blank node)", []) == []


def _check_message(shapes: Graph, declared_by: URIRef, result: Result) -> None:
    """The result carries the rule's Finnish and English message.

    pySHACL 0.40.1 drops the language tag of a SPARQL constraint's message, so the texts are
    compared; for Core constraints the tags must match too.
    """
    declared = messages_of(shapes, declared_by)
    assert {m.language for m in declared} == {"fi", "en"}
    assert {str(m) for m in result.messages} == {str(m) for m in declared}
    if all(m.language for m in result.messages):
        assert set(result.messages) == set(declared)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.fixture)
def test_broken_fixture_is_reported_by_its_rule_only(
    results: dict[str, list[Result]], shapes: Graph, case: Expected
) -> None:
    """The fixture yields exactly one result: its focus node, its rule, its messages."""
    found = results.get(case.fixture, [])
    assert len(found) == 1, [(r.focus, r.source_shape) for r in found]
    result = found[0]
    assert result.focus == URIRef(EX + case.fixture)
    assert result.source_shape == OKS[case.shape]
    assert result.severity == case.severity
    if case.constraint is not None:
        assert result.constraint == OKS[case.constraint]
    _check_message(shapes, OKS[case.constraint or case.shape], result)


def test_every_rule_shape_has_a_breaking_fixture(shapes: Graph) -> None:
    """Each shape that states a quality rule (Warning or rule group) is covered by a case."""
    covered = {OKS[c.shape] for c in CASES} | {OKS[c.constraint] for c in CASES if c.constraint}
    rules = set(shapes.subjects(SH.severity, SH.Warning)) | set(
        shapes.subjects(SH.group, OKS.QualityRulesGroup)
    )
    assert rules <= covered, sorted(rules - covered)


def test_every_constraint_has_a_severity_and_two_messages(shapes: Graph) -> None:
    """Every named shape with a constraint declares its severity and a fi and en message."""
    constraint_predicates = [
        SH.minCount,
        SH.maxCount,
        SH["class"],
        SH.datatype,
        SH["in"],
        SH["or"],
        SH.node,
        SH.qualifiedValueShape,
        SH.uniqueLang,
        SH.select,
        SH.nodeKind,
        SH.minInclusive,
    ]
    for predicate in constraint_predicates:
        for shape in set(shapes.subjects(predicate, None)):
            if not isinstance(shape, URIRef) or shape == OKS.Agent:
                continue
            assert shapes.value(shape, SH.severity) is not None, shape
            languages = {
                m.language for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)
            }
            assert languages == {"fi", "en"}, shape
