"""One patient's mutation and copy-number calls (``medtwin patient add P --mutations FILE``).

The file is a TSV/CSV (gz allowed) with a ``gene`` column (HGNC symbol or Entrez id) and a
``category`` column, one row per (gene, category) of ONE patient; other columns are ignored
(a ``model``/``patient`` column, when present, must hold a single value). Categories are those
of Gao et al. 2015 (PDX Encyclopedia, Nat Med 21:1318, doi:10.1038/nm.3954, sheet
``pdxe_mut_and_cn2``); each becomes a change on the patient's ``variant`` layer with the evidence
weight below (on the |z| scale of :func:`medtwin.platform.gene_evidence.change_evidence`, so a
known-functional mutation weighs as a coding variant from ``--vcf``/``--variants``, 3.0):

=======================  ========  =====================================================
category                 evidence  meaning
=======================  ========  =====================================================
``MutKnownFunctional``   3.0       coding mutation of known function
``MutLikelyFunctional``  2.0       coding mutation, likely functional
``MutNovel``             1.0       coding mutation of unknown function (mostly passengers)
``Amp8``                 3.0       copy number >= 8 (high-level amplification)
``Amp5``                 2.0       copy number >= 5
``Del0.8``               3.0       deep (homozygous) deletion
=======================  ========  =====================================================

The weights are fixed in advance (not tuned on any outcome): the strongest call of each kind
weighs as a coding variant, the next one less, mutations of unknown function least.
Per gene the strongest category wins (one ``variant`` change per gene and category is kept; the
twin builder takes the strongest per gene). Category names are matched case-insensitively.
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

from medtwin.errors import SourceFormatError
from medtwin.loaders.patient_io import read_table
from medtwin.loaders.patient_rows import (
    GeneChange,
    GeneResolver,
    PatientProfile,
    file_sha256,
    resolve_gene,
    validate_patient_id,
    warn_unmapped,
)
from medtwin.loaders.patient_tables import GENE_ALIASES

__all__ = ["CATEGORY_EVIDENCE", "mutation_evidence", "read_mutations"]

CATEGORY_EVIDENCE = MappingProxyType(
    {
        "MutKnownFunctional": 3.0,
        "MutLikelyFunctional": 2.0,
        "MutNovel": 1.0,
        "Amp8": 3.0,
        "Amp5": 2.0,
        "Del0.8": 3.0,
    }
)
"""Category -> evidence weight (module docstring)."""

_CANONICAL = {c.lower(): c for c in CATEGORY_EVIDENCE}
_PATIENT_ALIASES = ("model", "patient", "patient_id", "patient.id", "sample")


def mutation_evidence(category: str | None) -> float | None:
    """Evidence weight of a mutation/copy-number category, ``None`` for another consequence.

    Examples
    --------
    >>> mutation_evidence("Amp8"), mutation_evidence("MutNovel"), mutation_evidence("missense")
    (3.0, 1.0, None)
    """
    if category is None:
        return None
    return CATEGORY_EVIDENCE.get(_CANONICAL.get(category.lower(), ""), None)


def read_mutations(path: Path, patient_id: str, genes: GeneResolver) -> PatientProfile:
    """Read one patient's mutation / copy-number calls as ``variant``-layer changes.

    Parameters
    ----------
    path
        TSV/CSV with ``gene`` and ``category`` columns (module docstring).
    patient_id
        The patient the rows belong to.
    genes
        Maps symbols / Entrez ids to Entrez ids.

    Returns
    -------
    PatientProfile
        One change per (gene, category): ``layer="variant"``, ``log2fc=0.0``,
        ``consequence`` = the category, ``variant_id`` = ``"<gene>:<category>"``.

    Raises
    ------
    SourceFormatError
        A missing column, an empty gene, an unknown category (the message lists the valid
        ones), or rows of several patients; each names the file and line.
    """
    patient_id = validate_patient_id(patient_id)
    table = read_table(path)
    gene_i = table.column("gene", GENE_ALIASES)
    cat_i = table.column("category", ("category",))
    who_i = table.column("model", _PATIENT_ALIASES, required=False)
    assert gene_i is not None
    assert cat_i is not None
    first_who: str | None = None
    changes: dict[tuple[str, str], GeneChange] = {}
    unmapped: list[str] = []
    for line, fields in table.rows:
        gene, raw = fields[gene_i].strip(), fields[cat_i].strip()
        if who_i is not None:
            who = fields[who_i].strip()
            first_who = first_who or who
            if who != first_who:
                raise SourceFormatError(
                    path,
                    line,
                    f"rows of a second patient {who!r} (first was {first_who!r}); give one "
                    "patient's rows per file (filter the table by that column first)",
                )
        if not gene:
            raise SourceFormatError(path, line, "empty gene; give an HGNC symbol or Entrez id")
        category = _CANONICAL.get(raw.lower())
        if category is None:
            raise SourceFormatError(
                path,
                line,
                f"unknown category {raw!r} for gene {gene!r}; use one of "
                f"{', '.join(CATEGORY_EVIDENCE)}",
            )
        entrez, symbol = resolve_gene(genes, gene)
        if entrez is None:
            unmapped.append(gene)
            continue
        changes.setdefault(
            (entrez, category),
            GeneChange(
                entrez=entrez,
                symbol=symbol,
                log2fc=0.0,
                layer="variant",
                variant_id=f"{symbol or gene}:{category}",
                consequence=category,
            ),
        )
    if not changes and not unmapped:
        raise SourceFormatError(path, None, "no mutation rows after the header")
    return PatientProfile(
        patient_id=patient_id,
        changes=tuple(changes.values()),
        input_checksums={path.name: file_sha256(path)},
        unmapped=warn_unmapped(path.name, unmapped),
    )
