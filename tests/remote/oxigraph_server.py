"""A real Oxigraph server (the `oxigraph` command from PyPI) for the tests: a standard SPARQL
1.1 engine with no way to name a stored blank node, on a loopback port in a directory of its
own, its default graph the union of all graphs."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.conftest import free_port


@dataclass
class OxigraphServer:
    """A running server and its endpoints."""

    directory: Path
    port: int
    process: subprocess.Popen[bytes]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base}/update"

    @property
    def graph_store_url(self) -> str:
        return f"{self.base}/store"

    def log(self) -> str:
        path = self.directory / "oxigraph.log"
        return path.read_text(errors="replace") if path.exists() else "(no log)"

    def stop(self) -> None:
        """Stop the server (its store is on disk and consistent after each write)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def _binary() -> str:
    # pip installs it next to the interpreter running the tests (the `test` extra).
    path = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
        "oxigraph"
    )
    if path is None:
        raise RuntimeError("the oxigraph command is missing: pip install -e '.[test]'")
    return path


def start_oxigraph_server(directory: Path, timeout: float = 30) -> OxigraphServer:
    """A fresh server with its store in ``directory``, answering queries."""
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with (directory / "oxigraph.log").open("wb") as log:
        process = subprocess.Popen(
            [
                _binary(),
                "serve",
                "--location",
                str(directory / "store"),
                "--bind",
                f"127.0.0.1:{port}",
                "--union-default-graph",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = OxigraphServer(directory, port, process)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Oxigraph server exited early:\n{server.log()}")
        try:
            r = httpx.get(server.query_url, params={"query": "ASK {}"}, timeout=2.0)
            if r.status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"the Oxigraph server did not answer in {timeout} s:\n{server.log()}")
