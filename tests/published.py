"""A service loaded with the project's own ontology, shapes and data, as it is published."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import REPO, Service, start_service

LOAD_DIRS = (REPO / "ontology", REPO / "shapes", REPO / "data")
BASE = "https://w3id.org/osaamiskartta/"


def start_published(workdir: Path) -> Service:
    """Start the service on the repository's graph, with writes allowed."""
    return start_service(workdir, load_dirs=LOAD_DIRS)
