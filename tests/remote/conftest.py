"""The remote engines (a Virtuoso, an Oxigraph server) and the service running on each, once
per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import REPO, Service, start_service
from tests.remote.oxigraph_server import OxigraphServer, start_oxigraph_server
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


def _service_on(env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Service:
    """The service with the real model and data, its store the engine ``env`` names."""
    return start_service(
        tmp_path_factory.mktemp("service"),
        store=env["OSAAMISKARTTA_STORE"],
        load_dirs=MODEL_DIRS,
        env=env,
        timeout=120,
    )


@pytest.fixture(scope="module")
def on_virtuoso(virtuoso: Virtuoso, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """The service with the real model and data, its store the Virtuoso instance."""
    running = _service_on(remote_environment(virtuoso), tmp_path_factory)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """A fresh Oxigraph server on a loopback port, stopped after the module."""
    server = start_oxigraph_server(tmp_path_factory.mktemp("oxigraph-server"))
    yield server
    server.stop()


def oxigraph_environment(server: OxigraphServer) -> dict[str, str]:
    """The settings that put the service on ``server``: the standard dialect, the engine's
    default graph (the union) as it is, the Graph Store read for whole graphs."""
    return {
        "OSAAMISKARTTA_STORE": f"sparql+{server.query_url}",
        "OSAAMISKARTTA_REMOTE_UPDATE_URL": server.update_url,
        "OSAAMISKARTTA_REMOTE_GRAPH_STORE_URL": server.graph_store_url,
        "OSAAMISKARTTA_REMOTE_DIALECT": "standard",
    }


@pytest.fixture(scope="module")
def on_oxigraph_server(
    oxigraph_server: OxigraphServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Service]:
    """The service with the real model and data, its store the Oxigraph server."""
    running = _service_on(oxigraph_environment(oxigraph_server), tmp_path_factory)
    yield running
    running.stop()
