"""The SPARQL 1.1 Protocol endpoints in the OpenAPI document.

/sparql and /update are plain Starlette routes: FastAPI's parameter solving and response
handling cost a tenth of a millisecond on every query, as much as a point lookup takes. So
FastAPI does not describe them, and their description comes from ``openapi.yaml``.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

import yaml


@cache
def _protocol() -> dict[str, Any]:
    text = (files("service.sparql") / "openapi.yaml").read_text(encoding="utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def add_sparql_protocol(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with the /sparql and /update operations and what they refer to."""
    protocol = _protocol()
    document.setdefault("paths", {}).update(protocol["paths"])
    components = document.setdefault("components", {})
    for kind, entries in protocol["components"].items():
        components.setdefault(kind, {}).update(entries)
    tags = document.setdefault("tags", [])
    if not any(t.get("name") == "SPARQL" for t in tags):
        tags.append({"name": "SPARQL", "description": "The SPARQL 1.1 Protocol endpoints"})
    return document
