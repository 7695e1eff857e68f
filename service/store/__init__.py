"""Quad stores behind one small interface."""

from service.store.base import Change, GraphChange, GraphDrop, QueryDataset, QueryResult, Store
from service.store.oxigraph import OxigraphStore, open_store

__all__ = [
    "Change",
    "GraphChange",
    "GraphDrop",
    "OxigraphStore",
    "QueryDataset",
    "QueryResult",
    "Store",
    "open_store",
]
