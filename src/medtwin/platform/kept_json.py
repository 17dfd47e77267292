"""Reference tables kept on disk between processes as JSON, each with the key it was read for.

A table that only changes with a reload (the gene table, a source's drug targets) is read from
Neo4j once and kept in the store's cache folder: one file per *slot* (the database's identity and
the table's name), holding the *key* it was read for (the datasets' sha256 and load times). A
later process with the same key reads the file; a different key, or a file that cannot be read or
that its codec refuses, means the table is read from the database again, never trusted. Written
to a temporary file and renamed into place, so concurrent processes see the old file or the new
one. JSON, not pickle: a file in the cache folder is data, never code.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from medtwin.atomic import atomic_output

__all__ = ["KeptJson", "kept_path", "read_kept", "write_kept"]

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class KeptJson(Generic[T]):
    """How one kind of table is kept: its file prefix and its JSON codec.

    ``decode`` raises ``ValueError`` (or ``TypeError``, ``KeyError``) for content it does not
    trust; the table is then read from the database again.
    """

    what: str
    prefix: str
    encode: Callable[[T], object]
    decode: Callable[[object], T]


def kept_path(folder: Path, prefix: str, slot: str) -> Path:
    """The file that keeps the table of ``slot`` (e.g. a database identity) in ``folder``."""
    return folder / f"{prefix}{hashlib.sha256(slot.encode()).hexdigest()[:16]}.json"


def read_kept(folder: Path, kind: KeptJson[T], slot: str, key: str) -> T | None:
    """The table kept for ``slot`` if it was read for ``key``; else ``None``."""
    path = kept_path(folder, kind.prefix, slot)
    if not path.is_file():
        return None
    try:
        got = json.loads(path.read_bytes())
        if not isinstance(got, dict) or got.get("key") != key:
            log.info("%s cache %s was read for another load; reading again", kind.what, path)
            return None
        return kind.decode(got.get("table"))
    # JSONDecodeError, UnicodeDecodeError, a codec's refusal, nesting past the parser's limit
    except (OSError, ValueError, TypeError, KeyError, RecursionError) as exc:
        log.warning("ignoring unreadable %s cache %s (%s); reading it again", kind.what, path, exc)
        return None


def write_kept(folder: Path, kind: KeptJson[T], slot: str, key: str, table: T) -> Path:
    """Keep ``table`` for ``slot``, read for ``key`` (replaces the slot's earlier file)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = kept_path(folder, kind.prefix, slot)
    body = {"key": key, "table": kind.encode(table)}
    with atomic_output(path) as fh:
        fh.write(json.dumps(body, separators=(",", ":")).encode())
    return path
