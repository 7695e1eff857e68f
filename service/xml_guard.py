"""RDF/XML entity guard: pyoxigraph expands internal DTD entities without a bound.

A billion-laughs document (entities defined by other entities) expands exponentially, and one
long entity referenced many times quadratically. Entities are fine for what RDF/XML files use
them for (short namespace abbreviations), so the guard allows exactly that: plain values, no
external (SYSTEM / PUBLIC) entities, and a bounded total expansion.
"""

from __future__ import annotations

import re

from service.errors import BadRequest

_ENTITY = re.compile(rb"<!ENTITY\s+(%\s+)?([^\s>]+)\s+([^>]*)>", re.DOTALL)
_VALUE = re.compile(rb"""^("[^"]*"|'[^']*')\s*$""", re.DOTALL)
# Expanded entity text may not exceed this many bytes in total.
MAX_EXPANSION = 16 * 1024 * 1024


def check_entities(data: bytes) -> None:
    """Raise BadRequest for RDF/XML whose entities could expand without bound or fetch."""
    if b"<!ENTITY" not in data:
        return
    sizes: dict[bytes, int] = {}
    for match in _ENTITY.finditer(data):
        name, definition = match.group(2), match.group(3).strip()
        if match.group(1) or not _VALUE.match(definition):
            raise BadRequest(
                f"RDF/XML entity {name.decode(errors='replace')!r} is not a plain quoted "
                "value: external and parameter entities are not read"
            )
        value = definition[1:-1]
        if re.search(rb"&[^#]", value):
            raise BadRequest(
                f"RDF/XML entity {name.decode(errors='replace')!r} refers to other entities: "
                "nested entities are refused (billion laughs)"
            )
        sizes[name] = len(value)
    expansion = 0
    for ref in re.finditer(rb"&([^;#\s&]+);", data):
        expansion += sizes.get(ref.group(1), 0)
        if expansion > MAX_EXPANSION:
            raise BadRequest(
                f"RDF/XML entities would expand to more than {MAX_EXPANSION} bytes; refused"
            )
