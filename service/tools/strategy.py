"""Strategy alignment: the three policy levels (EU → national → regional) as a tree of goals
linked by `ok:supports` (refined goals under the goal they refine), the measures and their
responsible actors under each goal, and the gaps: goals below EU level that support nothing
and measures without a responsible actor. Exportable as CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from service.store.base import Store
from service.tools import sparql

LEVEL_ORDER = {"eu": 1, "kansallinen": 2, "maakunnallinen": 3}


@dataclass
class Actor:
    """A responsible actor."""

    iri: str
    label: str


@dataclass
class Measure:
    """A measure of an action plan."""

    iri: str
    label: str
    goal: str | None
    addresses: str | None
    actors: list[Actor] = field(default_factory=list)


@dataclass
class Goal:
    """A goal at a policy level with what it supports and what sits under it."""

    iri: str
    label: str
    level: str
    level_label: str
    strategy: str | None
    strategic: bool
    supports: list[str] = field(default_factory=list)
    refines: str | None = None
    supported_by: list[Goal] = field(default_factory=list)
    refined_by: list[Goal] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)

    @property
    def level_rank(self) -> int:
        """1 EU, 2 national, 3 regional."""
        return LEVEL_ORDER.get(self.level.rsplit("/", 1)[-1], 9)

    @property
    def supports_nothing(self) -> bool:
        """A strategic goal below EU level with no supported goal: a gap."""
        return self.strategic and self.level_rank > 1 and not self.supports


@dataclass
class Alignment:
    """The tree, the strategies and the gaps."""

    roots: list[Goal]
    goals: dict[str, Goal]
    strategies: list[dict[str, object]]
    measures: list[Measure]

    @property
    def goals_supporting_nothing(self) -> list[Goal]:
        """Strategic goals below EU level that support no goal."""
        return [g for g in self.goals.values() if g.supports_nothing]

    @property
    def measures_without_actor(self) -> list[Measure]:
        """Measures with no responsible actor."""
        return [m for m in self.measures if not m.actors]

    def as_json(self) -> dict[str, object]:
        """The alignment for the API."""

        def goal(g: Goal) -> dict[str, object]:
            return {
                "goal": g.iri,
                "label": g.label,
                "level": g.level,
                "strategy": g.strategy,
                "supports": g.supports,
                "refines": g.refines,
                "supportsNothing": g.supports_nothing,
                "measures": [measure(m) for m in g.measures],
                "refinedBy": [goal(c) for c in g.refined_by],
                "supportedBy": [goal(c) for c in g.supported_by],
            }

        def measure(m: Measure) -> dict[str, object]:
            return {
                "measure": m.iri,
                "label": m.label,
                "goal": m.goal,
                "addresses": m.addresses,
                "responsibleActors": [{"actor": a.iri, "label": a.label} for a in m.actors],
            }

        return {
            "strategies": self.strategies,
            "tree": [goal(g) for g in self.roots],
            "gaps": {
                "goalsSupportingNothing": [g.iri for g in self.goals_supporting_nothing],
                "measuresWithoutResponsibleActor": [m.iri for m in self.measures_without_actor],
            },
        }

    def csv(self) -> str:
        """One row per goal, measure and responsible actor, with the gap each row shows."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(
            [
                "level",
                "goal",
                "goalLabel",
                "supports",
                "measure",
                "measureLabel",
                "responsibleActor",
                "responsibleActorLabel",
                "gap",
            ]
        )
        for g in sorted(self.goals.values(), key=lambda g: (g.level_rank, g.iri)):
            gap = "supports-nothing" if g.supports_nothing else ""
            base = [g.level.rsplit("/", 1)[-1], g.iri, g.label, " ".join(g.supports)]
            if not g.measures:
                writer.writerow([*base, "", "", "", "", gap])
            for m in g.measures:
                measure_gap = gap or ("measure-without-responsible-actor" if not m.actors else "")
                for a in m.actors or [Actor("", "")]:
                    writer.writerow([*base, m.iri, m.label, a.iri, a.label, measure_gap])
        return out.getvalue()


def alignment(store: Store, language: str) -> Alignment:
    """The alignment of the goals at the three policy levels."""
    lang = sparql.lang(language)
    goals: dict[str, Goal] = {}
    for r in sparql.rows(store, "strategy_goals", lang=lang):
        g = goals.get(r["goal"])
        if g is None:
            g = goals[r["goal"]] = Goal(
                r["goal"],
                r.get("label", r["goal"]),
                r["level"],
                r.get("levelLabel", ""),
                r.get("strategy"),
                r.get("strategic") == "true",
                refines=r.get("refines"),
            )
        if "supports" in r and r["supports"] not in g.supports:
            g.supports.append(r["supports"])
    measures: dict[str, Measure] = {}
    for r in sparql.rows(store, "strategy_measures", lang=lang):
        m = measures.get(r["measure"])
        if m is None:
            m = measures[r["measure"]] = Measure(
                r["measure"], r.get("label", ""), r.get("goal"), r.get("addresses")
            )
        if "actor" in r and all(a.iri != r["actor"] for a in m.actors):
            m.actors.append(Actor(r["actor"], r.get("actorLabel", r["actor"])))
    roots: list[Goal] = []
    for g in goals.values():
        parents = [goals[s] for s in g.supports if s in goals]
        if g.refines in goals:
            goals[g.refines].refined_by.append(g)
        elif parents:
            for p in parents:
                p.supported_by.append(g)
        else:
            roots.append(g)
    for m in measures.values():
        if m.goal in goals:
            goals[m.goal].measures.append(m)
    roots.sort(key=lambda g: (g.level_rank, g.iri))
    strategies: dict[str, dict[str, object]] = {}
    for r in sparql.rows(store, "strategy_strategies", lang=lang):
        s = strategies.setdefault(
            r["strategy"],
            {
                "strategy": r["strategy"],
                "label": r.get("label", ""),
                "level": r["level"],
                "supports": [],
            },
        )
        supports = s["supports"]
        assert isinstance(supports, list)
        if "supports" in r:
            supports.append(r["supports"])
    ordered = sorted(
        strategies.values(), key=lambda s: LEVEL_ORDER.get(str(s["level"]).rsplit("/", 1)[-1], 9)
    )
    return Alignment(roots, goals, ordered, list(measures.values()))
