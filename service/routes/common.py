"""What the routers share: the application state and request-body reading."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from service.errors import PayloadTooLarge
from service.executor import Executor
from service.settings import Settings
from service.store.base import Store
from service.writes import Writer


@dataclass
class AppState:
    """The objects one running service is made of."""

    settings: Settings
    store: Store
    writer: Writer
    executor: Executor


def app_state(request: Request) -> AppState:
    """The running service's state."""
    state: AppState = request.app.state.osaamiskartta
    return state


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing more than ``limit`` bytes with 413."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"the body is larger than the limit of {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"the body is larger than the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def params(request: Request) -> tuple[tuple[str, str], ...]:
    """The URL query parameters, decoded once, in order."""
    return tuple(request.query_params.multi_items())
