"""A bound on bracket nesting before text reaches pyoxigraph's parsers.

pyoxigraph's SPARQL, Turtle and JSON-LD parsers recurse on nesting and overflow the stack
(the process dies with SIGSEGV) somewhere between a few thousand and ten thousand levels; no
real query or document needs more than a few dozen. Strings, IRIs and comments are skipped.
"""

from __future__ import annotations

import re

from service.errors import BadRequest

MAX_DEPTH = 256
_TOKENS = re.compile(
    rb'"""(?:[^"\\]|\\.|"(?!""))*"""'
    rb"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    rb'|"(?:[^"\\\n]|\\.)*"'
    rb"|'(?:[^'\\\n]|\\.)*'"
    rb'|<[^<>"{}|^`\\\x00-\x20]*>'
    rb"|#[^\n]*"
    rb"|[\[\]{}()]",
    re.DOTALL,
)
_OPEN = frozenset(b"[{(")


def check_nesting(text: str | bytes, what: str, limit: int = MAX_DEPTH) -> None:
    """Raise BadRequest when brackets in ``text`` nest deeper than ``limit``."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if data.count(b"{") + data.count(b"[") + data.count(b"(") <= limit:
        return
    depth = 0
    for match in _TOKENS.finditer(data):
        token = match.group(0)
        if len(token) != 1:
            continue
        if token[0] in _OPEN:
            depth += 1
            if depth > limit:
                raise BadRequest(
                    f"the {what} nests brackets more than {limit} levels deep; refused"
                )
        else:
            depth = max(depth - 1, 0)
