"""Named bearer tokens with rights (read, write, admin), kept only as SHA-256 digests.

Tokens come from ``OSAAMISKARTTA_TOKENS`` (entries ``name:rights:sha256hex`` separated by
spaces or commas; rights joined with ``+``) and from the file ``OSAAMISKARTTA_TOKENS_FILE``
(one ``name rights sha256hex`` per line, ``#`` comments); ``OSAAMISKARTTA_WRITE_TOKEN`` adds one
write token named ``OSAAMISKARTTA_WRITE_TOKEN_NAME``. A presented token is hashed and compared
with every digest in constant time; neither tokens nor digests are ever logged.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path

from service.settings import Settings, SettingsError

RIGHTS = ("read", "write", "admin")
# Each right includes the ones before it.
_IMPLIED = {
    "read": frozenset({"read"}),
    "write": frozenset({"read", "write"}),
    "admin": frozenset({"read", "write", "admin"}),
}


def digest(token: str) -> str:
    """The SHA-256 hex digest a token is stored as."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """A fresh random token (256 bits)."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Token:
    """A named token's digest and rights."""

    name: str
    rights: frozenset[str]
    sha256: str

    def __repr__(self) -> str:  # never show the digest
        return f"Token(name={self.name!r}, rights={sorted(self.rights)})"


def parse_rights(text: str) -> frozenset[str]:
    """``write+admin`` → the rights it grants (with the implied ones)."""
    rights: set[str] = set()
    for right in text.replace(",", "+").split("+"):
        if right not in _IMPLIED:
            raise SettingsError(f"unknown right {right!r}; use {', '.join(RIGHTS)}")
        rights |= _IMPLIED[right]
    return frozenset(rights)


def _entry(name: str, rights: str, sha256: str, where: str) -> Token:
    sha256 = sha256.removeprefix("sha256:").lower()
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise SettingsError(f"{where}: the token {name!r} needs a SHA-256 hex digest")
    return Token(name, parse_rights(rights), sha256)


class TokenRegistry:
    """The configured tokens; ``check`` finds the one presented."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens

    @classmethod
    def from_settings(cls, settings: Settings) -> TokenRegistry:
        tokens: list[Token] = []
        if settings.write_token:
            tokens.append(
                Token(
                    settings.write_token_name,
                    _IMPLIED["write"],
                    digest(settings.write_token),
                )
            )
        for item in (settings.tokens or "").replace(",", " ").split():
            parts = item.split(":", 2)
            if len(parts) != 3:
                raise SettingsError("OSAAMISKARTTA_TOKENS entries are name:rights:sha256hex")
            name, rights, sha256 = parts
            tokens.append(_entry(name, rights, sha256, where="OSAAMISKARTTA_TOKENS"))
        if settings.tokens_file is not None:
            try:
                lines = Path(settings.tokens_file).read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise SettingsError(f"cannot read the tokens file: {exc}") from exc
            for number, line in enumerate(lines, 1):
                line = line.split("#", 1)[0].strip()
                if not line:
                    continue
                parts = line.split()
                if len(parts) != 3:
                    raise SettingsError(
                        f"tokens file line {number}: expected 'name rights sha256hex'"
                    )
                name, rights, sha256 = parts
                tokens.append(_entry(name, rights, sha256, where=f"tokens file line {number}"))
        return cls(tokens)

    def check(self, presented: str) -> Token | None:
        """The token whose digest matches, compared with every entry in constant time."""
        candidate = digest(presented)
        found: Token | None = None
        for token in self.tokens:
            if hmac.compare_digest(candidate, token.sha256) and found is None:
                found = token
        return found

    def any_with(self, right: str) -> bool:
        """True when some token grants ``right``."""
        return any(right in t.rights for t in self.tokens)
