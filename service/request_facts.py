"""Facts that deeper layers add to the current request's access-log line (e.g. query time)."""

from __future__ import annotations

import contextvars

# The middleware sets a fresh dict per request; the dict itself is shared, so facts noted in
# coroutines the request awaits reach its log line.
current: contextvars.ContextVar[dict[str, object] | None] = contextvars.ContextVar(
    "request_facts", default=None
)


def note(key: str, value: object) -> None:
    """Add a fact to the current request's access-log line (nothing outside a request)."""
    facts = current.get()
    if facts is not None:
        facts[key] = value
