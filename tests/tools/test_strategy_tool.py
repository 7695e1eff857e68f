"""Strategy alignment over HTTP: the tree of goals by their supports links with measures and
actors, gaps equal to the named reports, and the CSV export."""

from __future__ import annotations

import csv
import io

import httpx

from tests.tools.conftest import ID


def test_tree_puts_regional_goal_2_under_national_goal_3_with_its_measures(
    client: httpx.Client,
) -> None:
    body = client.get("/api/tools/strategy").json()
    roots = {g["goal"]: g for g in body["tree"]}
    national = roots[ID + "goal/kansallinen-elo-3"]
    assert [g["goal"] for g in national["refinedBy"]] == [ID + "goal/kansallinen-elo-3-tarkennettu"]
    (regional,) = national["supportedBy"]
    assert regional["goal"] == ID + "goal/pohjois-savo-elo-2"
    actors = {a["actor"] for m in regional["measures"] for a in m["responsibleActors"]}
    assert ID + "organisation/pohjois-savon-ely-keskus" in actors
    assert len(regional["measures"]) == 2
    levels = [s["level"].rsplit("/", 1)[-1] for s in body["strategies"]]
    assert levels == ["eu", "kansallinen", "maakunnallinen"]


def test_gaps_equal_the_named_reports(client: httpx.Client) -> None:
    body = client.get("/api/tools/strategy").json()
    report = client.get("/api/queries/goals-supporting-nothing").json()
    assert sorted(body["gaps"]["goalsSupportingNothing"]) == sorted(
        r["goal"] for r in report["records"]
    )
    measures = client.get("/api/queries/measures-without-responsible-actor").json()
    assert sorted(body["gaps"]["measuresWithoutResponsibleActor"]) == sorted(
        r["measure"] for r in measures["records"]
    )
    assert ID + "goal/pohjois-savo-elo-1" in body["gaps"]["goalsSupportingNothing"]


def test_csv_export_has_a_row_per_goal_measure_and_actor(client: httpx.Client) -> None:
    r = client.get("/api/tools/strategy.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    by_goal = {}
    for row in rows:
        by_goal.setdefault(row["goal"], []).append(row)
    assert {row["gap"] for row in by_goal[ID + "goal/pohjois-savo-elo-1"]} == {"supports-nothing"}
    goal2 = by_goal[ID + "goal/pohjois-savo-elo-2"]
    assert len(goal2) == 5  # two measures: three and two responsible actors
    assert {row["supports"] for row in goal2} == {ID + "goal/kansallinen-elo-3"}
    assert "Pohjois-Savon ELY-keskus" in {row["responsibleActorLabel"] for row in goal2}


def test_page_shows_the_tree_and_the_gaps_in_both_languages(client: httpx.Client) -> None:
    r = client.get("/tools/strategy")
    assert r.status_code == 200
    assert "Tavoitteet, jotka eivät tue mitään" in r.text
    assert 'class="gap-goals"' in r.text
    r = client.get("/tools/strategy?lang=en")
    assert "Goals that support nothing" in r.text
    assert "Those who do guidance work have the competence their tasks require" in r.text
