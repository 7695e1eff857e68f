"""Who may write through the tools: the bearer token (JSON API) or, for browser forms, a
session cookie obtained by posting the token once to /tools/login.

The cookie holds an HMAC of a fixed label under the write token, not the token itself; it is
HttpOnly and SameSite=Strict (so other sites cannot make the browser post with it), and it
stops working when the token changes. Tokens never travel in URLs."""

from __future__ import annotations

import hashlib
import hmac

from service.auth import authorize_write
from service.errors import Forbidden, Unauthorized

COOKIE = "osaamiskartta_tools"
_LABEL = b"osaamiskartta tools session v1"


def session_value(token: str) -> str:
    """The cookie value that stands for `token`."""
    return hmac.new(token.encode(), _LABEL, hashlib.sha256).hexdigest()


def check_token(candidate: str, token: str | None) -> None:
    """Accept `candidate` as the write token or raise Forbidden."""
    authorize_write(f"Bearer {candidate}" if candidate.strip() else None, token)


def authorize_tools(
    authorization: str | None, cookie: str | None, token: str | None, name: str
) -> str:
    """The writer's name when the request carries the bearer token or a valid session."""
    if authorization:
        return authorize_write(authorization, token, name)
    if not token:
        raise Forbidden("this service is read-only: no write token is configured")
    if not cookie:
        raise Unauthorized("log in at /tools/login or send 'Authorization: Bearer <token>'")
    if not hmac.compare_digest(cookie.encode(), session_value(token).encode()):
        raise Forbidden("the session is not valid for writes; log in again at /tools/login")
    return name
