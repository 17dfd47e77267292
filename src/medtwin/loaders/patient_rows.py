"""Typed rows of a patient's inputs: gene changes and the patient profile they form.

Every patient reader (:mod:`medtwin.loaders.patient_tables`, the cohort reader
:func:`medtwin.platform.cohort_profiles.read_cohort`, :func:`medtwin.platform.singlecell.read_h5ad`,
:mod:`~medtwin.loaders.patient_fhir`) returns :class:`PatientProfile` objects built from
:class:`GeneChange` rows. Genes are keyed by NCBI Entrez id as text, the id namespace of
``Protein`` in :mod:`medtwin.schema`; genes that do not resolve are kept by name in
:attr:`PatientProfile.unmapped`, never silently dropped.

The module also holds the small helpers every reader shares: the :class:`GeneResolver` protocol
(any object with ``resolve(symbol_or_entrez) -> entrez | None``, e.g. ``GeneIndex``), patient id
validation, file checksums and gene resolution with one WARNING for the unmapped genes.
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import re
from array import array
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from medtwin.errors import InputError
from medtwin.loaders.gene_names import (
    clean_gene_name,
    hint_of_counts,
    is_ensembl,
    is_excel_made,
    is_missing_gene,
    listed_names,
    unmapped_hint,
)
from medtwin.loaders.limits import require_regular_file, shown

__all__ = [
    "PATIENT_ID_PATTERN",
    "UNMAPPED_KEPT",
    "ActivityStats",
    "CellTypeStats",
    "ChangeLayer",
    "GeneChange",
    "GeneResolver",
    "PatientProfile",
    "UnmappedNames",
    "file_sha256",
    "resolve_gene",
    "validate_patient_id",
    "require_contribution",
    "warn_unmapped",
]

log = logging.getLogger(__name__)

PATIENT_ID_PATTERN = re.compile(r"(?=.*[A-Za-z0-9_-])[A-Za-z0-9_.-]{1,64}")
"""Rule for patient ids (the ``Patient`` id namespace of :mod:`medtwin.schema`): 1-64 of
``A-Z a-z 0-9 _ . -``, not only dots (``.`` and ``..`` name folders in paths and URLs)."""

ChangeLayer = Literal["expression", "protein", "variant"]
"""The omics layer a :class:`GeneChange` was measured in."""

_ENTREZ = re.compile(r"[1-9][0-9]*")

UNMAPPED_KEPT = 1000
"""Most unresolved gene names a profile keeps (and an input stores): the first, by name.

