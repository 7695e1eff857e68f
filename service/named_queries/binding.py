"""Binding parameter values into a query as a VALUES block, never as pasted text.

The block goes first in the outermost WHERE group, so FILTERs of that group see the values
(a trailing VALUES would be joined after the filters ran). Terms are written by pyoxigraph's
own serialiser, which escapes every literal and validates every IRI.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from pyoxigraph import Literal, NamedNode

_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


# The queries bound are the few texts of .rq files, and finding the group walks the text
# character by character (a tenth of a millisecond for a named query): look once per text.
@lru_cache(maxsize=256)
def where_position(query: str) -> int:
    """Index just after the `{` that opens the outermost WHERE group; ValueError if none."""
    code = "\n".join(_strip_comment(line) for line in query.split("\n"))
    match = _WHERE.search(code)
    if match is None:
        raise ValueError("the query has no WHERE { … } group to bind parameters into")
    return match.end()


def bind(query: str, values: Mapping[str, NamedNode | Literal]) -> str:
    """The query with `values` bound to its variables of the same names."""
    if not values:
        return query
    names = " ".join(f"?{name}" for name in values)
    terms = " ".join(str(term) for term in values.values())
    block = f"\n  VALUES ({names}) {{ ({terms}) }}\n"
    at = where_position(query)
    return query[:at] + block + query[at:]


def _strip_comment(line: str) -> str:
    """The line without a trailing `#` comment, keeping `#` inside IRIs and strings."""
    in_iri = in_string = False
    for i, char in enumerate(line):
        if in_string:
            if char == '"':
                in_string = False
        elif in_iri:
            if char == ">":
                in_iri = False
        elif char == '"':
            in_string = True
        elif char == "<" and re.match(r"<[^\s<>\"{}|^`\\]*>", line[i:]):
            in_iri = True
        elif char == "#":
            return line[:i] + " " * (len(line) - i)
    return line


def bind_rows(query: str, name: str, terms: Sequence[NamedNode | Literal]) -> str:
    """The query with ``name`` bound to each of ``terms`` in turn (one VALUES row each)."""
    rows = " ".join(str(term) for term in terms)
    block = f"\n  VALUES ?{name} {{ {rows} }}\n"
    at = where_position(query)
    return query[:at] + block + query[at:]
