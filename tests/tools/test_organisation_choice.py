"""Tool pages that offer a choice of organisation or of competence stay small when there are
many: a field for part of a name, and at most SHOWN of those that match."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import pytest

from service.tools.choice import SHOWN
from tests.conftest import TOKEN, Service
from tests.tools.conftest import ID

GRAPH = "https://example.org/many-organisations"
MANY = SHOWN + 50
SOURCE = ID + "document/punos"


def numbered(iri: Callable[[int], str], types: str, label: str, more: str = "") -> str:
    """Turtle for MANY things of ``types``, the ``i``th at ``iri(i)`` named ``label`` and i."""
    return "\n".join(
        f"<{iri(i)}> a {types} ; "
        f'<http://www.w3.org/2004/02/skos/core#prefLabel> "{label} {i:03}"@fi'
        + (f" ; {more}" if more else "")
        + " ."
        for i in range(MANY)
    )


@contextmanager
def graph_for_a_test(service: Service, graph: str, body: str) -> Iterator[Service]:
    """``service`` with the Turtle ``body`` in ``graph``, removed again afterwards."""
    put = service.put_graph(graph, body.encode(), "text/turtle")
    assert put.status_code in (201, 204), put.text
    try:
        yield service
    finally:
        gone = httpx.delete(f"{service.url}/data", params={"graph": graph}, headers=service.auth)
        assert gone.status_code == 204, gone.text


@pytest.fixture
def many(tools_service: Service) -> Iterator[Service]:
    """The tools' service with MANY more organisations."""
    body = numbered(
        lambda i: f"{ID}organisation/testiopisto-{i:03}",
        "<http://www.w3.org/ns/org#Organization>",
        "Testiopisto",
        f"<http://purl.org/dc/terms/source> <{SOURCE}>",
    )
    with graph_for_a_test(tools_service, GRAPH, body) as service:
        yield service


def options(page: str, select: str) -> list[str]:
    """The option values of the <select> with the id ``select``."""
    found = re.search(rf'<select id="{select}".*?</select>', page, re.S)
    assert found, page
    return re.findall(r'<option value="([^"]*)"', found.group(0))


def shown_note(page: str, what: str = "Organisaatioita") -> tuple[int, int, int]:
    """(shown, matching, total) from the finder's status line (Finnish)."""
    found = re.search(rf"{what} näkyvissä (\d+), hakuun sopivia (\d+), kaikkiaan (\d+)\.", page)
    assert found, page
    return int(found[1]), int(found[2]), int(found[3])


def test_the_quality_tool_lists_at_most_shown_and_finds_by_part_of_a_name(
    many: Service,
) -> None:
    whole = httpx.get(f"{many.url}/tools/quality")
    assert whole.status_code == 200
    assert len(options(whole.text, "organisation")) == SHOWN
    shown, matching, total = shown_note(whole.text)
    assert shown == SHOWN and matching == total and total > MANY
    assert 'name="find"' in whole.text

    found = httpx.get(f"{many.url}/tools/quality", params={"find": "testiOPISTO 12"})
    assert options(found.text, "organisation") == [f"testiopisto-{i}" for i in range(120, 130)]
    assert shown_note(found.text) == (10, 10, total)
    # The choice form carries the search along, so a refusal shows the same short list.
    assert '<input type="hidden" name="find" value="testiOPISTO 12">' in found.text

    # An organisation already chosen stays listed (and selected) whatever the search.
    kept = httpx.get(
        f"{many.url}/tools/quality",
        params={"find": "testiopisto 00", "organisation": "testiopisto-249"},
    )
    assert options(kept.text, "organisation")[0] == "testiopisto-249"
    assert '<option value="testiopisto-249" selected>' in kept.text

    english = httpx.get(f"{many.url}/tools/quality", params={"lang": "en", "find": "249"})
    assert f"Organisations shown: 1; matching: 1; in all: {total}." in english.text


def test_the_competence_tool_and_a_forum_narrow_their_lists_too(many: Service) -> None:
    search = httpx.get(f"{many.url}/tools/competence", params={"find": "Testiopisto 24"})
    assert search.status_code == 200
    links = re.findall(r'href="/tools/competence/(testiopisto-\d+)"', search.text)
    assert links == [f"testiopisto-{i}" for i in range(240, 250)]
    assert (
        len(
            re.findall(
                r'href="/tools/competence/[^"/?]+"', httpx.get(f"{many.url}/tools/competence").text
            )
        )
        == SHOWN
    )

    created = httpx.post(
        f"{many.url}/api/tools/forums",
        json={"label_fi": "Organisaatiohaun foorumi", "sector": ID + "sector/09"},
        headers=many.auth,
    )
    assert created.status_code == 201, created.text
    forum = httpx.get(
        f"{many.url}/tools/forums/organisaatiohaun-foorumi", params={"find": "Testiopisto 0"}
    )
    assert forum.status_code == 200
    assert options(forum.text, "organisation") == [""] + [
        f"{ID}organisation/testiopisto-{i:03}" for i in range(100)
    ]
    assert 'action="/tools/forums/organisaatiohaun-foorumi#add-output"' in forum.text
    # The output form carries the text, so a refused output comes back with the same list.
    assert 'action="/tools/forums/organisaatiohaun-foorumi/outputs?find=Testiopisto+0"' in (
        forum.text
    )


