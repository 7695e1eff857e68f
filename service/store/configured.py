"""Open the store the settings name: embedded (``memory`` or a directory) or a remote engine."""

from __future__ import annotations

from service.settings import Settings
from service.store.base import Store
from service.store.oxigraph import open_store
from service.store.remote import SCHEME, RemoteStore
from service.store.remote_blank import drop_leftover_handles
from service.store.remote_client import Endpoints, SparqlClient
from service.store.remote_dialect import DIALECTS


def open_configured_store(settings: Settings) -> Store:
    """The store of ``settings.store``: ``sparql+http(s)://…`` is a remote SPARQL engine, first
    cleared of what a write cut short left there (the service and its commands write anyway)."""
    if is_remote(settings.store):
        store = open_remote(settings)
        drop_leftover_handles(store)
        return store
    return open_store(settings.store)


def is_remote(location: str) -> bool:
    """True when the store setting names a SPARQL endpoint."""
    return location.startswith(SCHEME)


def open_remote(settings: Settings) -> RemoteStore:
    """The remote store named by ``settings.store`` (``sparql+http://host:port/path``)."""
    query_url = settings.store.removeprefix(SCHEME)
    endpoints = Endpoints(
        query_url=query_url,
        update_url=settings.remote_update_url or query_url,
        graph_store_url=settings.remote_graph_store_url,
        user=settings.remote_user,
        password=settings.remote_password,
        auth=settings.remote_auth,
        timeout=settings.remote_timeout,
    )
    return RemoteStore(
        SparqlClient(endpoints), DIALECTS[settings.remote_dialect], settings.remote_default_graph
    )
