"""Narrowing the organisations a tool page lists."""

from __future__ import annotations

from service.tools.choice import SHOWN, narrow

MANY = [(f"opisto-{i:03}", f"Testiopisto {i:03}") for i in range(SHOWN + 50)]


def test_a_short_list_is_shown_whole_without_a_field_for_narrowing() -> None:
    few = MANY[:3]
    choice = narrow(few, "")
    assert choice.shown == few and choice.total == choice.matching == 3
    assert not choice.narrowing


def test_a_long_list_is_cut_to_the_most_shown_and_offers_narrowing() -> None:
    choice = narrow(MANY, "")
    assert choice.shown == MANY[:SHOWN]
    assert (choice.total, choice.matching, choice.narrowing) == (SHOWN + 50, SHOWN + 50, True)


def test_part_of_a_name_matches_in_any_case_and_the_slug_too() -> None:
    choice = narrow(MANY, "  TESTIOPISTO 12 ")
    assert [slug for slug, _ in choice.shown] == [f"opisto-{i}" for i in range(120, 130)]
    assert (choice.matching, choice.find) == (10, "TESTIOPISTO 12")
    assert [slug for slug, _ in narrow(MANY, "opisto-007").shown] == ["opisto-007"]
    assert narrow(MANY, "ei mitään").shown == []


def test_the_chosen_organisation_stays_listed_when_the_cut_would_drop_it() -> None:
    last = MANY[-1]
    choice = narrow(MANY, "", keep=(last[0],))
    assert choice.shown[0] == last and len(choice.shown) == SHOWN
    assert narrow(MANY, "", keep=(MANY[1][0],)).shown == MANY[:SHOWN]  # already listed: in place
    assert narrow(MANY, "", keep=("no-such",)).shown == MANY[:SHOWN]


def test_several_chosen_stay_listed_before_the_matches() -> None:
    chosen = (MANY[-1][0], MANY[5][0], MANY[-2][0])
    choice = narrow(MANY, "testiopisto 00", keep=chosen)
    # The ones the text leaves out first, in the list's order; one it matches stays in place.
    assert choice.shown == [MANY[-2], MANY[-1], *MANY[:10]]
    assert choice.matching == 10  # the kept ones are listed, not counted as matching


def test_more_chosen_than_shown_are_all_listed_and_no_match_is_added() -> None:
    chosen = tuple(key for key, _ in MANY[::-1][: SHOWN + 5])
    shown = narrow(MANY, "testiopisto 00", keep=chosen).shown
    assert len(shown) == SHOWN + 5 and set(shown) == {p for p in MANY if p[0] in chosen}


def test_a_choice_keyed_by_iri_matches_its_label_only() -> None:
    competences = [
        ("https://example.org/id/competence/hitsaus", "Hitsaus"),
        ("https://example.org/id/competence/x", "Kokkaus"),
    ]
    assert narrow(competences, "example", match_key=False).shown == []
    assert narrow(competences, "HITS", match_key=False).shown == competences[:1]
    assert narrow(competences, "example").shown == competences
