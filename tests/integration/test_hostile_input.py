"""The hostile corpus against the live service: 4xx or a correct answer, no 5xx, no hang, and
the store unchanged; then cut-off connections; then schemathesis over the protocol paths."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.conftest import Service
from tests.hostile.corpus import CASES, Case


def dump(service: Service) -> str:
    return httpx.get(f"{service.url}/data", headers={"Accept": "application/n-quads"}).text


@pytest.fixture(scope="module")
def before(service: Service) -> str:
    return dump(service)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_request_gets_a_client_error_or_an_answer(
    service: Service, before: str, case: Case
) -> None:
    headers = {**case.headers, **(service.auth if case.write else {})}
    r = httpx.request(
        case.method,
        f"{service.url}{case.path}",
        params=case.params,
        headers=headers,
        content=case.body,
        timeout=60,  # no hang
    )
    assert r.status_code < 500, (r.status_code, r.text[:500])
    if r.status_code >= 400 and r.request.method != "HEAD" and r.content:
        assert r.headers["content-type"].split(";")[0] in (
            "application/problem+json",
            "text/html",
            "text/turtle",
            "application/json",
        ), r.headers["content-type"]
    assert httpx.get(f"{service.url}/health").status_code == 200  # still alive
    assert dump(service) == before  # nothing changed


def _raw(service: Service, request: bytes) -> bytes:
    host, port = service.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(request)
        s.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_cut_off_bodies_and_garbage_do_not_hurt_the_service(service: Service, before: str) -> None:
    auth = f"Authorization: Bearer {service.token}\r\n".encode()
    requests = [
        b"PUT /data?graph=http://e/cut HTTP/1.1\r\nHost: x\r\nContent-Type: text/turtle\r\n"
        + auth
        + b"Content-Length: 1000\r\n\r\n<http://e/a> <http://e/p> 1 .",
        b"POST /update HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-update\r\n"
        + auth
        + b"Content-Length: 500\r\n\r\nINSERT DATA { <http://e/a> <http://e/p> 1 }",
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        b"Content-Type: application/sparql-query\r\n\r\n5\r\nASK {",
        b"GET /sparql?query=%ZZ HTTP/1.1\r\nHost: x\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64,  # a TLS hello
        b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-Long: " + b"a" * 70_000 + b"\r\n\r\n",
    ]
    logged = service.log.stat().st_size
    for request in requests:
        answer = _raw(service, request)
        status = answer.split(b" ", 2)[1] if answer.startswith(b"HTTP/1.1 ") else b""
        assert not status.startswith(b"5"), answer[:300]
    assert httpx.get(f"{service.url}/health").status_code == 200
    # A body cut short is the client's doing: no server error in the log, not even one the
    # client went away before it could read.
    with service.log.open("rb") as log:
        log.seek(logged)
        lines = log.read().decode("utf-8", "replace")
    assert "Traceback" not in lines and '"status": 500' not in lines, lines[-2000:]
    assert dump(service) == before


def test_schemathesis_finds_no_server_error_in_the_protocol_paths(
    service: Service, tmp_path: Path
) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "run",
            f"{service.url}/openapi.json",
            "--checks",
            "not_a_server_error",
            "--exclude-path-regex",
            "^/api/queries",
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            "8",
            "--seed",
            "7",
            "--request-timeout",
            "20",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert " generated, " in run.stdout
