"""Whether a query's last run vouches for its next: at the same data version, a query whose cost
and answer the data alone decide takes as long again and answers within the same caps
(service/routes/sparql.py evaluates the cheap ones on the event loop on that ground)."""

from __future__ import annotations

import re

# Functions whose value changes from one run to the next, and SERVICE, which waits on another
# server. pyoxigraph reads keywords only as written, without escapes (service/outbound.py), so a
# search for the words finds every use; it also finds them in strings, IRIs and names, where they
# do no harm, and such a query only goes on being evaluated in a worker.
_VARYING = re.compile(r"\b(?:RAND|NOW|UUID|STRUUID|SERVICE)\b", re.IGNORECASE)


def repeatable(query: str) -> bool:
    """False when ``query`` may call RAND, NOW, UUID or STRUUID, or use SERVICE."""
    return _VARYING.search(query) is None
