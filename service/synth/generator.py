"""The synthetic national dataset: the real graph extended to all 19 regions.

The output references the real graph (regions, sectors, actor types, the quality tool's
indicators and the North Savo authorities) and adds, for every region, its authorities, an
ELO network with a management group and memberships, a regional strategy whose goals support
national goals (which support EU goals), an action plan with measures, and then institutions
in proportion to the regions' populations, each with a competence map, training products and
self-assessments answering the quality indicators over several years. Thousands of
competences, in a scheme of their own, are what the entries and products teach.

Everything comes from ``random.Random(seed)`` and is written in a fixed order as N-Triples,
so the same seed and size give the same bytes, and the output streams (memory does not grow
with the size). Generation stops after the first whole institution at or past the size asked.
Every resource is sourced to one synthetic ``ok:SourceDocument`` so it can be told apart.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TextIO

from service.synth.ntriples import TripleWriter, iri, text, typed
from service.synth.vocabulary import (
    ASPECTS,
    ENTRY_KINDS,
    GOAL_THEMES,
    INSTITUTION_KINDS,
    LEVELS,
    MEASURE_VERBS,
    PLACE_FIRST,
    PLACE_SECOND,
    REGIONS,
    SECTORS,
    TOPICS,
    InstitutionKind,
    Region,
)

ID = "https://w3id.org/osaamiskartta/id/"
OK = "https://w3id.org/osaamiskartta/ontology#"
RDF_TYPE = iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "http://schema.org/"
DQV = "http://www.w3.org/ns/dqv#"
QB = "http://purl.org/linked-data/cube#"
CV = "http://data.europa.eu/m8g/"

PREF_LABEL = iri(SKOS + "prefLabel")
SOURCE = iri(DCT + "source")
SPATIAL = iri(DCT + "spatial")
POSITION = iri(SCHEMA + "position")

DOCUMENT = iri(ID + "document/synteettinen-kansallinen-aineisto")
COMPETENCE_SCHEME = iri(ID + "scheme/synteettiset-osaamiset")
FINLAND = iri("http://publications.europa.eu/resource/authority/country/FIN")
INDICATORS = tuple(
    iri(f"{ID}quality-indicator/ohjaus-edistaa-asiakkaan-voimaantumista-{n}") for n in (1, 2, 3, 4)
)
# Authorities that the real graph already holds (their IRIs are reused, not written again).
REAL_ACTORS = frozenset(
    {"pohjois-savon-liitto", "pohjois-savon-ely-keskus", "pohjois-savon-te-toimisto"}
)
ANSWER_YEARS = tuple(range(2018, 2026))
_SLUG_DROP = re.compile(r"[^a-z0-9-]+")


def slug(name: str) -> str:
    """The IRI slug of a Finnish name (MODELLING.md: lowercase ASCII, spaces to hyphens)."""
    lowered = name.lower().translate(str.maketrans({"ä": "a", "ö": "o", "å": "a", " ": "-"}))
    return re.sub(r"-+", "-", _SLUG_DROP.sub("", lowered)).strip("-")


def node(kind: str, name: str) -> str:
    """The IRI term of an instance: ``id/{kind}/{name}``."""
    return iri(f"{ID}{kind}/{name}")


@dataclass
class RegionNodes:
    """What later parts of a region refer to."""

    region: Region
    network: str
    authorities: list[str] = field(default_factory=list)
    institutions: int = 0


class Generator:
    """Writes the synthetic dataset; one instance per output."""

    def __init__(self, out: TextIO, triples: int, seed: int) -> None:
        self.w = TripleWriter(out)
        self.target = triples
        self.rng = random.Random(seed)
        self.seed = seed
        self.used_slugs: set[str] = set()
        self.competences: dict[str, list[str]] = {s: [] for s in SECTORS}

    # -- helpers ---------------------------------------------------------------------------

    def add(self, s: str, p: str, o: str) -> None:
        self.w.add(s, p, o)

    def labels(self, subject: str, fi: str, en: str, predicate: str = PREF_LABEL) -> None:
        self.add(subject, predicate, text(fi, "fi"))
        self.add(subject, predicate, text(en, "en"))

    def typed_node(self, subject: str, *classes: str) -> None:
        for c in classes:
            self.add(subject, RDF_TYPE, iri(c))

    def unique(self, base: str) -> str:
        """A slug not used before (a counter is appended on a clash)."""
        candidate, n = base, 2
        while candidate in self.used_slugs:
            candidate, n = f"{base}-{n}", n + 1
        self.used_slugs.add(candidate)
        return candidate

    # -- the whole dataset -----------------------------------------------------------------

    def run(self) -> int:
        """Write everything; returns the number of triples written."""
        self.document()
        self.competence_scheme()
        eu_goals = self.strategy_level("eu", "EU", "EU", "Eurooppalainen", "European", None, 3)
        national = self.strategy_level(
            "kansallinen", "kansallinen", "national", "Kansallinen", "National", eu_goals, 6
        )
        regions = [self.region(r, national) for r in REGIONS]
        weights = [r.weight for r in REGIONS]
        while self.w.count < self.target:
            nodes = self.rng.choices(regions, weights=weights)[0]
            self.institution(nodes)
        self.w.flush()
        return self.w.count

    def document(self) -> None:
        self.typed_node(DOCUMENT, OK + "SourceDocument")
        self.labels(
            DOCUMENT,
            "Synteettinen kansallinen aineisto (testiaineisto)",
            "Synthetic national dataset (test data)",
        )
        self.add(DOCUMENT, iri(OK + "sourceFile"), typed(f"synth-seed-{self.seed}.nt", "string"))
        self.add(DOCUMENT, SPATIAL, FINLAND)
        self.add(DOCUMENT, SOURCE, DOCUMENT)

    def competence_scheme(self) -> None:
        """Thousands of competences (more for bigger outputs), each with a sector."""
        self.typed_node(COMPETENCE_SCHEME, SKOS + "ConceptScheme")
        self.labels(COMPETENCE_SCHEME, "Synteettiset osaamiset", "Synthetic competences")
        combos = [(t, a, lv) for lv in LEVELS for a in ASPECTS for t in TOPICS]
        count = min(len(combos), max(300, self.target // 150))
        for n, ((sector, topic_fi, topic_en), (asp_fi, asp_en), (lv_fi, lv_en)) in enumerate(
            combos[:count], start=1
        ):
            fi = f"{topic_fi}: {asp_fi}" + (f" ({lv_fi})" if lv_fi else "")
            en = f"{topic_en}: {asp_en}" + (f" ({lv_en})" if lv_en else "")
            subject = node("competence", self.unique(slug(fi)))
            self.typed_node(subject, OK + "Competence", SKOS + "Concept")
            self.labels(subject, fi.capitalize(), en.capitalize())
            self.add(subject, iri(SKOS + "inScheme"), COMPETENCE_SCHEME)
            self.add(subject, iri(SKOS + "notation"), typed(f"S{n:05d}", "string"))
            self.competences[sector].append(subject)

    def strategy_level(
        self,
        level: str,
        name_fi: str,
        name_en: str,
        adj_fi: str,
        adj_en: str,
        supported: Sequence[str] | None,
        goals: int,
    ) -> list[str]:
        """A synthetic EU or national strategy and its goals; returns the goals."""
        key = slug(name_fi)
        strategy = node("strategy", f"synteettinen-{key}-elo-strategia")
        self.strategy(
            strategy,
            f"{adj_fi} elinikäisen ohjauksen strategia (synteettinen)",
            f"{adj_en} lifelong guidance strategy (synthetic)",
            level,
        )
        spatial = FINLAND if level == "kansallinen" else None
        out = []
        for n in range(1, goals + 1):
            fi, en = GOAL_THEMES[(n - 1) % len(GOAL_THEMES)]
            goal = node("goal", f"synteettinen-{key}-elo-{n}")
            self.goal(goal, n, f"{fi} ({name_fi} {n})", f"{en} ({name_en} {n})", level, strategy)
            if spatial:
                self.add(goal, SPATIAL, spatial)
            if supported:
                self.add(goal, iri(OK + "supports"), supported[(n - 1) % len(supported)])
            out.append(goal)
        if level == "kansallinen":
            self.action_plan(
                key,
                strategy,
                out,
                [node("organisation", "okm")],
                "Kansallinen ELO-toimintasuunnitelma (synteettinen)",
                "National lifelong guidance action plan (synthetic)",
                level,
                None,
            )
        return out

    def strategy(self, subject: str, fi: str, en: str, level: str) -> None:
        self.typed_node(subject, OK + "Strategy")
        self.labels(subject, fi, en)
        self.add(subject, iri(OK + "policyLevel"), node("policy-level", level))
        self.add(subject, SOURCE, DOCUMENT)

    def goal(self, subject: str, n: int, fi: str, en: str, level: str, strategy: str) -> None:
        self.typed_node(subject, OK + "StrategicGoal")
        self.add(subject, iri(SKOS + "notation"), typed(str(n), "string"))
        self.add(subject, POSITION, typed(n, "integer"))
        self.labels(subject, fi, en)
        self.add(subject, iri(OK + "policyLevel"), node("policy-level", level))
        self.add(subject, iri(DCT + "isPartOf"), strategy)
        self.add(strategy, iri(OK + "hasGoal"), subject)
        self.add(subject, SOURCE, DOCUMENT)

    def action_plan(
        self,
        key: str,
        strategy: str,
        goals: Sequence[str],
        actors: Sequence[str],
        fi: str,
        en: str,
        level: str,
        region: Region | None,
    ) -> None:
        plan = node("action-plan", f"synteettinen-{key}-elo-toimintasuunnitelma")
        self.typed_node(plan, OK + "ActionPlan")
        self.labels(plan, fi, en)
        self.add(plan, iri(OK + "implements"), strategy)
        self.add(plan, iri(OK + "policyLevel"), node("policy-level", level))
        self.add(strategy, iri(OK + "hasActionPlan"), plan)
        if region is not None:
            self.add(plan, SPATIAL, node("region", region.slug))
        self.add(plan, SOURCE, DOCUMENT)
        for n, goal in enumerate(goals, start=1):
            for m in range(1, self.rng.randint(1, 3) + 1):
                verb_fi, verb_en = self.rng.choice(MEASURE_VERBS)
                where_fi = region.fi if region else "Suomi"
                where_en = region.en if region else "Finland"
                measure = node("measure", f"synteettinen-{key}-{n}-{m}")
                self.typed_node(measure, OK + "Measure")
                self.add(measure, POSITION, typed(m, "integer"))
                self.labels(
                    measure,
                    f"{verb_fi} ({where_fi}, tavoite {n}, toimenpide {m})",
                    f"{verb_en} ({where_en}, goal {n}, measure {m})",
                )
                self.add(measure, iri(OK + "underGoal"), goal)
                self.add(measure, iri(OK + "addresses"), goal)
                for actor in self.rng.sample(list(actors), k=min(len(actors), 2)):
                    self.add(measure, iri(OK + "responsibleActor"), actor)
                self.add(plan, iri(OK + "hasMeasure"), measure)
                self.add(measure, SOURCE, DOCUMENT)

    # -- regions ---------------------------------------------------------------------------

    def region(self, region: Region, national_goals: Sequence[str]) -> RegionNodes:
        """A region's authorities, ELO network with its management group, and strategy."""
        place = node("region", region.slug)
        key = slug(region.genitive)
        nodes = RegionNodes(region, node("network", f"synteettinen-elo-verkosto-{region.slug}"))
        authorities = (
            ("liitto", "liitto", "Regional Council of {en}", "maakuntaliitto"),
            ("ely-keskus", "ELY-keskus", "{en} ELY Centre", "ely-keskus"),
            ("te-toimisto", "TE-toimisto", "{en} TE Office", "te-toimisto"),
        )
        for suffix, fi, en, actor_type in authorities:
            name = f"{key}-{suffix}"
            actor = node("organisation", name)
            nodes.authorities.append(actor)
            if name in REAL_ACTORS:
                continue
            self.used_slugs.add(name)
            self.typed_node(
                actor,
                ORG + "Organization",
                ORG + "FormalOrganization",
                CV + "PublicOrganisation",
                SCHEMA + "GovernmentOrganization",
            )
            self.labels(actor, f"{region.genitive} {fi}", en.format(en=region.en))
            self.add(actor, iri(ORG + "classification"), node("actor-type", actor_type))
            self.add(actor, SPATIAL, place)
            self.add(actor, SOURCE, DOCUMENT)

        self.network(
            nodes.network,
            f"{region.genitive} ELO-verkosto",
            f"Lifelong guidance network of {region.en}",
            "organisaatiot",
            place,
        )
        board = node("network", f"synteettinen-elo-johtoryhma-{region.slug}")
        self.network(
            board,
            f"{region.genitive} ELO-johtoryhmä",
            f"Lifelong guidance management group of {region.en}",
            "johto",
            place,
        )
        self.add(board, iri(ORG + "subOrganizationOf"), nodes.network)
        for actor in nodes.authorities:
            self.membership(board, actor, "jasen")

        strategy = node("strategy", f"synteettinen-{key}-elo-strategia")
        self.strategy(
            strategy,
            f"{region.genitive} elinikäisen ohjauksen strategia (synteettinen)",
            f"Lifelong guidance strategy of {region.en} (synthetic)",
            "maakunnallinen",
        )
        self.add(strategy, SPATIAL, place)
        goals = []
        for n in range(1, self.rng.randint(3, 6) + 1):
            fi, en = GOAL_THEMES[self.rng.randrange(len(GOAL_THEMES))]
            goal = node("goal", f"synteettinen-{key}-elo-{n}")
            self.goal(
                goal,
                n,
                f"{fi} ({region.fi}, tavoite {n})",
                f"{en} ({region.en}, goal {n})",
                "maakunnallinen",
                strategy,
            )
            self.add(goal, SPATIAL, place)
            self.add(goal, iri(OK + "supports"), self.rng.choice(list(national_goals)))
            goals.append(goal)
        self.action_plan(
            key,
            strategy,
            goals,
            [*nodes.authorities, nodes.network],
            f"{region.genitive} ELO-toimintasuunnitelma (synteettinen)",
            f"Lifelong guidance action plan of {region.en} (synthetic)",
            "maakunnallinen",
            region,
        )
        return nodes

    def network(self, subject: str, fi: str, en: str, level: str, place: str) -> None:
        self.typed_node(subject, OK + "Network")
        self.labels(subject, fi, en)
        self.add(subject, iri(OK + "networkLevel"), node("network-level", level))
        self.add(subject, SPATIAL, place)
        self.add(subject, SOURCE, DOCUMENT)

    def membership(self, network: str, member: str, role: str) -> None:
        """The direct org:hasMember and an org:Membership with the role (MODELLING.md)."""
        self.add(network, iri(ORG + "hasMember"), member)
        name = f"{network[len(ID) + len('network/') + 1 : -1]}-{member.rsplit('/', 1)[1][:-1]}"
        membership = node("membership", name)
        self.typed_node(membership, ORG + "Membership")
        self.add(membership, iri(ORG + "member"), member)
        self.add(membership, iri(ORG + "organization"), network)
        self.add(membership, iri(ORG + "role"), node("membership-role", role))
        self.add(membership, SOURCE, DOCUMENT)

    # -- institutions ----------------------------------------------------------------------

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


def generate(out: TextIO, triples: int, seed: int) -> int:
    """Write a synthetic dataset of about ``triples`` triples; returns the exact count."""
    return Generator(out, triples, seed).run()
