"""The command line's text table of SPARQL results."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _cell(term: Mapping[str, str] | None) -> str:
    if term is None:
        return ""
    if term["type"] == "uri":
        return f"<{term['value']}>"
    if term["type"] == "bnode":
        return f"_:{term['value']}"
    value = term["value"]
    if "xml:lang" in term:
        return f'"{value}"@{term["xml:lang"]}'
    return value


def format_table(results: Mapping[str, Any]) -> str:
    """SPARQL JSON results as an aligned text table (or ``true``/``false`` for ASK).

    ``results`` is the parsed JSON document (json.loads gives Any all the way down)."""
    if "boolean" in results:
        return "true" if results["boolean"] else "false"
    head = results["head"]
    rows = results["results"]["bindings"]
    columns: list[str] = list(head.get("vars", []))
    cells = [[_cell(row.get(c)).replace("\n", "\\n") for c in columns] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)), line]
    out += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)
