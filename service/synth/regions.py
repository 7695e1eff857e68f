"""Each region's authorities, ELO network, management group and regional strategy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from service.synth.ntriples import iri
from service.synth.policy import PolicyWriter
from service.synth.terms import (
    CV,
    DOCUMENT,
    ID,
    OK,
    ORG,
    REAL_ACTORS,
    SCHEMA,
    SOURCE,
    SPATIAL,
    node,
    slug,
)
from service.synth.vocabulary import GOAL_THEMES, Region


@dataclass
class RegionNodes:
    """What later parts of a region refer to."""

    region: Region
    network: str
    authorities: list[str] = field(default_factory=list)
    institutions: int = 0


class RegionWriter(PolicyWriter):
    """The regional layer: authorities, networks and memberships, strategies."""

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
