"""API keys: generation, hashing and the ``name:scope:sha256hex`` settings format.

Standard library only, and outside ``medtwin.api`` (whose package imports the FastAPI app): the
``medtwin api-key new|list|revoke`` commands import this module alone, and ran ~1.9 s when it
lived in ``medtwin.api.security`` (importing the app took ~1.8 s of it). Verifying a request's
key is :mod:`medtwin.api.security`.

Only the sha256 of each key is configured (``MEDTWIN_API_KEYS``); a key is shown once, by
``medtwin api-key new``. Keys are 256-bit random tokens, so a plain sha256 (no slow hash or salt)
cannot be reversed by brute force. ``write`` scope implies ``read``.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Literal

from medtwin.errors import ConfigError

__all__ = ["KEY_PREFIX", "ApiKey", "Scope", "hash_key", "new_key", "parse_api_keys"]

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
        """The key as one ``MEDTWIN_API_KEYS`` entry."""
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
