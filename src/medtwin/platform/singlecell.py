"""Single-cell RNA-seq (``.h5ad``) → one multicellular patient profile with per-cell-type changes.

The file is read and checked by :func:`medtwin.loaders.patient_singlecell.read_anndata`; the
differential expression is here.

Two comparisons, both run with scanpy's ``rank_genes_groups`` (Wilcoxon rank-sum, Benjamini–Hochberg
adjusted p-values, log2 fold changes computed by scanpy from ``expm1`` of log1p-normalised data):

* **case vs control** (``condition_key`` given): within each cell type, the cells whose
  ``condition_key`` equals ``case`` are compared with those equal to ``control``. Use it for a
  patient's cells merged with reference (healthy) cells of the same cell types. Cells are treated
  as replicates, so p-values are optimistic (pseudo-replication); rank by effect size, not p.
* **marker programme** (``condition_key=None``): each cell type is compared with all other cells
  of the sample. There is no disease contrast; the changes describe what each cell type expresses
  more (``direction="up"``) or less than the rest, i.e. the sample's cell-type programmes. This
  is the mode for healthy references such as 10x PBMC 68k.

Cell types (or conditions within a cell type) with fewer than ``min_cells`` cells are skipped and
named in one WARNING and in ``metadata["skipped_cell_types"]``. The expression used is ``.raw``
when present (scanpy's default, where it keeps log-normalised values), else ``.X``; it must be
log1p-normalised, not scaled, for the fold changes to mean anything. Genes are resolved after the
thresholds, so ``unmapped`` lists genes that would have been changes.

Besides the changes (the twin's module and evidence), every cell type keeps the Wilcoxon z score
of **every** measured gene that resolves (``PatientProfile.cell_type_stats``; at most
:data:`MAX_STAT_GENES`, largest ``|z|`` first, rounded to 3 decimals): the footprint activities of
the cell type (ULM/MLM, :mod:`medtwin.platform.cell_regulators`) need each gene's statistic, not
only the significant ones (Badia-i-Mompel 2022, doi:10.1093/bioadv/vbac016). Only the activity
step reads them.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from medtwin.errors import InputError, SourceFormatError
from medtwin.loaders.gene_names import warn_mouse_case
from medtwin.loaders.patient_rows import (
    CellTypeStats,
    GeneChange,
    GeneResolver,
    PatientProfile,
    resolve_gene,
    validate_patient_id,
    warn_unmapped,
)
from medtwin.loaders.patient_singlecell import VarGenes, read_anndata
from medtwin.platform.step_times import tally

__all__ = ["read_h5ad"]

log = logging.getLogger(__name__)

Direction = Literal["both", "up", "down"]
_KEY = "medtwin_rank_genes"
MAX_STAT_GENES = 20000
"""Most genes whose statistic a cell type keeps for its activities (largest ``|z|`` first)."""
STATISTIC = "wilcoxon z"


def _rank(
    adata: Any, groupby: str, groups: list[str], reference: str, use_raw: bool
) -> dict[str, pd.DataFrame]:
    import scanpy as sc

    sc.tl.rank_genes_groups(
        adata,
        groupby=groupby,
        groups=groups,
        reference=reference,
        method="wilcoxon",
        use_raw=use_raw,
        key_added=_KEY,
        n_genes=adata.raw.n_vars if use_raw else adata.n_vars,
    )
    return {g: sc.get.rank_genes_groups_df(adata, group=g, key=_KEY) for g in groups}


def _keep(
    frame: pd.DataFrame, padj_max: float, min_abs_log2fc: float, direction: Direction
) -> pd.DataFrame:
    lfc = frame["logfoldchanges"].astype(float)
    padj = frame["pvals_adj"].astype(float)
    mask = lfc.notna() & padj.notna() & (padj <= padj_max) & (lfc.abs() >= min_abs_log2fc)
    if direction == "up":
        mask &= lfc > 0
    elif direction == "down":
        mask &= lfc < 0
    return frame.loc[mask]


def _full_stats(
    frame: pd.DataFrame, genes: GeneResolver, cell_type: str, tissue: str | None
) -> CellTypeStats:
    """Wilcoxon z of every resolved gene of one cell type (largest |z| per Entrez id, capped)."""
    best: dict[str, float] = {}
    for name, z in zip(frame["names"], frame["scores"].astype(float), strict=True):
        if not math.isfinite(z):
            continue
        entrez, _ = resolve_gene(genes, str(name))
        if entrez is not None and (entrez not in best or abs(z) > abs(best[entrez])):
            best[entrez] = z
    top = sorted(best, key=lambda g: (-abs(best[g]), g))[:MAX_STAT_GENES]
    return CellTypeStats(
        cell_type=cell_type,
        tissue=tissue,
        statistic=STATISTIC,
        stats={g: round(best[g], 3) for g in sorted(top)},
    )


@dataclass
class _Part:
    """Changes of one tissue's cells (the whole file when no tissue is given)."""

    changes: list[GeneChange]
    stats: list[CellTypeStats]
    unmapped: list[str]
    cell_types: list[str]
    skipped: list[str]
    comparison: str
    n_cells: int


