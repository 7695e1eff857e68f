"""The quality self-assessment: an organisation answers the ELO quality tool's indicator
questions on the 1-5 scale (one assessment per organisation and date), and reads a summary per
area and standard, the comparison with its previous assessment and what is still unanswered.

Model (ontology/MODELLING.md, "Quality tool"): `ok:SelfAssessment` attributed to the
organisation with `dct:date`; one `ok:IndicatorAnswer` per answered indicator with `qb:dataSet`
the assessment, `dqv:isMeasurementOf`, `dqv:computedOn`, `dqv:value`, `dct:date` and an optional
`rdfs:comment`. Each assessment is one record graph, replaced as a whole when resumed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from statistics import fmean

import pyoxigraph as ox

from service.errors import NotFound, ParameterProblem
from service.store.base import Store
from service.tools import sparql
from service.tools.forms import FieldMap
from service.tools.records import (
    DCT,
    OK,
    RDF_TYPE,
    Ids,
    context,
    labelled,
    save,
    slugify,
    term,
    typed_or_plain,
)
from service.writes import Writer, WriteResult

DQV = "http://www.w3.org/ns/dqv#"
QB = "http://purl.org/linked-data/cube#"
PROV = "http://www.w3.org/ns/prov#"
RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
SCALE = (1, 2, 3, 4, 5)


@dataclass
class Indicator:
    """One indicator question and this assessment's answer to it."""

    iri: str
    slug: str
    label: str
    value: int | None = None
    comment: str = ""
    previous: int | None = None

    @property
    def change(self) -> int | None:
        """The change from the previous assessment's answer."""
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


def _mean(values: list[int]) -> float | None:
    return round(fmean(values), 2) if values else None


class _Answers:
    """Counts and means over the indicators of a standard or an area."""

    indicators: list[Indicator]

    @property
    def answered(self) -> int:
        """How many indicators have an answer."""
        return sum(1 for i in self.indicators if i.value is not None)

    @property
    def mean(self) -> float | None:
        """Mean of the answers."""
        return _mean([i.value for i in self.indicators if i.value is not None])

    @property
    def previous_mean(self) -> float | None:
        """Mean of the previous assessment's answers."""
        return _mean([i.previous for i in self.indicators if i.previous is not None])


@dataclass
class Standard(_Answers):
    """A standard (a claim) with its indicators."""

    iri: str
    label: str
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class Area(_Answers):
    """One of the four areas with its standards."""

    iri: str
    label: str
    position: int
    standards: list[Standard] = field(default_factory=list)

    @property
    def indicators(self) -> list[Indicator]:  # type: ignore[override]
        """The area's indicators, standard by standard."""
        return [i for s in self.standards for i in s.indicators]


@dataclass
class Assessment:
    """An organisation's assessment at a date, with the previous one to compare with."""

    organisation: str
    organisation_slug: str
    organisation_label: str
    date: str
    iri: str
    exists: bool
    previous_date: str | None
    dates: list[str]
    areas: list[Area]

    @property
    def indicators(self) -> list[Indicator]:
        """Every indicator in order."""
        return [i for a in self.areas for i in a.indicators]

    @property
    def unanswered(self) -> list[Indicator]:
        """The indicators without an answer."""
        return [i for i in self.indicators if i.value is None]

    def as_json(self) -> dict[str, object]:
        """The assessment, its summary, comparison and unanswered indicators for the API."""
        return {
            "organisation": self.organisation,
            "organisationLabel": self.organisation_label,
            "date": self.date,
            "assessment": self.iri,
            "exists": self.exists,
            "previousDate": self.previous_date,
            "scale": list(SCALE),
            "answers": [
                {"indicator": i.iri, "value": i.value, "comment": i.comment or None}
                for i in self.indicators
                if i.value is not None or i.comment
            ],
            "summary": [
                {
                    "area": a.iri,
                    "label": a.label,
                    "indicators": len(a.indicators),
                    "answered": a.answered,
                    "mean": a.mean,
                    "previousMean": a.previous_mean,
                    "standards": [
                        {
                            "standard": s.iri,
                            "label": s.label,
                            "indicators": len(s.indicators),
                            "answered": s.answered,
                            "mean": s.mean,
                            "previousMean": s.previous_mean,
                        }
                        for s in a.standards
                    ],
                }
                for a in self.areas
            ],
            "comparison": [
                {
                    "indicator": i.iri,
                    "value": i.value,
                    "previous": i.previous,
                    "change": i.change,
                }
                for i in self.indicators
            ],
            "unanswered": [{"indicator": i.iri, "label": i.label} for i in self.unanswered],
        }


