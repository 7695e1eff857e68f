"""Checking a request's query-string values: an integer in a range, or a 400 naming it."""

from __future__ import annotations

from service.errors import ParameterProblem


def integer(name: str, value: str | None, default: int, low: int, high: int) -> int:
    """``value`` as an integer from ``low`` to ``high``; ``default`` when absent or empty;
    ParameterProblem (400) otherwise."""
    if value in (None, ""):
        return default
    try:
        number = int(value)  # type: ignore[arg-type]
    except ValueError:
        raise ParameterProblem(name, f"{value!r} is not an integer") from None
    if not low <= number <= high:
        raise ParameterProblem(name, f"must be between {low} and {high}, not {number}")
    return number
