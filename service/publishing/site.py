"""One running service's publishing state: the data version and what is cached per version."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from service.named_queries import QueryRegistry, load_registry
from service.publishing.dcat import Publisher
from service.publishing.dumps import DumpCache
from service.publishing.landing import LandingCountsCache
from service.publishing.layout import LayoutCache
from service.publishing.version import DataVersion, VersionObserver
from service.publishing.void import StatisticsCache
from service.settings import Settings
from service.store.base import Store
from service.writes import WriteObserver


@dataclass
class Publication:
    """The caches the publishing routes read; `observers` keep them in step with writes."""

    settings: Settings
    store: Store
    version: DataVersion
    layout: LayoutCache
    dumps: DumpCache
    statistics: StatisticsCache
    counts: LandingCountsCache

    @classmethod
    def create(
        cls, settings: Settings, store: Store, writing: Callable[[], bool] = lambda: False
    ) -> Publication:
        """Fresh caches for `store`; nothing is computed until first asked for. ``writing``
        tells when a write is under way (see service/publishing/refreshing.py)."""
        version = DataVersion()
        return cls(
            settings,
            store,
            version,
            LayoutCache(store),
            DumpCache(
                store,
                settings.base_iri,
                version,
                Path(directory) if (directory := settings.dumps_directory) else None,
                writing=writing,
            ),
            StatisticsCache(store, settings.base_iri, version, writing),
            LandingCountsCache(store, version),
        )

    def warm(self) -> None:
        """Start computing the summaries of the whole data in the background (one at a time,
        see service/publishing/refreshing.py), so that the first readers of the landing page,
        the catalog, VoID and the dumps need not wait for them."""
        for summary in (self.counts, self.statistics, self.dumps):
            summary.refresh()

    def close(self) -> None:
        """The service stops: a summary that fails from now on is no news."""
        for summary in (self.counts, self.statistics, self.dumps):
            summary.close()

    @property
    def wait(self) -> float:
        """How long a request waits for a summary of the current data version."""
        return self.settings.publishing_wait

    @property
    def observers(self) -> list[WriteObserver]:
        """Register these on the Writer before the start-up load."""
        return [VersionObserver(self.version), self.layout]

    @property
    def base_iri(self) -> str:
        """The public base of the graph's IRIs."""
        return self.settings.base_iri

    @property
    def ontology_iri(self) -> str:
        """The ontology's IRI (its namespace is this plus `#`)."""
        return f"{self.settings.base_iri}ontology"

    @property
    def publisher(self) -> Publisher:
        """The catalog's publisher and organisational contact point, from the settings."""
        s = self.settings
        return Publisher(
            s.publisher_iri or f"{s.base_iri}id/organisation/pohjois-savon-liitto",
            s.publisher_name,
            s.contact_url,
            s.contact_email,
        )

    @cached_property
    def examples(self) -> QueryRegistry:
        """The named queries, shown as examples on the query page."""
        return load_registry(self.settings.queries_dir)
