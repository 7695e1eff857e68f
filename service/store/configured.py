"""Open the store the settings name: embedded (``memory`` or a directory) or a remote engine."""

from __future__ import annotations

from service.settings import Settings
from service.store.base import Store
from service.store.oxigraph import open_store
from service.store.remote import is_remote, open_remote


def open_configured_store(settings: Settings) -> Store:
    """The store of ``settings.store``: ``sparql+http(s)://…`` is a remote SPARQL engine."""
    if is_remote(settings.store):
        return open_remote(settings)
    return open_store(settings.store)
