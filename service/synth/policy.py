"""EU, national and regional strategies, their goals, action plans and measures."""

from __future__ import annotations

from collections.abc import Sequence

from service.synth.base import SynthWriter
from service.synth.ntriples import iri, typed
from service.synth.terms import (
    DCT,
    DOCUMENT,
    FINLAND,
    OK,
    POSITION,
    SKOS,
    SOURCE,
    SPATIAL,
    node,
    slug,
)
from service.synth.vocabulary import GOAL_THEMES, MEASURE_VERBS, Region


class PolicyWriter(SynthWriter):
    """Strategies at the three policy levels, with goals and action plans."""

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
