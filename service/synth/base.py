"""The writing helpers every part of the synthetic dataset uses."""

from __future__ import annotations

import random
from typing import TextIO

from service.synth.ntriples import TripleWriter, iri, text
from service.synth.terms import PREF_LABEL, RDF_TYPE
from service.synth.vocabulary import SECTORS


class SynthWriter:
    """Writes triples in a fixed order from one random stream; one instance per output."""

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
