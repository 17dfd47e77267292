"""Per-patient tables: differential expression, proteins and variants.

Symptom lists and the HPO vocabulary they are checked against are in
:mod:`medtwin.loaders.patient_symptoms` (re-exported here).

Each ``read_*`` takes one file of one patient and returns a :class:`PatientProfile`, which is
added as one input of the patient (:func:`medtwin.platform.patients.add_patient`). File rules
(delimiter sniffing, comments, quoting, R row names) are in :mod:`medtwin.loaders.patient_io`.

Accepted column names (case-insensitive; exactly one column per field):

============ ==============================================================================
field        column names
============ ==============================================================================
gene         gene, gene_symbol, symbol, Gene.symbol, hgnc_symbol, entrez, entrez_id,
             gene_id, GeneID, ID; or the unnamed first column of an R export; without any
             of these, gene_name, external_gene_name, ensembl, ensembl_id, ensembl_gene_id
             (DE tables: every other of these columns is a fallback, below)
log2fc       log2fc, log2FoldChange (DESeq2), logFC (limma/edgeR), avg_log2FC (Seurat),
             log2_fold_change (DE tables: optional when a z column is given)
z            z, zscore, z_score, stat (DESeq2 Wald), t (limma), wald (DE tables, optional;
             stored as ``GeneChange.zscore``)
padj         padj (DESeq2), adj.P.Val (limma), FDR (edgeR), p_val_adj (Seurat), qvalue,
             q_value
p            p, pvalue, p_value, P.Value (limma), pval, p_val (Seurat) (DE tables, used only
             without padj: Benjamini–Hochberg per patient, cell type and time point)
cell_type    cell_type, celltype, cell type
time_point   time_point, timepoint, time
log2ratio    log2ratio, log2_ratio, log2fc, logFC (proteins table)
variant_id   variant_id, variant, rsid, hgvs
consequence  consequence, effect, annotation (variants table; optional)
============ ==============================================================================

Genes may be symbols, unique synonyms, Entrez ids or Ensembl gene ids (a version suffix ignored);
they are resolved by a :class:`~medtwin.loaders.patient_rows.GeneResolver`. A DE table with two
gene columns (an nf-core ``gene_id`` of Ensembl ids and ``gene_name``; STARGEO's ``entrez`` and
``symbol``) reads each row's first column that resolves, so a row whose id is missing or does not
resolve is read by its symbol. Unresolved genes go to
``PatientProfile.unmapped`` with one WARNING. A gene cell holding a missing-value word (``NA``,
``NaN``, ``N/A``, ``NULL``, ``-``, empty: :mod:`medtwin.loaders.gene_names`) is no gene: the row
is skipped, all such rows counted in one WARNING naming the first line (a DE row without a gene
still counts among the tested rows of a Benjamini–Hochberg adjustment). When several rows give
the same gene (same layer, cell type and time point; same variant for variants), one row is
chosen **before** any threshold is applied: the smallest ``padj`` (a missing one counts as
largest), then the largest ``|log2fc|``, then the first in the file (rows of one variant, which
carry no padj or fold change: the most severe consequence, :func:`~medtwin.loaders.consequences.
consequence_rank`, then the first); the chosen row is then kept
or dropped by the thresholds, and the rows set aside are counted in one WARNING. So the row a
gene keeps never depends on the thresholds (before stop 48 the rows were filtered first: with a
``min_abs_log2fc`` a gene kept its largest change instead of its smallest padj, and the gene's
change could differ from its entry in the DE table's vector of every tested gene).
"""

from __future__ import annotations

import logging
from array import array
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, TypeAlias

from medtwin.errors import InputError, SourceFormatError
from medtwin.loaders.consequences import consequence_rank
from medtwin.loaders.gene_names import MissingGenes, is_missing_gene, warn_mouse_case
from medtwin.loaders.patient_io import TableHeader, TableStream, parse_float, stream_table
from medtwin.loaders.patient_rows import (
    ChangeLayer,
    GeneChange,
    GeneResolver,
    PatientProfile,
    UnmappedNames,
    resolve_gene,
    validate_patient_id,
)
from medtwin.loaders.patient_symptoms import (
    HpoVocabulary,
    normalise_symptoms,
    read_symptoms,
    shipped_hpo_vocabulary,
)

