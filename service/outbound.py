"""No way out: queries and updates may not make the service fetch anything.

pyoxigraph evaluates ``SERVICE <iri>`` and ``LOAD <iri>`` itself, over HTTP (and LOAD reads
``file:`` IRIs). Both are refused unless the target IRI starts with an entry of the outbound
allowlist. A small scanner finds the keywords at any depth, outside strings, IRIs and comments;
the target must be written as a full IRI without escapes, so what is checked is what is
fetched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from service.errors import Forbidden

_IRIREF = re.compile(r"<([^<>\"{}|^`\x00-\x20]*)>")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_KEYWORDS = ("SERVICE", "LOAD")


def _tokens(text: str) -> Iterator[str]:
    """Words (upper-cased), full IRIs (``<…>``), variables and other significant characters."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c == "#":
            end = text.find("\n", i)
            i = n if end == -1 else end + 1
        elif c in "\"'":
            i = _skip_string(text, i)
            yield '"'
        elif c == "<" and (m := _IRIREF.match(text, i)):
            yield m.group(0)
            i = m.end()
        elif c in "?$":
            m = _WORD.match(text, i + 1)
            yield "?"
            i = m.end() if m else i + 1
        elif m := _WORD.match(text, i):
            end = m.end()
            # A prefixed name (ex:service, service:x) is not a keyword.
            if text.startswith(":", end) or (i > 0 and text[i - 1] in ":_-."):
                while end < n and (text[end].isalnum() or text[end] in ":_-.%\\"):
                    end += 1
                yield "name"
            else:
                yield m.group(0).upper()
            i = end
        else:
            yield c
            i += 1


def _skip_string(text: str, i: int) -> int:
    quote = text[i]
    if text.startswith(quote * 3, i):
        j = i + 3
        while j < len(text):
            if text[j] == "\\":
                j += 2
            elif text.startswith(quote * 3, j):
                return j + 3
            else:
                j += 1
        return len(text)
    j = i + 1
    while j < len(text):
        if text[j] == "\\":
            j += 2
        elif text[j] in (quote, "\n"):
            return j + 1
        else:
            j += 1
    return j


def outbound_targets(text: str) -> list[tuple[str, str | None]]:
    """Each SERVICE or LOAD in ``text`` with its target IRI (None when it is not a plain IRI)."""
    tokens = list(_tokens(text))
    found: list[tuple[str, str | None]] = []
    for i, token in enumerate(tokens):
        if token not in _KEYWORDS:
            continue
        j = i + 1
        if j < len(tokens) and tokens[j] == "SILENT":
            j += 1
        target = tokens[j] if j < len(tokens) else ""
        iri = target[1:-1] if target.startswith("<") and "\\" not in target else None
        found.append((token, iri))
    return found


def check_outbound(text: str, allowlist: Sequence[str]) -> None:
    """Refuse (403) a SERVICE or LOAD whose target the allowlist does not name."""
    # The keywords are ASCII words that pyoxigraph reads only as written (no escapes in them),
    # so text without either one in any case needs no scan: most queries, cheaply.
    lowered = text.lower()
    if "service" not in lowered and "load" not in lowered:
        return
    for keyword, iri in outbound_targets(text):
        if iri is None:
            raise Forbidden(
                f"{keyword} needs its target written as a full IRI (<http://…>, no variable, "
                "prefixed name or escape) that the service's outbound allowlist names"
            )
        if not any(iri.startswith(allowed) for allowed in allowlist):
            raise Forbidden(
                f"{keyword} <{iri}> is refused: this service makes no outbound requests "
                "except to the targets its outbound allowlist names"
            )
