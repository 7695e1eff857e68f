"""The review flow of products in the three-level ELO network: the steps of each product's
review (JORY comment round, ELOverkko workshops, organisation-level testing…) with their
outcomes, where each product is now, and recording a new step.

Model (ontology/MODELLING.md, "Review flow of a product"): `ok:ReviewStep` with
`ok:reviewStage`, `prov:used` the product, `prov:wasAssociatedWith` the reviewing network,
`prov:wasInformedBy` the previous step, `ok:outcome` and `dct:date`. Each step is one record
graph."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from service.errors import NotFound, ParameterProblem
from service.store.base import Store
from service.tools import sparql
from service.tools.forms import FieldMap
from service.tools.records import (
    DCT,
    OK,
    RDF_TYPE,
    SKOS,
    Ids,
    context,
    labelled,
    save,
    slugify,
    term,
    typed_or_plain,
)
from service.writes import Writer, WriteResult

PROV = "http://www.w3.org/ns/prov#"
OUTCOME_SCHEME = "scheme/kasittelyn-tulokset"


@dataclass
class Step:
    """One step of a product's review."""

    iri: str
    stage: str
    stage_label: str
    position: int
    outcome: str = ""
    outcome_label: str = ""
    reviewers: dict[str, str] = field(default_factory=dict)
    previous: str = ""
    date: str = ""
    description: str = ""


@dataclass
class Product:
    """A product and its review so far."""

    iri: str
    slug: str
    label: str
    steps: list[Step] = field(default_factory=list)

    @property
    def current(self) -> Step | None:
        """Where the product is: the step no later step follows."""
        followed = {s.previous for s in self.steps}
        last = [s for s in self.steps if s.iri not in followed]
        return max(last or self.steps, key=lambda s: (s.position, s.date), default=None)

    def as_json(self) -> dict[str, object]:
        """The product and its steps for the API."""
        current = self.current
        return {
            "product": self.iri,
            "label": self.label,
            "currentStep": current.iri if current else None,
            "currentStage": current.stage if current else None,
            "steps": [
                {
                    "step": s.iri,
                    "stage": s.stage,
                    "stageLabel": s.stage_label,
                    "position": s.position,
                    "outcome": s.outcome or None,
                    "reviewers": list(s.reviewers),
                    "previous": s.previous or None,
                    "date": s.date or None,
                }
                for s in self.steps
            ],
        }


def products(store: Store, ids: Ids, language: str) -> list[Product]:
    """Every product with its review steps in stage order."""
    lang = sparql.lang(language)
    found: dict[str, Product] = {}
    for r in sparql.rows(store, "review_products", lang=lang):
        slug = ids.slug_of(r["product"], "product") or ""
        found[r["product"]] = Product(r["product"], slug, r.get("productLabel", r["product"]))
    steps: dict[str, Step] = {}
    for r in sparql.rows(store, "review_steps", lang=lang):
        product = found.get(r["product"])
        if product is None:
            continue
        step = steps.get(r["step"])
        if step is None:
            step = steps[r["step"]] = Step(
                r["step"],
                r["stage"],
                r.get("stageLabel", ""),
                int(r.get("position", 0)),
                r.get("outcome", ""),
                r.get("outcomeLabel", ""),
                previous=r.get("previous", ""),
                date=r.get("date", ""),
                description=r.get("description", ""),
            )
            product.steps.append(step)
        if "reviewer" in r:
            step.reviewers[r["reviewer"]] = r.get("reviewerLabel", r["reviewer"])
    return list(found.values())


def product(store: Store, ids: Ids, slug: str, language: str) -> Product:
    """One product; NotFound when unknown."""
    for p in products(store, ids, language):
        if p.slug == slug:
            return p
    raise NotFound(f"the graph has no product <{ids.instance('product', slug).value}>")


def stages(store: Store, language: str) -> list[dict[str, str]]:
    """The review stages in order."""
    return sparql.rows(store, "review_stages", lang=sparql.lang(language))


def outcomes(store: Store, ids: Ids, language: str) -> list[tuple[str, str]]:
    """(IRI, label) of the review outcomes."""
    scheme = ox.NamedNode(f"{ids.base}id/{OUTCOME_SCHEME}")
    return [
        (r["concept"], r.get("label", ""))
        for r in sparql.rows(store, "concepts", scheme=scheme, lang=sparql.lang(language))
    ]