def test_a_short_list_offers_no_search(tools_service: Service) -> None:
    page = httpx.get(f"{tools_service.url}/tools/quality")
    assert page.status_code == 200 and 'name="find"' not in page.text
    assert len(options(page.text, "organisation")) < SHOWN


COMPETENCES = "https://example.org/many-competences"


def competence(i: int) -> str:
    """The IRI of the ``i``th competence the test adds."""
    return f"{ID}competence/testiosaaminen-{i:03}"


@pytest.fixture
def many_competences(tools_service: Service) -> Iterator[Service]:
    """The tools' service with MANY more competences."""
    body = numbered(
        competence,
        "<https://w3id.org/osaamiskartta/ontology#Competence>, "
        "<http://www.w3.org/2004/02/skos/core#Concept>",
        "Testiosaaminen",
    )
    with graph_for_a_test(tools_service, COMPETENCES, body) as service:
        yield service


def checkboxes(page: str) -> list[str]:
    """The values of the map form's competence checkboxes, and which are checked."""
    return re.findall(r'name="competences" value="([^"]*)"', page)


def test_the_competence_search_lists_at_most_shown_competences_and_finds_them(
    many_competences: Service,
) -> None:
    url = f"{many_competences.url}/tools/competence"
    whole = httpx.get(url)
    assert whole.status_code == 200
    assert len(options(whole.text, "competence")) == SHOWN + 1  # and "any"
    shown, matching, total = shown_note(whole.text, "Osaamisia")
    assert shown == SHOWN and matching == total and total >= MANY
    assert 'name="find_competence"' in whole.text

    found = httpx.get(url, params={"find_competence": "TESTIOSAAMINEN 12", "find": "sakky"})
    assert options(found.text, "competence") == [""] + [competence(i) for i in range(120, 130)]
    assert shown_note(found.text, "Osaamisia") == (10, 10, total)
    # Each finder carries the other's text, so narrowing one list keeps the other narrowed.
    assert '<input type="hidden" name="find_competence" value="TESTIOSAAMINEN 12">' in found.text
    assert '<input type="hidden" name="find" value="sakky">' in found.text
    # A text that is only in the IRIs finds nothing: competences are found by name.
    assert options(httpx.get(url, params={"find_competence": "w3id"}).text, "competence") == [""]

    # The competence searched for stays listed and selected, and the search runs.
    kept = httpx.get(
        url, params={"find_competence": "testiosaaminen 00", "competence": competence(249)}
    )
    assert kept.status_code == 200
    assert options(kept.text, "competence")[1] == competence(249)
    assert f'<option value="{competence(249)}" selected>' in kept.text
    assert "<p>Ei osumia.</p>" in kept.text  # the search ran: nobody offers it
    english = httpx.get(url, params={"lang": "en", "find_competence": "249"})
    assert f"Competences shown: 1; matching: 1; in all: {total}." in english.text
    # The one searched for is shown though the text matches nothing.
    kept_only = httpx.get(url, params={"find_competence": "ei mitään", "competence": competence(7)})
    assert shown_note(kept_only.text, "Osaamisia") == (1, 0, total)


def test_the_map_form_lists_at_most_shown_competences_and_keeps_the_chosen(
    many_competences: Service,
) -> None:
    url = f"{many_competences.url}/tools/competence/sakky"
    whole = httpx.get(url)
    assert whole.status_code == 200
    assert len(checkboxes(whole.text)) == SHOWN
    found = httpx.get(url, params={"find_competence": "testiosaaminen 24"})
    assert checkboxes(found.text) == [competence(i) for i in range(240, 250)]
    assert 'action="/tools/competence/sakky#entry-form"' in found.text
    assert 'action="/tools/competence/sakky/entries?find_competence=testiosaaminen+24"' in (
        found.text
    )

    # A refused entry comes back with its chosen competences listed and checked, whatever the
    # text; nothing is written.
    with httpx.Client(base_url=many_competences.url, timeout=30.0) as browser:
        login = browser.post("/tools/login", data={"token": TOKEN, "next": "/tools/"})
        assert login.status_code == 303
        refused = browser.post(
            "/tools/competence/sakky/entries",
            params={"find_competence": "testiosaaminen 00"},
            data={"kind": "koulutus", "label_fi": "", "competences": competence(249)},
        )
    assert refused.status_code == 422, refused.text
    listed = checkboxes(refused.text)
    assert listed[0] == competence(249) and listed[1:] == [competence(i) for i in range(10)]
    assert f'value="{competence(249)}" checked' in refused.text
