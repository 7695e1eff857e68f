"""Competence maps over HTTP: entries added and edited through the gate (API and form), the
map grouped by kind, the search "who offers competence X in region R", refusals unchanged."""

from __future__ import annotations

import httpx

from tests.conftest import Service
from tests.tools.conftest import ID, dump_digest

REGION = ID + "region/"


def test_entries_are_grouped_and_found_by_competence_and_region(
    client: httpx.Client, tools_service: Service
) -> None:
    auth = tools_service.auth
    r = client.post(
        "/api/tools/competence/ysao/entries",
        json={
            "kind": "tila",
            "label_fi": "Hitsauspaja",
            "label_en": "Welding workshop",
            "sector": ID + "sector/07",
            "new_competences": "Hitsaus, Levytyö",
        },
        headers=auth,
    )
    assert r.status_code == 201, r.text
    assert r.json()["entry"] == "offer/ysao-hitsauspaja"
    r = client.post(
        "/api/tools/competence/ysao/entries",
        json={
            "kind": "hanke",
            "label_fi": "Hitsauksen kehittämishanke",
            "competences": [ID + "competence/hitsaus"],
        },
        headers=auth,
    )
    assert r.status_code == 201, r.text
    groups = client.get("/api/tools/competence/ysao").json()["groups"]
    assert [e["label"] for e in groups["Facility"]] == ["Hitsauspaja"]
    assert {c["label"] for c in groups["Facility"][0]["competences"]} == {"Hitsaus", "Levytyö"}
    assert [e["entry"] for e in groups["Project"]] == [ID + "project/hitsauksen-kehittamishanke"]

    found = client.get(
        "/api/tools/competence/search",
        params={"competence": ID + "competence/hitsaus", "region": REGION + "pohjois-savo"},
    ).json()["results"]
    assert {(x["offer"], x["provider"]) for x in found} == {
        (ID + "offer/ysao-hitsauspaja", ID + "organisation/ysao"),
        (ID + "project/hitsauksen-kehittamishanke", ID + "organisation/ysao"),
    }
    elsewhere = client.get(
        "/api/tools/competence/search",
        params={"competence": ID + "competence/hitsaus", "region": REGION + "varsinais-suomi"},
    ).json()["results"]
    assert elsewhere == []
    anywhere = client.get(
        "/api/tools/competence/search", params={"competence": ID + "competence/hitsaus"}
    ).json()["results"]
    assert {(x["offer"], x["region"]) for x in anywhere} == {
        (ID + "offer/ysao-hitsauspaja", REGION + "pohjois-savo"),
        (ID + "project/hitsauksen-kehittamishanke", REGION + "pohjois-savo"),
    }
    in_region = client.get(
        "/api/tools/competence/search", params={"region": REGION + "pohjois-savo"}
    ).json()["results"]
    assert {x["offer"] for x in anywhere} <= {x["offer"] for x in in_region}
    assert all(x["region"] == REGION + "pohjois-savo" for x in in_region)
    everything = client.get("/api/tools/competence/search")
    assert everything.status_code == 400 and everything.json()["parameter"] == "competence"
    # A page of providers at a time (the unit tests page through several).
    region = {"region": REGION + "pohjois-savo"}
    whole = client.get("/api/tools/competence/search", params=region).json()
    assert (whole["offset"], whole["limit"], whole["providers"], whole["next"]) == (0, 10, 1, None)
    after = client.get("/api/tools/competence/search", params={**region, "offset": "1"}).json()
    assert (after["results"], after["providers"]) == ([], 1)
    for bad in ({"limit": "0"}, {"limit": "101"}, {"offset": "-1"}, {"offset": "x"}):
        r = client.get("/api/tools/competence/search", params={**region, **bad})
        assert r.status_code == 400 and r.json()["parameter"] in bad, r.text
    form = client.get("/tools/competence")
    assert form.status_code == 200 and "Valitse osaaminen, maakunta tai molemmat." in form.text
    page = client.get(
        "/tools/competence",
        params={"competence": ID + "competence/hitsaus", "region": REGION + "pohjois-savo"},
    )
    assert page.status_code == 200 and "Hitsauspaja" in page.text
    assert "Tarjoajat 1\u20131 / 1" in page.text and 'rel="next"' not in page.text
    # A second provider in the region: a page of one provider links to the next.
    r = client.post(
        "/api/tools/competence/savonia-amk/entries",
        json={
            "kind": "tila",
            "label_fi": "Hitsauslaboratorio",
            "competences": [ID + "competence/hitsaus"],
        },
        headers=auth,
    )
    assert r.status_code == 201, r.text
    first = client.get("/tools/competence", params={**region, "limit": "1"})
    assert "Tarjoajat 1\u20131 / 2" in first.text
    assert 'rel="next" href="/tools/competence?offset=1&amp;' in first.text
    second = client.get("/api/tools/competence/search", params={**region, "limit": "1"}).json()
    assert second["providers"] == 2 and second["next"] is not None
    last = client.get(second["next"]).json()
    assert last["offset"] == 1 and last["next"] is None
    assert {x["provider"] for x in second["results"] + last["results"]} == {
        ID + "organisation/savonia-amk",
        ID + "organisation/ysao",
    }


