"""The review flow over HTTP: where each product is, steps recorded through the gate in order
(each informed by the previous one), refusals that leave the store unchanged."""

from __future__ import annotations

import httpx

from tests.conftest import Service
from tests.tools.conftest import ID, dump_digest

STAGE = ID + "review-stage/"
OUTCOME = ID + "review-outcome/"


def test_product_x_is_at_the_last_stage_of_the_source(client: httpx.Client) -> None:
    body = client.get("/api/tools/review/tuote-x").json()
    assert len(body["steps"]) == 8
    assert body["currentStage"] == STAGE + "palaute-ja-jatkotoimenpiteet"
    page = client.get("/tools/review")
    assert page.status_code == 200 and "Palaute ja jatkotoimenpiteet" in page.text


def test_steps_recorded_through_the_api_follow_each_other(
    client: httpx.Client, tools_service: Service
) -> None:
    auth = tools_service.auth
    r = client.post("/api/tools/review", json={"label_fi": "Ohjauksen laatukortti"}, headers=auth)
    assert r.status_code == 201 and r.json()["product"] == "ohjauksen-laatukortti"
    url = "/api/tools/review/ohjauksen-laatukortti"
    assert client.get(url).json()["steps"] == []
    assert client.get("/tools/review/ohjauksen-laatukortti").status_code == 200
    first = client.post(
        url + "/steps",
        json={
            "stage": STAGE + "jory-kommenttikierros",
            "outcome": OUTCOME + "kommentoitu",
            "reviewers": [ID + "network/jory"],
            "date": "2025-02-03",
        },
        headers=auth,
    )
    assert first.status_code == 201, first.text
    second = client.post(
        url + "/steps",
        json={
            "stage": STAGE + "eloverkon-tyopajat",
            "reviewers": [ID + "network/eloverkko"],
            "date": "2025-03-10",
            "description": "Kaksi työpajaa",
        },
        headers=auth,
    )
    assert second.status_code == 201, second.text
    body = client.get(url).json()
    assert [s["stage"] for s in body["steps"]] == [
        STAGE + "jory-kommenttikierros",
        STAGE + "eloverkon-tyopajat",
    ]
    assert body["steps"][1]["previous"] == first.json()["step"]
    assert body["steps"][0]["outcome"] == OUTCOME + "kommentoitu"
    assert body["currentStage"] == STAGE + "eloverkon-tyopajat"


def test_refused_step_changes_nothing(client: httpx.Client, tools_service: Service) -> None:
    auth = tools_service.auth
    r = client.post("/api/tools/review", json={"label_fi": "Urasuunnittelun opas"}, headers=auth)
    assert r.status_code == 201
    before = dump_digest(client)
    r = client.post(
        "/api/tools/review/urasuunnittelun-opas/steps",
        json={"stage": STAGE + "jory-kommenttikierros", "date": "2025-02-31"},
        headers=auth,
    )
    assert r.status_code == 422
    assert {x["path"] for x in r.json()["report"]["results"]} == {"http://purl.org/dc/terms/date"}
    assert r.json()["fields"]["fields"]["date"], r.json()["fields"]  # as the form places it
    r = client.post(
        "/api/tools/review/urasuunnittelun-opas/steps",
        json={"stage": STAGE + "jory-kommenttikierros", "reviewers": [ID + "region/pohjois-savo"]},
        headers=auth,
    )
    assert r.status_code == 422
    assert (
        client.post(
            "/api/tools/review/nothing/steps", json={"stage": STAGE + "muutokset"}, headers=auth
        ).status_code
        == 404
    )
    assert client.post("/api/tools/review/urasuunnittelun-opas/steps", json={}).status_code == 401
    assert dump_digest(client) == before


def test_form_records_a_step_and_keeps_a_refused_one(session: httpx.Client) -> None:
    r = session.post("/tools/review", data={"label_fi": "Verkostotyön malli"})
    assert (
        r.status_code == 303 and r.headers["location"] == "/tools/review/verkostotyon-malli?saved=1"
    )
    before = dump_digest(session)
    r = session.post(
        "/tools/review/verkostotyon-malli/steps",
        data={
            "stage": STAGE + "jory-kommenttikierros",
            "date": "3.2.2025",
            "description": "Kommentit kirjattu",
        },
    )
    assert r.status_code == 422
    start = r.text.index('id="err-date"')
    assert "xsd:date" in r.text[start : start + 400]
    assert 'value="3.2.2025"' in r.text and "Kommentit kirjattu</textarea>" in r.text
    assert dump_digest(session) == before
    r = session.post(
        "/tools/review/verkostotyon-malli/steps",
        data={
            "stage": STAGE + "jory-kommenttikierros",
            "date": "2025-02-03",
            "reviewers": ID + "network/jory",
        },
    )
    assert r.status_code == 303
    page = session.get("/tools/review/verkostotyon-malli")
    assert "Kommenttikierros JORYssa" in page.text
