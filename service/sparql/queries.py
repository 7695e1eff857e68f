"""The SPARQL the service itself needs, read once from the package's ``rq/`` files."""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def load(name: str) -> str:
    """The text of ``rq/{name}.rq``."""
    return (files("service.sparql") / "rq" / f"{name}.rq").read_text(encoding="utf-8")
