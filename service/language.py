"""Choosing between Finnish and English from a request's Accept-Language header."""

from __future__ import annotations

LANGUAGES = ("fi", "en")


def preferred_language(header: str | None, default: str = "fi") -> str:
    """The supported language the header prefers most (``default`` when it names none)."""
    return language_choice(header, LANGUAGES) or default


def language_choice(header: str | None, offered: tuple[str, ...]) -> str | None:
    """The offered language an Accept-Language header likes best, if it names one."""
    choices: list[tuple[float, int, str]] = []
    for position, item in enumerate((header or "").split(",")):
        tag, _, params = item.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        q = 1.0
        key, _, value = params.strip().partition("=")
        if key.strip() == "q":
            try:
                q = float(value)
            except ValueError:
                q = 0.0
        if primary in offered and q > 0:
            choices.append((q, -position, primary))  # earlier entries win ties
    return max(choices)[2] if choices else None
