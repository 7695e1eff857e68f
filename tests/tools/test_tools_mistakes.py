"""Users' mistakes against every tool endpoint get a 4xx, never a server error, and change
nothing."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import Service
from tests.tools.conftest import ID, dump_digest

JSON_WRITES = [
    ("PUT", "/api/tools/quality/isy/2025-01-01", {"answers": "x"}),
    ("PUT", "/api/tools/quality/isy/2025-01-01", {"answers": [1, 2]}),
    ("PUT", "/api/tools/quality/isy/2025-01-01", {"answers": [{"indicator": 5, "value": []}]}),
    ("PUT", "/api/tools/quality/isy/not-a-date", {"answers": []}),
    ("POST", "/api/tools/forums", {"label_fi": 5, "sector": ["x"]}),
    ("POST", "/api/tools/forums/ei-ole/outputs", {"kind": "pelisaannot"}),
    ("PUT", "/api/tools/forums/ei-ole/phase", {"phase": ID + "lifecycle-phase/perustaminen"}),
    ("PUT", "/api/tools/forums/ei-ole/phase", {"phase": "ei iri"}),
    ("POST", "/api/tools/competence/isy/entries", {"kind": "tila", "competences": "x"}),
    (
        "POST",
        "/api/tools/competence/isy/entries",
        {"kind": "tila", "label_fi": "A", "sector": "<>"},
    ),
    ("PUT", "/api/tools/competence/isy/entries/offer/ei-ole", {"kind": "tila", "label_fi": "A"}),
    ("POST", "/api/tools/review/tuote-x/steps", {"stage": "", "reviewers": "x"}),
    ("POST", "/api/tools/review/tuote-x/steps", {"stage": "ei iri"}),
    ("POST", "/api/tools/review", {"label_fi": ""}),
]

# (A post to /tools/quality/{organisation}/{date} without answers is a valid save: an
# assessment started and left empty, so it is not among the mistakes.)
FORM_POSTS = [
    "/tools/quality/isy/2025-99-01",
    "/tools/forums",
    "/tools/forums/ei-ole/outputs",
    "/tools/forums/ei-ole/phase",
    "/tools/competence/isy/entries",
    "/tools/competence/ei-ole/entries",
    "/tools/review",
    "/tools/review/tuote-x/steps",
    "/tools/login",
]


@pytest.mark.parametrize(("method", "path", "body"), JSON_WRITES)
def test_json_mistakes_are_client_errors(
    client: httpx.Client, tools_service: Service, method: str, path: str, body: object
) -> None:
    before = dump_digest(client)
    r = client.request(method, path, json=body, headers=tools_service.auth)
    assert 400 <= r.status_code < 500, (r.status_code, r.text)
    assert dump_digest(client) == before


@pytest.mark.parametrize("path", FORM_POSTS)
def test_garbage_form_posts_are_client_errors(session: httpx.Client, path: str) -> None:
    before = dump_digest(session)
    for body in (b"\xff\xfe%%%&&==", b"kind=%ZZ&label_fi=&sector=%3C%3E&stage=x y&phase=::"):
        r = session.post(
            path, content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        assert r.status_code < 500, (path, r.status_code, r.text[:300])
    assert dump_digest(session) == before, path


def test_foreign_origin_form_post_is_forbidden(session: httpx.Client) -> None:
    r = session.post(
        "/tools/forums", data={"label_fi": "X"}, headers={"Origin": "https://evil.example"}
    )
    assert r.status_code == 403
