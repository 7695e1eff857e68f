"""Competence maps: per institution its degrees, trainings, facilities, equipment, experts and
projects (and training products), grouped, with the sectors and competences they serve;
entries added and edited through a form the shapes validate; and the search "who offers
competence X in region R" over all maps.

An entry is `ok:Degree`, `ok:Training`, `ok:Facility`, `ok:Equipment` or `ok:Expert` with
`schema:provider` the institution (a project: `ok:Project` with `ok:carriedOutBy`), `ok:sector`
and `schema:teaches` → `ok:Competence`; the institution's `ok:CompetenceMap` lists it with
`ok:hasEntry`. Competences typed in the form become concepts of the tools' competence scheme.
Each entry is one record graph, replaced when edited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from service.errors import NotFound, ParameterProblem
from service.publishing.version import VersionedMemo
from service.store.base import Store
from service.tools import sparql
from service.tools.forms import FieldMap
from service.tools.quality import organisation_label
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
)
from service.writes import Writer, WriteResult

SCHEMA = "http://schema.org/"
# Form value → class; the order is the order of the groups on the page.
KINDS = {
    "tutkinto": "Degree",
    "koulutus": "Training",
    "tila": "Facility",
    "laite": "Equipment",
    "asiantuntija": "Expert",
    "hanke": "Project",
}
GROUPS = (*KINDS.values(), "TrainingProduct")
SCHEME_SLUG = "tyokaluilla-kirjatut-osaamiset"


@dataclass
class Entry:
    """One thing an institution offers."""

    iri: str
    cls: str
    label: str
    label_en: str = ""
    sector: str = ""
    sector_label: str = ""
    competences: dict[str, str] = field(default_factory=dict)
    editable: bool = False
    slug: str = ""

    @property
    def kind(self) -> str:
        """The form value of its class."""
        return next((k for k, c in KINDS.items() if c == self.cls), "")


@dataclass
class Map:
    """An institution's competence map, grouped by class."""

    organisation: str
    slug: str
    label: str
    groups: dict[str, list[Entry]]

    def as_json(self) -> dict[str, object]:
        """The map for the API."""
        return {
            "organisation": self.organisation,
            "label": self.label,
            "groups": {
                cls: [
                    {
                        "entry": e.iri,
                        "label": e.label,
                        "sector": e.sector or None,
                        "competences": [
                            {"competence": c, "label": name} for c, name in e.competences.items()
                        ],
                    }
                    for e in entries
                ]
                for cls, entries in self.groups.items()
            },
        }


def _entry_path(ids: Ids, slug: str, iri: str) -> tuple[str, str] | None:
    """(kind of IRI, slug) of an entry the tool made for `slug`, else None."""
    for kind in ("offer", "project"):
        if (local := ids.slug_of(iri, kind)) is not None:
            return kind, local
    return None


def entry_graph(ids: Ids, org_slug: str, kind: str, local: str) -> str:
    """The record graph of an entry."""
    return ids.graph("competence-map", org_slug, f"{kind}-{local}")


def load_map(store: Store, ids: Ids, slug: str, language: str) -> Map:
    """The institution's map; NotFound for an unknown organisation."""
    org, label = organisation_label(store, ids, slug, language)
    entries: dict[str, Entry] = {}
    for r in sparql.rows(
        store, "competence_entries", provider=ox.NamedNode(org), lang=sparql.lang(language)
    ):
        e = entries.get(r["entry"])
        if e is None:
            path = _entry_path(ids, slug, r["entry"])
            editable = path is not None and store.has_graph(entry_graph(ids, slug, *path))
            e = entries[r["entry"]] = Entry(
                r["entry"],
                r["class"].rsplit("#", 1)[-1],
                r.get("label", r["entry"]),
                r.get("labelEn", ""),
                r.get("sector", ""),
                r.get("sectorLabel", ""),
                editable=editable,
                slug=f"{path[0]}/{path[1]}" if path else "",
            )
        if "competence" in r:
            e.competences[r["competence"]] = r.get("competenceLabel", r["competence"])
    groups: dict[str, list[Entry]] = {cls: [] for cls in GROUPS}
    for e in entries.values():
        groups.setdefault(e.cls, []).append(e)
    return Map(org, slug, label, groups)


def competences(store: Store, language: str) -> list[tuple[str, str]]:
    """(IRI, label) of every competence."""
    return [
        (r["competence"], r.get("label", r["competence"]))
        for r in sparql.rows(store, "competences", lang=sparql.lang(language))
    ]


def regions(store: Store, ids: Ids, language: str) -> list[tuple[str, str]]:
    """(IRI, label) of the regions of Finland (the region scheme's concepts)."""
    scheme = ids.instance("scheme", "maakunnat")
    return [
        (r["region"], r.get("label", r["region"]))
        for r in sparql.rows(store, "regions", scheme=scheme, lang=sparql.lang(language))
    ]


