"""The search index on its own: Finnish inflection, compounds, English, ranking, highlights."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from service.search import analyzer
from service.search.highlight import highlight, matched_spans
from service.search.index import SearchIndex, Text, combine


@pytest.mark.parametrize(
    "forms",
    [
        ("ohjaus", "ohjauksen", "ohjausta", "ohjauksessa"),
        ("ohjaaja", "ohjaajat", "ohjaajien"),
        ("koulutus", "koulutuksen", "koulutukset"),
        ("osaaminen", "osaamisen"),
        ("yliopisto", "yliopiston"),
    ],
)
def test_inflected_finnish_forms_share_one_term(forms: tuple[str, ...]) -> None:
    assert len({analyzer.finnish_term(f) for f in forms}) == 1


def test_agent_noun_keeps_its_own_term() -> None:
    assert analyzer.finnish_term("ohjaaja") != analyzer.finnish_term("ohjaus")


@pytest.fixture
def index() -> SearchIndex:
    index = SearchIndex()
    index.replace(
        [
            ("urn:a", [Text("title", "fi", "Ohjauspalvelujen saatavuus")]),
            ("urn:b", [Text("title", "fi", "Uraohjaus"), Text("body", "en", "Career guidance")]),
            ("urn:c", [Text("title", "fi", "Ohjaajien verkosto")]),
            ("urn:d", [Text("title", "fi", "Itä-Suomen yliopisto")]),
            (
                "urn:e",
                [
                    Text("title", "fi", "Strategia"),
                    Text("body", "fi", "Elinikäisen ohjauksen strategia Pohjois-Savossa"),
                ],
            ),
        ],
        fingerprint=1,
    )
    return index


def _found(index: SearchIndex, q: str) -> list[str]:
    terms = index.terms(q)
    assert terms is not None
    matches, _ = index.search(terms, lambda _: True, 0, 20, 100)
    return [m.iri for m in matches]


@pytest.mark.parametrize("q", ["ohjaus", "ohjauksen", "Ohjausta", "OHJAUS"])
def test_any_form_finds_inflections_and_compounds_direct_hits_first(
    index: SearchIndex, q: str
) -> None:
    found = _found(index, q)
    assert set(found) == {"urn:a", "urn:b", "urn:e"}
    # "Uraohjaus" matches only inside a compound, so it comes after the direct matches.
    assert found[-1] == "urn:b"


def test_agent_noun_finds_its_inflections_only(index: SearchIndex) -> None:
    assert _found(index, "ohjaaja") == ["urn:c"]


def test_compound_part_at_the_end_is_found(index: SearchIndex) -> None:
    assert _found(index, "palvelut") == ["urn:a"]


def test_english_words_are_stemmed_as_english(index: SearchIndex) -> None:
    assert _found(index, "guidances") == ["urn:b"]
    assert _found(index, "careers") == ["urn:b"]
    assert _found(index, "network") == []


def test_every_word_must_match(index: SearchIndex) -> None:
    assert _found(index, "ohjauksen strategiaa") == ["urn:e"]
    assert _found(index, "ohjaus yliopisto") == []


def test_removing_a_resource_takes_it_out(index: SearchIndex) -> None:
    index.replace([("urn:d", [])], fingerprint=2)
    assert _found(index, "yliopisto") == []
    assert index.meta("fingerprint") == "2"


def test_highlight_marks_inflected_words_and_escapes_html(index: SearchIndex) -> None:
    terms = index.terms("ohjaus")
    assert terms is not None
    text = "Elinikäisen ohjauksen <strategia> & uraohjaus"
    html = highlight(text, matched_spans(text, "fi", terms))
    assert html == (
        "Elinikäisen <mark>ohjauksen</mark> &lt;strategia&gt; &amp; <mark>uraohjaus</mark>"
    )


def test_fingerprint_is_independent_of_order_and_undone_by_removal() -> None:
    one = combine(0, ["a", "b", "c"], [])
    assert one == combine(0, ["c", "a", "b"], [])
    assert combine(one, [], ["b"]) == combine(0, ["a", "c"], [])


def test_settings_name_where_the_index_lives_and_refuse_a_bad_inference_flag() -> None:
    from service.settings import Settings, SettingsError

    assert Settings().search_index_location == "memory"
    assert Settings(store="var/store").search_index_location == "var/store.search.sqlite"
    env = {"OSAAMISKARTTA_SEARCH_INDEX": "/tmp/x.sqlite", "OSAAMISKARTTA_INFERENCE": "false"}
    settings = Settings.from_env(env)
    assert settings.search_index_location == "/tmp/x.sqlite" and settings.inference is False
    with pytest.raises(SettingsError, match="INFERENCE"):
        Settings.from_env({"OSAAMISKARTTA_INFERENCE": "maybe"})


def test_another_process_reads_the_file_as_it_is_written_and_cannot_write(tmp_path: Path) -> None:
    path = str(tmp_path / "index.sqlite")
    writer = SearchIndex(path)
    # Write-ahead log: readers elsewhere never wait for a write, nor a write for them.
    assert writer._db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    writer.replace([("urn:a", [Text("title", "fi", "Uraohjaus")])], fingerprint=1)
    reader = SearchIndex.read_only(path)
    assert _found(reader, "ohjaus") == ["urn:a"]
    reader.notice_changes()
    seen = reader.generation
    reader.notice_changes()
    assert reader.generation == seen  # nothing committed since
    # A write in progress is not seen until it commits.
    with writer._transaction() as db:
        writer._replace_one(db, "urn:b", [Text("title", "fi", "Ohjaajien verkosto")])
        assert _found(reader, "ohjaaja") == []
    assert _found(reader, "ohjaaja") == ["urn:b"]
    reader.notice_changes()
    assert reader.generation != seen  # what the reader kept for a text is stale now
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader.replace([("urn:c", [Text("title", "fi", "Kolmas")])], fingerprint=2)


def test_names_containing_a_text_are_found_ignoring_case_finnish_letters_too(
    index: SearchIndex,
) -> None:
    index.replace(
        [
            ("urn:f", [Text("title", "fi", "ÄÄNEKOSKEN kaupunki"), Text("alt", "fi", "Äkä")]),
            ("urn:g", [Text("body", "fi", "Äänekoskella kuvattu")]),  # not a name
        ],
        fingerprint=2,
    )
    assert index.name_matches("äänekosken", 10) == ["urn:f"]
    assert index.name_matches("ITÄ-SUOMEN", 10) == ["urn:d"]
    assert set(index.name_matches("ohja", 10) or []) == {"urn:a", "urn:b", "urn:c"}
    assert index.name_matches("äkä", 10) == []  # an other name, not a title
    assert index.name_matches("oh", 10) is None  # too short to narrow anything down
    assert index.name_matches("ohja", 2) is None  # more than the cap
    index.replace([("urn:f", [Text("title", "fi", "Toinen nimi")])], fingerprint=3)
    assert index.name_matches("äänekosken", 10) == []


def test_an_index_made_before_the_names_table_gets_it_filled_when_opened(tmp_path: Path) -> None:
    path = str(tmp_path / "index.sqlite")
    old = SearchIndex(path)
    old.replace(
        [("urn:a", [Text("title", "fi", "Äänekoski"), Text("title", "en", "X")])], fingerprint=1
    )
    old._db.execute("DROP TABLE title_grams")
    old.close()
    assert SearchIndex(path).name_matches("ÄÄNE", 10) == ["urn:a"]