def _part_changes(
    adata: Any,
    path: Path,
    genes: VarGenes,
    *,
    tissue: str | None,
    cell_type_key: str,
    condition_key: str | None,
    case: str | None,
    control: str | None,
    padj_max: float,
    min_abs_log2fc: float,
    direction: Direction,
    max_genes_per_cell_type: int | None,
    min_cells: int,
    raw: bool,
) -> _Part:
    where = f"{path.name} (tissue {tissue})" if tissue else path.name
    counts = adata.obs[cell_type_key].value_counts()
    cell_types = sorted(str(c) for c in counts.index if counts[c] > 0)

    results: dict[str, pd.DataFrame] = {}
    skipped: list[str] = []
    if condition_key is None:
        eligible = [c for c in cell_types if counts[c] >= min_cells]
        skipped = [c for c in cell_types if counts[c] < min_cells]
        if len(cell_types) < 2:
            raise InputError(f"{where}: marker mode needs >= 2 cell types in {cell_type_key!r}")
        if eligible:  # one scanpy call (its import included): not countable
            tally(f"{where}: comparing {len(eligible)} cell types (scanpy Wilcoxon)", 0, 1)
            results = _rank(adata, cell_type_key, eligible, "rest", raw)
        comparison = "each cell type vs all other cells (marker programme)"
    else:
        assert case is not None
        assert control is not None
        present = set(map(str, adata.obs[condition_key].dropna().unique()))
        for value in (case, control):
            if value not in present:
                raise SourceFormatError(
                    path,
                    None,
                    f"{condition_key!r} has no value {value!r}; values are {sorted(present)}",
                )
        for i, cell_type in enumerate(cell_types):
            tally(f"{where}: comparing {case} vs {control} in each cell type", i, len(cell_types))
            sub = adata[adata.obs[cell_type_key] == cell_type].copy()
            n = sub.obs[condition_key].value_counts()
            if n.get(case, 0) < min_cells or n.get(control, 0) < min_cells:
                skipped.append(cell_type)
                continue
            sub.obs[condition_key] = sub.obs[condition_key].cat.remove_unused_categories()
            results[cell_type] = _rank(sub, condition_key, [case], control, raw)[case]
        comparison = f"{case} vs {control} within each cell type"
    if not results:
        raise InputError(
            f"{where}: no cell type has >= {min_cells} cells in each compared group; "
            "lower min_cells or check the keys"
        )
    if skipped:
        log.warning(
            "%s: %d cell type(s) skipped for fewer than %d cells: %s",
            where,
            len(skipped),
            min_cells,
            ", ".join(skipped),
        )

    changes: list[GeneChange] = []
    unmapped: list[str] = []
    for cell_type in sorted(results):
        kept = _keep(results[cell_type], padj_max, min_abs_log2fc, direction)
        kept = kept.reindex(kept["scores"].abs().sort_values(ascending=False, kind="stable").index)
        seen: set[str] = set()
        for name, lfc, padj in zip(
            kept["names"], kept["logfoldchanges"], kept["pvals_adj"], strict=True
        ):
            if max_genes_per_cell_type is not None and len(seen) >= max_genes_per_cell_type:
                break
            entrez, symbol = resolve_gene(genes, str(name))
            if entrez is None:
                unmapped.append(genes.label(str(name)))  # 'STAT3 (ENSG…)', not the id
                continue
            if entrez in seen:
                # A repeated var name, or two names of one gene: rows come largest |z| first,
                # so the gene keeps that column's change, as its entry in the full vector does.
                continue
            seen.add(entrez)
            changes.append(
                GeneChange(
                    entrez=entrez,
                    symbol=symbol,
                    log2fc=float(lfc),
                    padj=min(1.0, max(0.0, float(padj))) if not math.isnan(padj) else None,
                    layer="expression",
                    cell_type=cell_type,
                    tissue=tissue,
                )
            )
    return _Part(
        changes=changes,
        stats=[_full_stats(results[c], genes, c, tissue) for c in sorted(results)],
        unmapped=unmapped,
        cell_types=sorted(results),
        skipped=skipped,
        comparison=comparison,
        n_cells=int(adata.n_obs),
    )


