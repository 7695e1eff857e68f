"""Asking for asserted triples only: a query dataset without the inferred graph."""

from __future__ import annotations

import dataclasses

from service.errors import ParameterProblem
from service.inference.vocabulary import inferred_graph
from service.store.base import QueryDataset

TRUE = ("true", "1", "yes", "on")
FALSE = ("false", "0", "no", "off")


def wants_inference(values: list[str]) -> bool:
    """Read the ``inference`` parameter (default true); anything but a boolean is a 400."""
    if not values:
        return True
    if len(values) > 1:
        raise ParameterProblem("inference", "give it once")
    value = values[0].strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ParameterProblem("inference", f"must be true or false, not {values[0]!r}")


def asserted_only(dataset: QueryDataset | None, base_iri: str) -> QueryDataset:
    """``dataset`` (None: the service default) without the inferred graph."""
    return dataclasses.replace(dataset or QueryDataset(), exclude=(inferred_graph(base_iri),))
