"""The remote store's pure parts: dataset detection, dialects, settings, engine error mapping."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from service.errors import BadRequest, StoreFailure, StoreUnavailable, SyntaxProblem, engine_error
from service.settings import Settings, SettingsError
from service.store.configured import is_remote, open_remote
from service.store.remote import has_own_dataset
from service.store.remote_dialect import DIALECTS
from tests.conftest import free_port


@pytest.mark.parametrize(
    ("query", "own"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", False),
        ("SELECT * FROM <http://g> WHERE { ?s ?p ?o }", True),
        ("SELECT * FROM NAMED <http://g> { GRAPH ?g { ?s ?p ?o } }", True),
        ("CONSTRUCT { ?s ?p ?o } from <http://g> WHERE { ?s ?p ?o }", True),
        ('SELECT * WHERE { ?s ?p "FROM <http://g>" }', False),
        ("# FROM <http://g>\nSELECT ?from WHERE { ?from ?p ?o }", False),
    ],
)
def test_a_query_names_its_own_dataset_only_with_a_top_level_from(query: str, own: bool) -> None:
    assert has_own_dataset(query) is own


def test_virtuoso_blank_nodes_are_read_and_referred_to_by_its_own_identifiers() -> None:
    virtuoso = DIALECTS["virtuoso"]
    node = virtuoso.blank_node("nodeID://b10007")
    assert node == ox.BlankNode("b10007")
    assert virtuoso.term(node) == "<nodeID://b10007>"
    assert virtuoso.term(ox.NamedNode("http://a")) == "<http://a>"
    assert virtuoso.is_system_graph("http://www.openlinksw.com/schemas/virtrdf#")
    assert DIALECTS["jena"].term(ox.BlankNode("b0")) == "<_:b0>"


def test_the_standard_dialect_cannot_name_a_stored_blank_node() -> None:
    with pytest.raises(ValueError, match="cannot refer"):
        DIALECTS["standard"].term(ox.BlankNode("b1"))


def test_remote_settings_are_read_and_checked() -> None:
    settings = Settings.from_env(
        {
            "OSAAMISKARTTA_STORE": "sparql+http://127.0.0.1:8890/sparql",
            "OSAAMISKARTTA_REMOTE_DIALECT": "Virtuoso",
            "OSAAMISKARTTA_REMOTE_TIMEOUT": "5",
            "OSAAMISKARTTA_REMOTE_DEFAULT_GRAPH": "urn:x:default",
        }
    )
    assert is_remote(settings.store) and not settings.in_memory
    assert (settings.remote_dialect, settings.remote_timeout) == ("virtuoso", 5)
    assert settings.remote_default_graph == "urn:x:default"
    with pytest.raises(SettingsError, match="REMOTE_AUTH"):
        Settings.from_env({"OSAAMISKARTTA_REMOTE_AUTH": "kerberos"})


@pytest.mark.parametrize(
    ("status", "message", "expected", "code"),
    [
        (
            400,
            "Virtuoso 37000 Error SP030: SPARQL compiler, line 1: syntax error",
            SyntaxProblem,
            400,
        ),
        (500, "Virtuoso 22023 Error SPARUL_CREATE() failed: graph exists", BadRequest, 400),
        (500, "Virtuoso 08C01 Error CL: Cluster could not connect", StoreFailure, 502),
        (401, "", StoreFailure, 502),
        (None, "Connection refused", StoreUnavailable, 503),
        (504, "Gateway timeout", StoreUnavailable, 503),
    ],
)
def test_engine_failures_map_to_the_clients_or_the_engines_fault(
    status: int | None, message: str, expected: type, code: int
) -> None:
    error = engine_error(status, message, "update")
    assert isinstance(error, expected)
    assert error.status == code


def test_an_engine_that_does_not_answer_is_a_503_not_a_crash() -> None:
    port = free_port()  # nobody listens there
    store = open_remote(Settings(store=f"sparql+http://127.0.0.1:{port}/sparql", remote_timeout=5))
    with pytest.raises(StoreUnavailable) as caught:
        store.query("ASK {}")
    assert caught.value.status == 503 and "did not answer" in caught.value.detail
