"""A streaming N-Triples writer that counts what it writes."""

from __future__ import annotations

from typing import TextIO

XSD = "http://www.w3.org/2001/XMLSchema#"
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def iri(value: str) -> str:
    """An IRI term."""
    return f"<{value}>"


def text(value: str, lang: str) -> str:
    """A language-tagged string."""
    return f'"{value.translate(_ESCAPES)}"@{lang}'


def typed(value: object, datatype: str) -> str:
    """A literal of an XSD datatype (``datatype`` without the namespace, e.g. ``date``)."""
    if datatype == "string":
        return f'"{str(value).translate(_ESCAPES)}"'
    if isinstance(value, bool):
        value = "true" if value else "false"
    return f'"{value}"^^<{XSD}{datatype}>'


class TripleWriter:
    """Writes triples as N-Triples lines, buffered, and counts them."""

    def __init__(self, out: TextIO, buffer_lines: int = 8192) -> None:
        self.out = out
        self.count = 0
        self._lines: list[str] = []
        self._limit = buffer_lines

    def add(self, subject: str, predicate: str, obj: str) -> None:
        """Write one triple (terms already formatted)."""
        self._lines.append(f"{subject} {predicate} {obj} .\n")
        self.count += 1
        if len(self._lines) >= self._limit:
            self.flush()

    def flush(self) -> None:
        """Write out the buffered lines."""
        self.out.write("".join(self._lines))
        self._lines.clear()
