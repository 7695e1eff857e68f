"""A real Virtuoso Open Source for the tests: started on loopback ports in a directory of its
own with its own virtuoso.ini, never the system service.

Creating a Virtuoso database takes half a minute, starting one that exists a few seconds; so
the first run creates a template database under var/ and every run starts from a copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.conftest import REPO, free_port

INI = Path(__file__).with_name("virtuoso.ini")
TEMPLATE = REPO / "var" / "virtuoso-template"
# The database's administrator, as Virtuoso creates it; the instance listens on loopback only
# and lives as long as the test session.
USER, PASSWORD = "dba", "dba"


@dataclass
class Virtuoso:
    """A running instance and its endpoints."""

    directory: Path
    http_port: int
    sql_port: int
    process: subprocess.Popen[bytes]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def query_url(self) -> str:
        """The anonymous, read-only SPARQL endpoint."""
        return f"{self.base}/sparql"

    @property
    def update_url(self) -> str:
        """The endpoint that takes updates, behind digest authentication."""
        return f"{self.base}/sparql-auth"

    @property
    def graph_store_url(self) -> str:
        """The Graph Store Protocol endpoint, behind digest authentication."""
        return f"{self.base}/sparql-graph-crud-auth"

    def log(self) -> str:
        path = self.directory / "virtuoso.log"
        return path.read_text(errors="replace") if path.exists() else "(no log)"

    def stop(self) -> None:
        """Shut the server down cleanly (a checkpoint, then exit), or kill it."""
        if self.process.poll() is not None:
            return
        try:
            # A shutdown waits for the work under way; a service stopped in the middle of a
            # write's follow-up requests can leave Virtuoso busy past isql's time limit.
            _isql(self.sql_port, "shutdown;")
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def _binary(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} is missing: run `make virtuoso` (Debian's virtuoso-opensource)")
    return path


def isql(sql_port: int, statements: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """Run SQL statements through isql as the administrator; its output, unchecked (isql
    reports a failed statement in its output, not in its exit status)."""
    return subprocess.run(
        [_binary("isql-vt"), f"127.0.0.1:{sql_port}", USER, PASSWORD, f"exec={statements}"],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _isql(sql_port: int, statements: str) -> None:
    isql(sql_port, statements)


def launch(directory: Path, timeout: float = 60, ini: Path = INI) -> Virtuoso:
    """Start the database already in ``directory`` with the settings of ``ini`` (a
    virtuoso.ini whose ``{http_port}`` and ``{sql_port}`` are filled in here)."""
    http_port, sql_port = free_port(), free_port()
    text = ini.read_text().replace("{http_port}", str(http_port))
    (directory / "virtuoso.ini").write_text(text.replace("{sql_port}", str(sql_port)))
    process = subprocess.Popen(
        [_binary("virtuoso-t"), "+foreground", "+configfile", "virtuoso.ini"],
        cwd=directory,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    instance = Virtuoso(directory, http_port, sql_port, process)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Virtuoso exited early:\n{instance.log()}")
        try:
            r = httpx.get(instance.query_url, params={"query": "ASK {}"}, timeout=2.0)
            if r.status_code == 200:
                return instance
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    instance.stop()
    raise RuntimeError(f"Virtuoso did not answer in {timeout} s:\n{instance.log()}")


def _template() -> Path:
    """The template database, created (once, atomically) when missing."""
    database = TEMPLATE / "virtuoso.db"
    if database.exists():
        return database
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix="virtuoso-template-", dir=TEMPLATE.parent))
    instance = launch(building, timeout=180)
    instance.stop()
    TEMPLATE.mkdir(exist_ok=True)
    os.replace(building / "virtuoso.db", database)
    shutil.rmtree(building, ignore_errors=True)
    return database


def start_virtuoso(directory: Path, timeout: float = 60, ini: Path = INI) -> Virtuoso:
    """A fresh instance in ``directory``, started from a copy of the template database."""
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_template(), directory / "virtuoso.db")
    return launch(directory, timeout, ini)
