"""The forum tracker: each sector forum's lifecycle phase, what the phase requires, what the
forum has and still lacks, records of its outputs, and phase changes.

A phase change is checked against the quality gate with the phase already changed: the
findings of the phase-requirement shapes (sh:Warning in shapes/forums.ttl, because they are
findings to report about data as the sources describe it) for the forum block the change here,
so a forum only moves on once it has what the new phase requires."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from service.errors import NotFound, ParameterProblem, PhaseRequirementsMissing
from service.store.base import GraphChange, Store
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
)
from service.validation.delta import delta_of_changes
from service.validation.report import lookup_labels, nodes_of, pending_labels
from service.validation.results import Report
from service.writes import GraphWrite, Writer, WriteResult

ORG = "http://www.w3.org/ns/org#"
LIFECYCLE_PHASE = term(OK, "lifecyclePhase")
SECTOR_SCHEME = "scheme/koulutusalat"
OUTPUT_KINDS = (
    "tavoitteet",
    "nimetyt-jasenet",
    "pelisaannot",
    "osaamiskartta",
    "toimintasuunnitelma",
    "arviointi",
)


@dataclass
class Output:
    """A kind of output, the first phase requiring it, and whether the forum has it."""

    kind: str
    name: str
    label: str
    since: int
    has: bool


@dataclass
class Phase:
    """A lifecycle phase."""

    iri: str
    position: int
    label: str
    definition: str = ""


@dataclass
class Forum:
    """A forum with its phase and its outputs against what the phases require."""

    iri: str
    slug: str
    label: str
    sector: str
    phase: Phase | None
    phases: list[Phase]
    outputs: list[Output] = field(default_factory=list)

    @property
    def position(self) -> int:
        """The current phase's position (0 without a phase)."""
        return self.phase.position if self.phase else 0

    @property
    def next_phase(self) -> Phase | None:
        """The phase after the current one."""
        return next((p for p in self.phases if p.position == self.position + 1), None)

    @property
    def required(self) -> list[Output]:
        """What the current phase (with those before it) requires."""
        return [o for o in self.outputs if o.since <= self.position]

    @property
    def lacks(self) -> list[Output]:
        """What the current phase requires and the forum lacks."""
        return [o for o in self.required if not o.has]

    @property
    def next_requires(self) -> list[Output]:
        """What the next phase adds to the requirements."""
        return [o for o in self.outputs if o.since == self.position + 1]

    def as_json(self) -> dict[str, object]:
        """The forum for the API."""

        def out(o: Output) -> dict[str, object]:
            return {"kind": o.kind, "label": o.label, "since": o.since, "has": o.has}

        return {
            "forum": self.iri,
            "label": self.label,
            "sector": self.sector,
            "phase": self.phase.iri if self.phase else None,
            "phaseLabel": self.phase.label if self.phase else None,
            "position": self.position,
            "requires": [out(o) for o in self.required],
            "has": [o.kind for o in self.required if o.has],
            "lacks": [o.kind for o in self.lacks],
            "nextPhase": self.next_phase.iri if self.next_phase else None,
            "nextRequires": [out(o) for o in self.next_requires],
        }


def phases(store: Store, language: str) -> list[Phase]:
    """The four phases in order."""
    return [
        Phase(r["phase"], int(r["position"]), r.get("label", ""), r.get("definition", ""))
        for r in sparql.rows(store, "phases", lang=sparql.lang(language))
    ]


def overview(store: Store, ids: Ids, language: str) -> list[Forum]:
    """Every forum with what it lacks for its phase (three queries for all of them)."""
    lang = sparql.lang(language)
    return _forums(
        ids,
        sparql.rows(store, "forums", lang=lang),
        phases(store, language),
        sparql.rows(store, "forum_outputs", lang=lang),
    )


def _forums(
    ids: Ids, found: list[sparql.Row], all_phases: list[Phase], outputs: list[sparql.Row]
) -> list[Forum]:
    by_forum: dict[str, list[Output]] = {}
    for r in outputs:
        by_forum.setdefault(r["forum"], []).append(
            Output(
                r["kind"],
                r["kind"].rsplit("/", 1)[-1],
                r.get("kindLabel", ""),
                int(r["since"]),
                r.get("has") == "true",
            )
        )
    forums: list[Forum] = []
    for row in found:
        slug = ids.slug_of(row["forum"], "network")
        # A forum with two sectors comes twice; it is listed once.
        if slug is None or any(f.iri == row["forum"] for f in forums):
            continue
        phase = next((p for p in all_phases if p.iri == row.get("phase")), None)
        forums.append(
            Forum(
                row["forum"],
                slug,
                row.get("label", slug),
                row.get("sectorLabel", ""),
                phase,
                all_phases,
                by_forum.get(row["forum"], []),
            )
        )
    return forums


