"""The DCAT-AP 3.0.1 catalog: the dataset, its dumps as distributions and the SPARQL endpoint
as a data service, published by the regional council with an organisational contact point.

Every node that a DCAT-AP range requires to have a class (agent, licence, location, media
type, …) is typed here, because a harvester validates the catalog on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from service.publishing.dumps import DumpSet
from service.publishing.terms import (
    DCAT,
    DCT,
    FOAF,
    SKOS,
    SPDX,
    VCARD,
    Graph,
    iri,
    text,
    typed,
)
from service.publishing.void import Statistics, dataset_iri

DCAT_AP = "http://data.europa.eu/r5r/"
EU = "http://publications.europa.eu/resource/authority/"
LICENCE = "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"
# EU data themes, with the labels of the EU Vocabularies' data-theme table.
THEMES = {
    f"{EU}data-theme/EDUC": ("Koulutus, kulttuuri ja urheilu", "Education, culture and sport"),
    f"{EU}data-theme/SOCI": ("Väestö ja yhteiskunta", "Population and society"),
    f"{EU}data-theme/GOVE": ("Hallinto ja julkinen sektori", "Government and public sector"),
}
REGIONAL_AUTHORITY = "http://purl.org/adms/publishertype/RegionalAuthority"
FINLAND = f"{EU}country/FIN"
LANGUAGES = (f"{EU}language/FIN", f"{EU}language/ENG")
SPARQL_STANDARD = "https://www.w3.org/TR/sparql11-protocol/"
FILE_TYPES = {
    "text/turtle": f"{EU}file-type/RDF_TURTLE",
    "application/n-triples": f"{EU}file-type/RDF_N_TRIPLES",
    "application/trig": f"{EU}file-type/RDF_TRIG",
}
IANA = "http://www.iana.org/assignments/media-types/"
RESOURCE = "http://www.w3.org/2000/01/rdf-schema#Resource"


@dataclass(frozen=True)
class Publisher:
    """Who publishes the catalog and how the organisation is reached (no personal data)."""

    iri: str
    name: str
    contact_url: str
    contact_email: str | None = None


def catalog_iri(base_iri: str) -> str:
    """The catalog's IRI."""
    return f"{base_iri}catalog"