def parse_date(text: str) -> str:
    """An ISO date (YYYY-MM-DD) or ParameterProblem."""
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError as exc:
        raise ParameterProblem("date", "an ISO date such as 2025-01-15 is required") from exc


def organisation_label(store: Store, ids: Ids, slug: str, language: str) -> tuple[str, str]:
    """The organisation's IRI and label; NotFound when the graph has no such organisation."""
    iri = ids.instance("organisation", slug)
    for row in sparql.rows(store, "organisation", organisation=iri, lang=sparql.lang(language)):
        return iri.value, row.get("label", slug)
    raise NotFound(f"the graph has no organisation <{iri.value}>")


def organisations(store: Store, ids: Ids, language: str) -> list[tuple[str, str]]:
    """(slug, label) of every organisation with an IRI under the base, by label. Sorted here:
    pyoxigraph's ORDER BY took 3 of the 10 s for the 38,538 organisations at 10M triples."""
    found = []
    for row in sparql.rows(store, "organisations", lang=sparql.lang(language)):
        slug = ids.slug_of(row["organisation"], "organisation")
        if slug:
            found.append((slug, row.get("label", slug)))
    return sorted(found, key=lambda org: (org[1].casefold(), org[0]))


def dates(store: Store, ids: Ids, slug: str) -> tuple[str, list[str]]:
    """The organisation's IRI and the dates of its assessments, newest first."""
    org, _ = organisation_label(store, ids, slug, "fi")
    found = sparql.rows(store, "quality_assessments", organisation=ox.NamedNode(org))
    return org, [r["date"] for r in found]


def assessment_iri(ids: Ids, slug: str, day: str) -> ox.NamedNode:
    """The IRI of an organisation's assessment at a date."""
    return ids.instance("self-assessment", f"{slug}-{day}")


def _answers(store: Store, assessment: str, language: str) -> list[sparql.Row]:
    return sparql.rows(
        store, "quality_answers", assessment=ox.NamedNode(assessment), lang=sparql.lang(language)
    )


def load_assessment(store: Store, ids: Ids, slug: str, day: str, language: str) -> Assessment:
    """The assessment (empty when not yet started) with its previous one for comparison."""
    day = parse_date(day)
    org, org_label = organisation_label(store, ids, slug, language)
    iri = assessment_iri(ids, slug, day).value
    dated = sparql.rows(store, "quality_assessments", organisation=ox.NamedNode(org))
    dates = [r["date"] for r in dated]
    previous = next((r for r in dated if r["date"] < day), None)
    previous_values: dict[str, int] = {}
    if previous is not None:
        for row in _answers(store, previous["assessment"], language):
            if "value" in row:
                previous_values[row["indicator"]] = int(row["value"])
    areas = {
        r["area"]: Area(r["area"], r.get("label", ""), int(r.get("position", 0)))
        for r in sparql.rows(store, "quality_areas", lang=sparql.lang(language))
    }
    standards: dict[str, Standard] = {}
    for row in _answers(store, iri, language):
        standard = standards.get(row["standard"])
        if standard is None:
            standard = standards[row["standard"]] = Standard(
                row["standard"], row.get("standardLabel", "")
            )
            area = areas.setdefault(row["area"], Area(row["area"], "", 99))
            area.standards.append(standard)
        indicator = row["indicator"]
        standard.indicators.append(
            Indicator(
                indicator,
                slugify(indicator.rsplit("/", 1)[-1]),
                row.get("indicatorLabel", ""),
                int(row["value"]) if "value" in row else None,
                row.get("comment", ""),
                previous_values.get(indicator),
            )
        )
    return Assessment(
        org,
        slug,
        org_label,
        day,
        iri,
        day in dates,
        previous["date"] if previous else None,
        dates,
        sorted(areas.values(), key=lambda a: a.position),
    )


