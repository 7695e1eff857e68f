"""Content negotiation: pick a format from the Accept header (with q-values) or ``format=``."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from service.errors import NotAcceptable
from service.sparql.formats import Format


@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header."""

    type: str
    subtype: str
    q: float
    order: int

    def specificity(self, media_type: str) -> int:
        """How exactly this range matches ``media_type``: 2 exact, 1 ``type/*``, 0 ``*/*``,
        -1 not at all."""
        mtype, _, msub = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 0
        if self.type == mtype and self.subtype == "*":
            return 1
        if self.type == mtype and self.subtype == msub:
            return 2
        return -1


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an Accept header; malformed entries are skipped, a missing header means ``*/*``."""
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0, 0)]
    ranges: list[MediaRange] = []
    for order, item in enumerate(header.split(",")):
        parts = [p.strip() for p in item.split(";")]
        mtype, sep, sub = parts[0].lower().partition("/")
        if not sep or not mtype or not sub:
            continue
        q = 1.0
        for param in parts[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(mtype, sub, q, order))
    return ranges


def _quality(fmt: Format, ranges: Sequence[MediaRange]) -> tuple[float, int, int]:
    """The q-value the client gives ``fmt`` (most specific range wins), with tie-breakers."""
    best: tuple[int, float, int] | None = None  # (specificity, q, order)
    alias_rank = 0
    for rank, media_type in enumerate(fmt.media_types()):
        for r in ranges:
            s = r.specificity(media_type)
            if s < 0:
                continue
            candidate = (s, r.q, r.order)
            if best is None or candidate[0] > best[0]:
                best, alias_rank = candidate, rank
    if best is None:
        return (0.0, 0, 0)
    specificity, q, order = best
    # Prefer explicit mentions over wildcards, then canonical types over aliases, then
    # the client's order.
    return (q, specificity * 10 - alias_rank, -order)


def negotiate(
    accept: str | None,
    format_param: str | None,
    offered: Sequence[Format],
) -> Format:
    """Choose one of ``offered``; ``format_param`` (short name or media type) wins over Accept.

    Raises NotAcceptable when nothing fits.
    """
    # Clients send the same few Accept headers again and again; parsing one costs more than
    # evaluating a point lookup. Remembered for usual lengths only (the header is theirs).
    if isinstance(offered, tuple) and len(accept or "") <= _REMEMBERED_ACCEPT:
        return _remembered(accept, format_param, offered)
    return _negotiate(accept, format_param, offered)


_REMEMBERED_ACCEPT = 512


@functools.lru_cache(maxsize=256)
def _remembered(
    accept: str | None, format_param: str | None, offered: tuple[Format, ...]
) -> Format:
    return _negotiate(accept, format_param, offered)


def _negotiate(
    accept: str | None,
    format_param: str | None,
    offered: Sequence[Format],
) -> Format:
    if format_param:
        wanted = format_param.strip().lower()
        for fmt in offered:
            if wanted in fmt.short_names or wanted == fmt.name:
                return fmt
        for fmt in offered:
            if wanted.split(";")[0].strip() in fmt.media_types():
                return fmt
        raise NotAcceptable(
            f"format={format_param!r} is not available here; choose one of "
            + ", ".join(f.short_names[0] for f in offered)
        )
    ranges = parse_accept(accept)
    scored = [(_quality(fmt, ranges), -i, fmt) for i, fmt in enumerate(offered)]
    scored = [s for s in scored if s[0][0] > 0]
    if not scored:
        raise NotAcceptable(
            f"none of the media types in Accept: {accept!r} is available here; choose one of "
            + ", ".join(f.media_type for f in offered)
        )
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    return scored[0][2]


def prefers(accept: str | None, media_type: str, over: Sequence[Format]) -> bool:
    """True when the client explicitly asks for ``media_type`` at least as much as any of
    ``over`` (used to send HTML to browsers)."""
    ranges = parse_accept(accept)
    explicit = [r for r in ranges if r.specificity(media_type) == 2 and r.q > 0]
    if not explicit:
        return False
    q = max(r.q for r in explicit)
    for fmt in over:
        for mt in fmt.media_types():
            if any(r.specificity(mt) == 2 and r.q > q for r in ranges):
                return False
    return True