A table of 500,000 transcript ids the gene index does not know stored every one with its input
(~10 MB on one node, sent in the add's transaction and read back by ``patient list``); the count
of all of them is kept in :attr:`PatientProfile.unmapped_count`."""


class GeneResolver(Protocol):
    """Anything that maps a gene symbol, synonym or Entrez id to an Entrez id (as text)."""

    def resolve(self, symbol_or_entrez: str, /) -> str | None:
        """Return the Entrez id of ``symbol_or_entrez``, or ``None`` when it does not resolve."""
        ...


def validate_patient_id(patient_id: str) -> str:
    """Check a patient id against :data:`PATIENT_ID_PATTERN`.

    Parameters
    ----------
    patient_id
        The id to check.

    Returns
    -------
    str
        ``patient_id`` unchanged.

    Raises
    ------
    InputError
        The id breaks the rule; the message names the value and the rule.

    Examples
    --------
    >>> validate_patient_id("P001")
    'P001'
    """
    if not isinstance(patient_id, str) or PATIENT_ID_PATTERN.fullmatch(patient_id) is None:
        raise InputError(
            f"invalid patient id {shown(patient_id)}: use 1-64 characters from A-Z a-z 0-9 _ . -, "
            "not only dots (rule [A-Za-z0-9_.-]{1,64}, not . or ..)"
        )
    return patient_id


class GeneChange(BaseModel):
    """One measured change of one gene in one patient.

    Attributes
    ----------
    entrez
        NCBI Entrez gene id as text (``"7157"``).
    symbol
        The symbol given in the input, when it was a symbol (``None`` for Entrez-id input).
    log2fc
        log2 fold change (expression), log2 ratio (protein) or ``0.0`` (variant).
    padj
        Adjusted p-value when the input gives one.
    layer
        ``"expression"``, ``"protein"`` or ``"variant"``.
    cell_type
        Cell type of a single-cell or cell-sorted measurement.
    tissue
        Tissue the measurement comes from (multi-tissue twins: ``"blood"``, ``"synovium"``);
        ``None`` for a single-tissue input, which behaves as before tissues existed.
    time_point
        Time point label of a longitudinal measurement.
    zscore
        The patient's z-score against the reference samples (cohort readers), or the test
        statistic of a DE table's ``z`` / ``stat`` column.
    variant_id
        Variant layer only: the variant's id (rsID, HGVS, VCF-style ``chr:pos:ref:alt``).
    consequence
        Variant layer only: its consequence (``missense_variant``, ``stop_gained``, ...).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    entrez: str
    symbol: str | None = None
    log2fc: float = Field(allow_inf_nan=False)
    padj: float | None = Field(default=None, ge=0.0, le=1.0)
    layer: ChangeLayer = "expression"
    cell_type: str | None = None
    tissue: str | None = None
    time_point: str | None = None
    zscore: float | None = Field(default=None, allow_inf_nan=False)
    variant_id: str | None = None
    consequence: str | None = None

    @field_validator("entrez")
    @classmethod
    def _entrez_is_numeric(cls, value: str) -> str:
        if _ENTREZ.fullmatch(value) is None:
            raise ValueError(f"entrez must be a positive integer as text, got {value!r}")
        return value

    @classmethod
    def variant(
        cls,
        entrez: str,
        symbol: str | None,
        variant_id: str | None,
        consequence: str | None,
    ) -> GeneChange:
        """A change of the variant layer: no fold change (``log2fc`` 0).

        Every reader of variants (VCF, FHIR, mutation and variant tables) writes it so.
        """
        return cls(
            entrez=entrez, symbol=symbol, log2fc=0.0, layer="variant",
            variant_id=variant_id, consequence=consequence,
        )  # fmt: skip


class CellTypeStats(BaseModel):
    """Every measured gene's statistic of one cell type (the input of its footprint activities).

    The changes of a cell type keep only its significant genes; footprint methods (ULM/MLM) need
    the statistic of every measured gene, so single-cell readers keep it here as well.

    Attributes
    ----------
    cell_type, tissue
        The context (``tissue`` ``None`` unless the cells came from several tissues or one named).
    statistic
        What the values are, e.g. ``"wilcoxon z"``.
    stats
        Entrez id -> signed statistic.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    cell_type: str
    tissue: str | None = None
    statistic: str
    stats: dict[str, float]


class ActivityStats(BaseModel):
    """Every tested gene's statistic of one input (the input of the twin's footprint activities).

    A DE table or a cohort patient keeps only its significant changes; footprint methods
    (ULM/MLM) need the statistic of every measured gene, so those readers keep it here as well.

    Attributes
    ----------
    statistic
        What the values are: ``"de evidence"`` (z / t, else from padj, else log2fc) or
        ``"crawford_howell_t"``.
    layer, time_point
        The changes' layer and time point (the twin selects vectors as it selects changes).
    tissue
        The tissue of the changes it was computed from (a multi-tissue patient); ``None``: the
        input's, whatever tissue its changes name.
    stats
        Entrez id -> signed statistic (the evidence of ``gene_statistics``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    statistic: str
    layer: ChangeLayer = "expression"
    time_point: str | None = None
    tissue: str | None = None
    stats: dict[str, float]


class PatientProfile(BaseModel):
    """Everything known about one patient, ready to become a digital twin.

    Attributes
    ----------
    patient_id
        Validated id (``[A-Za-z0-9_.-]{1,64}``).
    changes
        Gene changes across layers, cell types and time points.
    symptoms
        HPO term ids (``"HP:0001945"``) or MeSH symptom descriptor ids (``"D005334"``).
    exposures
        Free-text or coded exposures (drugs taken, smoking, ...).
    metadata
        Text key/values such as ``cohort``, ``comparison``, ``pathotype``.
    input_checksums
        Input file name to its sha256 (hex), for provenance.
    unmapped
        Gene names from the input that did not resolve to an Entrez id: the first
        :data:`UNMAPPED_KEPT` in the order given (by name, as the readers give them).
    unmapped_count
        How many names did not resolve (all of them, kept in ``unmapped`` or not); set from
        ``unmapped`` when not given.
    cell_type_stats
        Per cell type, every measured gene's statistic (single-cell inputs; for activities only).
    activity_stats
        Every tested gene's statistic (DE tables, cohort patients; for activities only).
    warnings
        What the reader logged as WARNINGs about the file(s) this profile was read from (rows
        skipped, values reinterpreted, ...), filled by the platform's read functions
        (:mod:`medtwin.platform.read_warnings`); not stored with the input.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    patient_id: str
    changes: tuple[GeneChange, ...] = ()
    symptoms: tuple[str, ...] = ()
    exposures: tuple[str, ...] = ()
    metadata: dict[str, str] = Field(default_factory=dict)
    input_checksums: dict[str, str] = Field(default_factory=dict)
    unmapped: tuple[str, ...] = ()
    unmapped_count: int = 0
    cell_type_stats: tuple[CellTypeStats, ...] = ()
    activity_stats: tuple[ActivityStats, ...] = ()
    warnings: tuple[str, ...] = ()

    @field_validator("patient_id")
    @classmethod
    def _patient_id_rule(cls, value: str) -> str:
        # InputError is not a ValueError, so pydantic lets it through unwrapped.
        return validate_patient_id(value)

    @property
    def unmapped_total(self) -> int:
        """How many names did not resolve: ``unmapped_count``, at least ``len(unmapped)``.

        (A ``model_copy(update={"unmapped": ...})`` is not validated: its count may lag.)
        """
        return max(self.unmapped_count, len(self.unmapped))

    @model_validator(mode="before")
    @classmethod
    def _cap_unmapped(cls, data: Any) -> Any:
        """Keep the first :data:`UNMAPPED_KEPT` unresolved names and the count of all."""
        if not isinstance(data, dict) or "unmapped" not in data:
            return data
        names = tuple(data["unmapped"])
        count = max(int(data.get("unmapped_count") or 0), len(names))
        return {**data, "unmapped": names[:UNMAPPED_KEPT], "unmapped_count": count}


def file_sha256(path: Path) -> str:
    """Return the sha256 (hex) of a file's bytes.

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    str
        64 hex characters.
    """
    require_regular_file(path)  # a pipe would block here, before any reader could refuse it
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def resolve_gene(genes: GeneResolver, name: str) -> tuple[str | None, str | None]:
    """Resolve one gene name to ``(entrez, symbol)``.

    Parameters
    ----------
    genes
        The resolver.
    name
        A symbol, synonym or Entrez id as written in the input (surrounding space is ignored;
        an integral float id such as ``7124.0`` is the id ``7124``).

    Returns
    -------
    tuple of (str or None, str or None)
        The Entrez id (``None`` when unresolved) and the symbol as given (``None`` when the
        input was an Entrez id; for an Ensembl id, the resolver's official symbol of the gene
        when it has ``symbol_of``, as :class:`~medtwin.loaders.genes_ncbi.GeneIndex` does, else
        ``None``). A missing-value word (``NA``, ``NaN``, ``N/A``, ``NULL``, ``-``,
        empty: :mod:`medtwin.loaders.gene_names`) is no gene: ``(None, None)``, never a synonym.

    Examples
    --------
    >>> class Genes:
    ...     def resolve(self, name): return {"XK": "7504", "NA": "7504", "7124": "7124"}.get(name)
    >>> resolve_gene(Genes(), "NA"), resolve_gene(Genes(), "7124.0")
    ((None, None), ('7124', None))
    """
    if is_missing_gene(name):
        return None, None
    name = clean_gene_name(name)
    entrez = genes.resolve(name)
    if _ENTREZ.fullmatch(name):
        return entrez, None
    if is_ensembl(name):
        symbol_of = getattr(genes, "symbol_of", None)
        return entrez, symbol_of(entrez) if entrez is not None and symbol_of else None
    return entrez, name


def require_contribution(profile: PatientProfile, name: str) -> None:
    """Refuse a profile that adds nothing (no gene change, symptom or exposure).

    Raises
    ------
    InputError
        ``"<name>: 0 of N genes mapped ..."``, naming a few of the unmapped names.
    """
    if profile.changes or profile.symptoms or profile.exposures:
        return
    n = profile.unmapped_total
    shown = ", ".join(repr(u[:40]) for u in profile.unmapped[:5])
    hint = unmapped_hint(profile.unmapped)
    more = (
        f" (unmapped: {shown}{', ...' if n > 5 else ''}{'; ' + hint if hint else ''})" if n else ""
    )
    raise InputError(
        f"{name}: contributes nothing: 0 of {n} genes mapped to the interactome's gene "
        f"layer{more}; check the gene column (HGNC symbols or Entrez ids), the thresholds, "
        "and that the file has data rows"
    )


def warn_unmapped(source: str, unmapped: Iterable[str]) -> tuple[str, ...]:
    """Sort and deduplicate unmapped gene names and log them in one WARNING.

    Parameters
    ----------
    source
        What was read (a file name or ``"<file> patient P1"``), for the message.
    unmapped
        The gene names that did not resolve.

    Returns
    -------
    tuple of str
        The sorted unique names (empty when all genes resolved; then nothing is logged).
        Missing-value words (``NA``, empty, ...) are no gene names and are left out. A profile
        made of them keeps the first :data:`UNMAPPED_KEPT` and their count.
    """
    names = tuple(sorted({n for n in unmapped if not is_missing_gene(n)}))
    _say_unmapped(source, len(names), names[:10], unmapped_hint(names))
    return names


def _say_unmapped(source: str, count: int, first: Sequence[str], hint: str) -> None:
    if count:
        shown = listed_names(first[:10]) + (", ..." if count > 10 else "")
        log.warning(
            "%s: %d gene(s) did not resolve to an Entrez id and are listed in `unmapped`: %s%s",
            source,
            count,
            shown,
            f" ({hint})" if hint else "",
        )


class UnmappedNames:
    """A read's unresolved gene names, gathered in bounded memory as the read finds them.

    In place of a list of every name handed to :func:`warn_unmapped` at the read's end:
    :meth:`finish` gives the same first :data:`UNMAPPED_KEPT` names (by name), the same count
    of distinct names and the same WARNING, holding those names and 8 bytes per distinct name
    where the list held every name found (each occurrence its own string: a VCF's 479,000
    unresolved records took ~60 MB). The distinct names are counted by a 64-bit hash: two names
    of one hash count once (~1e-8 for 500,000 names).

    Examples
    --------
    >>> names = UnmappedNames()
    >>> for name in ["B", "A", "B", "NA", "ENSG00000000001"]:
    ...     names.add(name)
    >>> names.finish("x.vcf")
    (('A', 'B', 'ENSG00000000001'), 3)
    """

    def __init__(self) -> None:
        self._all = _FirstAndCount(UNMAPPED_KEPT)
        self._excel = _FirstAndCount(3)
        self._ensembl = _FirstAndCount(0)

    def add(self, name: str) -> None:
        """One name that did not resolve (a missing-value word is no name: left out)."""
        if is_missing_gene(name):
            return
        self._all.add(name)
        if is_excel_made(name):
            self._excel.add(name)
        if is_ensembl(name):
            self._ensembl.add(name)

    def __bool__(self) -> bool:
        """Whether any name was added (every one is among the first kept until there are more)."""
        return bool(self._all.first)

    def finish(self, source: str) -> tuple[tuple[str, ...], int]:
        """The first :data:`UNMAPPED_KEPT` names and the count of all, said in one WARNING."""
        count = self._all.count()
        hint = hint_of_counts(self._excel.count(), self._excel.first, self._ensembl.count())
        _say_unmapped(source, count, self._all.first, hint)
        return tuple(self._all.first), count


class _FirstAndCount:
    """The ``keep`` smallest distinct strings added, and how many distinct ones (by hash)."""

    _BATCH = 1 << 16

    def __init__(self, keep: int) -> None:
        self.first: list[str] = []
        self._keep = keep
        self._pending = array("q")  # hashes not yet merged into _seen
        self._seen: Any = None  # sorted distinct hashes (numpy), once a batch was merged

    def add(self, name: str) -> None:
        first = self.first
        if self._keep and (len(first) < self._keep or name < first[-1]):
            i = bisect.bisect_left(first, name)
            if i == len(first) or first[i] != name:
                first.insert(i, name)
                del first[self._keep :]
        self._pending.append(hash(name))
        if len(self._pending) >= self._BATCH:
            self._merge()

    def _merge(self) -> None:
        import numpy as np  # only for reads of many unresolved names

        batch = np.frombuffer(self._pending, dtype=np.int64)
        seen = np.concatenate([batch] if self._seen is None else [self._seen, batch])
        seen.sort()  # then each value once (np.unique's hash table took ~10 times as long)
        self._seen = seen[np.concatenate(([True], seen[1:] != seen[:-1]))] if seen.size else seen
        self._pending = array("q")

    def count(self) -> int:
        if self._seen is None:
            return len(set(self._pending))
        self._merge()
        return len(self._seen)
