"""Single-cell RNA-seq (``.h5ad``) files: read and checked, ready for per-cell-type analysis.

:func:`read_anndata` refuses what is not AnnData or would not fit the input limits (checked from
the HDF5 metadata before any array is read), checks that the expression is finite and that the
``obs`` columns exist, and drops cells without a cell type. The expression used is ``.raw`` when
present (scanpy's default, where it keeps log-normalised values), else ``.X``; it must be
log1p-normalised: scaled values (negative) are refused, counts (no negative value and some above
50, the rule of ``add-cohort --log-transform auto``, or all whole numbers) are log1p-normalised
with a WARNING (:func:`_on_log_scale` says why). A var name that is a missing-value word
(``NA``, ``nan``, ...) is no gene: it never resolves (one WARNING counts them). A var name that
does not resolve (an Ensembl id not in the gene layer's map) is read by the other name ``var``
gives the gene (:data:`VAR_GENE_COLUMNS`: ``gene_symbols``, ``feature_name``, ...); one that
resolves neither way is listed by that symbol, its id in parentheses (:meth:`VarGenes.label`).
The differential expression that turns it into a patient profile is in
:mod:`medtwin.platform.singlecell`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import warnings
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medtwin.errors import InputError, SourceFormatError
from medtwin.loaders.gene_names import (
    MissingGenes,
    clean_gene_name,
    is_ensembl,
    is_missing_gene,
    listed_names,
)
from medtwin.loaders.limits import check_matrix_size, require_regular_file, shown_list
from medtwin.loaders.patient_io import looks_linear
from medtwin.loaders.patient_rows import GeneResolver

__all__ = ["VAR_GENE_COLUMNS", "SingleCellData", "VarGenes", "check_h5ad", "read_anndata"]

log = logging.getLogger(__name__)

VAR_GENE_COLUMNS = (
    "gene_symbols",
    "feature_name",
    "gene_name",
    "gene_names",
    "symbol",
    "gene_symbol",
    "gene_ids",
    "gene_id",
    "ensembl_id",
)
"""``var`` columns naming each gene another way (scanpy's ``gene_symbols``, CELLxGENE's
``feature_name``, 10x's ``gene_ids``): a var name that does not resolve is read by them."""


@dataclass(frozen=True)
class VarGenes:
    """A resolver that reads a var name, else the other names ``var`` gives the same gene.

    A CELLxGENE or Cell Ranger file names its genes by Ensembl id and keeps the symbols in
    ``var['feature_name']`` / ``var['gene_symbols']``; an id that is not in the gene layer's
    Ensembl map is then read by its symbol (and a symbol that does not resolve by its id).
    """

    genes: GeneResolver
    others: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def resolve(self, name: str, /) -> str | None:
        """The Entrez id of ``name``, or of the first other name of it that resolves."""
        got = self.genes.resolve(name)
        for other in self.others.get(name, ()):
            if got is not None:
                break
            got = self.genes.resolve(clean_gene_name(other))
        return got

    def label(self, name: str, /) -> str:
        """``name`` as a reader recognises it: an Ensembl id as ``"SYMBOL (ENSG…)"``.

        The symbol is the first other name ``var`` gives the gene that is not an Ensembl id
        (``feature_name``, ``gene_symbols``, ...); a name without one, or not an Ensembl id,
        is returned as it is. For the list of genes that did not resolve: a CELLxGENE file's
        unresolved genes read as bare ENSG ids, which no one recognises.

        >>> genes = VarGenes(None, {"ENSG00000284733": ("ENSG00000284733", "MYNEWGENE1")})
        >>> genes.label("ENSG00000284733"), genes.label("ENSG00000290000"), genes.label("TP53")
        ('MYNEWGENE1 (ENSG00000284733)', 'ENSG00000290000', 'TP53')
        """
        others = self.others.get(clean_gene_name(name), ()) if is_ensembl(name) else ()
        symbol = next((clean_gene_name(o) for o in others if not is_ensembl(o)), "")
        return f"{symbol} ({name})" if symbol else name

    def symbol_of(self, entrez: str) -> str | None:
        """The official symbol, when the wrapped resolver knows it."""
        symbol_of = getattr(self.genes, "symbol_of", None)
        return symbol_of(entrez) if symbol_of is not None else None


@dataclass(frozen=True)
class SingleCellData:
    """A read ``.h5ad``: the AnnData object, whether to use ``.raw``, its file and sha256."""

    adata: Any
    raw: bool
    path: Path
    sha256: str

    def resolver(self, genes: GeneResolver) -> VarGenes:
        """``genes`` reading var names, then their other names in ``var`` (:class:`VarGenes`)."""
        var = self.adata.raw.var if self.raw else self.adata.var
        columns = [c for c in VAR_GENE_COLUMNS if c in var.columns]
        others: dict[str, tuple[str, ...]] = {}
        if columns:
            values = [var[c].astype(str).tolist() for c in columns]
            for i, name in enumerate(map(str, var.index)):
                alternatives = tuple(v[i] for v in values if not is_missing_gene(v[i]))
                if alternatives:
                    others[clean_gene_name(name)] = alternatives
        return VarGenes(genes, others)


def read_anndata(
    path: Path,
    *,
    cell_type_key: str,
    condition_key: str | None = None,
    tissue_key: str | None = None,
    use_raw: bool | None = None,
) -> SingleCellData:
    """Read and check one ``.h5ad`` file (module docstring).

    ``cell_type_key`` and ``condition_key`` become categorical ``obs`` columns (blank labels are
    no label); cells without a cell type are dropped.

    Raises
    ------
    InputError
        ``use_raw`` without a ``.raw``.
    SourceFormatError
        Not AnnData, too large, not finite, too small to compare, or an ``obs`` column missing.
    """
    import anndata

    check_h5ad(path)
    sha256, hashed = _hashed(path)
    try:
        with warnings.catch_warnings():
            # Files written by anndata < 0.7 (like scanpy's pbmc68k_reduced) read correctly but
            # warn on every element; the format is not the user's to fix.
            warnings.simplefilter("ignore", anndata.OldFormatWarning)
            # said once below as a medtwin WARNING, not as Python's text with anndata's path
            warnings.filterwarnings("ignore", message=_REPEATED_VAR, category=UserWarning)
            adata = anndata.read_h5ad(path)
    except Exception as e:  # noqa: BLE001 - anndata raises anything on a malformed file
        # e.g. IORegistryError for an unknown encoding-type; its text is anndata's internals.
        log.info("%s: anndata cannot read it: %s: %s", path.name, type(e).__name__, e)
        raise SourceFormatError(
            path,
            None,
            f"cannot read as .h5ad ({type(e).__name__}): an element is missing or has an "
            "unknown encoding; write the file with anndata's write_h5ad (anndata >= 0.8)",
        ) from e
    _refuse_changed(path, sha256, hashed)
    raw = adata.raw is not None if use_raw is None else use_raw
    if raw and adata.raw is None:
        raise InputError(f"{path.name} has no .raw; pass use_raw=False")
    n_vars = adata.raw.n_vars if raw else adata.n_vars
    if adata.n_obs == 0 or n_vars < 2:
        # scanpy's rank_genes_groups fails on a single gene (a Series where it wants a frame).
        raise SourceFormatError(
            path,
            None,
            f"matrix of {adata.n_obs} cells x {n_vars} genes; need cells and >= 2 genes to compare",
        )
    _check_finite(path, adata.raw.X if raw else adata.X, ".raw.X" if raw else ".X")
    adata, raw = _on_log_scale(path, adata, raw)
    _warn_missing_names(path, adata.raw.var_names if raw else adata.var_names)
    _warn_repeated_names(path, adata.raw.var_names if raw else adata.var_names)
    _categorical(adata, cell_type_key, path)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_REPEATED_VAR, category=UserWarning)
        adata = adata[adata.obs[cell_type_key].notna()].copy()
    if condition_key is not None:
        _categorical(adata, condition_key, path)
    if tissue_key is not None:
        _categorical(adata, tissue_key, path)
    return SingleCellData(adata=adata, raw=raw, path=path, sha256=sha256)


