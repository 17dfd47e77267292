"""Fetch pinned reference files: copy from a local mirror (never the network), check sha256.

``sources.toml`` (repository root) pins every file as a ``[[file]]`` table (``source, name, url,
sha256, licence, version`` and optionally ``member`` for a file inside an upstream zip,
``mirror_only`` for derived files that only a mirror holds, ``note``); data shipped inside Python
packages is pinned as ``[[package]]`` (``source, package, version, licence, url, data``).

Files land in ``<dest>/<source>/<name>``. :func:`fetch_all` is idempotent: a file already present
with the pinned checksum is left alone. This is the only loader module that may use the network;
the ``read_*`` functions never do.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from medtwin.errors import ConfigError, DataFetchError, InputError, NotFoundError, SourceFormatError
from medtwin.loaders.limits import require_regular_file

__all__ = [
    "FetchedFile",
    "PackagePin",
    "Pin",
    "default_pins_path",
    "fetch_all",
    "load_package_pins",
    "load_pins",
    "locate",
    "sha256_of",
]

log = logging.getLogger(__name__)

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Pin:
    """One pinned reference file (a ``[[file]]`` table of ``sources.toml``)."""

    source: str
    name: str
    url: str
    sha256: str
    licence: str
    version: str
    member: str | None = None
    mirror_only: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class PackagePin:
    """Reference data shipped inside a Python package (a ``[[package]]`` table)."""

    source: str
    package: str
    version: str
    licence: str
    url: str
    data: str = ""


@dataclass(frozen=True, slots=True)
class FetchedFile:
    """Outcome of fetching one pinned file."""

    pin: Pin
    path: Path
    action: Literal["present", "copied"]


def default_pins_path() -> Path:
    """Return ``sources.toml`` at the repository root (three levels above this package)."""
    return Path(__file__).resolve().parents[3] / "sources.toml"


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        require_regular_file(path)  # a pipe would block the open; a folder: a traceback
        if path.stat().st_size == 0:  # TOML of nothing: no pin, and no error from tomllib
            raise ConfigError(
                f"{path}: pin file is empty; restore it (`git checkout sources.toml`)"
            )
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except SourceFormatError as e:
        raise ConfigError(f"{path}: pin file: {e.reason}") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: invalid TOML: {e}") from e


def _text(table: dict[str, Any], key: str, path: Path, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{path}: {where} needs a non-empty string '{key}', got {value!r}")
    return value


def load_pins(path: Path) -> list[Pin]:
    """Read the ``[[file]]`` pins of a ``sources.toml``.

    Parameters
    ----------
    path
        The pin file.

    Returns
    -------
    list[Pin]
        In file order.

    Raises
    ------
    ConfigError
        Missing file, invalid TOML, a missing key, a malformed sha256 or a duplicate file.
    """
    pins: list[Pin] = []
    seen: set[tuple[str, str]] = set()
    for number, table in enumerate(_read_toml(path).get("file", []), start=1):
        where = f"[[file]] #{number}"
        sha = _text(table, "sha256", path, where).lower()
        if not _SHA256.match(sha):
            raise ConfigError(f"{path}: {where} sha256 must be 64 hex digits, got {sha!r}")
        member = table.get("member")
        pin = Pin(
            source=_text(table, "source", path, where),
            name=_text(table, "name", path, where),
            url=_text(table, "url", path, where),
            sha256=sha,
            licence=_text(table, "licence", path, where),
            version=_text(table, "version", path, where),
            member=member if isinstance(member, str) and member else None,
            mirror_only=bool(table.get("mirror_only", False)),
            note=str(table.get("note", "")),
        )
        if (pin.source, pin.name) in seen:
            raise ConfigError(f"{path}: {where} pins {pin.source}/{pin.name} twice")
        seen.add((pin.source, pin.name))
        pins.append(pin)
    return pins


def load_package_pins(path: Path) -> list[PackagePin]:
    """Read the ``[[package]]`` pins of a ``sources.toml``.

    Raises
    ------
    ConfigError
        Missing file, invalid TOML or a missing key.
    """
    pins = []
    for number, table in enumerate(_read_toml(path).get("package", []), start=1):
        where = f"[[package]] #{number}"
        pins.append(
            PackagePin(
                source=_text(table, "source", path, where),
                package=_text(table, "package", path, where),
                version=_text(table, "version", path, where),
                licence=_text(table, "licence", path, where),
                url=_text(table, "url", path, where),
                data=str(table.get("data", "")),
            )
        )
    return pins


def sha256_of(path: Path) -> str:
    """Return the hex sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def locate(dest: Path, source: str, name: str) -> Path:
    """Return ``<dest>/<source>/<name>`` if it exists.

    Raises
    ------
    NotFoundError
        The file has not been fetched yet (hint: ``medtwin data fetch``).
    """
    path = dest / source / name
    if not path.is_file():
        raise NotFoundError(
            f"reference file {source}/{name} not found in {dest}",
            hint=f"run `medtwin data fetch --only {source}` (or set MEDTWIN_DATA_MIRROR)",
        )
    return path


