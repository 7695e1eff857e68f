"""Caps on what one request may cost: query and update length, result rows and bytes.

Results are written by pyoxigraph into a sink that counts as it goes, so an oversized answer
stops being evaluated as soon as it passes a cap instead of being built in memory first.
Rows are counted on a line-per-row form (SPARQL TSV, N-Triples), which pyoxigraph re-reads
into the requested format when that is another one.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from service.errors import BadRequest, PayloadTooLarge, ResultTooLarge
from service.settings import Settings
from service.sparql import formats as f
from service.sparql.formats import Format, Kind
from service.store.oxigraph_result import OxigraphResult, rdf_format


@dataclass(frozen=True)
class Caps:
    """The largest answer a query may produce (0 means no cap)."""

    max_rows: int = 0
    max_bytes: int = 0


def caps(settings: Settings) -> Caps:
    """The result caps the settings name."""
    return Caps(settings.max_result_rows, settings.max_response_bytes)


def check_query_length(query: str, limit: int) -> None:
    """Refuse a query longer than ``limit`` characters (413)."""
    if limit and len(query) > limit:
        raise PayloadTooLarge(
            f"the query has {len(query)} characters, more than the limit of {limit}"
        )


def check_update_length(update: str, limit: int) -> None:
    """Refuse an update longer than ``limit`` characters (413)."""
    if limit and len(update) > limit:
        raise PayloadTooLarge(
            f"the update has {len(update)} characters, more than the limit of {limit}; "
            "split it or use the graph store (/data)"
        )


class _Stop(Exception):
    """Raised inside pyoxigraph's writer to stop evaluation at a cap."""


class CappedSink:
    """A binary file-like object that keeps what is written, counting bytes and lines."""

    def __init__(self, max_bytes: int = 0, max_lines: int = 0) -> None:
        self.max_bytes, self.max_lines = max_bytes, max_lines
        self.parts: list[bytes] = []
        self.size = 0
        self.lines = 0
        self.exceeded: str | None = None

    def write(self, data: bytes) -> int:
        if self.exceeded:  # pyoxigraph tries the failed buffer again when it flushes
            raise _Stop(self.exceeded)
        self.size += len(data)
        self.lines += data.count(b"\n")
        if self.max_lines and self.lines > self.max_lines:
            self.exceeded = "rows"
        elif self.max_bytes and self.size > self.max_bytes:
            self.exceeded = "bytes"
        if self.exceeded:
            raise _Stop(self.exceeded)
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """pyoxigraph flushes its writer at the end."""

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def _too_large(sink: CappedSink, caps: Caps) -> ResultTooLarge:
    if sink.exceeded == "rows":
        return ResultTooLarge(
            f"the answer has more than {caps.max_rows} rows; add LIMIT (and OFFSET to page)"
        )
    return ResultTooLarge(
        f"the answer is larger than {caps.max_bytes} bytes; add LIMIT or select fewer values"
    )


def _write(write: object, sink: CappedSink, caps: Caps) -> None:
    try:
        write(sink)  # type: ignore[operator]
    except (_Stop, OSError, ValueError, RuntimeError) as exc:
        if sink.exceeded:
            raise _too_large(sink, caps) from None
        raise BadRequest(f"query evaluation failed: {exc}") from exc
    if sink.exceeded:
        raise _too_large(sink, caps)


def serialize_capped(result: OxigraphResult, fmt: Format, caps: Caps) -> bytes:
    """``result`` in ``fmt``, refused with ResultTooLarge beyond the caps."""
    raw = result.raw
    if result.kind == Kind.BOOLEAN or not (caps.max_rows or caps.max_bytes):
        return result.serialize(fmt)
    if result.kind == Kind.BINDINGS:
        assert isinstance(raw, ox.QuerySolutions)
        lines = f.SPARQL_TSV
        # One header line, then one line per row (TSV escapes newlines inside terms).
        max_lines = caps.max_rows + 1 if caps.max_rows else 0
        sink = CappedSink(caps.max_bytes, max_lines)
        _write(lambda out: raw.serialize(out, format=ox.QueryResultsFormat.TSV), sink, caps)
        if fmt.name == lines.name:
            return sink.getvalue()
        reread = ox.parse_query_results(sink.getvalue(), format=ox.QueryResultsFormat.TSV)
        return _final(OxigraphResult(reread), fmt, caps)
    assert isinstance(raw, ox.QueryTriples)
    sink = CappedSink(caps.max_bytes, caps.max_rows)
    _write(lambda out: raw.serialize(out, format=ox.RdfFormat.N_TRIPLES), sink, caps)
    if fmt.name == f.N_TRIPLES.name:
        return sink.getvalue()
    triples = [q.triple for q in ox.parse(sink.getvalue(), format=ox.RdfFormat.N_TRIPLES)]
    out = CappedSink(caps.max_bytes)
    _write(lambda o: ox.serialize(triples, o, format=rdf_format(fmt)), out, caps)
    return out.getvalue()


def _final(result: OxigraphResult, fmt: Format, caps: Caps) -> bytes:
    out = CappedSink(caps.max_bytes)
    _write(lambda o: result.serialize_to(fmt, o), out, caps)
    return out.getvalue()