def load_forum(store: Store, ids: Ids, slug: str, language: str) -> Forum:
    """One forum; NotFound when the graph has no sector forum of that name."""
    iri = ids.instance("network", slug)
    lang = sparql.lang(language)
    found = sparql.rows(store, "forums", forum=iri, lang=lang)
    outputs = sparql.rows(store, "forum_outputs", forum=iri, lang=lang)
    forums = _forums(ids, found, phases(store, language), outputs)
    if not forums:
        raise NotFound(f"the graph has no sector forum <{iri.value}>")
    return forums[0]


def sectors(store: Store, ids: Ids, language: str) -> list[tuple[str, str]]:
    """(IRI, label) of the sectors."""
    scheme = ox.NamedNode(f"{ids.base}id/{SECTOR_SCHEME}")
    return [
        (r["concept"], f"{r.get('notation', '')} {r.get('label', '')}".strip())
        for r in sparql.rows(store, "concepts", scheme=scheme, lang=sparql.lang(language))
    ]


def _iri(value: str, parameter: str) -> ox.NamedNode | None:
    """The IRI a form field holds, None when empty (the shapes then say what is missing)."""
    if not value.strip():
        return None
    try:
        return ox.NamedNode(value.strip())
    except ValueError as exc:
        raise ParameterProblem(parameter, "an IRI is required") from exc


def create_forum(
    writer: Writer,
    store: Store,
    ids: Ids,
    label_fi: str,
    label_en: str,
    sector: str,
    agent: str,
) -> tuple[str, WriteResult]:
    """A new forum in phase 1 (perustaminen), following the PS Aikoo operating model."""
    slug = slugify(label_fi)
    forum = ids.instance("network", slug)
    if store.match(forum, RDF_TYPE, None):
        raise ParameterProblem("label_fi", f"a forum <{forum.value}> exists already")
    triples = [
        ox.Triple(forum, RDF_TYPE, term(OK, "SectorForum")),
        *labelled(forum, label_fi.strip(), label_en.strip()),
        ox.Triple(forum, LIFECYCLE_PHASE, ids.instance("lifecycle-phase", "perustaminen")),
        ox.Triple(forum, term(DCT, "source"), ids.document),
    ]
    if (sector_iri := _iri(sector, "sector")) is not None:
        triples.append(ox.Triple(forum, term(OK, "sector"), sector_iri))
    for row in sparql.rows(store, "operating_models")[:1]:
        triples.append(ox.Triple(forum, term(OK, "followsModel"), ox.NamedNode(row["model"])))
    result = save(writer, ids, {ids.graph("forum", slug): triples}, context("forum tracker", agent))
    return slug, result


def create_fields(ids: Ids, label_fi: str) -> FieldMap:
    """Where the findings about a new forum go on the form."""
    forum = ids.instance("network", slugify(label_fi)).value
    skos = "http://www.w3.org/2004/02/skos/core#prefLabel"
    return {(forum, skos): "label_fi", (forum, OK + "sector"): "sector", (forum, None): "label_fi"}


def _output_subject(ids: Ids, forum_slug: str, kind: str, label_fi: str) -> ox.NamedNode:
    label_slug = slugify(label_fi)
    if kind == "tavoitteet":
        return ids.instance("goal", f"{forum_slug}-{label_slug}")
    if kind == "toimintasuunnitelma":
        return ids.instance("action-plan", f"{forum_slug}-{label_slug}")
    return ids.instance("output", f"{forum_slug}-{kind}-{label_slug}")


