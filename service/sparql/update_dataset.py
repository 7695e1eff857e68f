"""Apply the protocol's ``using-graph-uri`` / ``using-named-graph-uri`` to an update.

The SPARQL 1.1 Protocol says these parameters act as USING / USING NAMED on every
DELETE/INSERT … WHERE operation, and that an operation which already names its dataset
(USING or WITH) together with them is an error. The engine takes no such parameters, so the
update text is rewritten: a small scanner finds each operation's top-level keywords (outside
braces, strings, IRIs and comments) and inserts the clauses before its WHERE.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pyoxigraph import NamedNode

from service.errors import BadRequest

_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")


@dataclass(frozen=True)
class Token:
    """A top-level token: a keyword-like word, ``;`` or an opening brace, at ``start``."""

    text: str
    start: int


def _skip_string(text: str, i: int) -> int:
    quote = text[i]
    if text.startswith(quote * 3, i):
        end = text.find(quote * 3, i + 3)
        while end != -1 and _escaped(text, end):
            end = text.find(quote * 3, end + 1)
        return len(text) if end == -1 else end + 3
    j = i + 1
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        if text[j] == quote or text[j] == "\n":
            return j + 1
        j += 1
    return j


def _escaped(text: str, i: int) -> bool:
    backslashes = 0
    while i - 1 - backslashes >= 0 and text[i - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def top_level_tokens(text: str) -> Iterator[Token]:
    """Yield the words, ``;`` and ``{`` that sit outside any braces."""
    depth = 0
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = n if end == -1 else end + 1
        elif c in "\"'":
            i = _skip_string(text, i)
        elif c == "<":
            m = _IRIREF.match(text, i)
            i = m.end() if m else i + 1
        elif c == "{":
            if depth == 0:
                yield Token("{", i)
            depth += 1
            i += 1
        elif c == "}":
            depth = max(depth - 1, 0)
            i += 1
        elif c in "?$":
            m = _WORD.match(text, i + 1)
            i = m.end() if m else i + 1
        elif depth == 0 and c == ";":
            yield Token(";", i)
            i += 1
        elif _WORD.match(text, i) and (
            i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_:-.")
        ):
            m = _WORD.match(text, i)
            assert m is not None
            if depth == 0 and not text.startswith(":", m.end()):
                yield Token(m.group(0).upper(), i)
            i = m.end()
        else:
            i += 1


def _operations(tokens: Sequence[Token]) -> Iterator[list[Token]]:
    current: list[Token] = []
    for token in tokens:
        if token.text == ";":
            yield current
            current = []
        else:
            current.append(token)
    yield current


def apply_update_dataset(
    update: str, using_graphs: Sequence[str], using_named_graphs: Sequence[str]
) -> str:
    """Return ``update`` with the protocol's USING clauses applied to each modify operation.

    Raises BadRequest when an operation also has its own USING or WITH clause.
    """
    if not using_graphs and not using_named_graphs:
        return update
    clauses = " ".join(
        [f"USING {NamedNode(g)}" for g in using_graphs]
        + [f"USING NAMED {NamedNode(g)}" for g in using_named_graphs]
    )
    insert_at: list[int] = []
    for op in _operations(list(top_level_tokens(update))):
        words = [t for t in op if t.text not in ("PREFIX", "BASE")]
        if not words:
            continue
        first = words[0].text
        second = words[1].text if len(words) > 1 else ""
        if first == "WITH" or any(t.text == "USING" for t in words):
            raise BadRequest(
                "the update names its dataset with USING or WITH and the request also gives "
                "using-graph-uri / using-named-graph-uri; use one or the other"
            )
        if first not in ("DELETE", "INSERT") or second in ("DATA", "WHERE"):
            continue
        where = next((t for t in words if t.text == "WHERE"), None)
        if where is not None:
            insert_at.append(where.start)
    for pos in sorted(insert_at, reverse=True):
        update = f"{update[:pos]}{clauses} {update[pos:]}"
    return update
