"""The forum tracker over HTTP: forums created and their outputs recorded through the gate, a
phase change refused with the reasons (store unchanged) until the forum has what the new phase
requires, then accepted; the same through the forms."""

from __future__ import annotations

import httpx

from tests.conftest import Service
from tests.tools.conftest import ID, dump_digest

PHASE = ID + "lifecycle-phase/"
OUTPUT = ID + "forum-output/"
OKS = "https://w3id.org/osaamiskartta/shapes#"


def test_api_phase_change_is_refused_until_the_forum_has_what_the_phase_requires(
    client: httpx.Client, tools_service: Service
) -> None:
    auth = tools_service.auth
    r = client.post(
        "/api/tools/forums",
        json={
            "label_fi": "Metsäalan foorumi",
            "label_en": "Forestry forum",
            "sector": ID + "sector/08",
        },
        headers=auth,
    )
    assert r.status_code == 201, r.text
    forum = r.json()
    assert forum["phase"] == PHASE + "perustaminen"
    assert set(forum["lacks"]) == {OUTPUT + "tavoitteet", OUTPUT + "nimetyt-jasenet"}
    url = "/api/tools/forums/metsaalan-foorumi"

    before = dump_digest(client)
    r = client.put(
        url + "/phase", json={"phase": PHASE + "toimintamallin-rakentaminen"}, headers=auth
    )
    assert r.status_code == 422
    shapes = {result["shape"] for result in r.json()["report"]["results"]}
    assert shapes == {
        OKS + "ForumHasGoals",
        OKS + "ForumHasAppointedMembers",
        OKS + "ForumHasRules",
        OKS + "ForumHasCompetenceMap",
    }
    assert r.json()["fields"]["fields"]["phase"], r.json()["fields"]  # as the form places it
    assert dump_digest(client) == before

    outputs = [
        {"kind": "tavoitteet", "label_fi": "Metsäosaamisen kehittäminen"},
        {"kind": "nimetyt-jasenet", "organisation": ID + "organisation/sakky"},
        {"kind": "pelisaannot", "label_fi": "Metsäfoorumin pelisäännöt"},
    ]
    for output in outputs:
        r = client.post(url + "/outputs", json=output, headers=auth)
        assert r.status_code == 200, r.text
    assert client.get(url).json()["lacks"] == []
    r = client.put(
        url + "/phase", json={"phase": PHASE + "toimintamallin-rakentaminen"}, headers=auth
    )
    assert r.status_code == 422
    assert [x["shape"] for x in r.json()["report"]["results"]] == [OKS + "ForumHasCompetenceMap"]

    r = client.post(
        url + "/outputs",
        json={"kind": "osaamiskartta", "label_fi": "Metsäfoorumin osaamiskartta"},
        headers=auth,
    )
    assert r.status_code == 200
    r = client.put(
        url + "/phase", json={"phase": PHASE + "toimintamallin-rakentaminen"}, headers=auth
    )
    assert r.status_code == 200, r.text
    moved = r.json()
    assert moved["phase"] == PHASE + "toimintamallin-rakentaminen" and moved["lacks"] == []
    assert {o["kind"] for o in moved["nextRequires"]} == {OUTPUT + "toimintasuunnitelma"}
    listed = {f["forum"]: f for f in client.get("/api/tools/forums").json()["forums"]}
    assert listed[ID + "network/metsaalan-foorumi"]["position"] == 2


def test_api_mistakes_are_4xx_and_change_nothing(
    client: httpx.Client, tools_service: Service
) -> None:
    auth = tools_service.auth
    before = dump_digest(client)
    assert client.get("/api/tools/forums/nothing-here").status_code == 404
    r = client.post(
        "/api/tools/forums/nothing-here/outputs", json={"kind": "tavoitteet"}, headers=auth
    )
    assert r.status_code == 404
    r = client.post("/api/tools/forums", json={"label_fi": "Ilman toimialaa"}, headers=auth)
    assert r.status_code == 422
    assert r.json()["report"]["results"][0]["shape"] == OKS + "SectorForum-sector"
    assert r.json()["fields"]["fields"]["sector"], r.json()["fields"]
    r = client.post("/api/tools/forums", content=b"[]", headers=auth)
    assert r.status_code == 400
    r = client.post(
        "/api/tools/forums", json={"label_fi": "X", "sector": "not an iri"}, headers=auth
    )
    assert r.status_code == 400
    assert client.post("/api/tools/forums", json={"label_fi": "Y"}).status_code == 401
    assert dump_digest(client) == before


def test_form_phase_change_refused_with_reasons_by_the_button(
    session: httpx.Client, client: httpx.Client
) -> None:
    r = session.post(
        "/tools/forums",
        data={
            "label_fi": "Matkailun foorumi",
            "label_en": "Tourism forum",
            "sector": ID + "sector/10",
        },
    )
    assert r.status_code == 303
    assert r.headers["location"] == "/tools/forums/matkailun-foorumi?saved=1"
    page = session.get("/tools/forums/matkailun-foorumi")
    assert page.status_code == 200 and "Matkailun foorumi" in page.text
    before = dump_digest(session)
    r = session.post(
        "/tools/forums/matkailun-foorumi/phase",
        data={"phase": PHASE + "toimintamallin-rakentaminen"},
    )
    assert r.status_code == 422
    start = r.text.index('id="err-phase"')
    reasons = r.text[start : r.text.index("</ul>", start)]
    assert (
        "pelisäännöt (ok:hasRules)" in reasons and "osaamiskartta (ok:hasCompetenceMap)" in reasons
    )
    assert dump_digest(session) == before
    assert client.get("/api/tools/forums/matkailun-foorumi").json()["position"] == 1
    # Without a session the same post is refused before the gate is asked.
    r = client.post(
        "/tools/forums/matkailun-foorumi/phase",
        data={"phase": PHASE + "toimintamallin-rakentaminen"},
    )
    assert r.status_code == 401 and "Tallentaminen vaatii kirjautumisen" in r.text


def test_form_output_refusal_keeps_the_typed_values(session: httpx.Client) -> None:
    r = session.post(
        "/tools/forums", data={"label_fi": "Rakentamisen foorumi", "sector": ID + "sector/07"}
    )
    assert r.status_code == 303
    before = dump_digest(session)
    r = session.post(
        "/tools/forums/rakentamisen-foorumi/outputs?lang=en",
        data={
            "kind": "toimintasuunnitelma",
            "label_fi": "Rakentamisen suunnitelma",
            "organisation": "",
        },
    )
    assert r.status_code == 422
    start = r.text.index('id="err-organisation"')
    assert "responsible actor" in r.text[start : start + 400]
    assert 'value="Rakentamisen suunnitelma"' in r.text
    assert '<option value="toimintasuunnitelma" selected>' in r.text
    assert dump_digest(session) == before
    r = session.post(
        "/tools/forums",
        data={"label_fi": "Rakentamisen foorumi", "sector": ID + "sector/07"},
    )
    assert r.status_code == 400 and 'id="err-label_fi"' in r.text


def test_overview_page_shows_each_forum_and_what_it_lacks(client: httpx.Client) -> None:
    r = client.get("/tools/forums?lang=en")
    assert r.status_code == 200
    assert "Sector forums" in r.text and "New sector forum" in r.text