def _identity(st: os.stat_result) -> tuple[int, ...]:
    """What tells one version of a file from another at no cost: device, inode, size, times.

    The change time (``st_ctime``) too: a rewrite in place that keeps the size and sets the
    modification time back (``cp --preserve=timestamps`` over the file, ``rsync --inplace``, a
    ``touch -d``) changed neither of the others, but every write and ``utime`` sets the change
    time to now, and no user call sets it back.
    """
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def _refuse_changed(path: Path, sha256: str, hashed: tuple[int, ...]) -> None:
    """Refuse a read unless the file is still, byte for byte, the one hashed before it.

    HDF5 reads the file by its path, so the bytes read are the ones hashed (and recorded) only
    if the file did not change in between. The identity says most changes for free; the sha256
    taken again says the rest (a file system that keeps no change time, or a write within one
    tick of its clock): one more pass of the file, 2.6 s for 1 GB on these machines, 2-12 ms
    for the demo's 1.7 MB h5ad, whose read takes 0.21 s (docs/api.md, "Limits and reliability").
    """
    if _identity(path.stat()) == hashed:
        again, hashed_again = _hashed(path)
        if again == sha256 and hashed_again == hashed:
            return
    raise SourceFormatError(
        path,
        None,
        "the file changed while it was read (replaced or written to); add it again once "
        "it is written in full",
    )


