"""A user's own drugs as ranking candidates: ``medtwin rank --targets FILE``.

The file (format in :mod:`medtwin.loaders.drug_targets_custom`) is read, its genes are mapped to
Entrez ids through the genes already in the database
(:meth:`medtwin.platform.context.ReferenceContext.gene_index`) and each drug becomes a
:class:`~medtwin.platform.ranking.base.DrugTargets`. The ranking records the file as
``"<file name> sha256:<hex>"`` (:attr:`CustomCandidates.label`), so the ranking id and its stored
parameters change when the file's content does, and a ranking can be traced to the exact file it
came from. The name is the file's own, or the one its user knows it by (``name``): an API upload
is read from a copy under a sanitised name (``my_drugs_1_.tsv``) in a temporary folder, and the
ranking records the client's ``my drugs (1).tsv`` instead, never a server path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from medtwin.errors import InputError
from medtwin.loaders.drug_targets_custom import custom_target_rows, resolve_custom_targets
from medtwin.loaders.patient_io import stream_table
from medtwin.loaders.patient_rows import GeneResolver, file_sha256
from medtwin.platform.arguments import names_file
from medtwin.platform.ranking.base import DrugTargets

__all__ = [
    "CustomCandidates",
    "custom_candidates",
    "is_targets_file",
    "recorded_name",
    "targets_label",
]


@dataclass(frozen=True)
class CustomCandidates:
    """The drugs of a targets file, ready to rank.

    Attributes
    ----------
    label
        ``"<file name> sha256:<hex>"``: stored as the ranking's ``targets``.
    drugs
        Drug id -> targets, in file order (drugs without a mapped target included).
    unmapped
        Genes of the file that are not in the database, sorted.
    """

    label: str
    drugs: dict[str, DrugTargets]
    unmapped: tuple[str, ...]


def is_targets_file(targets: str, known_sources: set[str]) -> bool:
    """Whether ``targets`` names a file rather than one of ``known_sources``."""
    return targets not in known_sources and names_file(targets)


def recorded_name(path: Path, name: str | None = None) -> str:
    """The name a ranking records for the targets file ``path``: ``name``, else the file's own.

    ``name`` must be a file name (no folder, no control character, not empty): it is shown
    and stored as given.

    >>> recorded_name(Path("/tmp/x/my_drugs.tsv")), recorded_name(Path("/tmp/a.tsv"), "my a.tsv")
    ('my_drugs.tsv', 'my a.tsv')
    >>> recorded_name(Path("a.tsv"), "../a.tsv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    medtwin.errors.InputError: targets_name '../a.tsv' is not a file name: give the name alone, ...
    """
    if name is None:
        return path.name
    if (
        not isinstance(name, str)
        or not name.strip()
        or "/" in name
        or "\\" in name
        or name in (".", "..")
        or not name.isprintable()
    ):
        raise InputError(
            f"targets_name {name!r} is not a file name: give the name alone, without folders "
            "(e.g. 'trial.tsv')"
        )
    return name


def targets_label(path: Path, name: str | None = None) -> str:
    """``"<file name> sha256:<hex>"`` of a targets file (``name``: :func:`recorded_name`)."""
    return f"{recorded_name(path, name)} sha256:{file_sha256(path)}"


def custom_candidates(
    path: Path, genes: GeneResolver, *, name: str | None = None
) -> CustomCandidates:
    """Read a targets file and map its genes with ``genes``.

    Parameters
    ----------
    path
        The TSV of drug–target pairs.
    genes
        Resolver of symbols and Entrez ids (the database's genes).
    name
        The name the ranking records the file by (:func:`recorded_name`; default its own).

    Returns
    -------
    CustomCandidates

    Raises
    ------
    SourceFormatError
        The file is malformed (file, line, value and fix in the message).
    """
    table = stream_table(path)  # row by row: the rows are grouped by drug as they are read
    resolved = resolve_custom_targets(custom_target_rows(table), genes, source=path.name)
    drugs = {
        d.drug_id: DrugTargets(
            name=d.name, targets=d.targets, directions=d.directions, approved=None
        )
        for d in resolved.drugs
    }
    # the sha256 of the bytes read: a second pass could hash a file replaced in between
    label = f"{recorded_name(path, name)} sha256:{table.digest.hexdigest()}"
    return CustomCandidates(label=label, drugs=drugs, unmapped=resolved.unmapped)
