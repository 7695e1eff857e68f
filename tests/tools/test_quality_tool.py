"""The quality self-assessment over HTTP: answers saved through the gate (API and form), the
summary equal to what was submitted, resuming, comparison, refusals that change nothing."""

from __future__ import annotations

from statistics import fmean

import httpx

from tests.conftest import Service
from tests.tools.conftest import ID, dump_digest

IND = ID + "quality-indicator/ohjaus-edistaa-asiakkaan-voimaantumista-"
STANDARD = ID + "quality-standard/ohjaus-edistaa-asiakkaan-voimaantumista"
AREA = ID + "quality-area/asiakkaan-aktivoiminen"


def put(
    client: httpx.Client, service: Service, org: str, day: str, answers: list[dict[str, object]]
) -> httpx.Response:
    return client.put(
        f"/api/tools/quality/{org}/{day}", json={"answers": answers}, headers=service.auth
    )


def standard_summary(body: dict[str, object]) -> dict[str, object]:
    areas = {a["area"]: a for a in body["summary"]}  # type: ignore[union-attr, index]
    assert len(areas) == 4
    (standard,) = [s for s in areas[AREA]["standards"] if s["standard"] == STANDARD]
    return standard


def test_api_assessment_summary_equals_the_answers_submitted(
    client: httpx.Client, tools_service: Service
) -> None:
    values = {1: 4, 2: 2, 3: 5}
    answers = [{"indicator": IND + str(n), "value": v} for n, v in values.items()]
    answers[0]["comment"] = "Urasuunnittelu toimii"
    r = put(client, tools_service, "ysao", "2025-03-01", answers)
    assert r.status_code == 200, r.text
    body = client.get("/api/tools/quality/ysao/2025-03-01").json()
    assert {a["indicator"]: a["value"] for a in body["answers"]} == {
        IND + str(n): v for n, v in values.items()
    }
    assert body["answers"][0]["comment"] == "Urasuunnittelu toimii"
    standard = standard_summary(body)
    assert standard["answered"] == 3 and standard["indicators"] == 4
    assert standard["mean"] == round(fmean(values.values()), 2)
    assert [u["indicator"] for u in body["unanswered"]] == [IND + "4"]
    assert body["previousDate"] is None
    assert client.get("/api/tools/quality/ysao").json()["assessments"] == ["2025-03-01"]

    later = {1: 5, 2: 3, 3: 5, 4: 1}
    r = put(
        client,
        tools_service,
        "ysao",
        "2025-09-01",
        [{"indicator": IND + str(n), "value": v} for n, v in later.items()],
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["previousDate"] == "2025-03-01"
    changes = {c["indicator"]: (c["value"], c["previous"], c["change"]) for c in body["comparison"]}
    assert changes[IND + "1"] == (5, 4, 1)
    assert changes[IND + "4"] == (1, None, None)
    standard = standard_summary(body)
    assert standard["mean"] == round(fmean(later.values()), 2)
    assert standard["previousMean"] == round(fmean(values.values()), 2)
    assert body["unanswered"] == []


def test_api_refusal_names_the_field_and_changes_nothing(
    client: httpx.Client, tools_service: Service
) -> None:
    before = dump_digest(client)
    r = put(client, tools_service, "sakky", "2025-03-01", [{"indicator": IND + "1", "value": 9}])
    assert r.status_code == 422
    problem = r.json()
    assert problem["report"]["violations"] == 1
    field = problem["fields"]["fields"]["value-ohjaus-edistaa-asiakkaan-voimaantumista-1"]
    assert "1\u20135" in field[0]
    assert dump_digest(client) == before
    assert client.get("/api/tools/quality/sakky").json()["assessments"] == []


def test_api_write_needs_the_token(client: httpx.Client) -> None:
    r = client.put("/api/tools/quality/sakky/2025-03-01", json={"answers": []})
    assert r.status_code == 401
    r = client.put(
        "/api/tools/quality/sakky/2025-03-01",
        json={"answers": []},
        headers={"Authorization": "Bearer wrong"},
    )
    assert r.status_code == 403
    client.cookies.set("osaamiskartta_tools", "forged")
    r = client.post("/tools/quality/sakky/2025-03-01", data={})
    assert r.status_code == 403


def test_api_bad_requests_are_4xx(client: httpx.Client, tools_service: Service) -> None:
    assert put(client, tools_service, "nobody", "2025-03-01", []).status_code == 404
    assert put(client, tools_service, "sakky", "2025-13-01", []).status_code == 400
    r = client.put("/api/tools/quality/sakky/2025-03-01", content=b"[1", headers=tools_service.auth)
    assert r.status_code == 400
    r = put(client, tools_service, "sakky", "2025-03-01", [{"indicator": "not an iri", "value": 1}])
    assert r.status_code == 400


def test_form_without_login_keeps_what_was_typed_and_changes_nothing(client: httpx.Client) -> None:
    before = dump_digest(client)
    r = client.post(
        "/tools/quality/isy/2025-04-01",
        data={
            "value-ohjaus-edistaa-asiakkaan-voimaantumista-1": "3",
            "comment-ohjaus-edistaa-asiakkaan-voimaantumista-1": "Kirjoitettu teksti",
        },
    )
    assert r.status_code == 401
    assert "Tallentaminen vaatii kirjautumisen" in r.text
    assert "Kirjoitettu teksti" in r.text
    assert 'value="3" checked' in r.text
    assert dump_digest(client) == before


def test_form_saves_with_a_session_and_resumes(session: httpx.Client) -> None:
    r = session.post(
        "/tools/quality/isy/2025-04-01",
        data={
            "value-ohjaus-edistaa-asiakkaan-voimaantumista-1": "2",
            "comment-ohjaus-edistaa-asiakkaan-voimaantumista-1": "Jatketaan",
            "value-ohjaus-edistaa-asiakkaan-voimaantumista-2": "",
        },
    )
    assert r.status_code == 303
    assert r.headers["location"] == "/tools/quality/isy/2025-04-01?saved=1"
    page = session.get(r.headers["location"])
    assert page.status_code == 200 and "Tallennettu" in page.text
    assert 'name="value-ohjaus-edistaa-asiakkaan-voimaantumista-1" value="2" checked' in page.text
    assert "Jatketaan</textarea>" in page.text
    body = session.get("/api/tools/quality/isy/2025-04-01").json()
    assert body["answers"] == [{"indicator": IND + "1", "value": 2, "comment": "Jatketaan"}]
    # Resuming: a second save of the same date replaces the first.
    r = session.post(
        "/tools/quality/isy/2025-04-01",
        data={
            "value-ohjaus-edistaa-asiakkaan-voimaantumista-1": "2",
            "value-ohjaus-edistaa-asiakkaan-voimaantumista-3": "4",
        },
    )
    assert r.status_code == 303
    body = session.get("/api/tools/quality/isy/2025-04-01").json()
    assert {a["indicator"]: a["value"] for a in body["answers"]} == {IND + "1": 2, IND + "3": 4}
    assert standard_summary(body)["mean"] == 3.0


def test_form_refusal_puts_the_message_by_its_field(session: httpx.Client) -> None:
    before = dump_digest(session)
    r = session.post(
        "/tools/quality/savonia-amk/2025-05-01?lang=en",
        data={
            "comment-ohjaus-edistaa-asiakkaan-voimaantumista-2": "A comment without a value",
            "value-ohjaus-edistaa-asiakkaan-voimaantumista-1": "4",
        },
    )
    assert r.status_code == 422
    text = r.text
    start = text.index('id="err-value-ohjaus-edistaa-asiakkaan-voimaantumista-2"')
    assert "exactly one value (dqv:value), an integer from 1 to 5" in text[start : start + 300]
    assert "A comment without a value</textarea>" in text
    assert 'value="4" checked' in text
    assert dump_digest(session) == before


def test_choose_page_lists_assessments_and_checks_the_date(client: httpx.Client) -> None:
    r = client.get("/tools/quality", params={"organisation": "isy", "date": "2025-02-30"})
    assert r.status_code == 422 and 'id="err-date"' in r.text
    r = client.get("/tools/quality", params={"organisation": "isy", "date": "2025-02-03"})
    assert r.status_code == 303 and r.headers["location"].startswith(
        "/tools/quality/isy/2025-02-03"
    )
    r = client.get("/tools/quality?lang=en")
    assert r.status_code == 200 and "Quality self-assessment" in r.text
