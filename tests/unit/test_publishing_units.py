"""Unit tests of the publishing helpers: language choice, links, HTTP validators, layout."""

from __future__ import annotations

import pyoxigraph as ox
from starlette.datastructures import Headers

from service.publishing.labels import LabelSet, choose_language
from service.publishing.layout import may_change_shapes
from service.publishing.links import Links
from service.publishing.version import DataVersion, VersionedMemo
from service.routes.caching import etag_for, not_modified
from service.store.base import GraphChange
from service.writes import GraphWrite, SparqlUpdate

BASE = "https://w3id.org/osaamiskartta/"


def test_lang_parameter_wins_over_accept_language() -> None:
    assert choose_language("en-GB,en;q=0.9", "fi") == "fi"
    assert choose_language("sv,en;q=0.5,fi;q=0.4", None) == "en"
    assert choose_language("de", None) == "fi"
    assert choose_language(None, "xx") == "fi"


def test_label_falls_back_to_the_other_language_then_untagged() -> None:
    labels = LabelSet()
    labels.add(ox.Literal("verkosto", language="fi"))
    assert labels.pick("en") == "verkosto"
    plain = LabelSet()
    plain.add(ox.Literal("JORY"))
    assert plain.pick("fi") == "JORY"


def test_links_keep_browsing_on_the_service_and_keep_a_chosen_language() -> None:
    links = Links(BASE, "en")
    assert links.href(f"{BASE}id/network/jory") == "/doc/network/jory?lang=en"
    assert links.href(f"{BASE}ontology#Network") == "/ontology?lang=en#Network"
    assert links.href("http://example.org/x") == "http://example.org/x"


def test_etag_differs_by_version_and_representation() -> None:
    version = DataVersion(clock=1_700_000_000.0)
    v0 = version.current
    html = etag_for(v0, Headers({"content-type": "text/html", "content-language": "fi"}))
    turtle = etag_for(v0, Headers({"content-type": "text/turtle"}))
    assert html != turtle
    assert etag_for(version.bump(), Headers({"content-type": "text/turtle"})) != turtle


def test_a_versioned_memo_forgets_at_a_write_and_never_keeps_a_stale_answer() -> None:
    version = DataVersion(clock=1_700_000_000.0)
    memo: VersionedMemo[str, bool] = VersionedMemo(version, size=2)
    asked_at = memo.now()
    memo.put("a", True, asked_at)
    assert memo.get("a") is True
    version.bump()
    assert memo.get("a") is None
    # Learnt before the write, handed in after it: it may already be wrong, so it is dropped.
    memo.put("b", False, asked_at)
    assert memo.get("b") is None
    now = memo.now()
    for key in ("c", "d", "e"):
        memo.put(key, True, now)
    assert [memo.get(k) for k in ("c", "d", "e")] == [None, True, True]


def test_conditional_headers_decide_not_modified() -> None:
    v = DataVersion(clock=1_700_000_000.0).current
    etag = etag_for(v, Headers({"content-type": "text/turtle"}))
    assert not_modified(Headers({"if-none-match": etag}), etag, v)
    assert not_modified(Headers({"if-none-match": f'"x", {etag.removeprefix("W/")}'}), etag, v)
    assert not not_modified(Headers({"if-none-match": '"other"'}), etag, v)
    assert not_modified(Headers({"if-modified-since": v.http_date}), etag, v)
    assert not not_modified(
        Headers({"if-modified-since": "Mon, 01 Jan 2001 00:00:00 GMT"}), etag, v
    )


def test_only_writes_that_may_touch_shapes_refresh_the_layout() -> None:
    triple = ox.Triple(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/b"), ox.Literal("c"))
    addition = GraphWrite((GraphChange("http://e/g", (triple,), replace=False),))
    assert not may_change_shapes(addition)
    assert may_change_shapes(GraphWrite((GraphChange("http://e/g", (triple,)),)))
    assert may_change_shapes(SparqlUpdate("CLEAR ALL"))
