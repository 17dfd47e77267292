"""API keys: generation, the ``name:scope:sha256hex`` settings format, and verification.

Only the sha256 of each key is configured (``MEDTWIN_API_KEYS``); a key is shown once, by
``medtwin api-key new``. Keys are 256-bit random tokens, so a plain sha256 (no slow hash or salt)
cannot be reversed by brute force. ``write`` scope implies ``read``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from medtwin.errors import ConfigError

__all__ = [
    "ApiKey",
    "Scope",
    "authenticate",
    "hash_key",
    "key_from_headers",
    "new_key",
    "parse_api_keys",
]

Scope = Literal["read", "write"]
_SCOPES: tuple[Scope, ...] = ("read", "write")
_NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_HEX = re.compile(r"[0-9a-f]{64}")
KEY_PREFIX = "mtk_"


@dataclass(frozen=True)
class ApiKey:
    """One configured key: who it is, what it may do, and the sha256 of its secret."""

    name: str
    scope: Scope
    sha256: str

    def allows(self, needed: Scope) -> bool:
        """Whether this key's scope covers ``needed`` (write covers read)."""
        return self.scope == "write" or needed == "read"

    def settings_entry(self) -> str:
        """This key as one ``MEDTWIN_API_KEYS`` entry."""
        return f"{self.name}:{self.scope}:{self.sha256}"


def hash_key(secret: str) -> str:
    """sha256 (hex) of a key's secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_key(name: str, scope: Scope) -> tuple[str, ApiKey]:
    """Make a fresh key; return its secret (show once) and its configured form."""
    if _NAME.fullmatch(name) is None:
        raise ConfigError(f"invalid API key name {name!r}: use 1-64 of A-Z a-z 0-9 _ . -")
    if scope not in _SCOPES:
        raise ConfigError(f"invalid scope {scope!r}: use read or write")
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    return secret, ApiKey(name=name, scope=scope, sha256=hash_key(secret))


def parse_api_keys(text: str) -> tuple[ApiKey, ...]:
    """Parse ``MEDTWIN_API_KEYS`` (comma-separated ``name:scope:sha256hex``).

    Raises
    ------
    ConfigError
        An entry is malformed or a name repeats; the message names the entry (never a hash).
    """
    keys: list[ApiKey] = []
    for i, raw in enumerate(text.split(","), start=1):
        entry = raw.strip()
        if not entry:
            continue
        parts = entry.split(":")
        if len(parts) != 3:
            raise ConfigError(
                f"MEDTWIN_API_KEYS entry {i}: expected name:scope:sha256hex, got {len(parts)} "
                "field(s); create entries with `medtwin api-key new NAME --scope read|write`"
            )
        name, scope, digest = (p.strip() for p in parts)
        if _NAME.fullmatch(name) is None:
            raise ConfigError(f"MEDTWIN_API_KEYS entry {i}: invalid name {name!r}")
        if scope not in _SCOPES:
            raise ConfigError(
                f"MEDTWIN_API_KEYS entry {i} ({name}): scope must be read or write, got {scope!r}"
            )
        digest = digest.lower()
        if _HEX.fullmatch(digest) is None:
            raise ConfigError(
                f"MEDTWIN_API_KEYS entry {i} ({name}): the hash must be 64 hex characters "
                "(the sha256 of the key, never the key itself)"
            )
        if any(k.name == name for k in keys):
            raise ConfigError(f"MEDTWIN_API_KEYS: the name {name!r} appears twice")
        keys.append(ApiKey(name=name, scope="write" if scope == "write" else "read", sha256=digest))
    return tuple(keys)


def authenticate(keys: tuple[ApiKey, ...], secret: str | None) -> ApiKey | None:
    """Return the configured key whose hash matches ``secret`` (constant-time compare), or None."""
    if not secret:
        return None
    digest = hash_key(secret)
    found: ApiKey | None = None
    for key in keys:
        if hmac.compare_digest(key.sha256, digest):
            found = key
    return found


def key_from_headers(
    keys: tuple[ApiKey, ...], headers: Iterable[tuple[bytes, bytes]]
) -> ApiKey | None:
    """The key of raw ASGI headers (``Authorization: Bearer`` or ``X-API-Key``), or None.

    A header sent twice counts by its first value, as for the routes (Starlette's
    ``Headers.get``): before, the last one counted here, so a key sent with a second, wrong
    ``X-API-Key`` was authenticated by its route but rate-limited as an anonymous client.

    Examples
    --------
    >>> key = ApiKey(name="reader", scope="read", sha256=hash_key("mtk_example"))
    >>> key_from_headers((key,), [(b"x-api-key", b"mtk_example"), (b"x-api-key", b"junk")]).name
    'reader'
    >>> key_from_headers((key,), [(b"x-api-key", b"junk"), (b"x-api-key", b"mtk_example")])
    """
    first: dict[bytes, bytes] = {}
    for name, value in headers:
        first.setdefault(name.lower(), value)
    secret: str | None = None
    auth = first.get(b"authorization", b"").decode("latin-1")
    scheme, _, credentials = auth.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        secret = credentials.strip()
    elif b"x-api-key" in first:
        secret = first[b"x-api-key"].decode("latin-1")
    return authenticate(keys, secret)
