"""The VoID description of the dataset, its statistics computed with SPARQL per data version."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from service.named_queries.binding import bind, bind_rows
from service.publishing import sparql
from service.publishing.dumps import FORMATS as DUMP_FORMATS
from service.publishing.dumps import system_prefix
from service.publishing.refreshing import Refreshing
from service.publishing.terms import DCT, VOID, Graph, iri, namespace, text, typed
from service.publishing.version import DataVersion, Version
from service.store.base import Store

EXAMPLE_COUNT = 5


@dataclass(frozen=True)
class Statistics:
    """Counts over the published graphs."""

    version: Version
    triples: int
    entities: int
    distinct_subjects: int
    distinct_objects: int
    properties: int
    classes: tuple[tuple[str, int], ...]
    property_triples: tuple[tuple[str, int], ...]
    examples: tuple[str, ...]

    @property
    def vocabularies(self) -> tuple[str, ...]:
        """Namespaces of the classes and properties used."""
        used = {namespace(c) for c, _ in self.classes} | {
            namespace(p) for p, _ in self.property_triples
        }
        return tuple(sorted(used))


def compute_statistics(store: Store, base_iri: str, version: Version) -> Statistics:
    """Run the VoID queries, one after the other: each holds at most one column's distinct
    values (the subjects, then the objects) in memory."""
    system = ox.Literal(system_prefix(base_iri))
    space = ox.Literal(entity_space(base_iri))
    per_graph = sparql.rows(store, "void_properties", system=system)
    sizes = _summed(per_graph, "g", "triples")
    property_triples = _once(
        _summed(per_graph, "property", "triples"),
        _repeats(store, "void_property_repeats", "property", sizes, system=system),
    )
    per_class = sparql.rows(store, "void_classes", system=system)
    classes = _once(
        _summed(per_class, "class", "entities"),
        _repeats(store, "void_class_repeats", "class", sizes, system=system),
    )
    subjects = sparql.rows(store, "void_subjects", system=system, entitySpace=space)[0]
    objects = sparql.rows(store, "void_objects", system=system)[0]
    return Statistics(
        version=version,
        triples=sum(triples for _, triples in property_triples),
        entities=sparql.number(subjects, "entities"),
        distinct_subjects=sparql.number(subjects, "distinctSubjects"),
        distinct_objects=sparql.number(objects, "distinctObjects"),
        properties=len(property_triples),
        classes=classes,
        property_triples=property_triples,
        examples=_examples(
            sparql.rows(store, "void_class_examples", system=system, entitySpace=space), classes
        ),
    )


def _summed(rows: list[sparql.Binding], key: str, count: str) -> Counter[str]:
    """The counts of ``rows`` (one per graph and property or class) added up per ``key``."""
    totals: Counter[str] = Counter()
    for row in rows:
        totals[row[key]["value"]] += sparql.number(row, count)
    return totals


def _repeats(
    store: Store, name: str, key: str, sizes: Counter[str], **values: ox.NamedNode | ox.Literal
) -> Counter[str]:
    """Per ``key``, the statements that the query ``name`` finds already counted in another
    published graph: looked up from every graph but the largest (``sizes``: triples per
    published graph), which is counted first."""
    if len(sizes) < 2:
        return Counter()
    (largest, _), *others = sizes.most_common()
    query = bind_rows(sparql.load(name), "g", [ox.NamedNode(g) for g, _ in others])
    found = sparql.rows_of(store, bind(query, {**values, "largest": ox.NamedNode(largest)}))
    return Counter({row[key]["value"]: sparql.number(row, "repeats") for row in found})


def _once(totals: Counter[str], repeats: Counter[str]) -> tuple[tuple[str, int], ...]:
    """Each key's count with the repeats taken off, the largest first, then by IRI."""
    once = {k: n - repeats[k] for k, n in totals.items() if n > repeats[k]}
    return tuple(sorted(once.items(), key=lambda item: (-item[1], item[0])))


def _examples(
    per_class: list[sparql.Binding], classes: tuple[tuple[str, int], ...]
) -> tuple[str, ...]:
    """An instance in the entity IRI space of each of the first classes that have one (the
    rows of void_class_examples.rq), the largest classes first."""
    least = {
        row["class"]["value"]: row["example"]["value"] for row in per_class if "example" in row
    }
    return tuple(least[c] for c, _ in classes if c in least)[:EXAMPLE_COUNT]


