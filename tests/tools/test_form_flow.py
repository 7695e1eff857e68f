"""What every tool's form post and JSON save do alike, pinned for each endpoint: a post
without a session is a 401 form in the reader's language with the typed values kept; a
foreign origin is a 403; a saved form redirects (303) in the reader's language; a mistake
the domain names is a 400 by its field; a JSON write without the token is a 401 before its
body is read; a JSON create answers 201 with a Location."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import Service
from tests.tools.conftest import ID, dump_digest

STAGE = ID + "review-stage/"
IND = "ohjaus-edistaa-asiakkaan-voimaantumista-"

# (path, a body whose typed value must come back, that value)
FORMS = [
    ("/tools/quality/isy/2025-06-15", {f"comment-{IND}1": "Kirjoitettu kommentti"}, "Kirjoitettu"),
    ("/tools/forums", {"label_fi": "Kirjoitettu foorumi"}, "Kirjoitettu foorumi"),
    (
        "/tools/forums/kalatalouden-foorumi/outputs",
        {"kind": "tavoitteet", "label_fi": "Kirjoitettu tavoite"},
        "Kirjoitettu tavoite",
    ),
    ("/tools/forums/kalatalouden-foorumi/phase", {"phase": ""}, None),
    ("/tools/competence/isy/entries", {"label_fi": "Kirjoitettu tila"}, "Kirjoitettu tila"),
    ("/tools/review", {"label_fi": "Kirjoitettu tuote"}, "Kirjoitettu tuote"),
    ("/tools/review/tuote-x/steps", {"description": "Kirjoitettu kuvaus"}, "Kirjoitettu kuvaus"),
]


@pytest.fixture(scope="module", autouse=True)
def forum(tools_service: Service) -> None:
    """The forum the forum forms post to (made here when another test has not)."""
    httpx.post(
        f"{tools_service.url}/api/tools/forums",
        json={"label_fi": "Kalatalouden foorumi", "sector": ID + "sector/08"},
        headers=tools_service.auth,
    )


@pytest.mark.parametrize(("path", "data", "typed"), FORMS)
@pytest.mark.parametrize(
    ("lang", "message"),
    [("", "Tallentaminen vaatii kirjautumisen."), ("?lang=en", "Saving needs a login.")],
)
def test_form_post_without_session_is_401_with_the_form_in_the_readers_language(
    client: httpx.Client,
    path: str,
    data: dict[str, str],
    typed: str | None,
    lang: str,
    message: str,
) -> None:
    before = dump_digest(client)
    r = client.post(path + lang, data=data)
    assert r.status_code == 401, r.text[:300]
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["content-language"] == ("en" if lang else "fi")
    assert message in r.text
    if typed:
        assert typed in r.text
    assert dump_digest(client) == before


@pytest.mark.parametrize(("path", "data", "typed"), FORMS)
def test_form_post_with_a_forged_session_is_403(
    client: httpx.Client, path: str, data: dict[str, str], typed: str | None
) -> None:
    client.cookies.set("osaamiskartta_tools", "forged")
    r = client.post(path, data=data)
    assert r.status_code == 403 and "Tallentaminen vaatii kirjautumisen." in r.text


@pytest.mark.parametrize(("path", "data", "typed"), FORMS)
def test_form_post_from_another_origin_is_403_problem(
    session: httpx.Client, path: str, data: dict[str, str], typed: str | None
) -> None:
    r = session.post(path, data=data, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    assert r.headers["content-type"].startswith("application/problem+json")


def test_saved_forms_redirect_in_the_readers_language(session: httpx.Client) -> None:
    saved = [
        ("/tools/review?lang=en", {"label_fi": "Kielitesti"}, "/tools/review/kielitesti"),
        (
            "/tools/review/kielitesti/steps?lang=en",
            {"stage": STAGE + "jory-kommenttikierros", "date": "2025-02-03"},
            "/tools/review/kielitesti",
        ),
        (
            "/tools/forums?lang=en",
            {"label_fi": "Kielifoorumi", "sector": ID + "sector/08"},
            "/tools/forums/kielifoorumi",
        ),
        (
            "/tools/forums/kielifoorumi/outputs?lang=en",
            {"kind": "tavoitteet", "label_fi": "Kielitavoite"},
            "/tools/forums/kielifoorumi",
        ),
        (
            "/tools/competence/isy/entries?lang=en",
            {"kind": "tila", "label_fi": "Kielistudio", "sector": ID + "sector/08"},
            "/tools/competence/isy",
        ),
        (
            "/tools/competence/isy/entries/offer/isy-kielistudio?lang=en",
            {"kind": "tila", "label_fi": "Kielistudio", "label_en": "Language studio"},
            "/tools/competence/isy",
        ),
        (
            "/tools/quality/isy/2025-06-16?lang=en",
            {f"value-{IND}1": "3"},
            "/tools/quality/isy/2025-06-16",
        ),
    ]
    for path, data, target in saved:
        r = session.post(path, data=data)
        assert r.status_code == 303, (path, r.text[:300])
        assert r.headers["location"] == target + "?saved=1&lang=en", path


def test_mistakes_the_tools_name_come_back_as_400_by_their_field(session: httpx.Client) -> None:
    before = dump_digest(session)
    cases = [
        ("/tools/competence/isy/entries", {"kind": "x", "label_fi": "Tila"}, "kind"),
        ("/tools/review", {"label_fi": "Tuote X"}, "label_fi"),
        ("/tools/review/tuote-x/steps", {"stage": ""}, "stage"),
        ("/tools/forums/kalatalouden-foorumi/phase", {"phase": "ei vaihe"}, "phase"),
    ]
    for path, data, field in cases:
        r = session.post(path, data=data)
        assert r.status_code == 400, (path, r.text[:300])
        assert f'id="err-{field}"' in r.text, path
    assert dump_digest(session) == before


def test_refused_product_puts_the_gates_messages_by_its_name(session: httpx.Client) -> None:
    before = dump_digest(session)
    r = session.post("/tools/review", data={"label_fi": " ", "label_en": "Only English"})
    assert r.status_code == 422
    start = r.text.index('id="err-label_fi"')
    assert "skos:prefLabel" in r.text[start : start + 400]
    assert 'value="Only English"' in r.text
    assert dump_digest(session) == before


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PUT", "/api/tools/quality/isy/2025-01-01"),
        ("POST", "/api/tools/forums"),
        ("POST", "/api/tools/forums/kalatalouden-foorumi/outputs"),
        ("PUT", "/api/tools/forums/kalatalouden-foorumi/phase"),
        ("POST", "/api/tools/competence/isy/entries"),
        ("PUT", "/api/tools/competence/isy/entries/offer/ei-ole"),
        ("POST", "/api/tools/review"),
        ("POST", "/api/tools/review/tuote-x/steps"),
    ],
)
def test_json_write_without_token_is_401_before_the_body_is_read(
    client: httpx.Client, method: str, path: str
) -> None:
    r = client.request(method, path, content=b"[not json")
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith("Bearer")


def test_json_creates_answer_201_with_their_location(
    client: httpx.Client, tools_service: Service
) -> None:
    auth = tools_service.auth
    r = client.post("/api/tools/review", json={"label_fi": "Sijaintituote"}, headers=auth)
    assert r.status_code == 201
    assert r.headers["location"] == "/api/tools/review/sijaintituote"
    r = client.post(
        "/api/tools/forums",
        json={"label_fi": "Sijaintifoorumi", "sector": ID + "sector/08"},
        headers=auth,
    )
    assert r.status_code == 201 and r.json()["forum"] == ID + "network/sijaintifoorumi"
    assert r.headers["location"] == "/api/tools/forums/sijaintifoorumi"
    r = client.post(
        "/api/tools/competence/isy/entries",
        json={"kind": "tila", "label_fi": "Sijaintitila", "sector": ID + "sector/08"},
        headers=auth,
    )
    assert r.status_code == 201 and r.json() == {"entry": "offer/isy-sijaintitila"}
    assert r.headers["location"] == "/api/tools/competence/isy/entries/offer/isy-sijaintitila"
    r = client.put(
        "/api/tools/competence/isy/entries/offer/isy-sijaintitila",
        json={"kind": "tila", "label_fi": "Sijaintitila", "label_en": "Location room"},
        headers=auth,
    )
    assert r.status_code == 200 and r.json() == {"entry": "offer/isy-sijaintitila"}
    assert "location" not in r.headers
