"""Shared plumbing of the source loaders: the ``SourceInfo`` record, line reading, drop counting.

Every reader streams its file line by line, raises :class:`~medtwin.errors.SourceFormatError` on
the first malformed line (with its 1-based line number) and logs deliberate drops (self-loops,
non-human targets, unmapped symbols) as one WARNING per file through :class:`DropCounter`.
"""

from __future__ import annotations

import gzip
import importlib.metadata
import importlib.util
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from medtwin.errors import DataFetchError, SourceFormatError
from medtwin.loaders.rows import DiseaseRow

__all__ = [
    "DropCounter",
    "SourceInfo",
    "check_header",
    "mesh_disease_id",
    "open_text",
    "package_dir",
    "package_version",
    "parse_entrez",
    "split_list",
    "tsv_lines",
    "unique_mesh_diseases",
]


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """Provenance of one reference source, written to its ``(:Dataset)`` node.

    Parameters
    ----------
    name
        Source name; also the folder of its files (``menche2015_interactome``) and the value of
        every row's ``source`` field.
    url
        Where the data comes from (repository at a commit, or package index page).
    version
        Version string carried by every row as ``source_version``.
    licence
        Licence or terms of use, as stated upstream.
    files
        File names pinned in ``sources.toml`` for this source (empty for package-shipped data).
    citation
        Paper to cite, with DOI.
    """

    name: str
    url: str
    version: str
    licence: str
    files: tuple[str, ...]
    citation: str = ""


def open_text(path: Path) -> IO[str]:
    """Open a UTF-8 text file, transparently decompressing ``.gz``.

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    IO[str]
        A text stream; the caller closes it.
    """
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return path.open(encoding="utf-8", newline="")


def tsv_lines(path: Path, *, skip_comments: bool = True) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line_number, fields)`` for every non-blank line of a tab-separated file.

    Parameters
    ----------
    path
        The file (``.gz`` allowed).
    skip_comments
        Skip lines starting with ``#``.

    Yields
    ------
    tuple[int, list[str]]
        1-based line number and the tab-separated fields (line ending removed).
    """
    with open_text(path) as handle:
        for number, line in enumerate(handle, start=1):
            text = line.rstrip("\r\n")
            if not text.strip() or (skip_comments and text.startswith("#")):
                continue
            yield number, text.split("\t")


def parse_entrez(value: str, path: Path, line: int, what: str = "Entrez gene id") -> str:
    """Return ``value`` stripped if it is a positive integer, else raise ``SourceFormatError``.

    Parameters
    ----------
    value
        The raw field.
    path, line
        Where it was read (for the error message).
    what
        Name of the field in the error message.

    Returns
    -------
    str
        The id as canonical decimal text (leading zeros removed).
    """
    text = value.strip()
    if not text.isdigit() or int(text) == 0:
        raise SourceFormatError(
            path, line, f"{what} must be a positive integer, got {value!r}; fix or remove the line"
        )
    return str(int(text))


def check_header(path: Path, line: int, fields: list[str], expected: tuple[str, ...]) -> None:
    """Raise ``SourceFormatError`` unless ``fields`` (stripped) equal the ``expected`` columns."""
    if tuple(f.strip().strip('"') for f in fields) != expected:
        raise SourceFormatError(
            path, line, f"expected the header {list(expected)}, got {fields}; wrong file?"
        )


def split_list(value: str, sep: str) -> tuple[str, ...]:
    """Split a ``sep``-separated field, dropping empty items, ``-`` and surrounding blanks."""
    return tuple(item.strip() for item in value.split(sep) if item.strip() not in ("", "-"))


def mesh_disease_id(term: str) -> str:
    """Return the Disease id of a MeSH term name: ``"mesh:<lower-case term>"`` (see ``schema``).

    >>> mesh_disease_id("  Kidney Diseases ")
    'mesh:kidney diseases'
    """
    return "mesh:" + " ".join(term.split()).lower()


class DropCounter:
    """Count deliberate drops per reason and log them as ONE warning for a file.

    Parameters
    ----------
    logger
        The module's logger.
    path
        The file being read.
    """

    def __init__(self, logger: logging.Logger, path: Path) -> None:
        self._logger = logger
        self._path = path
        self.counts: Counter[str] = Counter()

    def drop(self, reason: str, n: int = 1) -> None:
        """Count ``n`` dropped items for ``reason``."""
        self.counts[reason] += n

    def report(self, kept: int, what: str = "rows") -> None:
        """Log one WARNING listing every drop reason (nothing when nothing was dropped)."""
        if not self.counts:
            self._logger.info("%s: %d %s", self._path.name, kept, what)
            return
        details = ", ".join(f"{n:,} {reason}" for reason, n in sorted(self.counts.items()))
        self._logger.warning("%s: kept %d %s; dropped %s", self._path.name, kept, what, details)


def unique_mesh_diseases(
    named_lines: Iterable[tuple[int, str]], path: Path, source: SourceInfo
) -> Iterator[DiseaseRow]:
    """Yield one ``mesh:<term>`` :class:`DiseaseRow` per line, rejecting a term seen twice.

    Parameters
    ----------
    named_lines
        ``(line number, MeSH term)`` pairs of a disease-gene file.
    path
        The file (for error messages).
    source
        Provenance written on every row.
    """
    seen: set[str] = set()
    for line, disease in named_lines:
        disease_id = mesh_disease_id(disease)
        if disease_id in seen:
            raise SourceFormatError(path, line, f"disease {disease!r} occurs twice")
        seen.add(disease_id)
        yield DiseaseRow(
            id=disease_id,
            name=disease,
            mesh_id=None,
            source=source.name,
            source_version=source.version,
        )


def package_version(package: str) -> str:
    """Installed version of a data-shipping package (``"not installed"`` when absent)."""
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def package_dir(package: str) -> Path:
    """Folder of an installed package, found without importing it (liana takes ~10 s to import).

    Raises
    ------
    DataFetchError
        The package is not installed.
    """
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise DataFetchError(f"{package} is not installed; run `uv sync` to install its data")
    return Path(next(iter(spec.submodule_search_locations)))