__all__ = [
    "HpoVocabulary",
    "bh_adjust",
    "normalise_symptoms",
    "read_de_table",
    "read_proteins",
    "read_symptoms",
    "read_variants",
    "shipped_hpo_vocabulary",
]

log = logging.getLogger(__name__)

GENE_ALIASES = (
    "gene",
    "gene_symbol",
    "symbol",
    "gene.symbol",
    "hgnc_symbol",
    "entrez",
    "entrez_id",
    "gene_id",
    "geneid",
    "id",
)
GENE_FALLBACK_ALIASES = (
    "gene_name",
    "external_gene_name",
    "ensembl",
    "ensembl_id",
    "ensembl_gene_id",
)
"""Gene columns used only beside (or without) a :data:`GENE_ALIASES` column (nf-core, biomaRt)."""
LOG2FC_ALIASES = ("log2fc", "log2foldchange", "logfc", "avg_log2fc", "log2_fold_change")
PADJ_ALIASES = ("padj", "adj.p.val", "fdr", "p_val_adj", "qvalue", "q_value")
P_ALIASES = ("p", "pvalue", "p_value", "p.value", "pval", "p_val")
Z_ALIASES = ("z", "zscore", "z_score", "stat", "t", "wald")
CELL_TYPE_ALIASES = ("cell_type", "celltype", "cell type")
TIME_POINT_ALIASES = ("time_point", "timepoint", "time")
LOG2RATIO_ALIASES = ("log2ratio", "log2_ratio", "log2fc", "logfc")
VARIANT_ALIASES = ("variant_id", "variant", "rsid", "hgvs")
CONSEQUENCE_ALIASES = ("consequence", "effect", "annotation")


_ENTREZ_ALIASES = ("entrez", "entrez_id", "gene_id", "geneid")
_UNTESTED = frozenset({"", "NA", "NAN", "NULL", "NONE"})


def _gene_column(table: TableHeader) -> int:
    """Return the gene column.

    With both an Entrez and a symbol column (e.g. a STARGEO signature: ``symbol``, ``entrez``)
    the Entrez id is the unambiguous one and wins.
    """
    entrez = [i for i, name in enumerate(table.header) if name.lower() in _ENTREZ_ALIASES]
    others = [
        i
        for i, name in enumerate(table.header)
        if name.lower() in GENE_ALIASES and name.lower() not in _ENTREZ_ALIASES
    ]
    if len(entrez) == 1 and len(others) <= 1:
        return entrez[0]
    index = table.column("gene", GENE_ALIASES, required=False)
    if index is None and table.header and table.header[0] == "":
        return 0  # R row names hold the genes
    if index is None:
        index = table.column("gene", GENE_ALIASES)
    assert index is not None
    return index


def _gene_columns(table: TableHeader) -> tuple[int, ...]:
    """The gene column, then the other gene columns to fall back on, row by row.

    The gene column is :func:`_gene_column`'s (so a table read before is read the same); only
    a table with none of :data:`GENE_ALIASES` (and no R row names) takes its gene column from
    :data:`GENE_FALLBACK_ALIASES`. Every other column of either list is a fallback, for a row
    whose gene cell is missing or does not resolve.
    """
    lower = [name.lower() for name in table.header]
    known = any(name in GENE_ALIASES for name in lower) or (lower and lower[0] == "")
    fallback = [i for i, name in enumerate(lower) if name in GENE_FALLBACK_ALIASES]
    primary = _gene_column(table) if known or not fallback else fallback[0]
    others = [
        i
        for i, name in enumerate(lower)
        if i != primary and (name in GENE_ALIASES or name in GENE_FALLBACK_ALIASES)
    ]
    return (primary, *others)