# A search's page: the offers of this many providers (the biggest region's providers have
# hundreds of thousands of offers at national scale), and at most this many rows of them.
PROVIDERS_PER_PAGE = 10
MAX_PROVIDERS_PER_PAGE = 100
MAX_OFFSET = 1_000_000
MAX_SEARCH_ROWS = 1000


@dataclass(frozen=True)
class Found:
    """One page of a search: the rows of the providers from ``offset`` on, by provider (their
    region's label, then their own), then competence and offer; ``providers`` is how many
    providers the whole answer has. ``complete`` is False when this page's providers had more
    than MAX_SEARCH_ROWS rows (then these are some of them)."""

    rows: list[dict[str, str]]
    complete: bool
    providers: int = 0
    offset: int = 0
    limit: int = PROVIDERS_PER_PAGE

    @property
    def shown(self) -> range:
        """The providers on this page, counted from 0."""
        return range(self.offset, min(self.offset + self.limit, self.providers))

    @property
    def next_offset(self) -> int | None:
        """The next page's offset, or None on the last page."""
        following = self.offset + self.limit
        return following if following < self.providers else None

    @property
    def previous_offset(self) -> int | None:
        """The previous page's offset, or None on the first page."""
        return max(0, self.offset - self.limit) if self.offset > 0 else None


def search(
    store: Store,
    competence: str,
    region: str,
    language: str,
    offset: int = 0,
    limit: int = PROVIDERS_PER_PAGE,
    known: VersionedMemo[tuple[str, str, str], list[str]] | None = None,
) -> Found:
    """Who offers `competence` in `region`, a page of providers at a time; either may be empty
    for any, not both (the whole country's offers are a dump, not an answer). The providers
    are listed and sorted first, then the offers of the page's providers are read. ``known``
    keeps the sorted providers until the next write, for the next pages (listing a region's
    12,000 providers with their names took 2 s at ten million triples)."""
    values: dict[str, ox.NamedNode | ox.Literal] = {"lang": sparql.lang(language)}
    for name, value in (("competence", competence), ("region", region)):
        if value.strip():
            values[name] = _iri(value, name)
    if len(values) == 1:
        raise ParameterProblem("competence", "choose a competence, a region or both")
    in_region = "region" in values
    key = (competence.strip(), region.strip(), language)
    providers = known.get(key) if known is not None else None
    if providers is None:
        at = known.now() if known is not None else None
        from_region = in_region and "competence" not in values
        listed = sparql.rows(
            store,
            "competence_search_in_region_providers"
            if from_region
            else "competence_search_providers",
            **values,
        )
        providers = _in_order(listed)
        if known is not None and at is not None:
            known.put(key, providers, at)
    page = providers[offset : offset + limit]
    if not page:
        return Found([], True, len(providers), offset, limit)
    rows = sparql.rows_for_each(
        store,
        "competence_search_in_region" if in_region else "competence_search",
        "provider",
        [ox.NamedNode(p) for p in page],
        values,
    )
    position = {provider: n for n, provider in enumerate(page)}
    shown = sorted(rows[:MAX_SEARCH_ROWS], key=lambda row: _search_order(row, position))
    return Found(shown, len(rows) <= MAX_SEARCH_ROWS, len(providers), offset, limit)


def _in_order(listed: list[dict[str, str]]) -> list[str]:
    """The providers by the label of their first region, their label and IRI."""
    keys: dict[str, tuple[str, str, str]] = {}
    for row in listed:
        provider = row["provider"]
        key = (
            row.get("regionLabel", "\uffff").casefold(),
            row.get("providerLabel", "").casefold(),
            provider,
        )
        keys[provider] = min(key, keys.get(provider, key))
    return sorted(keys, key=keys.__getitem__)


def _search_order(row: dict[str, str], position: dict[str, int]) -> tuple[object, ...]:
    keys = ("regionLabel", "competenceLabel", "offerLabel", "offer", "region", "competence")
    return (position[row["provider"]], *(row.get(key, "").casefold() for key in keys))


@dataclass(frozen=True)
class EntryForm:
    """An entry as the user typed it."""

    kind: str
    label_fi: str
    label_en: str = ""
    sector: str = ""
    competences: Sequence[str] = ()
    new_competences: str = ""


def _scheme_triples(ids: Ids) -> list[ox.Triple]:
    scheme = ids.instance("scheme", SCHEME_SLUG)
    return [
        ox.Triple(scheme, RDF_TYPE, term(SKOS, "ConceptScheme")),
        *labelled(scheme, "Työkaluilla kirjatut osaamiset", "Competences recorded with the tools"),
        ox.Triple(scheme, term(DCT, "source"), ids.document),
    ]


