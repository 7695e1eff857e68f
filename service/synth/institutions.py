"""Institutions: their competence maps, training products and quality self-assessments."""

from __future__ import annotations

from collections.abc import Sequence

from service.synth.ntriples import iri, typed
from service.synth.regions import RegionNodes, RegionWriter
from service.synth.terms import (
    ANSWER_YEARS,
    DCT,
    DOCUMENT,
    DQV,
    INDICATORS,
    OK,
    ORG,
    PROV,
    QB,
    SCHEMA,
    SOURCE,
    SPATIAL,
    node,
    slug,
)
from service.synth.vocabulary import (
    ENTRY_KINDS,
    INSTITUTION_KINDS,
    PLACE_FIRST,
    PLACE_SECOND,
    SECTORS,
    TOPICS,
    InstitutionKind,
)


class InstitutionWriter(RegionWriter):
    """Institutions in proportion to the regions' populations, with what they offer."""

    def institution(self, nodes: RegionNodes) -> None:
        """An institution with its competence map, training products and self-assessments."""
        rng = self.rng
        region = nodes.region
        kind: InstitutionKind = rng.choices(
            INSTITUTION_KINDS, weights=[k.weight for k in INSTITUTION_KINDS]
        )[0]
        first_fi, _ = rng.choice(PLACE_FIRST)
        second_fi, second_gen = rng.choice(PLACE_SECOND)
        place_fi = f"{first_fi}{second_fi}"
        name_fi = f"{first_fi}{second_gen} {kind.fi}"
        name_slug = self.unique(slug(name_fi))
        nodes.institutions += 1
        inst = node("organisation", name_slug)
        self.typed_node(
            inst, ORG + "Organization", ORG + "FormalOrganization", SCHEMA + kind.schema_class
        )
        number = name_slug[len(slug(name_fi)) :].replace("-", " ")
        self.labels(inst, f"{name_fi}{number}", f"{place_fi} {kind.en}{number}")
        self.add(inst, iri(ORG + "classification"), node("actor-type", kind.actor_type))
        self.add(inst, SPATIAL, node("region", region.slug))
        self.add(inst, SOURCE, DOCUMENT)
        self.membership(nodes.network, inst, "jasen" if rng.random() < 0.8 else "liitannaisjasen")

        sectors = rng.sample(SECTORS, k=rng.randint(1, 4))
        self.competence_map(inst, name_slug, name_fi, sectors)
        for n in range(1, rng.randint(2, 8) + 1):
            self.training_product(inst, name_slug, n, rng.choice(sectors))
        self.self_assessments(inst, name_slug)

    def pick_competences(self, sector: str, k: int) -> list[str]:
        pool = self.competences[sector] or self.competences["00"]
        return self.rng.sample(pool, k=min(k, len(pool)))

    def competence_map(self, inst: str, name: str, label: str, sectors: Sequence[str]) -> None:
        rng = self.rng
        cmap = node("competence-map", name)
        self.typed_node(cmap, OK + "CompetenceMap")
        self.labels(cmap, f"{label}: osaamiskartta", f"Competence map of {name}")
        self.add(inst, iri(OK + "hasCompetenceMap"), cmap)
        self.add(cmap, SOURCE, DOCUMENT)
        weights = [k[4] for k in ENTRY_KINDS]
        for n in range(1, rng.randint(5, 20) + 1):
            cls, kind, fi, en, _ = rng.choices(ENTRY_KINDS, weights=weights)[0]
            sector = rng.choice(list(sectors))
            taught = self.pick_competences(sector, rng.randint(1, 3))
            topic_fi, topic_en = self.topic_of(taught[0])
            entry = node(kind, f"{name}-{n}")
            self.typed_node(entry, OK + cls)
            self.labels(entry, fi.format(topic=topic_fi), en.format(topic=topic_en))
            self.add(entry, iri(SCHEMA + "provider"), inst)
            self.add(entry, iri(OK + "sector"), node("sector", sector))
            for c in taught:
                self.add(entry, iri(SCHEMA + "teaches"), c)
            self.add(entry, SOURCE, DOCUMENT)
            self.add(cmap, iri(OK + "hasEntry"), entry)

    def topic_of(self, competence: str) -> tuple[str, str]:
        """The topic words of a competence IRI's slug (for entry and product labels)."""
        key = competence.rsplit("/", 1)[1][:-1]
        for _, fi, en in TOPICS:
            if key.startswith(slug(fi)):
                return fi, en
        return key, key

    def training_product(self, inst: str, name: str, n: int, sector: str) -> None:
        rng = self.rng
        taught = self.pick_competences(sector, rng.randint(1, 4))
        topic_fi, topic_en = self.topic_of(taught[0])
        product = node("training-product", f"{name}-{n}")
        self.typed_node(product, OK + "TrainingProduct")
        self.labels(
            product,
            f"{topic_fi.capitalize()}: koulutustuote {n}",
            f"{topic_en.capitalize()}: training product {n}",
        )
        self.add(product, iri(SCHEMA + "provider"), inst)
        for c in taught:
            self.add(product, iri(SCHEMA + "teaches"), c)
        self.add(product, iri(OK + "sector"), node("sector", sector))
        self.add(product, iri(OK + "recognisesPriorLearning"), typed(rng.random() < 0.6, "boolean"))
        self.add(product, SOURCE, DOCUMENT)

    def self_assessments(self, inst: str, name: str) -> None:
        """Answers to the quality tool's indicators in some of the years 2018 to 2025."""
        rng = self.rng
        years = sorted(rng.sample(ANSWER_YEARS, k=rng.randint(1, 5)))
        for year in years:
            date = typed(f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "date")
            assessment = node("self-assessment", f"{name}-{year}")
            self.typed_node(assessment, OK + "SelfAssessment")
            self.add(assessment, iri(PROV + "wasAttributedTo"), inst)
            self.add(assessment, iri(DCT + "date"), date)
            for n, indicator in enumerate(INDICATORS, start=1):
                answer = node("indicator-answer", f"{name}-{year}-{n}")
                self.typed_node(answer, OK + "IndicatorAnswer")
                self.add(answer, iri(QB + "dataSet"), assessment)
                self.add(answer, iri(DQV + "isMeasurementOf"), indicator)
                self.add(answer, iri(DQV + "computedOn"), inst)
                self.add(answer, iri(DQV + "value"), typed(rng.randint(1, 5), "integer"))
                self.add(answer, iri(DCT + "date"), date)
