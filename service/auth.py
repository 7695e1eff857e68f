"""Bearer-token authorisation for writes."""

from __future__ import annotations

import hmac

from service.errors import Forbidden, Unauthorized


def authorize_write(authorization: str | None, token: str | None, name: str = "writer") -> str:
    """Allow a write only with ``Authorization: Bearer <token>``; returns who is writing.

    No configured token makes the service read-only (403); a missing header is 401, a wrong
    token 403.
    """
    if not token:
        raise Forbidden("this service is read-only: no write token is configured")
    if not authorization:
        raise Unauthorized("writes need an 'Authorization: Bearer <token>' header")
    scheme, _, credentials = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise Unauthorized("writes need an 'Authorization: Bearer <token>' header")
    if not hmac.compare_digest(credentials.strip().encode(), token.encode()):
        raise Forbidden("the bearer token is not valid for writes")
    return name