def test_refused_entry_names_the_field_and_changes_nothing(
    client: httpx.Client, tools_service: Service
) -> None:
    before = dump_digest(client)
    r = client.post(
        "/api/tools/competence/sakky/entries",
        json={"kind": "laite", "label_fi": "Sorvi", "sector": ID + "organisation/sakky"},
        headers=tools_service.auth,
    )
    assert r.status_code == 422
    assert r.json()["report"]["results"][0]["shape"].endswith("#CompetenceMapItem-sector")
    assert r.json()["fields"]["fields"]["sector"], r.json()["fields"]  # as the form places it
    assert dump_digest(client) == before
    r = client.post(
        "/api/tools/competence/sakky/entries", json={"kind": "x"}, headers=tools_service.auth
    )
    assert r.status_code == 400
    assert client.get("/api/tools/competence/nobody").status_code == 404
    assert dump_digest(client) == before


def test_form_adds_and_edits_an_entry_and_keeps_a_refused_one(session: httpx.Client) -> None:
    r = session.post(
        "/tools/competence/sakky/entries",
        data={
            "kind": "koulutus",
            "label_fi": "Lähihoitajan täydennyskoulutus",
            "sector": ID + "sector/09",
            "new_competences": "Kotihoito",
        },
    )
    assert r.status_code == 303, r.text
    path = "/tools/competence/sakky/entries/offer/sakky-lahihoitajan-taydennyskoulutus"
    edit = session.get(path)
    assert edit.status_code == 200 and 'value="Lähihoitajan täydennyskoulutus"' in edit.text
    r = session.post(
        path,
        data={
            "kind": "koulutus",
            "label_fi": "Lähihoitajan täydennyskoulutus",
            "label_en": "Further training for practical nurses",
            "sector": ID + "sector/09",
            "competences": ID + "competence/kotihoito",
        },
    )
    assert r.status_code == 303
    entry = session.get("/api/tools/competence/sakky").json()["groups"]["Training"][0]
    assert entry["competences"] == [
        {"competence": ID + "competence/kotihoito", "label": "Kotihoito"}
    ]

    before = dump_digest(session)
    r = session.post(
        path,
        data={
            "kind": "koulutus",
            "label_fi": "",
            "label_en": "Only English now",
            "sector": ID + "sector/09",
        },
    )
    assert r.status_code == 422
    start = r.text.index('id="err-label_fi"')
    assert "suomenkielinen skos:prefLabel" in r.text[start : start + 300]
    assert 'value="Only English now"' in r.text
    assert dump_digest(session) == before
    # Entries the tool did not make are not edited here.
    assert session.get("/tools/competence/sakky/entries/offer/unknown").status_code == 404
