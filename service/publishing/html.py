"""Server-rendered HTML of the publishing pages (Jinja2 templates in `templates/publishing/`)."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from service.publishing.labels import other_language

# The interface's own words; the data's words come from the graph.
TEXTS: dict[str, dict[str, str]] = {
    "fi": {
        "site": "Osaamiskartta",
        "tagline": "Alueellisten koulutus- ja ohjausverkostojen tietoverkko",
        "skip": "Siirry sisältöön",
        "search": "Haku",
        "search_label": "Hae",
        "search_button": "Hae",
        "switch": "In English",
        "home": "Etusivu",
        "query": "SPARQL-kysely",
        "api": "Rajapinnan kuvaus",
        "dumps": "Lataukset",
        "ontology": "Ontologia",
        "catalog": "DCAT-luettelo",
        "void": "VoID-kuvaus",
        "type": "Tyyppi",
        "iri": "Tunniste (IRI)",
        "alt_labels": "Muut nimet",
        "incoming": "Viittaukset tähän",
        "incoming_more": "Näytetään {shown} / {total}.",
        "incoming_more_than": "Näytetään {shown} / yli {total}.",
        "sources": "Lähdeasiakirjat",
        "formats": "RDF-muodot",
        "not_found": "Ei löytynyt",
        "not_found_text": "Tietoverkossa ei ole mitään tunnisteella",
        "not_found_hint": "Kokeile hakua:",
        "error_status": "HTTP-tila",
        "error_retry": "Yritä uudelleen {seconds} sekunnin kuluttua.",
        "error_home": "Etusivulle",
        "results": "Hakutulokset",
        "no_results": "Ei osumia.",
        "search_note": "Haku etsii nimistä, muista nimistä, määritelmistä ja kuvauksista. "
        "Sanan taivutusmuodot ja yhdyssanat löytyvät: ”ohjaus” löytää myös "
        "”ohjauksen” ja ”ohjauspalvelut”.",
        "filter_class": "Luokka",
        "filter_region": "Maakunta",
        "filter_sector": "Ala",
        "filter_any": "kaikki",
        "hit_count": "{total} osumaa",
        "by_class": "Luokittain",
        "by_region": "Alueittain",
        "by_document": "Lähdeasiakirjoittain",
        "count": "Määrä",
        "name": "Nimi",
        "what": "Mikä tämä on?",
        "intro": "Osaamiskartta kokoaa alueellisten koulutus- ja elinikäisen ohjauksen verkostojen "
        "toimijat, verkostot, strategiset tavoitteet, toimintasuunnitelmat, ohjauksen "
        "laatutyökalun, osaamiskartat ja koulutustuotteet linkitetyksi avoimeksi dataksi. "
        "Jokainen tieto on peräisin lähdeasiakirjasta.",
        "use": "Käyttö",
        "figures": "Luvut",
        "triples": "kolmikkoa",
        "entities": "kohdetta",
        "computing": "Tietoverkon lukuja lasketaan; ne näkyvät tässä hetken kuluttua.",
        "classes": "Luokat",
        "properties": "Ominaisuudet",
        "definition": "Määritelmä",
        "file": "Tiedosto",
        "size": "Koko (tavua)",
        "sha256": "SHA-256",
        "dumps_intro": "Koko tietoverkko ladattavina tiedostoina. Tiedostot päivittyvät, "
        "kun tiedot muuttuvat.",
        "licence": "Lisenssi: CC BY 4.0",
        "resource_nav": "Sivun osat",
    },
    "en": {
        "site": "Osaamiskartta",
        "tagline": "Knowledge graph of regional education and guidance networks",
        "skip": "Skip to content",
        "search": "Search",
        "search_label": "Search",
        "search_button": "Search",
        "switch": "Suomeksi",
        "home": "Home",
        "query": "SPARQL query",
        "api": "API documentation",
        "dumps": "Downloads",
        "ontology": "Ontology",
        "catalog": "DCAT catalog",
        "void": "VoID description",
        "type": "Type",
        "iri": "Identifier (IRI)",
        "alt_labels": "Other names",
        "incoming": "Links to this",
        "incoming_more": "Showing {shown} of {total}.",
        "incoming_more_than": "Showing {shown} of more than {total}.",
        "sources": "Source documents",
        "formats": "RDF formats",
        "not_found": "Not found",
        "not_found_text": "The graph has nothing with the identifier",
        "not_found_hint": "Try a search:",
        "error_status": "HTTP status",
        "error_retry": "Try again in {seconds} seconds.",
        "error_home": "To the front page",
        "results": "Search results",
        "no_results": "No matches.",
        "search_note": "The search looks in names, other names, definitions and "
        "descriptions. Inflected forms and compounds are found: “ohjaus” also "
        "finds “ohjauksen” and “ohjauspalvelut”.",
        "filter_class": "Class",
        "filter_region": "Region",
        "filter_sector": "Sector",
        "filter_any": "any",
        "hit_count": "{total} hits",
        "by_class": "By class",
        "by_region": "By region",
        "by_document": "By source document",
        "count": "Count",
        "name": "Name",
        "what": "What is this?",
        "intro": "Osaamiskartta publishes the actors, networks, strategic goals, action plans, "
        "guidance quality tool, competence maps and training products of Finnish regional "
        "education and lifelong-guidance networks as linked open data. Every fact comes from "
        "a source document.",
        "use": "Use it",
        "figures": "Figures",
        "triples": "triples",
        "entities": "entities",
        "computing": "The graph's figures are being computed; they will show here shortly.",
        "classes": "Classes",
        "properties": "Properties",
        "definition": "Definition",
        "file": "File",
        "size": "Size (bytes)",
        "sha256": "SHA-256",
        "dumps_intro": "The whole graph as downloadable files. They are regenerated when the "
        "data changes.",
        "licence": "Licence: CC BY 4.0",
        "resource_nav": "On this page",
    },
}


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("service", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def render(template: str, lang: str, switch_href: str, **context: Any) -> str:
    """Render `publishing/{template}` in `lang`; `switch_href` is the other language's URL."""
    return (
        _environment()
        .get_template(f"publishing/{template}")
        .render(
            lang=lang,
            t=TEXTS[lang],
            other_lang=other_language(lang),
            switch_href=switch_href,
            **context,
        )
    )
