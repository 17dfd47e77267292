"""Ranking parameters built one way for the CLI, the API and cohorts: :func:`rank_params`.

What ``--targets`` names is a tagged type (:data:`Targets`): a built-in source by its short name
(``drugbank``), a loaded drug–target dataset by its id (``drugbank_dhimmel``), or a file of the
user's own drugs with its sha256 (:class:`TargetsFile`). :func:`parse_targets` tells them apart,
once; :class:`~medtwin.platform.models.RankParams` stores the value as given (the short name,
the dataset id, or the file's path until the ranking records ``"<name> sha256:<hex>"``), so
ranking ids do not change. Light on purpose: no ranking code is imported.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from medtwin.errors import InputError
from medtwin.loaders.limits import require_regular_file
from medtwin.loaders.patient_rows import file_sha256
from medtwin.platform.arguments import names_file
from medtwin.platform.models import RankParams

__all__ = [
    "LOADED_SOURCES",
    "TARGET_SOURCES",
    "BuiltinSource",
    "DatasetSource",
    "Targets",
    "TargetsFile",
    "is_loaded_source",
    "looks_like_a_path",
    "parse_targets",
    "rank_params",
]

TARGET_SOURCES: dict[str, str] = {
    "drugbank": "drugbank_dhimmel",
    "drugcentral": "drugcentral_2016",
    "guney2016": "guney2016_network_medicine",
}
"""User-facing names of the built-in drug–target sources (``--targets``) → their Dataset ids."""

LOADED_SOURCES: frozenset[str] = frozenset(TARGET_SOURCES) | frozenset(TARGET_SOURCES.values())
"""Target sources the database holds, by either name (a ranking's ``targets`` is one of these,
or a user's targets file as ``<name> sha256:<hex>``)."""


def is_loaded_source(targets: str) -> bool:
    """True for a built-in target source (either name), False for a user's targets file.

    >>> [is_loaded_source(s) for s in ("drugbank", "drugbank_dhimmel", "t.tsv sha256:0a")]
    [True, True, False]
    """
    return targets in LOADED_SOURCES


@dataclass(frozen=True)
class BuiltinSource:
    """A built-in drug–target source by its short name (``drugbank``)."""

    name: str

    @property
    def dataset(self) -> str:
        """The Dataset id the source is loaded as."""
        return TARGET_SOURCES[self.name]

    @property
    def value(self) -> str:
        """What :class:`RankParams` stores."""
        return self.name


@dataclass(frozen=True)
class DatasetSource:
    """A loaded drug–target dataset by its id (``drugbank_dhimmel``)."""

    dataset: str

    @property
    def value(self) -> str:
        """What :class:`RankParams` stores."""
        return self.dataset


@dataclass(frozen=True)
class TargetsFile:
    """A file of the user's own drugs (``medtwin.loaders.drug_targets_custom``) and its sha256."""

    path: Path
    sha256: str

    @property
    def label(self) -> str:
        """``"<file name> sha256:<hex>"``: how the stored ranking records the file."""
        return f"{self.path.name} sha256:{self.sha256}"

    @property
    def value(self) -> str:
        """What :class:`RankParams` carries until the ranking reads the file (its path)."""
        return str(self.path)


Targets = BuiltinSource | DatasetSource | TargetsFile
"""What ``--targets`` (or the API's ``targets``) names."""


def parse_targets(value: str, *, files: bool = True) -> Targets:
    """The source, dataset or file ``value`` names (files only when ``files``).

    Examples
    --------
    >>> parse_targets("drugbank").dataset, parse_targets("drugcentral_2016")
    ('drugbank_dhimmel', DatasetSource(dataset='drugcentral_2016'))
    >>> parse_targets("nosuch")
    Traceback (most recent call last):
    ...
    medtwin.errors.InputError: unknown target source 'nosuch'; valid: drugbank, drugcentral, guney2016 (or their dataset ids), or a drug-target file
    >>> parse_targets("no/such/drugs.tsv")
    Traceback (most recent call last):
    ...
    medtwin.errors.SourceFormatError: no/such/drugs.tsv: file not found; check the path

    Raises
    ------
    InputError
        ``value`` is neither a source, a dataset id nor (with ``files``) an existing file;
        :class:`~medtwin.errors.SourceFormatError` (a subclass) when it names a path
        (:func:`looks_like_a_path`) that is no regular file one may read.
    """  # noqa: E501
    if value in TARGET_SOURCES:
        return BuiltinSource(value)
    if value in TARGET_SOURCES.values():
        return DatasetSource(value)
    if files and names_file(value):
        path = Path(value)
        return TargetsFile(path, file_sha256(path))
    if files and looks_like_a_path(value):
        # The readers' one check and words (a missing file, a folder, a pipe, no permission,
        # each with its fix), as every other path option says them: `rank --targets
        # no/such.tsv` was click's "neither a target source … nor an existing file" (exit 2).
        require_regular_file(Path(value))
    raise InputError(
        f"unknown target source {value!r}; valid: {', '.join(sorted(TARGET_SOURCES))} (or their "
        "dataset ids)" + (", or a drug-target file" if files else "")
    )


_FILE_SUFFIXES = (".tsv", ".txt", ".csv", ".tab", ".gz", ".gmt")


def looks_like_a_path(value: str) -> bool:
    """Whether ``value`` is meant as a file: it has a folder part or a file suffix, or exists.

    A source name is one word (``drugbank``), so ``no/such.tsv`` or ``drugs.tsv`` is a file that
    is not there, told as such, not an unknown source.

    >>> [looks_like_a_path(v) for v in ("drugbank", "drugs.tsv", "no/such", "/", "drugbank" * 40)]
    [False, True, True, True, False]
    """
    if "/" in value or os.sep in value or value.lower().endswith(_FILE_SUFFIXES):
        return True
    return names_file(value, or_other=True)


def rank_params(
    *,
    methods: Sequence[str] = (),
    order: Sequence[str] = (),
    tier: Literal["approved", "none"] = "approved",
    targets: Targets | str = "drugbank_dhimmel",
    n_samples: int = 1000,
    max_samples: int | None = None,
    seed: int = 0,
    approved_only: bool = False,
    effector_filter: bool = True,
) -> RankParams:
    """The :class:`RankParams` of a request, the same way from every entry point.

    Empty ``methods`` means the default set; methods named only in ``order`` are computed too;
    empty ``order`` means the model's default (proximity when computed, else the first method).
    ``max_samples`` (proximity's adaptive resampling bound) defaults to 100,000 and is raised to
    ``n_samples`` when below it.

    Raises
    ------
    InputError
        Unknown targets, or parameters the model refuses (the message names them).
    """
    chosen = tuple(methods) or RankParams().methods
    target = parse_targets(targets) if isinstance(targets, str) else targets
    try:
        return RankParams(
            methods=tuple(dict.fromkeys((*chosen, *order))),
            **({"order": tuple(order)} if order else {}),
            tier=tier,
            targets=target.value,
            n_samples=n_samples,
            max_samples=max(max_samples or RankParams().max_samples, n_samples),
            seed=seed,
            approved_only=approved_only,
            effector_filter=effector_filter,
        )
    except ValidationError as e:
        raise InputError(
            "invalid ranking parameters: "
            + "; ".join(
                f"{'.'.join(map(str, err['loc']))} {err['input']!r}: {err['msg']}"
                for err in e.errors(include_url=False)
            )
        ) from e
