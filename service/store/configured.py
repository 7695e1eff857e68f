"""Open the store the settings name: embedded (``memory`` or a directory) or a remote engine."""

from __future__ import annotations

from service.settings import Settings
from service.store.base import Store
from service.store.oxigraph import open_store
from service.store.remote import is_remote, open_remote
from service.store.remote_blank import drop_leftover_handles


def open_configured_store(settings: Settings) -> Store:
    """The store of ``settings.store``: ``sparql+http(s)://…`` is a remote SPARQL engine, first
    cleared of what a write cut short left there (the service and its commands write anyway)."""
    if is_remote(settings.store):
        store = open_remote(settings)
        drop_leftover_handles(store)
        return store
    return open_store(settings.store)
