"""Tool pages that offer a choice of organisation stay small when there are many: a field for
part of a name, and at most SHOWN of the organisations that match."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from service.tools.choice import SHOWN
from tests.conftest import Service
from tests.tools.conftest import ID

GRAPH = "https://example.org/many-organisations"
MANY = SHOWN + 50
SOURCE = ID + "document/punos"


@pytest.fixture
def many(tools_service: Service) -> Iterator[Service]:
    """The tools' service with MANY more organisations, removed again after the test."""
    body = "\n".join(
        f"<{ID}organisation/testiopisto-{i:03}> "
        "a <http://www.w3.org/ns/org#Organization> ; "
        f'<http://www.w3.org/2004/02/skos/core#prefLabel> "Testiopisto {i:03}"@fi ; '
        f"<http://purl.org/dc/terms/source> <{SOURCE}> ."
        for i in range(MANY)
    )
    put = tools_service.put_graph(GRAPH, body.encode(), "text/turtle")
    assert put.status_code in (201, 204), put.text
    try:
        yield tools_service
    finally:
        gone = httpx.delete(
            f"{tools_service.url}/data", params={"graph": GRAPH}, headers=tools_service.auth
        )
        assert gone.status_code == 204, gone.text


def options(page: str, select: str) -> list[str]:
    """The option values of the <select> with the id ``select``."""
    found = re.search(rf'<select id="{select}".*?</select>', page, re.S)
    assert found, page
    return re.findall(r'<option value="([^"]*)"', found.group(0))


def shown_note(page: str) -> tuple[int, int, int]:
    """(shown, matching, total) from the finder's status line (Finnish)."""
    found = re.search(
        r"Näkyvissä (\d+) organisaatiota (\d+) hakuun sopivasta \(kaikkiaan (\d+)\)", page
    )
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
    assert f"Showing 1 organisations of the 1 that match ({total} in all)." in english.text


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


def test_a_short_list_offers_no_search(tools_service: Service) -> None:
    page = httpx.get(f"{tools_service.url}/tools/quality")
    assert page.status_code == 200 and 'name="find"' not in page.text
    assert len(options(page.text, "organisation")) < SHOWN
