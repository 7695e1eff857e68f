"""Choosing among tens of thousands on a tool page: an organisation, or a competence.

A page lists every choice while there are few (the project's own graph has some tens of
organisations and competences). Above ``SHOWN`` it offers a field for part of a name and lists
at most ``SHOWN`` of those whose name holds it: at national scale the whole lists were 3-4 MB of
HTML (38,538 organisations) and 0.4 MB (2,688 competences) on every page that offers the choice.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

# The most organisations a page lists at once.
SHOWN = 200


@dataclass(frozen=True)
class Choice:
    """The choices a page lists, of ``total``; ``matching`` hold the text ``find``."""

    shown: list[tuple[str, str]]
    total: int
    matching: int
    find: str

    @property
    def narrowing(self) -> bool:
        """Whether the page offers the field for narrowing the list."""
        return self.total > SHOWN or bool(self.find)


def narrow(
    choices: Sequence[tuple[str, str]],
    find: str,
    keep: Collection[str] = (),
    *,
    match_key: bool = True,
) -> Choice:
    """The (key, label) pairs whose label, or with ``match_key`` key, holds ``find``
    (case-insensitively), at most ``SHOWN`` in the given order. The choices ``keep`` (keys
    already chosen) are listed first when the cut or the text would otherwise leave them out."""
    text = find.strip()
    folded = text.casefold()
    matching = (
        [
            pair
            for pair in choices
            if folded in pair[1].casefold() or (match_key and folded in pair[0])
        ]
        if folded
        else list(choices)
    )
    shown = matching[:SHOWN]
    wanted = set(keep) - {key for key, _ in shown}
    kept = [pair for pair in choices if pair[0] in wanted] if wanted else []
    if kept:
        shown = kept + shown[: max(0, SHOWN - len(kept))]
    return Choice(shown, len(choices), len(matching), text)
