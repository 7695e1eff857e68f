"""Per-client rate limit: a token bucket per client, 429 with Retry-After when it is empty.

A client is its token's name when it presents a valid token, otherwise its address. Off unless
``OSAAMISKARTTA_RATE_LIMIT`` (requests per second) is set.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict

from starlette.types import ASGIApp, Receive, Scope, Send

from service.auth import bearer
from service.errors import TooManyRequests, error_body
from service.tokens import TokenRegistry

EXEMPT = ("/health", "/ready", "/metrics")
MAX_CLIENTS = 100_000


class TokenBuckets:
    """``rate`` requests per second per client, with bursts of ``burst``."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = max(burst, 1) if burst else max(int(rate * 2), 1)
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, client: str, now: float | None = None) -> float:
        """0 when the request may go ahead, else the seconds until it could."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            wait = 0.0
            if tokens >= 1:
                tokens -= 1
            else:
                wait = (1 - tokens) / self.rate
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > MAX_CLIENTS:
                self._buckets.popitem(last=False)
            return wait


class RateLimitMiddleware:
    """ASGI middleware answering 429 (problem+json, Retry-After) to clients over their limit."""

    def __init__(self, app: ASGIApp, buckets: TokenBuckets, tokens: TokenRegistry) -> None:
        self.app, self.buckets, self.tokens = app, buckets, tokens

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        wait = self.buckets.take(self._client(scope, headers))
        if not wait:
            await self.app(scope, receive, send)
            return
        error = TooManyRequests(
            f"more than {self.buckets.rate:g} requests per second; slow down",
            math.ceil(wait),
        )
        body, media_type = error_body(error, headers.get("accept"), headers.get("accept-language"))
        response_headers = [
            (b"content-type", media_type.encode()),
            (b"content-length", str(len(body)).encode()),
        ]
        response_headers += [(k.lower().encode(), v.encode()) for k, v in error.headers.items()]
        await send({"type": "http.response.start", "status": 429, "headers": response_headers})
        await send({"type": "http.response.body", "body": body})

    def _client(self, scope: Scope, headers: dict[str, str]) -> str:
        credentials = bearer(headers.get("authorization"))
        if credentials is not None and (token := self.tokens.check(credentials)) is not None:
            return f"token:{token.name}"
        client = scope.get("client")
        return f"address:{client[0] if client else 'unknown'}"