def _row_genes(fields: tuple[str, ...], columns: tuple[int, ...]) -> tuple[str, ...]:
    """The row's gene cells that are not missing-value words, gene column first."""
    return tuple(fields[i] for i in columns if not is_missing_gene(fields[i]))


def _optional_text(fields: tuple[str, ...], index: int | None) -> str | None:
    if index is None:
        return None
    value = fields[index]
    return value if value else None


def _better(new: GeneChange, old: GeneChange) -> bool:
    if new.layer == "variant":
        # A variant row has no padj and log2fc 0: what tells two rows of one variant apart is
        # the consequence, and the more severe one is the stronger claim on the gene.
        return consequence_rank(new.consequence) < consequence_rank(old.consequence)
    new_p = 2.0 if new.padj is None else new.padj
    old_p = 2.0 if old.padj is None else old.padj
    if new_p != old_p:
        return new_p < old_p
    return abs(new.log2fc) > abs(old.log2fc)


@dataclass
class _Collector:
    """Gathers changes of one file, deduplicating by key and remembering unmapped genes."""

    source: str
    changes: dict[tuple[str | None, ...], GeneChange] = field(default_factory=dict)
    unmapped: UnmappedNames = field(default_factory=UnmappedNames)
    duplicates: int = 0
    variant_duplicates: int = 0
    names: dict[tuple[str | None, ...], str] = field(default_factory=dict)
    aliases: list[tuple[str, str]] = field(default_factory=list)
    """(a row's gene name, the name of the earlier row it resolved to the same gene as)."""

    def add(self, change: GeneChange, name: str | None = None) -> None:
        key = (change.entrez, change.layer, change.cell_type, change.time_point, change.variant_id)
        old = self.changes.get(key)
        if old is None:
            self.changes[key] = change
            if name is not None:
                self.names[key] = name
            return
        self.duplicates += 1
        self.variant_duplicates += change.layer == "variant"
        first = self.names.get(key)
        if name is not None and first is not None and name.upper() != first.upper():
            self.aliases.append((name, first))  # two names, one gene: say which
        if _better(change, old):
            self.changes[key] = change

    def report_duplicates(self) -> None:
        """One WARNING for the rows dropped as another row's gene, naming merged aliases."""
        if not self.duplicates:
            return
        merged = ""
        if self.aliases:
            shown = ", ".join(f"{a} = {b}" for a, b in self.aliases[:5])
            more = f" and {len(self.aliases) - 5} more" if len(self.aliases) > 5 else ""
            merged = (
                f"; {len(self.aliases)} of them name the gene of an earlier row by another "
                f"symbol or alias ({shown}{more})"
            )
        rule = (
            "keeping the most severe consequence, then the first"
            if self.variant_duplicates == self.duplicates
            else "keeping the smallest padj, then the largest |log2fc|, then the first"
        )
        log.warning(
            "%s: %d duplicate row(s) for the same gene were set aside before any threshold, %s%s",
            self.source,
            self.duplicates,
            rule,
            merged,
        )

    def finish(
        self, keep: Callable[[GeneChange], bool] | None = None
    ) -> tuple[tuple[GeneChange, ...], tuple[tuple[str, ...], int]]:
        """The chosen change of each gene that ``keep`` passes (thresholds after the choice)."""
        self.report_duplicates()
        warn_mouse_case(self.source, (c.symbol for c in self.changes.values()))
        changes = tuple(c for c in self.changes.values() if keep is None or keep(c))
        log.info(
            "%s: %d change(s) kept, %d gene(s) below thresholds",
            self.source,
            len(changes),
            len(self.changes) - len(changes),
        )
        return changes, self.unmapped.finish(self.source)


def _profile(
    read: tuple[Path, str],
    patient_id: str,
    collector: _Collector,
    metadata: Mapping[str, str] | None,
    keep: Callable[[GeneChange], bool] | None = None,
) -> PatientProfile:
    """The profile of a file read (``read``: its path and the sha256 of the bytes read)."""
    changes, (unmapped, unmapped_count) = collector.finish(keep)
    path, sha256 = read
    return PatientProfile(
        patient_id=patient_id,
        changes=changes,
        metadata=dict(metadata or {}),
        # of the bytes read, not of the file now: it may have been replaced since
        input_checksums={path.name: sha256},
        unmapped=unmapped,
        unmapped_count=unmapped_count,
    )