def _hashed(path: Path) -> tuple[str, tuple[int, ...]]:
    """The sha256 of a file and the :func:`_identity` of the file hashed (one open)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
        return digest.hexdigest(), _identity(os.fstat(handle.fileno()))


def check_h5ad(path: Path) -> None:
    """Refuse a file that is not AnnData, or whose arrays would not fit the input limit.

    anndata reads every array of the file into memory (HDF5 chunks decompressed), so the sum of
    ``shape x itemsize`` over the file's datasets is what reading costs; it is checked from the
    HDF5 metadata alone, before any array is read. It needs ``h5py`` only (not anndata), so
    ``patient add`` runs it before it opens the store too.

    Raises
    ------
    InputTooLarge
        The largest array, or all of them together, past the input limit (MEDTWIN_MAX_INPUT_MB).
    SourceFormatError
        Not a regular file, empty, not HDF5, or no ``X``/``obs``/``var`` in it.
    """
    import h5py

    require_regular_file(path)
    if path.stat().st_size == 0:  # h5py would call it "not an HDF5 file"
        raise SourceFormatError(
            path, None, "the file is empty (0 bytes); write it with anndata's write_h5ad"
        )
    try:
        handle = h5py.File(path, "r")
    except OSError as e:
        raise SourceFormatError(
            path, None, "not an HDF5 (.h5ad) file; write it with anndata's write_h5ad"
        ) from e
    with handle:
        missing = [k for k in ("X", "obs", "var") if k not in handle]
        if missing:
            raise SourceFormatError(
                path,
                None,
                f"not an AnnData file: no {', '.join(missing)} in the HDF5 file; write it with "
                "anndata's write_h5ad",
            )
        total = 0
        largest: tuple[str, tuple[int, ...], int, int] = ("", (), 0, 0)

        def visit(name: str, item: Any) -> None:
            nonlocal total, largest
            if isinstance(item, h5py.Dataset):
                shape = tuple(int(n) for n in (item.shape or ()))
                size = int(item.dtype.itemsize)
                for n in shape:
                    size *= n
                total += size
                if size > largest[3]:
                    largest = (name, shape, int(item.dtype.itemsize), size)

        try:
            handle.visititems(visit)
        except (OSError, RuntimeError, ValueError, TypeError) as e:
            raise SourceFormatError(
                path, None, f"cannot read the HDF5 structure ({type(e).__name__})"
            ) from e
    name, shape, itemsize, _ = largest
    check_matrix_size(path, f"the array {name!r}", shape, itemsize)
    check_matrix_size(path, "the arrays of the file together", (total,), 1)


def _on_log_scale(path: Path, adata: Any, raw: bool) -> tuple[Any, bool]:
    """The file with its expression log1p-normalised: scaled data refused, counts normalised.

    scanpy's fold changes are ``log2`` of the ratio of ``expm1`` means, so they mean something only
    on log1p-normalised values. Scaled values (``sc.pp.scale``: negative, centred) give nonsense
    (and no ``.raw`` to fall back on), so they are refused. Counts (the rule of ``add-cohort
    --log-transform auto``: no negative value and some above 50; or every value a whole number)
    are normalised as scanpy's tutorial does, ``normalize_total`` to 10,000 per cell then
    ``log1p``, with a WARNING: that transform is the standard one and counts are what a
    Cell Ranger export holds, so refusing them would only send the user to run it themselves
    (before, raw counts gave FTL a log2 fold change of 707).
    """
    import numpy as np

    where = ".raw.X" if raw else ".X"
    matrix = adata.raw.X if raw else adata.X
    values = np.asarray(matrix.data if hasattr(matrix, "tocsr") else matrix, dtype=np.float64)
    if values.size == 0:
        return adata, raw
    low, high = float(values.min()), float(values.max())
    if low < 0:
        fix = (
            "keep the log-normalised values in .raw before scaling (adata.raw = adata), or give "
            "the log-normalised matrix (sc.pp.normalize_total + sc.pp.log1p) as .X"
        )
        if not raw and adata.raw is not None:
            fix = "use the file's .raw (the default: leave use_raw unset)"
        raise SourceFormatError(
            path,
            None,
            f"{where} holds negative values (min {low:.3g}): scaled data (sc.pp.scale) gives no "
            f"fold changes; {fix}",
        )
    whole = bool(np.all(values == np.round(values)))
    if not (looks_linear(low, high) or (whole and high > 1)):
        return adata, raw
    import anndata

    log.warning(
        "%s: %s looks like counts (values up to %.4g%s): read as log1p of counts per 10,000 "
        "per cell (scanpy's normalize_total + log1p), as add-cohort --log-transform auto "
        "reads a linear-scale matrix; give log-normalised data to avoid this",
        path.name,
        where,
        high,
        ", all whole numbers" if whole else "",
    )
    var = adata.raw.var if raw else adata.var
    normalised = anndata.AnnData(X=_log_normalised(matrix), obs=adata.obs.copy(), var=var.copy())
    return normalised, False


def _log_normalised(matrix: Any) -> Any:
    """log1p of each cell's counts scaled to a total of 10,000 (scanpy's normalize_total, log1p)."""
    import numpy as np
    import scipy.sparse as sp

    counts = sp.csr_matrix(matrix, dtype=np.float64) if sp.issparse(matrix) else None
    if counts is not None:
        totals = np.asarray(counts.sum(axis=1)).ravel()
    else:
        counts_dense = np.asarray(matrix, dtype=np.float64)
        totals = counts_dense.sum(axis=1)
    scale = np.divide(1e4, totals, out=np.zeros_like(totals), where=totals > 0)
    if counts is not None:
        scaled = sp.csr_matrix(sp.diags(scale) @ counts)
        scaled.data = np.log1p(scaled.data)
        return scaled.astype(np.float32)
    return np.log1p(counts_dense * scale[:, None]).astype(np.float32)


_REPEATED_VAR = "Variable names are not unique"
"""anndata's UserWarning on repeated var names, printed raw (with its source line) by the CLI."""


