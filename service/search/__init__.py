"""Finnish-aware full-text search: the index, its upkeep, and the search itself."""

from service.search.index import SearchIndex
from service.search.maintainer import SearchMaintainer
from service.search.sparql_function import TEXT_SCORE, TextScore

__all__ = ["TEXT_SCORE", "SearchIndex", "SearchMaintainer", "TextScore"]
