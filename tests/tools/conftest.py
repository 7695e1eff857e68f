"""One service for all the tools' tests: the published graph with writes allowed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import TOKEN, Service
from tests.published import start_published

ID = "https://w3id.org/osaamiskartta/id/"


@pytest.fixture(scope="package")
def tools_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    running = start_published(tmp_path_factory.mktemp("tools"))
    yield running
    running.stop()


@pytest.fixture
def client(tools_service: Service) -> Iterator[httpx.Client]:
    """A client without a session."""
    with httpx.Client(base_url=tools_service.url, timeout=30.0) as c:
        yield c


@pytest.fixture
def session(tools_service: Service) -> Iterator[httpx.Client]:
    """A browser-like client that logged in with the write token (session cookie)."""
    with httpx.Client(base_url=tools_service.url, timeout=30.0) as c:
        r = c.post("/tools/login", data={"token": TOKEN, "next": "/tools/"})
        assert r.status_code == 303 and r.headers["location"] == "/tools/"
        yield c


def dump_digest(client: httpx.Client) -> str:
    """SHA-256 of the whole store as the service dumps it."""
    r = client.get("/data", headers={"Accept": "application/n-quads"})
    assert r.status_code == 200
    return hashlib.sha256(r.content).hexdigest()
