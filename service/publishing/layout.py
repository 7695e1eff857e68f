"""How pages group and order properties, taken from the shapes' sh:group and sh:order.

Read from the store once at start-up and again only after a write that may have changed
shapes (a SPARQL update, a dropped or replaced graph, or an addition with SHACL terms).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from service.publishing import sparql
from service.publishing.labels import LabelSet
from service.store.base import GraphChange, GraphDrop, Store
from service.writes import GraphWrite, Write, WriteContext, WriteResult

SHACL = "http://www.w3.org/ns/shacl#"
OTHER_GROUP = "other"
OTHER_ORDER = 8.0  # after the shapes' own groups, before provenance (sh:order 9)
_OTHER_LABELS = {"fi": "Muut tiedot", "en": "Other information"}


@dataclass(frozen=True)
class Group:
    """A property group: its IRI (or `other`), labels and place on the page."""

    key: str
    labels: LabelSet
    order: float

    def label(self, lang: str) -> str:
        """The group's heading in `lang`."""
        return self.labels.pick(lang) or self.key


@dataclass(frozen=True)
class Placement:
    """Where one property goes: its group and its order inside the group."""

    group: Group
    order: float


OTHER = Group(OTHER_GROUP, LabelSet(dict(_OTHER_LABELS)), OTHER_ORDER)


class PropertyLayout:
    """Placements keyed by (class, property); a property without a class-specific placement
    takes the first placement any shape gives it."""

    def __init__(self, by_class: dict[tuple[str, str], Placement], by_path: dict[str, Placement]):
        self._by_class = by_class
        self._by_path = by_path

    def place(self, predicate: str, classes: Iterable[str]) -> Placement:
        """The placement of `predicate` on the page of a resource of `classes`."""
        found = [
            self._by_class[(c, predicate)] for c in classes if (c, predicate) in self._by_class
        ]
        if found:
            return min(found, key=lambda p: (p.group.order, p.order))
        return self._by_path.get(predicate, Placement(OTHER, 0.0))


def read_layout(store: Store) -> PropertyLayout:
    """Build the layout from the shapes in the store (one query)."""
    groups: dict[str, Group] = {}
    by_class: dict[tuple[str, str], Placement] = {}
    by_path: dict[str, Placement] = {}
    for row in sparql.rows(store, "property_layout"):
        path = row["path"]["value"]
        group = OTHER
        if "group" in row:
            key = row["group"]["value"]
            group = groups.setdefault(
                key, Group(key, LabelSet(), float(row.get("groupOrder", {}).get("value", 7)))
            )
            if "groupLabel" in row:
                group.labels.by_language.setdefault(
                    row["groupLabel"].get("xml:lang", ""), row["groupLabel"]["value"]
                )
        placement = Placement(group, float(row.get("order", {}).get("value", 50)))
        if "class" in row:
            by_class.setdefault((row["class"]["value"], path), placement)
        current = by_path.get(path)
        if current is None or (placement.group.order, placement.order) < (
            current.group.order,
            current.order,
        ):
            by_path[path] = placement
    return PropertyLayout(by_class, by_path)


def may_change_shapes(write: Write) -> bool:
    """Whether a write could have changed the shapes (cheap, errs on the side of yes)."""
    if not isinstance(write, GraphWrite):
        return True
    for change in write.changes:
        if isinstance(change, GraphDrop):
            return True
        assert isinstance(change, GraphChange)
        # A replacement may remove shapes without mentioning SHACL in its new content.
        if change.replace or any(t.predicate.value.startswith(SHACL) for t in change.triples):
            return True
    return False


class LayoutCache:
    """The current layout; a WriteObserver marks it stale when shapes may have changed."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._layout: PropertyLayout | None = None

    def get(self) -> PropertyLayout:
        """The layout, re-read if a write may have changed the shapes."""
        with self._lock:
            if self._layout is None:
                self._layout = read_layout(self._store)
            return self._layout

    def committed(self, write: Write, context: WriteContext, result: WriteResult) -> None:
        if may_change_shapes(write):
            with self._lock:
                self._layout = None