def _iri(value: str, parameter: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(value.strip())
    except ValueError as exc:
        raise ParameterProblem(parameter, "an IRI is required") from exc


def save_entry(
    writer: Writer,
    store: Store,
    ids: Ids,
    org_slug: str,
    entry: EntryForm,
    agent: str,
    existing: str | None = None,
) -> tuple[str, WriteResult]:
    """Add an entry (or replace `existing`, "offer/…" or "project/…", made with the tool);
    returns its path. ShapeViolation, nothing changed, when the shapes refuse it."""
    org, org_label = organisation_label(store, ids, org_slug, "fi")
    cls = KINDS.get(entry.kind)
    if cls is None:
        raise ParameterProblem("kind", "one of " + ", ".join(KINDS))
    kind = "project" if cls == "Project" else "offer"
    if existing is not None:
        path_kind, _, local = existing.partition("/")
        if path_kind != kind or not store.has_graph(entry_graph(ids, org_slug, path_kind, local)):
            raise NotFound(f"no entry {existing} made with the tools for {org_slug}")
    else:
        local = (
            slugify(entry.label_fi)
            if kind == "project"
            else f"{org_slug}-{slugify(entry.label_fi)}"
        )
    node = ids.instance(kind, local)
    link = term(OK, "carriedOutBy") if kind == "project" else term(SCHEMA, "provider")
    triples = [
        ox.Triple(node, RDF_TYPE, term(OK, cls)),
        *labelled(node, entry.label_fi.strip(), entry.label_en.strip()),
        ox.Triple(node, link, ox.NamedNode(org)),
        ox.Triple(node, term(DCT, "source"), ids.document),
    ]
    if entry.sector.strip():
        triples.append(ox.Triple(node, term(OK, "sector"), _iri(entry.sector, "sector")))
    for value in entry.competences:
        if value.strip():
            triples.append(ox.Triple(node, term(SCHEMA, "teaches"), _iri(value, "competences")))
    records: dict[str, list[ox.Triple]] = {ids.graph("competence-scheme"): _scheme_triples(ids)}
    for name in (n.strip() for n in entry.new_competences.split(",")):
        if not name:
            continue
        competence = ids.instance("competence", slugify(name))
        triples.append(ox.Triple(node, term(SCHEMA, "teaches"), competence))
        if not store.match(competence, RDF_TYPE, None):
            records[ids.graph("competences", slugify(name))] = [
                ox.Triple(competence, RDF_TYPE, term(OK, "Competence")),
                ox.Triple(competence, RDF_TYPE, term(SKOS, "Concept")),
                *labelled(competence, name, ""),
                ox.Triple(competence, term(SKOS, "inScheme"), ids.instance("scheme", SCHEME_SLUG)),
                ox.Triple(competence, term(DCT, "source"), ids.document),
            ]
    if kind == "offer":
        competence_map = ids.instance("output", f"{org_slug}-osaamiskartta")
        triples += [
            ox.Triple(competence_map, RDF_TYPE, term(OK, "CompetenceMap")),
            *labelled(
                competence_map, f"{org_label}: osaamiskartta", f"{org_label}: competence map"
            ),
            ox.Triple(competence_map, term(DCT, "source"), ids.document),
            ox.Triple(competence_map, term(OK, "hasEntry"), node),
        ]
    records[entry_graph(ids, org_slug, kind, local)] = triples
    result = save(writer, ids, records, context("competence map", agent))
    return f"{kind}/{local}", result


def entry_fields(ids: Ids, org_slug: str, entry: EntryForm, existing: str | None) -> FieldMap:
    """Where the findings about an entry go on the form."""
    cls = KINDS.get(entry.kind, "")
    kind = "project" if cls == "Project" else "offer"
    if existing is not None:
        kind, _, local = existing.partition("/")
    else:
        local = (
            slugify(entry.label_fi)
            if kind == "project"
            else f"{org_slug}-{slugify(entry.label_fi)}"
        )
    node = ids.instance(kind, local).value
    return {
        (node, SKOS + "prefLabel"): "label_fi",
        (node, OK + "sector"): "sector",
        (node, SCHEMA + "teaches"): "competences",
        (node, None): "label_fi",
    }


def find_entry(store: Store, ids: Ids, org_slug: str, path: str, language: str) -> Entry:
    """An entry made with the tool, for its edit form."""
    for entries in load_map(store, ids, org_slug, language).groups.values():
        for e in entries:
            if e.slug == path and e.editable:
                return e
    raise NotFound(f"no entry {path} made with the tools for {org_slug}")