def _resolved(genes: GeneResolver, names: tuple[str, ...]) -> tuple[str | None, str | None, str]:
    """``(entrez, symbol, name)`` of the first of ``names`` that resolves, else ``names[0]``'s."""
    entrez: str | None = None
    symbol: str | None = None
    for name in names:
        entrez, symbol = resolve_gene(genes, name)
        if entrez is not None:
            return entrez, symbol, name
    return None, None, names[0]


def _collect(
    collector: _Collector,
    genes: GeneResolver,
    names: tuple[str, ...],
    log2fc: float,
    padj: float | None,
    layer: ChangeLayer,
    fields: tuple[str, ...],
    optional: tuple[int | None, int | None],
) -> None:
    """Resolve the first of ``names`` that resolves and add its change, or record it unmapped."""
    entrez, symbol, name = _resolved(genes, names)
    if entrez is None:
        collector.unmapped.add(name)
        return
    cell_i, time_i = optional
    collector.add(
        GeneChange(
            entrez=entrez,
            symbol=symbol,
            log2fc=log2fc,
            padj=padj,
            layer=layer,
            cell_type=_optional_text(fields, cell_i),
            time_point=_optional_text(fields, time_i),
        ),
        name,
    )


def bh_adjust(pvalues: Sequence[float]) -> list[float]:
    r"""Benjamini–Hochberg adjusted p-values, in the input order.

    :math:`q_{(i)} = \min_{j \ge i} \min(1, m\, p_{(j)} / j)` over the :math:`m` p-values sorted
    ascending. A copy of :func:`medtwin.platform.algorithms.stats.bh_qvalues` in plain Python,
    because loaders do not import the platform.

    Parameters
    ----------
    pvalues
        p-values in [0, 1].

    Returns
    -------
    list of float

    References
    ----------
    Benjamini Y., Hochberg Y. J R Stat Soc B 57, 289-300 (1995).
    doi:10.1111/j.2517-6161.1995.tb02031.x

    Examples
    --------
    >>> bh_adjust([0.01, 0.04, 0.03, 0.20])
    [0.04, 0.05333333333333334, 0.05333333333333334, 0.2]
    """
    m = len(pvalues)
    order = sorted(range(m), key=lambda i: pvalues[i])
    out = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, pvalues[i] * m / rank)
        out[i] = min(running, 1.0)
    return out


class _DeRow(NamedTuple):
    """A DE row whose gene resolved, as kept until its padj is known.

    A tuple of what the change needs, not the row's text and fields, which a table of 500,000
    rows held whole (~6 times as much).
    """

    position: int
    entrez: str
    symbol: str | None
    name: str
    log2fc: float
    zscore: float | None
    padj: float | None
    cell_type: str | None
    time_point: str | None

    def collect(self, collector: _Collector) -> None:
        """Give the row's change to ``collector`` (which keeps one row per gene)."""
        collector.add(
            GeneChange(
                entrez=self.entrez, symbol=self.symbol, log2fc=self.log2fc, padj=self.padj,
                layer="expression", cell_type=self.cell_type, time_point=self.time_point,
                zscore=self.zscore,
            ),
            self.name,
        )  # fmt: skip


def _probability(path: Path, line: int, name: str, value: str) -> float | None:
    got = parse_float(path, line, name, value, allow_missing=True)
    if got is not None and not 0.0 <= got <= 1.0:
        raise SourceFormatError(path, line, f"{name} must be in [0, 1], got {value!r}")
    return got


