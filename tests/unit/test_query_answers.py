"""Every question of the domain has a named query, and its answer matches the documents.

The documents hold no forums, competence-map entries, training products or quality answers
(they describe those tools), so those questions are asked of the documents plus a small set of
user data in tests/fixtures/queries/.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from service.named_queries import load_registry
from service.named_queries.runner import Page, check_against_data, execute, records
from service.rdf import parse_triples
from service.sparql.formats import SPARQL_JSON, TURTLE
from service.store.base import GraphChange, fresh_blank_nodes
from service.store.oxigraph import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]
ID = "https://w3id.org/osaamiskartta/id/"
REGISTRY = load_registry(ROOT / "queries")

Ask = Callable[..., list[dict[str, Any]]]


def _store(*directories: Path) -> OxigraphStore:
    store = OxigraphStore()
    changes = [
        GraphChange(f"urn:test:{path.stem}", parse_triples(path.read_bytes(), TURTLE))
        for directory in directories
        for path in sorted(directory.glob("*.ttl"))
    ]
    store.apply(fresh_blank_nodes(changes))  # each file's blank nodes its own
    return store


def _asker(store: OxigraphStore) -> Ask:
    def ask(name: str, **params: str) -> list[dict[str, Any]]:
        query = REGISTRY.get(name)
        assert query is not None, name
        terms = query.resolve(params)
        check_against_data(store, query, terms)
        result = execute(store, query, terms, Page(limit=1000))
        return records(result.serialize(SPARQL_JSON))[1]

    return ask


@pytest.fixture(scope="module")
def documents() -> Ask:
    return _asker(_store(ROOT / "ontology", ROOT / "data"))


@pytest.fixture(scope="module")
def with_user_data() -> Ask:
    return _asker(_store(ROOT / "ontology", ROOT / "data", ROOT / "tests/fixtures/queries"))


def _labels(rows: list[dict[str, Any]], column: str) -> set[str]:
    return {row[column] for row in rows if row[column] is not None}


def test_every_domain_question_has_a_named_query() -> None:
    expected = {
        "institution-offers",
        "training-products-by-competence",
        "network-members",
        "organisation-networks",
        "goal-alignment",
        "goals-supporting-nothing",
        "measures-under-goal",
        "measures-without-responsible-actor",
        "quality-answers",
        "forum-phase-gaps",
        "roadmap-work-packages",
        "projects-in-region-year",
        "offer-by-region-and-sector",
        "label-search",
    }
    assert expected <= {q.name for q in REGISTRY}


# Columns a query does not sort by because others it sorts by decide them: labels sorted through
# a key computed from them, aggregates of the sorted group, a thing's one label in ?lang.
DECIDED_BY_OTHERS = {
    "institution-offers": {"institutionLabel", "kindLabel", "itemLabel"},
    "training-products-by-competence": {"productLabel", "providerLabel"},
    "offer-by-region-and-sector": {"entries", "institutions"},
    "text-search": {"thingLabel"},
}


@pytest.mark.parametrize("query", list(REGISTRY), ids=lambda q: q.name)
def test_every_query_sorts_by_what_tells_its_rows_apart(query: Any) -> None:
    # A total order keeps a page's rows the same from one request to the next (LIMIT/OFFSET).
    outer = re.search(r"^SELECT (?:DISTINCT )?(.*)$", query.sparql, re.MULTILINE)
    order = re.search(r"^ORDER BY (.*)$", query.sparql, re.MULTILINE)
    assert outer and order, query.name
    columns = re.sub(r"\(.*? AS \?(\w+)\)", r"?\1", outer.group(1))
    projected = set(re.findall(r"\?(\w+)", columns))
    sorted_by = set(re.findall(r"\?(\w+)", order.group(1)))
    missing = projected - sorted_by - DECIDED_BY_OTHERS.get(query.name, set())
    assert not missing, (query.name, missing)


def test_jory_has_nine_members_and_two_associated_members(documents: Ask) -> None:
    rows = documents("network-members", network=ID + "network/jory")
    by_role: dict[str, set[str]] = {}
    for row in rows:
        by_role.setdefault(row["roleLabel"], set()).add(row["memberLabel"])
    assert len(by_role["jäsen"]) == 9
    assert {
        "Savonia AMK",
        "Itä-Suomen yliopisto",
        "Pohjois-Savon ELY-keskus",
        "Pohjois-Savon Liitto",
        "Setlementti Puijola",
    } <= by_role["jäsen"]
    assert by_role["liitännäisjäsen"] == {"Itä-Suomen aluehallintovirasto", "Kuopion kaupunki"}


def test_jory_is_the_default_network_and_labels_come_in_english_too(documents: Ask) -> None:
    rows = documents("network-members", lang="en")
    assert {row["network"] for row in rows} == {ID + "network/jory"}
    assert "associated member" in _labels(rows, "roleLabel")


def test_eloverkko_members_are_the_te_office_and_named_groups(documents: Ask) -> None:
    rows = documents("network-members", network=ID + "network/eloverkko")
    members = {row["member"] for row in rows}
    assert ID + "organisation/pohjois-savon-te-toimisto" in members
    assert ID + "group/kolmannen-sektorin-ohjaustoimijat" in members


def test_networks_of_an_organisation(documents: Ask) -> None:
    rows = documents("organisation-networks", organisation=ID + "organisation/savonia-amk")
    assert ID + "network/jory" in {row["network"] for row in rows}


def test_only_goal_two_of_pohjois_savo_supports_a_national_goal(documents: Ask) -> None:
    rows = documents("goal-alignment")
    supported = {row["goal"]: row["supported"] for row in rows if row["supported"]}
    assert supported == {ID + "goal/pohjois-savo-elo-2": ID + "goal/kansallinen-elo-3"}
    assert len({row["goal"] for row in rows}) == 4


def test_regional_goals_one_three_and_four_support_nothing(documents: Ask) -> None:
    rows = documents("goals-supporting-nothing", level=ID + "policy-level/maakunnallinen")
    assert {row["goal"] for row in rows} == {ID + f"goal/pohjois-savo-elo-{n}" for n in (1, 3, 4)}


def test_measures_under_goal_two_with_their_responsible_actors(documents: Ask) -> None:
    rows = documents("measures-under-goal", goal=ID + "goal/pohjois-savo-elo-2")
    actors: dict[str, set[str]] = {}
    for row in rows:
        actors.setdefault(row["measure"], set()).add(row["actor"])
    assert actors == {
        ID + "measure/koulutustarpeiden-ja-osaamiskapeikkojen-kartoitus": {
            ID + "organisation/pohjois-savon-ely-keskus",
            ID + "group/te-toimistot",
            ID + "group/alueen-koulutuksen-jarjestajat",
        },
        ID + "measure/ohjaushenkiloston-osaaminen-tyoelamajaksojen-kautta": {
            ID + "group/te-toimistot",
            ID + "group/alueen-oppilaitokset",
        },
    }


def test_no_measure_of_the_documents_lacks_a_responsible_actor(documents: Ask) -> None:
    assert documents("measures-without-responsible-actor") == []


def test_each_roadmap_theme_has_three_work_packages_coordinated_by_myr(documents: Ask) -> None:
    rows = documents("roadmap-work-packages")
    themes: dict[str, set[str]] = {}
    for row in rows:
        themes.setdefault(row["themeLabel"], set()).add(row["workPackageNotation"])
    assert themes == {
        name: {"I", "II", "III"}
        for name in (
            "Työelämäpalvelut",
            "Asiakkaan ohjauspalvelut",
            "Osaamisen kehittämiskumppanuus",
        )
    }
    assert {row["coordinator"] for row in rows} == {ID + "organisation/myr-koulutusjaosto"}


def test_work_packages_of_one_theme(documents: Ask) -> None:
    rows = documents("roadmap-work-packages", theme=ID + "theme/tyoelamapalvelut")
    assert _labels(rows, "workPackageLabel") == {
        "Tieto liikkuu verkostoissa",
        "Proaktiivinen koulutus",
        "Työelämälähtöinen koulutus vahvistuu",
    }


@pytest.mark.parametrize(
    ("region", "year", "expected"),
    [
        ("etela-savo", "2022", {"project/punos"}),
        ("etela-savo", "2023", {"project/punos"}),
        ("etela-savo", "2024", set()),
        ("etela-savo", "2021", set()),
        ("pohjois-savo", "2013", {"project/elo-pohjois-savossa"}),
        ("pohjois-savo", "2012", set()),
    ],
)
def test_projects_running_in_a_region_during_a_year(
    documents: Ask, region: str, year: str, expected: set[str]
) -> None:
    rows = documents("projects-in-region-year", region=ID + f"region/{region}", year=year)
    assert {row["project"] for row in rows} == {ID + p for p in expected}


def test_the_documents_hold_no_offers_products_forums_or_answers(documents: Ask) -> None:
    assert documents("institution-offers") == []
    assert documents("training-products-by-competence") == []
    assert documents("forum-phase-gaps") == []


def test_institution_offers_filtered_by_region_and_sector(with_user_data: Ask) -> None:
    everything = with_user_data("institution-offers")
    assert {row["item"] for row in everything} == {
        ID + "offer/savonia-amk-testilaboratorio",
        ID + "offer/sakky-testitutkinto",
    }
    engineering = with_user_data(
        "institution-offers", sector=ID + "sector/07", region=ID + "region/pohjois-savo"
    )
    found = [(row["institutionLabel"], row["kindLabel"], row["regionLabel"]) for row in engineering]
    assert found == [("Savonia AMK", "tila", "Pohjois-Savo")]
    assert with_user_data("institution-offers", region=ID + "region/etela-savo") == []


def test_institution_offers_lists_each_entry_once_when_two_graphs_state_its_region() -> None:
    # The service's inferred graph restates the regions' skos:inScheme, and the default graph
    # is the union of the graphs: the region's scheme is a test, not a join that counts twice.
    store = _store(ROOT / "ontology", ROOT / "data", ROOT / "tests/fixtures/queries")
    restated = (
        f"<{ID}region/pohjois-savo> <http://www.w3.org/2004/02/skos/core#inScheme> "
        f"<{ID}scheme/maakunnat> ."
    )
    store.apply([GraphChange("urn:test:restated", parse_triples(restated.encode(), TURTLE))])
    rows = _asker(store)("institution-offers")
    items = [row["item"] for row in rows]
    assert sorted(items) == sorted(set(items))
    assert {row["regionLabel"] for row in rows} == {"Pohjois-Savo"}


def test_institution_offers_lists_the_entry_of_an_organisation_without_a_region_once() -> None:
    # EU-Edu has no region (dct:spatial); its entry has no region in the answer, not each one.
    store = _store(ROOT / "ontology", ROOT / "data", ROOT / "tests/fixtures/queries")
    offer = (
        f"<{ID}offer/euedu-testikoulutus> a <https://w3id.org/osaamiskartta/ontology#Training> ; "
        f"<http://schema.org/provider> <{ID}organisation/euedu> ; "
        '<http://www.w3.org/2004/02/skos/core#prefLabel> "Testikoulutus"@fi .'
    )
    store.apply([GraphChange("urn:test:no-region", parse_triples(offer.encode(), TURTLE))])
    rows = [row for row in _asker(store)("institution-offers") if "euedu" in row["item"]]
    assert [(row.get("institutionRegion"), row.get("regionLabel")) for row in rows] == [
        (None, None)
    ]
    assert len(_asker(store)("institution-offers")) == 3


def test_training_products_that_develop_a_competence(with_user_data: Ask) -> None:
    rows = with_user_data(
        "training-products-by-competence", competence=ID + "competence/testi-robotiikka"
    )
    assert _labels(rows, "providerLabel") == {"Savonia AMK", "Ylä-Savon ammattiopisto"}
    assert {row["recognisesPriorLearning"] for row in rows} == {True}


def test_forum_phase_gaps_list_what_each_phase_still_lacks(with_user_data: Ask) -> None:
    rows = with_user_data("forum-phase-gaps")
    missing: dict[str, set[str | None]] = {}
    for row in rows:
        missing.setdefault(row["forum"], set()).add(row["missing"])
    assert missing == {
        ID + "network/testifoorumi-tekniikka": {
            ID + "forum-output/osaamiskartta",
            ID + "forum-output/toimintasuunnitelma",
        },
        ID + "network/testifoorumi-hyvinvointi": {None},
    }


def test_quality_answers_show_the_latest_answer_and_what_is_unanswered(with_user_data: Ask) -> None:
    rows = with_user_data("quality-answers", organisation=ID + "organisation/savonia-amk")
    values = {row["indicator"].rsplit("-", 1)[1]: row["value"] for row in rows}
    assert values == {"1": 4, "2": 3, "3": None, "4": None}
    unanswered = with_user_data(
        "quality-answers", organisation=ID + "organisation/savonia-amk", answered="false"
    )
    assert len(unanswered) == 2
    assert {row["areaLabel"] for row in rows} == {"Asiakkaan aktivoiminen"}


def _with(extra: str) -> Ask:
    """The documents and the user data, and the Turtle ``extra`` (with the prefixes ok:, dqv:,
    dct:, xsd:) in a graph of its own."""
    store = _store(ROOT / "ontology", ROOT / "data", ROOT / "tests/fixtures/queries")
    prefixes = (
        "@prefix ok: <https://w3id.org/osaamiskartta/ontology#> .\n"
        "@prefix dqv: <http://www.w3.org/ns/dqv#> .\n"
        "@prefix dct: <http://purl.org/dc/terms/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
    )
    triples = parse_triples((prefixes + extra).encode(), TURTLE)
    store.apply([GraphChange("urn:test:extra", triples)])
    return _asker(store)


def test_quality_answers_show_one_of_two_answers_given_on_the_same_day() -> None:
    ask = _with(
        f"<{ID}answer/toinen-samana-paivana> a ok:IndicatorAnswer ; "
        f"dqv:isMeasurementOf <{ID}quality-indicator/ohjaus-edistaa-asiakkaan-voimaantumista-1> ; "
        f"dqv:computedOn <{ID}organisation/savonia-amk> ; "
        'dqv:value 1 ; dct:date "2025-01-15"^^xsd:date .'
    )
    rows = ask("quality-answers", organisation=ID + "organisation/savonia-amk")
    values = sorted((row["indicator"].rsplit("-", 1)[1], row["value"] or 0) for row in rows)
    # The IRI .../toinen-samana-paivana sorts after .../savonia-amk-2025-01-15-1: it is the later.
    assert values == [("1", 1), ("2", 3), ("3", 0), ("4", 0)]


def test_a_work_package_without_a_coordinator_has_its_roadmaps() -> None:
    theme = ID + "theme/tyoelamapalvelut"
    ask = _with(
        f"<{theme}> ok:hasWorkPackage <{ID}work-package/ilman-koordinaattoria> . "
        f"<{ID}work-package/ilman-koordinaattoria> a ok:WorkPackage ; "
        '<http://www.w3.org/2004/02/skos/core#prefLabel> "Ilman koordinaattoria"@fi .'
    )
    rows = ask("roadmap-work-packages", theme=theme)
    coordinators = {row["workPackageLabel"]: row["coordinator"] for row in rows}
    assert len(coordinators) == 4 and len(rows) == 4
    assert set(coordinators.values()) == {ID + "organisation/myr-koulutusjaosto"}


def test_a_project_known_only_by_its_end_is_found_in_the_years_before() -> None:
    ask = _with(
        f"<{ID}project/paattyva> a ok:Project ; "
        f"dct:spatial <{ID}region/etela-savo> ; "
        '<http://www.w3.org/2004/02/skos/core#prefLabel> "Päättyvä hanke"@fi ; '
        'dct:temporal [ <http://www.w3.org/ns/dcat#endDate> "2021-06-30"^^xsd:date ] .'
    )
    region = ID + "region/etela-savo"
    assert ID + "project/paattyva" in {
        row["project"] for row in ask("projects-in-region-year", region=region, year="2019")
    }
    assert ID + "project/paattyva" not in {
        row["project"] for row in ask("projects-in-region-year", region=region, year="2022")
    }


def test_a_concept_from_the_wrong_scheme_is_refused(documents: Ask) -> None:
    from service.named_queries import ParameterProblem

    with pytest.raises(ParameterProblem) as problem:
        documents("institution-offers", region=ID + "sector/07")
    assert problem.value.parameter == "region"


def test_the_offer_is_counted_by_region_sector_and_kind(with_user_data: Ask) -> None:
    rows = with_user_data("offer-by-region-and-sector")
    counts = {
        (row["regionLabel"], row["offerSector"], row["kindLabel"]): (
            row["entries"],
            row["institutions"],
        )
        for row in rows
    }
    assert counts == {
        ("Pohjois-Savo", ID + "sector/07", "tila"): (1, 1),
        ("Pohjois-Savo", ID + "sector/09", "tutkinto"): (1, 1),
    }
    assert (
        with_user_data("offer-by-region-and-sector", sector=ID + "sector/09", lang="en")[0][
            "kindLabel"
        ]
        == "degree"
    )
    assert with_user_data("offer-by-region-and-sector", region=ID + "region/etela-savo") == []


def test_search_by_name_ignores_case_and_language(documents: Ask) -> None:
    rows = documents("label-search", text="savonia amk")
    assert ID + "organisation/savonia-amk" in {row["thing"] for row in rows}
    assert all("savonia amk" in row["thingLabel"].lower() for row in rows)
    in_english = documents("label-search", text="UNIVERSITY OF EASTERN", lang="en")
    assert ID + "organisation/isy" in {row["thing"] for row in in_english}


def test_institution_offers_labels_a_sector_typed_by_a_subclass_of_concept() -> None:
    # The shapes ask a sector to be a skos:Concept, which a competence (ok:Competence, a
    # subclass) is. Without the inferred graph (inference=false, or before it is built) the
    # concept is not typed skos:Concept in so many words, and its label must still be found.
    store = _store(ROOT / "ontology", ROOT / "data", ROOT / "tests/fixtures/queries")
    offer = (
        f"<{ID}offer/savonia-amk-robotiikkatila> "
        "a <https://w3id.org/osaamiskartta/ontology#Facility> ; "
        f"<http://schema.org/provider> <{ID}organisation/savonia-amk> ; "
        f"<https://w3id.org/osaamiskartta/ontology#sector> <{ID}competence/testi-robotiikka> ; "
        '<http://www.w3.org/2004/02/skos/core#prefLabel> "Robotiikkatila"@fi .'
    )
    store.apply([GraphChange("urn:test:competence-sector", parse_triples(offer.encode(), TURTLE))])
    rows = [row for row in _asker(store)("institution-offers") if "robotiikkatila" in row["item"]]
    assert [(row["itemSector"], row["sectorLabel"]) for row in rows] == [
        (ID + "competence/testi-robotiikka", "Robotiikan perusteet")
    ]


def test_institution_offers_lists_every_concept_class_of_the_ontology() -> None:
    # The query names skos:Concept and its subclasses rather than following rdfs:subClassOf*
    # (see its comments): the list must be the ontology's, whole.
    store = _store(ROOT / "ontology")
    found = store.query(
        "SELECT ?c WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf>* "
        "<http://www.w3.org/2004/02/skos/core#Concept> FILTER(isIRI(?c)) }"
    )
    closure = {str(row["c"]) for row in records(found.serialize(SPARQL_JSON))[1]}
    query = REGISTRY.get("institution-offers")
    assert query is not None
    listed = re.search(r"VALUES \?conceptClass \{([^}]*)\}", query.sparql)
    assert listed is not None
    prefixes = {
        "skos:": "http://www.w3.org/2004/02/skos/core#",
        "ok:": "https://w3id.org/osaamiskartta/ontology#",
    }
    names = {
        prefixes[name.split(":")[0] + ":"] + name.split(":")[1] for name in listed.group(1).split()
    }
    assert len(closure) > 1 and names == closure
