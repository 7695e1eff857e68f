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

from typing import TextIO

from service.synth.institutions import InstitutionWriter
from service.synth.ntriples import iri, typed
from service.synth.terms import (
    COMPETENCE_SCHEME,
    DOCUMENT,
    FINLAND,
    OK,
    SKOS,
    SOURCE,
    SPATIAL,
    node,
    slug,
)
from service.synth.vocabulary import ASPECTS, LEVELS, REGIONS, TOPICS


class Generator(InstitutionWriter):
    """Writes the synthetic dataset; one instance per output."""

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


def generate(out: TextIO, triples: int, seed: int) -> int:
    """Write a synthetic dataset of about ``triples`` triples; returns the exact count."""
    return Generator(out, triples, seed).run()