def read_h5ad(
    path: Path,
    genes: GeneResolver,
    *,
    patient_id: str,
    cell_type_key: str,
    condition_key: str | None = None,
    case: str | None = None,
    control: str | None = None,
    padj_max: float = 0.05,
    min_abs_log2fc: float = 0.25,
    direction: Direction = "both",
    max_genes_per_cell_type: int | None = None,
    min_cells: int = 3,
    use_raw: bool | None = None,
    tissue: str | None = None,
    tissue_key: str | None = None,
) -> PatientProfile:
    """Read an ``.h5ad`` file into per-cell-type gene changes (modes in the module docstring).

    Parameters
    ----------
    path
        The AnnData file.
    genes
        Maps symbols / Entrez ids (``var_names``) to Entrez ids.
    patient_id
        Id of the resulting profile.
    cell_type_key
        ``obs`` column with the cell type of each cell.
    condition_key
        ``obs`` column with the condition; ``None`` = marker-programme mode.
    case, control
        Values of ``condition_key`` compared (both required when ``condition_key`` is given).
    padj_max
        Keep genes with Benjamini–Hochberg ``padj <= padj_max``.
    min_abs_log2fc
        And with ``|log2fc| >= min_abs_log2fc``.
    direction
        ``"up"``, ``"down"`` or ``"both"``: which sign of log2fc to keep.
    max_genes_per_cell_type
        Keep at most this many genes per cell type, best Wilcoxon score magnitude first.
    min_cells
        Skip cell types (or conditions within one) with fewer cells.
    use_raw
        Use ``.raw``; default: when the file has one.
    tissue
        The tissue all cells of the file come from (multi-tissue twins); set on every change.
    tissue_key
        ``obs`` column naming each cell's tissue: each tissue's cells are compared on their
        own (cell types within the tissue, as above), and changes carry their tissue.

    Returns
    -------
    PatientProfile
        Changes with ``cell_type`` set, cell types sorted, genes in score order; and per cell type
        every resolved gene's Wilcoxon z (``cell_type_stats``, module docstring).

    Raises
    ------
    InputError
        Inconsistent mode arguments, bad thresholds, or no cell type with enough cells.
    SourceFormatError
        The file cannot be read or lacks an ``obs`` column or a condition value.
    """
    started = time.perf_counter()
    patient_id = validate_patient_id(patient_id)
    if condition_key is not None and (case is None or control is None):
        raise InputError(f"condition_key={condition_key!r} needs both case and control values")
    if condition_key is None and (case is not None or control is not None):
        raise InputError("case/control need condition_key; leave all three unset for markers")
    if not 0.0 <= padj_max <= 1.0 or min_abs_log2fc < 0 or min_cells < 2:
        raise InputError(
            f"need 0 <= padj_max <= 1, min_abs_log2fc >= 0, min_cells >= 2; got {padj_max}, "
            f"{min_abs_log2fc}, {min_cells}"
        )
    data = read_anndata(
        path,
        cell_type_key=cell_type_key,
        condition_key=condition_key,
        tissue_key=tissue_key,
        use_raw=use_raw,
    )
    adata, raw, genes = data.adata, data.raw, data.resolver(genes)  # var symbols as fallback
    if tissue is not None and tissue_key is not None:
        raise InputError(
            f"{path.name}: give either tissue={tissue!r} (the whole file is one tissue) or "
            f"tissue_key={tissue_key!r} (an obs column naming each cell's tissue), not both"
        )
    if tissue is not None and not tissue.strip():
        raise InputError(f"{path.name}: the tissue name is blank; name it, e.g. 'blood'")
    parts: list[tuple[str | None, Any]] = [(tissue.strip() if tissue else None, adata)]
    if tissue_key is not None:
        adata = adata[adata.obs[tissue_key].notna()].copy()
        names = sorted(str(t) for t in adata.obs[tissue_key].unique())
        if not names:
            raise SourceFormatError(path, None, f"obs column {tissue_key!r} names no tissue")
        parts = [(t, adata[adata.obs[tissue_key] == t].copy()) for t in names]
    changes: list[GeneChange] = []
    stats: list[CellTypeStats] = []
    unmapped: list[str] = []
    done: list[str] = []
    skipped: list[str] = []
    comparison = ""
    n_cells = 0
    for part_tissue, part in parts:
        got = _part_changes(
            part,
            path,
            genes,
            tissue=part_tissue,
            cell_type_key=cell_type_key,
            condition_key=condition_key,
            case=case,
            control=control,
            padj_max=padj_max,
            min_abs_log2fc=min_abs_log2fc,
            direction=direction,
            max_genes_per_cell_type=max_genes_per_cell_type,
            min_cells=min_cells,
            raw=raw,
        )
        changes.extend(got.changes)
        stats.extend(got.stats)
        unmapped.extend(got.unmapped)
        label = f"{part_tissue}/" if tissue_key is not None and part_tissue else ""
        done.extend(label + c for c in got.cell_types)
        skipped.extend(label + c for c in got.skipped)
        comparison = got.comparison
        n_cells += got.n_cells
    metadata = {
        "comparison": comparison,
        "method": "scanpy rank_genes_groups wilcoxon, Benjamini-Hochberg",
        "cell_type_key": cell_type_key,
        "n_cells": str(n_cells),
        "cell_types": ";".join(sorted(done)),
        "expression": ".raw" if raw else ".X",
    }
    if condition_key is not None:
        metadata["condition_key"] = condition_key
    if skipped:
        metadata["skipped_cell_types"] = ";".join(skipped)
    if tissue_key is not None:
        metadata["tissue_key"] = tissue_key
    tissues = sorted({c.tissue for c in changes if c.tissue})
    if tissues:
        metadata["tissues"] = ";".join(tissues)
    took = time.perf_counter() - started
    log.info(
        "%s: %d change(s) in %d cell type(s) in %.2f s", path.name, len(changes), len(done), took
    )
    warn_mouse_case(path.name, (c.symbol for c in changes))
    return PatientProfile(
        patient_id=patient_id,
        changes=tuple(changes),
        metadata=metadata,
        input_checksums={path.name: data.sha256},  # the file anndata read (read_anndata)
        unmapped=warn_unmapped(path.name, unmapped),
        cell_type_stats=tuple(stats),
    )