def catalog_graph(
    base_iri: str,
    root: str,
    publisher: Publisher,
    stats: Statistics,
    dumps: DumpSet,
    regions: tuple[str, ...],
) -> list[ox.Triple]:
    """The catalog; `root` is the service's URL for access and download links."""
    g = Graph()
    catalog, dataset = iri(catalog_iri(base_iri)), iri(dataset_iri(base_iri))
    service = iri(f"{base_iri}sparql")
    agent = iri(publisher.iri)
    modified = typed(stats.version.iso, "dateTime")

    g.typed_as(catalog, f"{DCAT}Catalog")
    g.add(catalog, f"{DCT}title", text("Osaamiskartta, avoin data", "fi"))
    g.add(catalog, f"{DCT}title", text("Osaamiskartta, open data", "en"))
    g.add(
        catalog,
        f"{DCT}description",
        text("Osaamiskartta-tietoverkon aineistot ja SPARQL-rajapinta.", "fi"),
    )
    g.add(
        catalog,
        f"{DCT}description",
        text("The datasets and SPARQL endpoint of the Osaamiskartta knowledge graph.", "en"),
    )
    g.add(catalog, f"{DCT}publisher", agent)
    g.add(catalog, f"{FOAF}homepage", iri(f"{root}/"))
    g.add(catalog, f"{DCT}modified", modified)
    g.add(catalog, f"{DCT}license", iri(LICENCE))
    g.add(catalog, f"{DCAT}themeTaxonomy", iri(f"{EU}data-theme"))
    for language in LANGUAGES:
        g.add(catalog, f"{DCT}language", iri(language))
    g.add(catalog, f"{DCT}spatial", iri(FINLAND))
    g.add(catalog, f"{DCAT}dataset", dataset)
    g.add(catalog, f"{DCAT}service", service)

    g.typed_as(agent, f"{FOAF}Agent", f"{FOAF}Organization")
    g.add(agent, f"{FOAF}name", text(publisher.name, "fi"))
    g.add(agent, f"{DCT}type", iri(REGIONAL_AUTHORITY))

    contact = iri(f"{base_iri}catalog#contact")
    g.typed_as(contact, f"{VCARD}Organization", f"{VCARD}Kind")
    g.add(contact, f"{VCARD}fn", text(publisher.name))
    g.add(contact, f"{VCARD}hasURL", iri(publisher.contact_url))
    if publisher.contact_email:
        g.add(contact, f"{VCARD}hasEmail", iri(f"mailto:{publisher.contact_email}"))

    g.typed_as(dataset, f"{DCAT}Dataset")
    g.add(dataset, f"{DCT}title", text("Osaamiskartta", "fi"))
    g.add(dataset, f"{DCT}title", text("Osaamiskartta (competence map)", "en"))
    g.add(
        dataset,
        f"{DCT}description",
        text(
            "Alueellisten koulutus- ja elinikäisen ohjauksen verkostojen tietoverkko: toimijat, "
            "verkostot, strategiset tavoitteet, toimintasuunnitelmat, ohjauksen laatutyökalu, "
            "osaamiskartat ja koulutustuotteet.",
            "fi",
        ),
    )
    g.add(
        dataset,
        f"{DCT}description",
        text(
            "Knowledge graph of Finnish regional education and lifelong-guidance networks: "
            "actors, networks, strategic goals, action plans, the guidance quality tool, "
            "competence maps and training products.",
            "en",
        ),
    )
    g.add(dataset, f"{DCT}identifier", text(dataset_iri(base_iri)))
    g.add(dataset, f"{DCT}publisher", agent)
    g.add(dataset, f"{DCAT}contactPoint", contact)
    g.add(dataset, f"{DCT}modified", modified)
    g.add(dataset, f"{DCAT}landingPage", iri(f"{root}/"))
    g.add(dataset, f"{DCT}conformsTo", iri(f"{base_iri}ontology"))
    g.add(dataset, f"{DCT}accessRights", iri(f"{EU}access-right/PUBLIC"))
    for theme in THEMES:
        g.add(dataset, f"{DCAT}theme", iri(theme))
    for language in LANGUAGES:
        g.add(dataset, f"{DCT}language", iri(language))
    for place in (FINLAND, *regions):
        g.add(dataset, f"{DCT}spatial", iri(place))
    for keyword in ("ohjaus", "koulutus", "elinikäinen ohjaus", "verkostot", "osaaminen"):
        g.add(dataset, f"{DCAT}keyword", text(keyword, "fi"))
    for keyword in ("guidance", "education", "lifelong guidance", "networks", "competence"):
        g.add(dataset, f"{DCAT}keyword", text(keyword, "en"))

    for dump in dumps.dumps:
        dist = iri(f"{base_iri}dumps/{dump.format.name}")
        url = iri(f"{root}/dumps/{dump.format.name}")
        g.add(dataset, f"{DCAT}distribution", dist)
        g.typed_as(dist, f"{DCAT}Distribution")
        g.add(dist, f"{DCT}title", text(f"Osaamiskartta, {dump.format.title}", "fi"))
        g.add(dist, f"{DCT}title", text(f"Osaamiskartta, {dump.format.title}", "en"))
        g.add(dist, f"{DCAT}accessURL", url)
        g.add(dist, f"{DCAT}downloadURL", url)
        g.add(dist, f"{DCAT}mediaType", iri(IANA + dump.format.rdf_media_type))
        g.add(dist, f"{DCT}format", iri(FILE_TYPES[dump.format.rdf_media_type]))
        if dump.format.compressed:
            g.add(dist, f"{DCAT}compressFormat", iri(IANA + dump.format.media_type))
        g.add(dist, f"{DCAT}byteSize", typed(dump.size, "nonNegativeInteger"))
        g.add(dist, f"{DCT}license", iri(LICENCE))
        g.add(dist, f"{DCT}modified", typed(dumps.version.iso, "dateTime"))
        checksum = iri(f"{base_iri}dumps/{dump.format.name}#sha256")
        g.add(dist, f"{SPDX}checksum", checksum)
        g.typed_as(checksum, f"{SPDX}Checksum")
        g.add(checksum, f"{SPDX}algorithm", iri(f"{SPDX}checksumAlgorithm_sha256"))
        g.add(checksum, f"{SPDX}checksumValue", typed(dump.sha256, "hexBinary"))
        g.typed_as(iri(IANA + dump.format.rdf_media_type), f"{DCT}MediaType")
        g.typed_as(iri(FILE_TYPES[dump.format.rdf_media_type]), f"{DCT}MediaTypeOrExtent")
        if dump.format.compressed:
            g.typed_as(iri(IANA + dump.format.media_type), f"{DCT}MediaType")

    sparql_distribution = iri(f"{base_iri}sparql#distribution")
    g.add(dataset, f"{DCAT}distribution", sparql_distribution)
    g.typed_as(sparql_distribution, f"{DCAT}Distribution")
    g.add(sparql_distribution, f"{DCT}title", text("SPARQL-rajapinta", "fi"))
    g.add(sparql_distribution, f"{DCT}title", text("SPARQL endpoint", "en"))
    g.add(sparql_distribution, f"{DCAT}accessURL", iri(f"{root}/sparql"))
    g.add(sparql_distribution, f"{DCAT}accessService", service)
    g.add(sparql_distribution, f"{DCT}license", iri(LICENCE))

    g.typed_as(service, f"{DCAT}DataService")
    g.add(service, f"{DCT}title", text("Osaamiskartan SPARQL-rajapinta", "fi"))
    g.add(service, f"{DCT}title", text("Osaamiskartta SPARQL endpoint", "en"))
    g.add(service, f"{DCAT}endpointURL", iri(f"{root}/sparql"))
    g.add(service, f"{DCAT}endpointDescription", iri(f"{root}/sparql"))
    g.add(service, f"{DCAT}servesDataset", dataset)
    g.add(service, f"{DCT}conformsTo", iri(SPARQL_STANDARD))
    g.add(service, f"{DCT}publisher", agent)
    g.add(service, f"{DCAT}contactPoint", contact)
    g.add(service, f"{DCT}license", iri(LICENCE))
    for theme in THEMES:
        g.add(service, f"{DCAT}theme", iri(theme))

    # DCAT-AP's ranges want classes even on web pages and URLs.
    g.typed_as(iri(f"{root}/"), f"{FOAF}Document")
    g.typed_as(iri(f"{root}/sparql"), RESOURCE)
    g.typed_as(iri(f"{SPDX}checksumAlgorithm_sha256"), f"{SPDX}ChecksumAlgorithm")
    g.typed_as(iri(LICENCE), f"{DCT}LicenseDocument")
    g.typed_as(iri(f"{EU}access-right/PUBLIC"), f"{DCT}RightsStatement")
    g.typed_as(iri(f"{base_iri}ontology"), f"{DCT}Standard")
    g.typed_as(iri(SPARQL_STANDARD), f"{DCT}Standard")
    g.typed_as(iri(f"{EU}data-theme"), f"{SKOS}ConceptScheme")
    g.add(iri(f"{EU}data-theme"), f"{DCT}title", text("Data theme", "en"))
    for theme, (fi, en) in THEMES.items():
        g.typed_as(iri(theme), f"{SKOS}Concept")
        g.add(iri(theme), f"{SKOS}inScheme", iri(f"{EU}data-theme"))
        g.add(iri(theme), f"{SKOS}prefLabel", text(fi, "fi"))
        g.add(iri(theme), f"{SKOS}prefLabel", text(en, "en"))
    for language in LANGUAGES:
        g.typed_as(iri(language), f"{DCT}LinguisticSystem")
    for place in (FINLAND, *regions):
        g.typed_as(iri(place), f"{DCT}Location")
    g.typed_as(iri(REGIONAL_AUTHORITY), f"{SKOS}Concept")
    g.add(iri(REGIONAL_AUTHORITY), f"{SKOS}prefLabel", text("Regional authority", "en"))
    return g.triples