def read_de_table(
    path: Path,
    patient_id: str,
    genes: GeneResolver,
    *,
    padj_max: float | None = 0.05,
    min_abs_log2fc: float = 0.0,
    metadata: Mapping[str, str] | None = None,
    every: list[GeneChange] | None = None,
) -> PatientProfile:
    """Read one patient's differential-expression table (columns in the module docstring).

    Evidence columns, in order of use:

    * ``padj`` (adjusted p) is used as it is;
    * otherwise a raw ``p`` column is adjusted with Benjamini–Hochberg **per patient**: over all
      rows of the file with a p-value (genes that do not map included, since they were tested),
      separately for each cell type and time point; the result is stored as ``padj``;
    * with neither, every row is kept (no padj filter) and one WARNING says so.

    A ``z`` / ``stat`` column (z, zscore, z_score, stat, t, wald) is stored as
    ``GeneChange.zscore``. Without a log2fc column, z gives the sign and size of the change
    (stored as ``log2fc``) and one WARNING says so.

    Parameters
    ----------
    path
        TSV or CSV with a gene column, a log2 fold-change and/or z column, optional padj or raw
        p, and optional ``cell_type`` / ``time_point`` columns.
    patient_id
        The patient's id (``[A-Za-z0-9_.-]{1,64}``).
    genes
        Maps symbols / Entrez ids to Entrez ids.
    padj_max
        Keep rows with ``padj <= padj_max`` (padj given or computed from p); a missing padj
        (``NA``, as DESeq2 writes for filtered genes) fails the test. ``None`` keeps all rows.
    min_abs_log2fc
        Keep rows with ``|log2fc| >= min_abs_log2fc`` (``|z|`` when z stands in for log2fc).
    metadata
        Copied into the profile (e.g. ``{"comparison": "RA vs healthy"}``).
    every
        When given, receives every tested gene's chosen change, neither filter applied (the
        changes are those of these that pass; what the twin's activities read).

    Returns
    -------
    PatientProfile
        Changes on the ``"expression"`` layer, in file order.

    Raises
    ------
    InputError
        Invalid patient id or thresholds.
    SourceFormatError
        No log2fc nor z column, a non-numeric log2fc or z (``'NA'`` included), padj or p, a
        padj or p outside [0, 1], or a wrong field count, naming the line.
    """
    patient_id = validate_patient_id(patient_id)
    if padj_max is not None and not 0.0 <= padj_max <= 1.0:
        raise InputError(f"padj_max must be in [0, 1] or None, got {padj_max!r}")
    if min_abs_log2fc < 0:
        raise InputError(f"min_abs_log2fc must be >= 0, got {min_abs_log2fc!r}")
    table = stream_table(path)
    gene_columns = _gene_columns(table)  # first: its error comes before the other columns'
    z_i = table.column("z", Z_ALIASES, required=False)
    fc_i = table.column("log2fc", LOG2FC_ALIASES, required=z_i is None)
    padj_i = table.column("padj", PADJ_ALIASES, required=False)
    p_i = table.column("p", P_ALIASES, required=False) if padj_i is None else None
    cell_i = table.column("cell_type", CELL_TYPE_ALIASES, required=False)
    time_i = table.column("time_point", TIME_POINT_ALIASES, required=False)
    if fc_i is None:
        log.warning(
            "%s: no log2fc column; the %r column gives the sign and size of each change "
            "(stored as log2fc and zscore)",
            path.name,
            table.header[z_i] if z_i is not None else "z",
        )
    collector = _Collector(source=path.name)
    columns = (z_i, fc_i, padj_i, p_i, cell_i, time_i)
    rows, tested_p = _read_de_rows(table, gene_columns, genes, collector, columns)
    if p_i is not None:
        adjusted = _adjust_per_group(tested_p)
        rows = [row._replace(padj=adjusted.get(row.position)) for row in rows]
        log.info(
            "%s: padj computed from the %r column by Benjamini-Hochberg over the patient's "
            "rows (per cell type and time point)",
            path.name,
            table.header[p_i],
        )
    elif padj_i is None and padj_max is not None:
        log.warning(
            "%s: no padj or p column; every row is kept (no significance filter)", path.name
        )
        padj_max = None
    for row in rows:
        row.collect(collector)
    if every is not None:
        every.extend(collector.changes.values())
    threshold = padj_max

    def passes(change: GeneChange) -> bool:
        """The thresholds, applied to each gene's chosen row (module docstring)."""
        if threshold is not None and (change.padj is None or change.padj > threshold):
            return False
        return abs(change.log2fc) >= min_abs_log2fc

    return _profile((path, table.digest.hexdigest()), patient_id, collector, metadata, passes)