def _warn_repeated_names(path: Path, var_names: Any) -> None:
    """One WARNING naming var names that occur more than once (anndata's own is Python text)."""
    counts = Counter(map(str, var_names))
    repeated = [name for name, n in counts.items() if n > 1]
    if repeated:
        log.warning(
            "%s: %d var name(s) occur more than once (%s); each cell type keeps the column "
            "of the largest |z| of such a gene; give each gene one column (keep one copy, or "
            "adata.var_names_make_unique())",
            path.name,
            len(repeated),
            listed_names(repeated[:5]) + (", ..." if len(repeated) > 5 else ""),
        )


def _warn_missing_names(path: Path, var_names: Any) -> None:
    """One WARNING for var names that are missing-value words (NA, nan, ...): no gene."""
    missing = MissingGenes(path.name, where="var_names position")
    for position, name in enumerate(map(str, var_names)):
        if is_missing_gene(name):
            missing.skip(position, name)
    missing.report()


def _check_finite(path: Path, matrix: Any, where: str) -> None:
    import numpy as np

    values = getattr(matrix, "data", matrix) if hasattr(matrix, "tocsr") else matrix
    try:
        finite = bool(np.isfinite(np.asarray(values, dtype=np.float64)).all())
    except (TypeError, ValueError) as e:
        raise SourceFormatError(
            path, None, f"{where} is not a numeric matrix ({type(e).__name__})"
        ) from e
    if not finite:
        raise SourceFormatError(
            path,
            None,
            f"{where} holds NaN or infinite values; expression must be finite "
            "(log1p-normalised counts)",
        )


def _categorical(adata: Any, key: str, path: Path) -> None:
    if key not in adata.obs.columns:
        # the first 10: a file of 500 obs columns listed every one in a line of ~10 kB
        columns = shown_list([str(c) for c in adata.obs.columns])
        raise SourceFormatError(
            path,
            None,
            f"obs has no column {key!r}; its columns are {columns}: name one of them "
            "(--cell-type-key, --condition-key, --tissue-key)"
            if columns
            else f"obs has no column {key!r} and no column at all: annotate the cells "
            f"(e.g. adata.obs[{key!r}]) and write the file again",
        )
    column = adata.obs[key]
    text = column.astype(str)
    # A blank label is no label (scanpy cannot name a result group "").
    adata.obs[key] = text.where(column.notna() & (text.str.strip() != "")).astype("category")
