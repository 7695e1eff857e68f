"""Bearer-token authorisation: writes need the write right, admin endpoints the admin right."""

from __future__ import annotations

from service.errors import Forbidden, Unauthorized
from service.tokens import TokenRegistry


def bearer(authorization: str | None) -> str | None:
    """The credentials of an ``Authorization: Bearer …`` header, if that is what it is."""
    if not authorization:
        return None
    scheme, _, credentials = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()


def authorize(authorization: str | None, registry: TokenRegistry, right: str) -> str:
    """Allow a request that needs ``right``; returns the token's name (for provenance).

    No token with that right configured is 403 (the service is read-only / has no admin); no
    or a malformed header is 401; an unknown token, or one without the right, is 403.
    """
    what = "writes" if right == "write" else f"{right} requests"
    if not registry.any_with(right):
        if right == "write":
            raise Forbidden("this service is read-only: no write token is configured")
        raise Forbidden(f"no token with the {right} right is configured")
    credentials = bearer(authorization)
    if credentials is None:
        raise Unauthorized(f"{what} need an 'Authorization: Bearer <token>' header")
    token = registry.check(credentials)
    if token is None:
        raise Forbidden(f"the bearer token is not valid for {what}")
    if right not in token.rights:
        raise Forbidden(f"the token {token.name!r} does not have the {right} right")
    return token.name
