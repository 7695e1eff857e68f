"""Constant-time constraint lookup for pySHACL: for every shape it validates, pySHACL checks each
of the shape's predicates for membership in a list of about forty constraint parameters, which
costs rdflib term comparisons by the hundred thousand per write. A list that answers ``in``
from a set keeps pySHACL's behaviour (the order of constraints comes from the shape) and its
list API (copied and extended when advanced features are on)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pyshacl import shape
from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP


class _IndexedParameters(list[Any]):
    def __init__(self, items: Iterable[Any]) -> None:
        super().__init__(items)
        self._members = frozenset(self)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def install() -> None:
    """Give pySHACL's shape module the indexed parameter list (idempotent)."""
    shape.CONSTRAINT_PARAMS = (  # type: ignore[attr-defined]
        _IndexedParameters(ALL_CONSTRAINT_PARAMETERS),
        CONSTRAINT_PARAMETERS_MAP,
    )
