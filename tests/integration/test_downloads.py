"""GET /data sends graphs and the whole store while it serialises them, from a snapshot taken
when the request starts: writes go on meanwhile, and clients that leave free the writer."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import Service, start_service

BIG = "http://example.org/graph/big"
LATER = "http://example.org/graph/later"
TRIPLES = 60_000  # some 5 MB of N-Quads: more than the socket and the stream's chunks hold


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    running = start_service(tmp_path_factory.mktemp("downloads"))
    body = "".join(
        f'<http://example.org/s{i}> <http://example.org/label> "nimi numero {i}" .\n'
        for i in range(TRIPLES)
    )
    r = httpx.put(
        f"{running.url}/data",
        params={"graph": BIG},
        content=body.encode(),
        headers={"Content-Type": "application/n-triples", **running.auth},
        timeout=120,
    )
    assert r.status_code == 201, r.text
    yield running
    running.stop()


def test_a_download_is_sent_from_its_start_while_a_write_goes_on(big: Service) -> None:
    with httpx.stream(
        "GET", f"{big.url}/data", headers={"Accept": "application/n-quads"}, timeout=60
    ) as download:
        assert download.status_code == 200
        assert download.headers["content-type"].startswith("application/n-quads")
        # Sent while it is written: chunked, its length unknown when the headers went out.
        assert download.headers["transfer-encoding"] == "chunked"
        assert "content-length" not in download.headers
        chunks = download.iter_bytes()
        first = next(chunks)
        # The download is still open, far from its end; a write is not held up by it.
        r = httpx.put(
            f"{big.url}/data",
            params={"graph": LATER},
            content=b'<http://example.org/x> <http://example.org/label> "later" .',
            headers={"Content-Type": "application/n-triples", **big.auth},
            timeout=10,
        )
        assert r.status_code == 201, r.text
        body = first + b"".join(chunks)
    lines = body.decode().splitlines()
    assert sum(line.endswith(f"<{BIG}> .") for line in lines) == TRIPLES
    assert not any(line.endswith(f"<{LATER}> .") for line in lines)  # a snapshot at the start
    after = httpx.get(f"{big.url}/data", params={"graph": LATER}, timeout=60)
    assert after.status_code == 200 and b"later" in after.content


def test_clients_that_leave_mid_download_free_the_writers(big: Service) -> None:
    for _ in range(5):  # more than the threads that write downloads
        with httpx.stream("GET", f"{big.url}/data", timeout=60) as download:
            assert download.status_code == 200
            next(download.iter_bytes())
    whole = httpx.get(f"{big.url}/data", params={"graph": BIG}, timeout=60)
    assert whole.status_code == 200
    assert whole.content.count(b"\n") == TRIPLES
    head = httpx.head(f"{big.url}/data", params={"graph": BIG}, headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"].startswith("text/turtle")
    missing = httpx.get(f"{big.url}/data", params={"graph": "http://example.org/none"})
    assert missing.status_code == 404
