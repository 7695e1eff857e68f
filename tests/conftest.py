"""Shared fixtures: start the real service with uvicorn in a subprocess on a loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXTERNAL = REPO.parent / "shared" / "external"
TOKEN = "test-write-token"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Service:
    """A running service process and how to reach it."""

    url: str
    process: subprocess.Popen[bytes]
    store: str
    log: Path
    token: str | None
    env: dict[str, str] = field(default_factory=dict)

    @property
    def auth(self) -> dict[str, str]:
        """Headers that authorise a write."""
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def update(self, text: str, timeout: float = 60.0) -> httpx.Response:
        """POST a SPARQL update to /update with the write token."""
        return httpx.post(
            f"{self.url}/update",
            content=text,
            headers={"Content-Type": "application/sparql-update", **self.auth},
            timeout=timeout,
        )

    def put_graph(
        self, graph: str, body: bytes, media_type: str = "application/n-triples"
    ) -> httpx.Response:
        """PUT ``body`` as the graph ``graph`` through the Graph Store with the write token."""
        return httpx.put(
            f"{self.url}/data",
            params={"graph": graph},
            content=body,
            headers={"Content-Type": media_type, **self.auth},
            timeout=120,
        )

    def stop(self) -> None:
        """Stop the process (gracefully, so a disk store is flushed)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def start_service(
    workdir: Path,
    *,
    store: str = "memory",
    token: str | None = TOKEN,
    load_dirs: Sequence[Path] = (),
    env: Mapping[str, str] | None = None,
    timeout: float = 30.0,
) -> Service:
    """Start ``osaamiskartta serve`` (uvicorn) on a free 127.0.0.1 port and wait until it
    answers. Settings come from ``OSAAMISKARTTA_*`` variables; none leak in from outside."""
    port = free_port()
    child_env = {k: v for k, v in os.environ.items() if not k.startswith("OSAAMISKARTTA_")}
    child_env.update(
        {
            "OSAAMISKARTTA_HOST": "127.0.0.1",
            "OSAAMISKARTTA_PORT": str(port),
            "OSAAMISKARTTA_STORE": store,
            "OSAAMISKARTTA_LOAD_DIRS": " ".join(str(d) for d in load_dirs) or "none",
            "OSAAMISKARTTA_LOG_LEVEL": "warning",
        }
    )
    if token:
        child_env["OSAAMISKARTTA_WRITE_TOKEN"] = token
    child_env.update(env or {})
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / f"service-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "serve"],
            cwd=REPO,
            env=child_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    service = Service(url, process, store, log, token, child_env)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the service exited early:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/health", timeout=1.0).status_code == 200:
                return service
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    service.stop()
    raise RuntimeError(f"the service did not start in {timeout} s:\n{log.read_text()}")


@pytest.fixture
def service_factory(tmp_path: Path) -> Iterator[object]:
    """``start(**options)`` starts a service that is stopped after the test."""
    started: list[Service] = []

    def start(**options: object) -> Service:
        service = start_service(tmp_path, **options)  # type: ignore[arg-type]
        started.append(service)
        return service

    yield start
    for service in started:
        service.stop()


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """One service per test module: memory store with the fixture graphs, writes allowed."""
    running = start_service(tmp_path_factory.mktemp("service"), load_dirs=[FIXTURES / "graphs"])
    yield running
    running.stop()
