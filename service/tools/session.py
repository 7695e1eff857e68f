"""Who may write through the tools: a bearer token with the write right (JSON API) or, for
browser forms, a session cookie obtained by posting such a token once to /tools/login.

The cookie holds the token's name and an HMAC of that name keyed with the token's stored
digest, not the token itself; it is HttpOnly and SameSite=Strict (so other sites cannot make the
browser post with it), and it stops working when the token changes or loses the write right.
Tokens never travel in URLs."""

from __future__ import annotations

import hashlib
import hmac

from service.auth import authorize
from service.errors import Forbidden, Unauthorized
from service.tokens import Token, TokenRegistry

COOKIE = "osaamiskartta_tools"
_LABEL = b"osaamiskartta tools session v1 "


def session_value(token: Token) -> str:
    """The cookie value that stands for ``token``."""
    mac = hmac.new(token.sha256.encode(), _LABEL + token.name.encode(), hashlib.sha256)
    return f"{token.name}.{mac.hexdigest()}"


def check_token(candidate: str, registry: TokenRegistry) -> Token:
    """The write token ``candidate`` is, or Unauthorized/Forbidden."""
    candidate = candidate.strip()
    authorize(f"Bearer {candidate}" if candidate else None, registry, "write")
    token = registry.check(candidate)
    assert token is not None  # authorize accepted it
    return token


def session_token(cookie: str | None, registry: TokenRegistry) -> Token | None:
    """The write token a session cookie stands for, if it is valid."""
    if not cookie:
        return None
    name = cookie.rpartition(".")[0]
    for token in registry.tokens:
        if (
            token.name == name
            and "write" in token.rights
            and hmac.compare_digest(session_value(token).encode(), cookie.encode())
        ):
            return token
    return None


def authorize_tools(authorization: str | None, cookie: str | None, registry: TokenRegistry) -> str:
    """The writer's name when the request carries a write token or a valid session."""
    if authorization:
        return authorize(authorization, registry, "write")
    if not registry.any_with("write"):
        raise Forbidden("this service is read-only: no write token is configured")
    if not cookie:
        raise Unauthorized("log in at /tools/login or send 'Authorization: Bearer <token>'")
    token = session_token(cookie, registry)
    if token is None:
        raise Forbidden("the session is not valid for writes; log in again at /tools/login")
    return token.name
