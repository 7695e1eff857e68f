"""Where a named query starts when one of its optional filters is given.

A listing with optional filters (``institution-offers``: region, sector, institution) is one
SPARQL text in which an absent filter's variable stays unbound and the filter lets every row
through. pyoxigraph plans that text the same way whatever is given: it reads every entry of the
country and then drops the rows outside the filter (at ten million triples, 28 s for one
region's entries, 3 s for one institution's fifteen). The header's ``narrowing`` names, per
parameter, a triple pattern that the query already demands of every row when that parameter is
given; the runner puts the pattern of the first given one at the head of the WHERE group, where
the engine starts from it.

The answer stays the same: the pattern only says again what the query's own patterns and
filters require, and the query must be SELECT DISTINCT, so that a triple stated in two graphs
(the union default graph yields it twice) cannot repeat a row. Tests compare the answers with
and without each narrowing (tests/unit/test_query_narrowing.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph

from service.named_queries.binding import where_position
from service.named_queries.params import Parameter, Term
from service.sparql.functions import stand_ins

_COMMENT_LINE = re.compile(r"^\s*#.*$", re.MULTILINE)
_FIRST_SELECT = re.compile(r"\bSELECT(\s+DISTINCT\b)?", re.IGNORECASE)


class NarrowingError(ValueError):
    """The header's ``narrowing`` entry is not usable."""


@dataclass(frozen=True)
class Narrowing:
    """When ``parameter`` is given, the query starts from ``pattern``: ``text``."""

    parameter: str
    pattern: str
    text: str


def parse_narrowing(
    spec: object, parameters: tuple[Parameter, ...], text: str
) -> tuple[Narrowing, ...]:
    """The header's ``narrowing: {PARAMETER: "TRIPLE PATTERN", ...}``, in its order; each
    narrowed text must parse."""
    if spec is None:
        return ()
    if not isinstance(spec, dict) or not spec:
        raise NarrowingError('narrowing is {PARAMETER: "?s :p ?o .", ...}')
    outer = _FIRST_SELECT.search(_COMMENT_LINE.sub("", text))
    if outer is None or not outer.group(1):  # the query's own SELECT, not a sub-select's
        raise NarrowingError("a query with narrowing must be SELECT DISTINCT")
    declared = {p.name for p in parameters}
    found = []
    for name, pattern in spec.items():
        if name not in declared:
            raise NarrowingError(f"narrowing names {name!r}, which is not a parameter")
        if not isinstance(pattern, str) or not re.search(rf"\?{re.escape(name)}\b", pattern):
            raise NarrowingError(f"the narrowing for {name!r} must be a pattern using ?{name}")
        narrowing = Narrowing(str(name), pattern.strip(), narrowed_text(text, pattern.strip()))
        try:
            pyoxigraph.Store().query(narrowing.text, custom_functions=stand_ins())
        except SyntaxError as exc:
            raise NarrowingError(f"the narrowing for {name!r} does not parse: {exc}") from exc
        found.append(narrowing)
    return tuple(found)


def narrowed_text(text: str, pattern: str) -> str:
    """``text`` with ``pattern`` at the head of its outermost WHERE group."""
    at = where_position(text)
    return f"{text[:at]}\n  {pattern}\n{text[at:]}"


def choose(narrowings: tuple[Narrowing, ...], terms: Mapping[str, Term]) -> Narrowing | None:
    """The first narrowing whose parameter is given."""
    return next((n for n in narrowings if n.parameter in terms), None)