def networks(store: Store, language: str) -> list[tuple[str, str]]:
    """(IRI, label) of the networks that review products."""
    return [
        (r["network"], r.get("label", r["network"]))
        for r in sparql.rows(store, "networks", lang=sparql.lang(language))
    ]


def create_product(
    writer: Writer, store: Store, ids: Ids, label_fi: str, label_en: str, agent: str
) -> tuple[str, WriteResult]:
    """A new product whose review can then be recorded."""
    slug = slugify(label_fi)
    node = ids.instance("product", slug)
    if store.match(node, RDF_TYPE, None):
        raise ParameterProblem("label_fi", f"a product <{node.value}> exists already")
    triples = [
        ox.Triple(node, RDF_TYPE, term(OK, "Product")),
        *labelled(node, label_fi.strip(), label_en.strip()),
        ox.Triple(node, term(DCT, "source"), ids.document),
    ]
    return slug, save(
        writer, ids, {ids.graph("review", slug): triples}, context("review flow", agent)
    )


def _iri(value: str, parameter: str) -> ox.NamedNode | None:
    if not value.strip():
        return None
    try:
        return ox.NamedNode(value.strip())
    except ValueError as exc:
        raise ParameterProblem(parameter, "an IRI is required") from exc


def step_iri(ids: Ids, store: Store, slug: str, stage: str) -> ox.NamedNode:
    """The IRI of the next step of `stage` for the product (repeated rounds get a number)."""
    base = f"{slug}-{slugify(stage.rsplit('/', 1)[-1])}"
    n = 1
    while store.match(ids.instance("review-step", base if n == 1 else f"{base}-{n}"), None, None):
        n += 1
    return ids.instance("review-step", base if n == 1 else f"{base}-{n}")


@dataclass(frozen=True)
class StepForm:
    """A step as the user typed it."""

    stage: str
    outcome: str = ""
    reviewers: tuple[str, ...] = ()
    date: str = ""
    description: str = ""


def record_step(
    writer: Writer, store: Store, ids: Ids, slug: str, form: StepForm, language: str, agent: str
) -> tuple[str, WriteResult]:
    """Record the next step of the product's review, informed by where it is now."""
    found = product(store, ids, slug, language)
    stage = _iri(form.stage, "stage")
    if stage is None:
        raise ParameterProblem("stage", "a review stage is required")
    node = step_iri(ids, store, slug, stage.value)
    triples = [
        ox.Triple(node, RDF_TYPE, term(OK, "ReviewStep")),
        ox.Triple(node, term(OK, "reviewStage"), stage),
        ox.Triple(node, term(PROV, "used"), ox.NamedNode(found.iri)),
        ox.Triple(node, term(DCT, "source"), ids.document),
    ]
    stage_label = next(
        (s.get("label", "") for s in stages(store, "fi") if s["stage"] == stage.value), ""
    )
    triples += labelled(node, f"{found.label}: {stage_label}".strip(": "), "")
    if (outcome := _iri(form.outcome, "outcome")) is not None:
        triples.append(ox.Triple(node, term(OK, "outcome"), outcome))
    for value in form.reviewers:
        if (reviewer := _iri(value, "reviewers")) is not None:
            triples.append(ox.Triple(node, term(PROV, "wasAssociatedWith"), reviewer))
    if (current := found.current) is not None:
        triples.append(ox.Triple(node, term(PROV, "wasInformedBy"), ox.NamedNode(current.iri)))
    if form.date.strip():
        triples.append(ox.Triple(node, term(DCT, "date"), typed_or_plain(form.date, "date")))
    if form.description.strip():
        triples.append(
            ox.Triple(
                node,
                term(DCT, "description"),
                ox.Literal(form.description.strip(), language=language),
            )
        )
    local = node.value.rsplit("/", 1)[-1]
    result = save(
        writer, ids, {ids.graph("review", slug, local): triples}, context("review flow", agent)
    )
    return node.value, result


def step_fields(ids: Ids, store: Store, slug: str, form: StepForm) -> FieldMap:
    """Where the findings about a new step go on the form."""
    if not form.stage.strip():
        return {}
    try:
        node = step_iri(ids, store, slug, form.stage).value
    except ValueError:
        return {}
    return {
        (node, OK + "reviewStage"): "stage",
        (node, OK + "outcome"): "outcome",
        (node, PROV + "wasAssociatedWith"): "reviewers",
        (node, DCT + "date"): "date",
        (node, SKOS + "prefLabel"): "stage",
        (node, None): "stage",
    }