_Groups: TypeAlias = "dict[tuple[str | None, str | None], tuple[array[int], array[float]]]"
"""(cell type, time point) -> the indices of its rows with a raw p, and their p-values."""


def _read_de_rows(
    table: TableStream,
    gene_columns: tuple[int, ...],
    genes: GeneResolver,
    collector: _Collector,
    columns: tuple[int | None, ...],
) -> tuple[list[_DeRow], _Groups]:
    """One pass over a DE table: its rows whose gene resolves, and every tested row's raw p.

    A row's numbers are checked (and its gene resolved) as it is read, so no row is held as text.
    With a padj column (or none) each resolved row goes to ``collector`` at once, which keeps one
    per gene; with a raw p column every tested row counts in its group's Benjamini-Hochberg
    adjustment, and the rows of a resolved gene are returned, to be collected once their padj is
    known. Unresolved genes go to ``collector.unmapped``; rows without a gene or statistic are
    counted.
    """
    path = table.path
    z_i, fc_i, padj_i, p_i, cell_i, time_i = columns
    rows: list[_DeRow] = []
    tested_p: _Groups = {}
    untested = 0
    index = 0
    missing = MissingGenes(path.name)
    for line, fields in table.rows:
        names = _row_genes(fields, gene_columns)
        if not names:
            # no gene (NA, empty, ...): kept as a tested row for BH, never resolved or stored
            missing.skip(line, fields[gene_columns[0]])
        stat_cells = [fields[i] for i in (z_i, fc_i, padj_i, p_i) if i is not None]
        if all(cell.strip().upper() in _UNTESTED for cell in stat_cells):
            # a gene the analysis did not test (empty or NA in every statistic, as DESeq2 and
            # meta-analyses write): no evidence either way, so no change
            untested += 1
            continue
        z = None if z_i is None else parse_float(path, line, table.header[z_i], fields[z_i])
        log2fc = z if fc_i is None else parse_float(path, line, table.header[fc_i], fields[fc_i])
        assert log2fc is not None
        padj = None if padj_i is None else _probability(path, line, "padj", fields[padj_i])
        cell, time_point = _optional_text(fields, cell_i), _optional_text(fields, time_i)
        raw_p = None if p_i is None else _probability(path, line, "p", fields[p_i])
        if raw_p is not None:
            group = tested_p.setdefault((cell, time_point), (array("q"), array("d")))
            group[0].append(index)
            group[1].append(raw_p)
        if names:
            entrez, symbol, name = _resolved(genes, names)
            if entrez is None:
                collector.unmapped.add(name)
            else:
                row = _DeRow(index, entrez, symbol, name, log2fc, z, padj, cell, time_point)
                if p_i is None:
                    row.collect(collector)  # its padj is known: chosen now, in file order
                else:
                    rows.append(row)  # its padj is known once every p of its group is read
        index += 1
    missing.report()
    if untested:
        log.warning(
            "%s: %d row(s) with no statistic at all (empty or NA) were not tested; left out",
            path.name,
            untested,
        )
    return rows, tested_p


def _adjust_per_group(tested_p: _Groups) -> dict[int, float]:
    """Row index -> BH of its raw p within its (cell type, time point) group."""
    padj: dict[int, float] = {}
    for members, pvalues in tested_p.values():
        padj.update(zip(members, bh_adjust(pvalues), strict=True))
    return padj


