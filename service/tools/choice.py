"""Choosing an organisation on a tool page when there are tens of thousands of them.

A page lists every organisation while there are few (the project's own graph has some tens).
Above ``SHOWN`` it offers a field for part of a name and lists at most ``SHOWN`` of those whose
name holds it: at national scale the whole list was 3-4 MB of HTML on every page that offers
the choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# The most organisations a page lists at once.
SHOWN = 200


@dataclass(frozen=True)
class Choice:
    """The organisations a page lists, of ``total``; ``matching`` hold the text ``find``."""

    shown: list[tuple[str, str]]
    total: int
    matching: int
    find: str

    @property
    def narrowing(self) -> bool:
        """Whether the page offers the field for narrowing the list."""
        return self.total > SHOWN or bool(self.find)


def narrow(organisations: Sequence[tuple[str, str]], find: str, keep: str = "") -> Choice:
    """The (slug, label) pairs whose label or slug holds ``find`` (case-insensitively), at most
    ``SHOWN`` in the given order; the organisation ``keep`` (already chosen) is listed first
    when it would otherwise be left out."""
    text = find.strip()
    folded = text.casefold()
    matching = (
        [org for org in organisations if folded in org[1].casefold() or folded in org[0]]
        if folded
        else list(organisations)
    )
    shown = matching[:SHOWN]
    if keep and all(slug != keep for slug, _ in shown):
        kept = [org for org in organisations if org[0] == keep]
        shown = kept + shown[: SHOWN - len(kept)]
    return Choice(shown, len(organisations), len(matching), text)
