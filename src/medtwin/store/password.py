"""The local server's generated password (one file, read by the server and the driver)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

__all__ = ["read_or_create_password"]


def read_or_create_password(home: Path) -> str:
    """Return the local server's password, generated once into ``<home>/neo4j-password`` (0600)."""
    path = home / "neo4j-password"
    if path.exists():
        return path.read_text().strip()
    home.mkdir(parents=True, exist_ok=True)
    password = _generate()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(password + "\n")
    return password


def _generate() -> str:
    """32 URL-safe characters that do not start with "-".

    A leading dash reads as an option to command-line tools (``neo4j-admin``, ``cypher-shell -p``).
    """
    while True:
        password = secrets.token_urlsafe(24)
        if not password.startswith("-"):
            return password