def read_proteins(
    path: Path,
    patient_id: str,
    genes: GeneResolver,
    *,
    min_abs_log2ratio: float = 0.0,
    metadata: Mapping[str, str] | None = None,
) -> PatientProfile:
    """Read one patient's protein table: gene and log2 ratio (patient / reference).

    Parameters
    ----------
    path
        TSV or CSV with ``gene`` and ``log2ratio`` columns, optional ``padj``, ``cell_type``,
        ``time_point``.
    patient_id
        The patient's id.
    genes
        Maps symbols / Entrez ids to Entrez ids.
    min_abs_log2ratio
        Keep rows with ``|log2ratio| >= min_abs_log2ratio``.
    metadata
        Copied into the profile.

    Returns
    -------
    PatientProfile
        Changes on the ``"protein"`` layer (``log2fc`` holds the log2 ratio).

    Raises
    ------
    SourceFormatError
        A missing column, a non-numeric ratio or padj, or a wrong field count.
    """
    patient_id = validate_patient_id(patient_id)
    table = stream_table(path)  # row by row: a table held whole cost ~25 times its bytes
    gene_i = _gene_column(table)
    ratio_i = table.column("log2ratio", LOG2RATIO_ALIASES)
    padj_i = table.column("padj", PADJ_ALIASES, required=False)
    cell_i = table.column("cell_type", CELL_TYPE_ALIASES, required=False)
    time_i = table.column("time_point", TIME_POINT_ALIASES, required=False)
    assert ratio_i is not None
    collector = _Collector(source=path.name)
    missing = MissingGenes(path.name)
    for line, fields in table.rows:
        gene = fields[gene_i]
        if is_missing_gene(gene):
            missing.skip(line, gene)
            continue
        ratio = parse_float(path, line, table.header[ratio_i], fields[ratio_i])
        assert ratio is not None
        padj = None
        if padj_i is not None:
            padj = parse_float(path, line, table.header[padj_i], fields[padj_i], allow_missing=True)
            if padj is not None and not 0.0 <= padj <= 1.0:
                raise SourceFormatError(
                    path, line, f"padj must be in [0, 1], got {fields[padj_i]!r}"
                )
        _collect(collector, genes, (gene,), ratio, padj, "protein", fields, (cell_i, time_i))
    missing.report()
    # as a DE table: each gene's row is chosen first, then the threshold applies
    return _profile(
        (path, table.digest.hexdigest()),
        patient_id,
        collector,
        metadata,
        lambda c: abs(c.log2fc) >= min_abs_log2ratio,
    )


def read_variants(
    path: Path,
    patient_id: str,
    genes: GeneResolver,
    *,
    metadata: Mapping[str, str] | None = None,
) -> PatientProfile:
    """Read one patient's variant table: gene, variant id and (optionally) consequence.

    Parameters
    ----------
    path
        TSV or CSV with ``gene`` and ``variant_id`` columns and an optional ``consequence``.
    patient_id
        The patient's id.
    genes
        Maps symbols / Entrez ids to Entrez ids.
    metadata
        Copied into the profile.

    Returns
    -------
    PatientProfile
        Changes on the ``"variant"`` layer with ``log2fc = 0.0``, one per (gene, variant).

    Raises
    ------
    SourceFormatError
        A missing column, an empty variant id, or a wrong field count.
    """
    patient_id = validate_patient_id(patient_id)
    table = stream_table(path)  # row by row, as read_proteins
    gene_i = _gene_column(table)
    variant_i = table.column("variant_id", VARIANT_ALIASES)
    consequence_i = table.column("consequence", CONSEQUENCE_ALIASES, required=False)
    assert variant_i is not None
    collector = _Collector(source=path.name)
    missing = MissingGenes(path.name)
    for line, fields in table.rows:
        gene, variant = fields[gene_i], fields[variant_i]
        if is_missing_gene(gene):
            missing.skip(line, gene)
            continue
        if not variant:
            raise SourceFormatError(
                path, line, f"empty variant_id for gene {gene!r}; give an rsID or HGVS"
            )
        entrez, symbol = resolve_gene(genes, gene)
        if entrez is None:
            collector.unmapped.add(gene)
            continue
        collector.add(
            GeneChange.variant(entrez, symbol, variant, _optional_text(fields, consequence_i))
        )
    missing.report()
    return _profile((path, table.digest.hexdigest()), patient_id, collector, metadata)