def _verify(pin: Pin, path: Path, origin: str) -> None:
    got = sha256_of(path)
    if got != pin.sha256:
        raise DataFetchError(
            f"{pin.source}/{pin.name} from {origin}: sha256 mismatch, expected {pin.sha256}, "
            f"got {got}",
            hint="the copy is corrupt or not the pinned version; re-fetch it or fix the mirror",
        )


def _fetch_one(pin: Pin, dest: Path, mirror: Path | None) -> FetchedFile:
    final = dest / pin.source / pin.name
    if final.is_file() and sha256_of(final) == pin.sha256:
        return FetchedFile(pin, final, "present")
    final.parent.mkdir(parents=True, exist_ok=True)
    part = final.with_name(final.name + ".part")
    mirrored = None if mirror is None else mirror / pin.source / pin.name
    try:
        if mirrored is not None and mirrored.is_file():
            shutil.copyfile(mirrored, part)
            _verify(pin, part, str(mirrored))
        else:
            # No download at run time (these machines have no internet): the pinned URL is
            # where the mirror's copy came from, named so a user can fetch it by hand.
            where = "no data mirror is set" if mirror is None else f"{mirrored} does not exist"
            kind = (
                f"derived from {pin.url} ({pin.note or 'derived'})"
                if pin.mirror_only
                else (f"pinned from {pin.url}")
            )
            raise DataFetchError(
                f"{pin.source}/{pin.name} ({kind}) is only available from a mirror, and {where}",
                hint="set MEDTWIN_DATA_MIRROR to a folder holding <source>/<file> (this project: "
                "../shared/data), or put the file there with sha256 " + pin.sha256,
            )
        os.replace(part, final)
    finally:
        part.unlink(missing_ok=True)
    return FetchedFile(pin, final, "copied")


def fetch_all(
    dest: Path,
    mirror: Path | None = None,
    only: set[str] | None = None,
    progress: Callable[[FetchedFile], None] | None = None,
    *,
    pins_path: Path | None = None,
) -> list[FetchedFile]:
    """Fetch every pinned file (or those of the ``only`` sources) into ``dest``.

    Parameters
    ----------
    dest
        Target folder; files go to ``<dest>/<source>/<name>``.
    mirror
        Folder laid out as ``<source>/<name>`` (this project: ``../shared/data``); the only
        source: nothing is downloaded at run time.
    only
        Source names (or ``source/name`` strings) to fetch; ``None`` fetches all.
    progress
        Called once after each file with its :class:`FetchedFile`.
    pins_path
        The pin file; default :func:`default_pins_path`.

    Returns
    -------
    list[FetchedFile]
        One per file, with ``action`` ``present`` or ``copied``.

    Raises
    ------
    InputError
        ``only`` names no pinned source or file.
    DataFetchError
        A download fails, a mirror-only file is missing, or a checksum does not match (the
        message names the file, the expected and the actual sha256; nothing is left behind).
    """
    pins = load_pins(pins_path or default_pins_path())
    if only is not None:
        known = {p.source for p in pins} | {f"{p.source}/{p.name}" for p in pins}
        unknown = sorted(only - known)
        if unknown:
            raise InputError(
                f"unknown source(s) {unknown}; pinned: {sorted({p.source for p in pins})}"
            )
        pins = [p for p in pins if p.source in only or f"{p.source}/{p.name}" in only]
    results = []
    for pin in pins:
        fetched = _fetch_one(pin, dest, mirror)
        log.info("%s/%s: %s", pin.source, pin.name, fetched.action)
        results.append(fetched)
        if progress is not None:
            progress(fetched)
    return results
