"""A Virtuoso instance and the service running on it, once per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import REPO, Service, start_service
from tests.remote.virtuoso import PASSWORD, USER, Virtuoso, start_virtuoso

MODEL_DIRS = [REPO / "ontology", REPO / "shapes", REPO / "data"]
# Virtuoso has no default graph of its own: this IRI stands for the service's.
DEFAULT_GRAPH = "urn:x-osaamiskartta:default-graph"


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """A fresh Virtuoso on loopback ports, stopped after the module."""
    instance = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield instance
    instance.stop()


def remote_environment(virtuoso: Virtuoso) -> dict[str, str]:
    """The settings that put the service on ``virtuoso``."""
    return {
        "OSAAMISKARTTA_STORE": f"sparql+{virtuoso.query_url}",
        "OSAAMISKARTTA_REMOTE_UPDATE_URL": virtuoso.update_url,
        "OSAAMISKARTTA_REMOTE_GRAPH_STORE_URL": virtuoso.graph_store_url,
        "OSAAMISKARTTA_REMOTE_USER": USER,
        "OSAAMISKARTTA_REMOTE_PASSWORD": PASSWORD,
        "OSAAMISKARTTA_REMOTE_DIALECT": "virtuoso",
        "OSAAMISKARTTA_REMOTE_DEFAULT_GRAPH": DEFAULT_GRAPH,
    }


@pytest.fixture(scope="module")
def on_virtuoso(virtuoso: Virtuoso, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """The service with the real model and data, its store the Virtuoso instance."""
    running = start_service(
        tmp_path_factory.mktemp("service"),
        store=f"sparql+{virtuoso.query_url}",
        load_dirs=MODEL_DIRS,
        env=remote_environment(virtuoso),
        timeout=120,
    )
    yield running
    running.stop()