def entity_space(base_iri: str) -> str:
    """The IRI space of the dataset's entities."""
    return f"{base_iri}id/"


def dataset_iri(base_iri: str) -> str:
    """The IRI of the dataset, shared by VoID and the DCAT catalog."""
    return f"{base_iri}dataset"


class StatisticsCache(Refreshing[Statistics]):
    """The statistics of the newest data version computed (service/publishing/refreshing.py)."""

    def __init__(
        self,
        store: Store,
        base_iri: str,
        version: DataVersion,
        writing: Callable[[], bool] = lambda: False,
    ) -> None:
        """``writing`` tells when a write is under way: the statistics are several queries, and
        one that meets a write counts parts of two states (the totals from the property
        partitions and their repeats)."""
        super().__init__(
            "statistics", version, lambda at: compute_statistics(store, base_iri, at), writing
        )


def void_graph(stats: Statistics, base_iri: str, root: str, publisher: str) -> list[ox.Triple]:
    """The VoID description; `root` is the service's URL (endpoint and dump links)."""
    g = Graph()
    ds = iri(dataset_iri(base_iri))
    g.typed_as(ds, f"{VOID}Dataset")
    g.add(ds, f"{DCT}title", text("Osaamiskartta", "fi"))
    g.add(ds, f"{DCT}title", text("Osaamiskartta (competence map)", "en"))
    g.add(
        ds,
        f"{DCT}description",
        text("Alueellisten koulutus- ja elinikäisen ohjauksen verkostojen tietoverkko.", "fi"),
    )
    g.add(
        ds,
        f"{DCT}description",
        text("Knowledge graph of regional education and lifelong-guidance networks.", "en"),
    )
    g.add(ds, f"{DCT}license", iri("https://creativecommons.org/licenses/by/4.0/"))
    g.add(ds, f"{DCT}publisher", iri(publisher))
    g.add(ds, f"{DCT}modified", typed(stats.version.iso, "dateTime"))
    g.add(ds, f"{VOID}sparqlEndpoint", iri(f"{root}/sparql"))
    for dump in DUMP_FORMATS:
        g.add(ds, f"{VOID}dataDump", iri(f"{root}/dumps/{dump.name}"))
    g.add(ds, f"{VOID}uriSpace", text(entity_space(base_iri)))
    g.add(ds, f"{VOID}rootResource", iri(f"{base_iri}ontology"))
    g.add(ds, f"{VOID}triples", typed(stats.triples, "integer"))
    g.add(ds, f"{VOID}entities", typed(stats.entities, "integer"))
    g.add(ds, f"{VOID}distinctSubjects", typed(stats.distinct_subjects, "integer"))
    g.add(ds, f"{VOID}distinctObjects", typed(stats.distinct_objects, "integer"))
    g.add(ds, f"{VOID}properties", typed(stats.properties, "integer"))
    g.add(ds, f"{VOID}classes", typed(len(stats.classes), "integer"))
    g.add(ds, f"{VOID}feature", iri("http://www.w3.org/ns/formats/Turtle"))
    g.add(ds, f"{VOID}feature", iri("http://www.w3.org/ns/formats/N-Triples"))
    g.add(ds, f"{VOID}feature", iri("http://www.w3.org/ns/formats/TriG"))
    for vocabulary in stats.vocabularies:
        g.add(ds, f"{VOID}vocabulary", iri(vocabulary))
    for example in stats.examples:
        g.add(ds, f"{VOID}exampleResource", iri(example))
    # Partitions labelled by their place, so that one data version's description is the same
    # bytes at every request.
    for n, (cls, count) in enumerate(stats.classes):
        part = ox.BlankNode(f"class{n}")
        g.add(ds, f"{VOID}classPartition", part)
        g.add(part, f"{VOID}class", iri(cls))
        g.add(part, f"{VOID}entities", typed(count, "integer"))
    for n, (prop, count) in enumerate(stats.property_triples):
        part = ox.BlankNode(f"property{n}")
        g.add(ds, f"{VOID}propertyPartition", part)
        g.add(part, f"{VOID}property", iri(prop))
        g.add(part, f"{VOID}triples", typed(count, "integer"))
    return g.triples
