"""Data the service derives from the store and keeps in step with every write: the
full-text search index and the inferred graph."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from service.inference import InferenceMaintainer
from service.search import TEXT_SCORE, SearchIndex, SearchMaintainer, TextScore
from service.search.index import MEMORY
from service.search.service import Searching
from service.settings import MEMORY as settings_memory
from service.settings import Settings
from service.store.base import Store
from service.store.oxigraph import OxigraphStore
from service.validation.gate import GraphRoles
from service.writes import WriteObserver


@dataclass
class DerivedData:
    """The maintainers (write observers, registered before the start-up load) and the index."""

    searching: Searching
    index: SearchIndex
    inference: InferenceMaintainer | None
    observers: list[WriteObserver] = field(default_factory=list)

    def close(self) -> None:
        """Release the search index."""
        self.index.close()


def start_derived_data(settings: Settings, store: Store, roles: GraphRoles) -> DerivedData:
    """Open the search index, bring it and the inferred graph up to date with the store as it
    is (a store changed while the service was down), and return their maintainers."""

    def asserted(graph: str) -> bool:
        # The data and the ontology; not the shapes nor the service's own graphs.
        return not roles.unjudged(graph)

    def shown(quad: ox.Quad) -> bool:
        graph = quad.graph_name
        return not (isinstance(graph, ox.NamedNode) and graph.value.startswith(roles.system_prefix))

    location = settings.search_index_location
    index = SearchIndex(MEMORY if location == settings_memory else location)
    search = SearchMaintainer(store, index, asserted)
    search.ensure_fresh()
    observers: list[WriteObserver] = []
    inference = None
    if settings.inference:
        inference = InferenceMaintainer(store, settings.base_iri, asserted)
        inference.ensure_fresh()
        observers.append(inference)
    observers.append(search)
    if isinstance(store, OxigraphStore):
        store.functions[TEXT_SCORE] = TextScore(index)
    return DerivedData(Searching(index, shown), index, inference, observers)
