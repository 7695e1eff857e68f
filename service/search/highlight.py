"""Marking the matched words of a text, escaped for HTML, cut to a snippet around them."""

from __future__ import annotations

from html import escape

from service.search import analyzer
from service.search.index import Terms

SNIPPET_WORDS = 24


def matched_spans(text: str, lang: str, terms: Terms) -> list[tuple[int, int]]:
    """Where the words of ``text`` that the query matched are."""
    return [
        (t.start, t.end)
        for t in analyzer.tokens(text, lang or None)
        if any(terms.marks(term) for term in t.terms)
    ]


def highlight(text: str, spans: list[tuple[int, int]], words: int = SNIPPET_WORDS) -> str:
    """HTML of ``text`` with the spans in ``<mark>``; a long text is cut around the first."""
    start, end = 0, len(text)
    positions = [m.start() for m in analyzer.WORD.finditer(text)]
    if len(positions) > words:
        first = next((i for i, p in enumerate(positions) if spans and p >= spans[0][0]), 0)
        lo = max(0, first - words // 3)
        hi = min(len(positions), lo + words)
        start = positions[lo]
        end = positions[hi] if hi < len(positions) else len(text)
    out: list[str] = ["…" if start > 0 else ""]
    cursor = start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(escape(text[cursor:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        cursor = e
    out.append(escape(text[cursor:end]).rstrip())
    if end < len(text):
        out.append("…")
    return "".join(out)