@dataclass(frozen=True)
class Submitted:
    """One indicator's answer as the user typed it."""

    value: str = ""
    comment: str = ""


def _record(
    ids: Ids,
    assessment: Assessment,
    answers: Mapping[str, Submitted],
    language: str,
) -> list[ox.Triple]:
    subject = ox.NamedNode(assessment.iri)
    org = ox.NamedNode(assessment.organisation)
    day = ox.Literal(
        assessment.date, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
    )
    triples = [
        ox.Triple(subject, RDF_TYPE, term(OK, "SelfAssessment")),
        *labelled(
            subject,
            f"{assessment.organisation_label}: itsearviointi {assessment.date}",
            f"{assessment.organisation_label}: self-assessment {assessment.date}",
        ),
        ox.Triple(subject, term(PROV, "wasAttributedTo"), org),
        ox.Triple(subject, term(DCT, "date"), day),
        ox.Triple(subject, term(DCT, "source"), ids.document),
    ]
    for indicator, answer in answers.items():
        if not answer.value.strip() and not answer.comment.strip():
            continue
        node = answer_iri(ids, assessment, indicator)
        triples += [
            ox.Triple(node, RDF_TYPE, term(OK, "IndicatorAnswer")),
            ox.Triple(node, term(QB, "dataSet"), subject),
            ox.Triple(node, term(DQV, "isMeasurementOf"), ox.NamedNode(indicator)),
            ox.Triple(node, term(DQV, "computedOn"), org),
            ox.Triple(node, term(DCT, "date"), day),
        ]
        if answer.value.strip():
            triples.append(
                ox.Triple(node, term(DQV, "value"), typed_or_plain(answer.value, "integer"))
            )
        if answer.comment.strip():
            triples.append(
                ox.Triple(node, RDFS_COMMENT, ox.Literal(answer.comment.strip(), language=language))
            )
    return triples


def answer_iri(ids: Ids, assessment: Assessment, indicator: str) -> ox.NamedNode:
    """The IRI of the assessment's answer to `indicator`."""
    slug = slugify(indicator.rstrip("/").rsplit("/", 1)[-1])
    return ids.instance("answer", f"{assessment.organisation_slug}-{assessment.date}-{slug}")


def field_map(ids: Ids, assessment: Assessment, indicators: list[str]) -> FieldMap:
    """Where each answer's findings go on the form."""
    fields: dict[tuple[str, str | None], str] = {(assessment.iri, None): "date"}
    for indicator in indicators:
        node = answer_iri(ids, assessment, indicator).value
        slug = slugify(indicator.rstrip("/").rsplit("/", 1)[-1])
        fields[(node, DQV + "value")] = f"value-{slug}"
        fields[(node, None)] = f"value-{slug}"
        fields[(node, RDFS_COMMENT.value)] = f"comment-{slug}"
    return fields


def submit(
    writer: Writer,
    store: Store,
    ids: Ids,
    slug: str,
    day: str,
    answers: Mapping[str, Submitted],
    agent: str,
    language: str,
) -> WriteResult:
    """Store the assessment (replacing an earlier save of the same date) through the gate;
    raises ShapeViolation, leaving the store unchanged, when the shapes refuse it."""
    assessment = load_assessment(store, ids, slug, day, language)
    graph = ids.graph("self-assessment", f"{slug}-{assessment.date}")
    triples = _record(ids, assessment, answers, language)
    return save(writer, ids, {graph: triples}, context("quality self-assessment", agent))
