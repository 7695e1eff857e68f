"""The dumps, statistics and counts are recomputed in the background after a write: readers
are answered at once with the newest ones built, whose validators say which data they show, and
a broken-off download goes on with a range request."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from rdflib import Graph, Namespace

from tests.conftest import Service, start_service
from tests.published import LOAD_DIRS

SPDX = Namespace("http://spdx.org/rdf/terms#")
VOID = Namespace("http://rdfs.org/ns/void#")
TRIPLES = 20_000  # enough that building the dumps takes a while (about 0.2 s)


@pytest.fixture(scope="module")
def impatient(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """The published graph, with readers that never wait for a summary to be recomputed."""
    running = start_service(
        tmp_path_factory.mktemp("summaries"),
        load_dirs=LOAD_DIRS,
        env={"OSAAMISKARTTA_PUBLISHING_WAIT": "0"},
    )
    yield running
    running.stop()


def poll(service: Service, path: str, done: Callable[[httpx.Response], bool]) -> httpx.Response:
    """GET ``path`` (as JSON where it can be) until ``done`` says the answer will do."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        r = httpx.get(f"{service.url}{path}", headers={"Accept": "application/json"})
        if r.status_code == 503:  # the first computation since the start: not ready yet
            assert int(r.headers["retry-after"]) >= 1
        else:
            assert r.status_code == 200, r.text
            if done(r):
                return r
        time.sleep(0.2)
    raise AssertionError(f"{path} did not get there")


def ready(service: Service, path: str) -> httpx.Response:
    return poll(service, path, lambda r: True)


def changed(service: Service, path: str, before: httpx.Response) -> httpx.Response:
    return poll(service, path, lambda r: r.headers["etag"] != before.headers["etag"])


def current(service: Service, path: str) -> httpx.Response:
    """``path`` once it shows the current data version (that of a page read from the store)."""
    page = httpx.get(f"{service.url}/doc/network/jory", headers={"Accept": "text/turtle"})
    version = page.headers["etag"].rsplit("-", 1)[0] + "-"  # W/"{boot}-{counter}-
    return poll(service, path, lambda r: r.headers["etag"].startswith(version))


def test_a_dump_file_has_a_strong_etag_for_conditional_and_range_requests(
    impatient: Service,
) -> None:
    index = ready(impatient, "/dumps/").json()
    entry = next(d for d in index["dumps"] if d["name"] == "osaamiskartta.ttl")
    url = f"{impatient.url}/dumps/osaamiskartta.ttl"
    whole = httpx.get(url)
    etag = whole.headers["etag"]
    assert not etag.startswith("W/") and entry["sha256"][:32] in etag
    assert (
        whole.headers["last-modified"]
        == httpx.get(f"{impatient.url}/dumps/").headers["last-modified"]
    )
    assert httpx.get(url, headers={"If-None-Match": etag}).status_code == 304
    part = httpx.get(url, headers={"Range": "bytes=100-199", "If-Range": etag})
    assert part.status_code == 206 and part.content == whole.content[100:200]
    assert part.headers["etag"] == etag
    changed = httpx.get(url, headers={"Range": "bytes=100-199", "If-Range": '"sha256-0"'})
    assert changed.status_code == 200 and changed.content == whole.content


def test_after_a_write_the_previous_dumps_are_served_until_the_new_ones_are_built(
    impatient: Service,
) -> None:
    before = ready(impatient, "/dumps/")
    body = "\n".join(
        f'<https://example.org/s{i}> <https://example.org/p> "arvo {i}" .' for i in range(TRIPLES)
    )
    put = impatient.put_graph("https://example.org/summaries-test", body.encode())
    assert put.status_code in (201, 204), put.text
    # The first reader after the write sets the build going and gets the dumps built before.
    stale = httpx.get(f"{impatient.url}/dumps/", headers={"Accept": "application/json"})
    assert stale.headers["etag"] == before.headers["etag"]
    assert stale.headers["last-modified"] == before.headers["last-modified"]
    assert stale.json() == before.json()

    fresh = changed(impatient, "/dumps/", stale)
    assert fresh.headers["etag"] != before.headers["etag"]
    assert fresh.json()["triples"] == before.json()["triples"] + TRIPLES
    for entry in fresh.json()["dumps"]:
        content = httpx.get(entry["url"]).content
        assert hashlib.sha256(content).hexdigest() == entry["sha256"]

    # The catalog comes to describe the same files.
    wanted = {d["sha256"] for d in fresh.json()["dumps"]}
    catalog = poll(impatient, "/catalog", lambda r: checksums(r.text) == wanted)
    if "+" in catalog.headers["etag"]:  # the statistics are still those of before the write
        assert "last-modified" not in catalog.headers
    catalog = current(impatient, "/catalog")
    assert checksums(catalog.text) == wanted and catalog.headers["last-modified"]


def checksums(catalog: str) -> set[str]:
    graph = Graph().parse(data=catalog, format="json-ld")
    return {str(v) for v in graph.objects(None, SPDX.checksumValue)}


def test_void_comes_to_count_a_write(impatient: Service) -> None:
    before = current(impatient, "/.well-known/void")
    put = impatient.put_graph(
        "https://example.org/summaries-void",
        b'<https://example.org/x> <https://example.org/p> "x" .',
    )
    assert put.status_code in (201, 204)
    after = changed(impatient, "/.well-known/void", before)
    assert triples(after.text) == triples(before.text) + 1
    page = ready(impatient, "/")
    assert "kolmikkoa" in page.text


def triples(void: str) -> int:
    graph = Graph().parse(data=void, format="json-ld")
    return max(int(v) for v in graph.objects(None, VOID.triples))