def add_output(
    writer: Writer,
    store: Store,
    ids: Ids,
    forum_slug: str,
    kind: str,
    label_fi: str,
    label_en: str,
    organisation: str,
    agent: str,
) -> WriteResult:
    """Record one output of the forum (goal, appointed member, rules, competence map, action
    plan with a measure, evaluation) as its own record graph."""
    if kind not in OUTPUT_KINDS:
        raise ParameterProblem("kind", "one of " + ", ".join(OUTPUT_KINDS))
    forum = ids.instance("network", forum_slug)
    if not store.match(forum, RDF_TYPE, term(OK, "SectorForum")):
        raise NotFound(f"the graph has no sector forum <{forum.value}>")
    org = _iri(organisation, "organisation")
    source = term(DCT, "source")
    label_slug = slugify(label_fi)
    triples: list[ox.Triple] = []
    if kind == "nimetyt-jasenet":
        member_slug = org.value.rsplit("/", 1)[-1] if org else label_slug
        node = ids.instance("membership", f"{forum_slug}-{slugify(member_slug)}")
        triples += [
            ox.Triple(node, RDF_TYPE, term(ORG, "Membership")),
            ox.Triple(node, term(ORG, "organization"), forum),
            ox.Triple(node, term(ORG, "role"), ids.instance("membership-role", "jasen")),
            ox.Triple(node, source, ids.document),
        ]
        if org is not None:
            triples += [
                ox.Triple(node, term(ORG, "member"), org),
                ox.Triple(node, term(OK, "appointedBy"), org),
                ox.Triple(forum, term(ORG, "hasMember"), org),
            ]
    else:
        node = _output_subject(ids, forum_slug, kind, label_fi)
        classes = {
            "tavoitteet": ("Goal", "hasGoal"),
            "pelisaannot": ("ForumRules", "hasRules"),
            "osaamiskartta": ("CompetenceMap", "hasCompetenceMap"),
            "toimintasuunnitelma": ("ActionPlan", "hasActionPlan"),
            "arviointi": ("Evaluation", "hasEvaluation"),
        }
        cls, link = classes[kind]
        triples += [
            ox.Triple(node, RDF_TYPE, term(OK, cls)),
            *labelled(node, label_fi.strip(), label_en.strip()),
            ox.Triple(forum, term(OK, link), node),
        ]
        if kind != "arviointi":
            triples.append(ox.Triple(node, source, ids.document))
        if kind == "toimintasuunnitelma":
            measure = ids.instance("measure", f"{forum_slug}-{label_slug}")
            triples += [
                ox.Triple(measure, RDF_TYPE, term(OK, "Measure")),
                *labelled(measure, label_fi.strip(), label_en.strip()),
                ox.Triple(node, term(OK, "hasMeasure"), measure),
                ox.Triple(measure, source, ids.document),
            ]
            for row in sparql.rows(store, "goals_of", owner=forum)[:1]:
                triples.append(ox.Triple(measure, term(OK, "underGoal"), ox.NamedNode(row["goal"])))
            if org is not None:
                triples.append(ox.Triple(measure, term(OK, "responsibleActor"), org))
    graph = ids.graph("forum", forum_slug, f"{kind}-{slugify(node.value.rsplit('/', 1)[-1])}")
    return save(writer, ids, {graph: triples}, context("forum tracker", agent))


def output_fields(
    ids: Ids, forum_slug: str, kind: str, label_fi: str, organisation: str
) -> FieldMap:
    """Where the findings about a new output go on the form."""
    if kind not in OUTPUT_KINDS:
        return {}
    skos = "http://www.w3.org/2004/02/skos/core#prefLabel"
    node = _output_subject(ids, forum_slug, kind, label_fi).value
    measure = ids.instance("measure", f"{forum_slug}-{slugify(label_fi)}").value
    member = slugify(organisation.rsplit("/", 1)[-1]) if organisation else slugify(label_fi)
    membership = ids.instance("membership", f"{forum_slug}-{slugify(member)}").value
    return {
        (node, skos): "label_fi",
        (node, None): "label_fi",
        (measure, skos): "label_fi",
        (measure, None): "organisation",
        (membership, None): "organisation",
    }


def phase_shapes(store: Store) -> set[str]:
    """The shapes whose findings say what a lifecycle phase requires."""
    return {r["shape"] for r in sparql.rows(store, "phase_shapes")}


def change_phase(
    writer: Writer, store: Store, ids: Ids, forum_slug: str, phase: str, agent: str
) -> WriteResult:
    """Move the forum to `phase`; PhaseRequirementsMissing (nothing changed) while the forum
    lacks what that phase requires, ShapeViolation if the change breaks another rule."""
    forum = ids.instance("network", forum_slug)
    target = _iri(phase, "phase")
    if target is None or target.value not in {p.iri for p in phases(store, "fi")}:
        raise ParameterProblem("phase", "one of the four lifecycle phases")
    quads = store.match(forum, LIFECYCLE_PHASE, None)
    graphs = sorted({q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)})
    if not graphs:
        raise NotFound(f"the graph has no sector forum <{forum.value}> with a phase")
    changes = []
    for graph in graphs:
        kept = [
            t
            for t in store.graph_triples(graph)
            if not (t.subject == forum and t.predicate == LIFECYCLE_PHASE)
        ]
        kept.append(ox.Triple(forum, LIFECYCLE_PHASE, target))
        changes.append(GraphChange(graph, tuple(kept), replace=True))
    gate = writer.gate
    if gate is not None:
        delta = delta_of_changes(store, changes)
        report = gate.validate(delta, pending=True)
        shapes = phase_shapes(store)
        blocking = tuple(
            f
            for f in report.findings
            if str(f.shape) in shapes and str(f.focus) == forum.value and f.severity != "Info"
        )
        if blocking:
            missing = Report(blocking, report.focus_count)
            labels = pending_labels(lookup_labels(store, nodes_of(missing)), delta.added)
            raise PhaseRequirementsMissing(missing, labels, target.value)
    return writer.apply(GraphWrite(tuple(changes)), context("forum phase change", agent))
