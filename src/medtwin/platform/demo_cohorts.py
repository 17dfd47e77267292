"""The demo patients, built from the staged real omics data sets.

``data_dir`` is laid out like the data mirror (``<source>/<file>``). Each function is
deterministic (no sampling; scanpy's Wilcoxon test is exact) and reads only its own source.

* :func:`ra_pbmc_profiles`: GSE15573 RA PBMC microarray, 18 RA patients, each z-scored against
  the 15 healthy donors (572 DEGs; ``|z| >= 2``).
* :func:`peac_profiles`: PEAC early-RA synovium RNA-seq (DESeq2 rld), 81 patients without healthy
  controls, each z-scored against the other 80 (``|z| >= 2`` and ``|log2fc| >= 0.5``; the second
  test drops the rld floor of unexpressed genes, whose tiny SD inflates z);
  ``metadata["pathotype"]`` is carried.
* :func:`pbmc68k_profile`: 10x PBMC 68k (healthy donor, 700 cells), one multicellular profile of
  cell-type marker programmes, each FACS label vs all other cells (Wilcoxon, ``padj <= 0.05``,
  ``log2fc >= 1``, top 50 per cell type).
* :func:`multi_tissue_profile`: a multi-tissue patient made of two people's samples (PBMC 68k
  blood + one PEAC synovium), labelled as such everywhere (:data:`MULTI_TISSUE_NOTE`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from medtwin.errors import InputError, NotFoundError
from medtwin.loaders.patient_rows import GeneResolver, PatientProfile
from medtwin.platform.cohort_profiles import read_cohort
from medtwin.platform.singlecell import read_h5ad

__all__ = [
    "MULTI_TISSUE_NOTE",
    "MULTI_TISSUE_PATIENT_ID",
    "PBMC68K_PATIENT_ID",
    "demo_patients",
    "multi_tissue_profile",
    "pbmc68k_profile",
    "peac_profiles",
    "ra_pbmc_profiles",
]

RA_PBMC = "omics_ra_pbmc_gse15573"
PEAC = "omics_ra_synovium_peac"
PBMC68K = "omics_pbmc68k_scanpy"
PBMC68K_PATIENT_ID = "pbmc68k_donorA"


def _file(data_dir: Path, source: str, name: str) -> Path:
    path = data_dir / source / name
    if not path.is_file():
        raise NotFoundError(
            f"demo file {path} not found; point data_dir at the data mirror (<source>/<file>), "
            "e.g. MEDTWIN_DATA_MIRROR=../shared/data"
        )
    return path


def ra_pbmc_profiles(
    data_dir: Path, genes: GeneResolver, *, z_min: float = 0.0
) -> tuple[PatientProfile, ...]:
    """Return the 18 RA patients of GSE15573, each against the 15 healthy donors.

    Parameters
    ----------
    data_dir
        Mirror folder holding ``omics_ra_pbmc_gse15573/``.
    genes
        Maps symbols to Entrez ids.
    z_min
        Keep genes with ``|t| >= z_min`` (Crawford–Howell t).

    Returns
    -------
    tuple of PatientProfile
        Ids are the GEO sample ids (``GSM389703``...), in sample-sheet order.

    Raises
    ------
    NotFoundError
        A file of the source is missing.
    """
    return tuple(
        read_cohort(
            _file(data_dir, RA_PBMC, "expression_matrix.tsv"),
            _file(data_dir, RA_PBMC, "sample_groups.tsv"),
            genes,
            group_column="group",
            control_label="healthy",
            z_min=z_min,
            cohort=RA_PBMC,
        )
    )


def peac_profiles(
    data_dir: Path,
    genes: GeneResolver,
    *,
    z_min: float = 0.0,
    min_abs_log2fc: float = 0.5,
) -> tuple[PatientProfile, ...]:
    """Return the 81 PEAC patients, each against the other 80 (leave-one-out).

    Parameters
    ----------
    data_dir
        Mirror folder holding ``omics_ra_synovium_peac/``.
    genes
        Maps symbols to Entrez ids.
    z_min, min_abs_log2fc
        Keep genes with ``|t| >= z_min`` (Crawford–Howell t) and ``|log2fc| >= min_abs_log2fc``.

    Returns
    -------
    tuple of PatientProfile
        Ids ``SYN001``...``SYN081``; ``metadata["pathotype"]`` is Lymphoid, Myeloid or Fibroid.

    Raises
    ------
    NotFoundError
        A file of the source is missing.
    """
    return tuple(
        read_cohort(
            _file(data_dir, PEAC, "expression_rld.tsv"),
            _file(data_dir, PEAC, "sample_pathotype.tsv"),
            genes,
            group_column="Pathotype",
            control_label=None,
            z_min=z_min,
            min_abs_log2fc=min_abs_log2fc,
            cohort=PEAC,
        )
    )


def pbmc68k_profile(
    data_dir: Path, genes: GeneResolver, *, max_genes_per_cell_type: int | None = 50
) -> PatientProfile:
    """Return the multicellular profile of the PBMC 68k donor (cell-type marker programmes).

    Parameters
    ----------
    data_dir
        Mirror folder holding ``omics_pbmc68k_scanpy/``.
    genes
        Maps symbols to Entrez ids.
    max_genes_per_cell_type
        Top markers kept per cell type (``None``: all that pass the thresholds).

    Returns
    -------
    PatientProfile
        Id :data:`PBMC68K_PATIENT_ID`; changes carry ``cell_type`` (the FACS ``bulk_labels``).

    Raises
    ------
    NotFoundError
        The ``.h5ad`` file is missing.
    """
    profile = read_h5ad(
        _file(data_dir, PBMC68K, "10x_pbmc68k_reduced.h5ad"),
        genes,
        patient_id=PBMC68K_PATIENT_ID,
        cell_type_key="bulk_labels",
        condition_key=None,
        padj_max=0.05,
        min_abs_log2fc=1.0,
        direction="up",
        max_genes_per_cell_type=max_genes_per_cell_type,
    )
    metadata = {
        **profile.metadata,
        "cohort": PBMC68K,
        "disease": "none (healthy donor)",
        "note": HEALTHY_DONOR_NOTE,
    }
    return profile.model_copy(update={"metadata": metadata})


HEALTHY_DONOR_NOTE = (
    "a HEALTHY donor: each cell type's marker programme against all other cells, not a disease "
    "signature; its drug list shows the machinery, not a treatment"
)
"""Shown with every ranking and report of the PBMC 68k donor (metadata ``note``)."""

MULTI_TISSUE_PATIENT_ID = "multitissue_demo"
MULTI_TISSUE_NOTE = (
    "multitissue_demo combines samples of DIFFERENT PEOPLE: blood = the 10x PBMC 68k healthy "
    "donor's cell-type marker programmes (scanpy's pbmc68k_reduced), synovium = one PEAC early-RA "
    "patient's bulk synovial biopsy (the Lymphoid-pathotype patient with the most changes, "
    "against the other 80). "
    "No real multi-tissue donor is in the development data; it shows the machinery, not biology."
)
"""What the demo prints and docs/tissues.md says about the multi-tissue demo patient."""


def multi_tissue_profile(
    data_dir: Path,
    genes: GeneResolver,
    *,
    blood: PatientProfile | None = None,
    synovium: Sequence[PatientProfile] | None = None,
) -> PatientProfile:
    """Return the multi-tissue demo patient, made of two people's samples (MULTI_TISSUE_NOTE).

    Blood: the PBMC 68k donor's per-cell-type changes with tissue ``blood``. Synovium: the bulk
    changes of the Lymphoid-pathotype PEAC patient with the most changed genes (first by id on a
    tie) with tissue ``synovium`` (its cell type is the tissue's ``bulk`` one), and its statistic
    of every measured gene (``activity_stats``, tissue ``synovium``: the tissue's activities).
    ``blood`` and ``synovium`` reuse profiles already read.

    Raises
    ------
    NotFoundError
        A file of either source is missing.
    InputError
        No Lymphoid PEAC patient.
    """
    blood = blood if blood is not None else pbmc68k_profile(data_dir, genes)
    cohort = synovium if synovium is not None else peac_profiles(data_dir, genes)
    lymphoid = [p for p in cohort if p.metadata.get("pathotype") == "Lymphoid"]
    if not lymphoid:
        raise InputError("no Lymphoid-pathotype PEAC patient to take the synovium from")
    syn = min(lymphoid, key=lambda p: (-len({c.entrez for c in p.changes}), p.patient_id))
    changes = tuple(c.model_copy(update={"tissue": "blood"}) for c in blood.changes) + tuple(
        c.model_copy(update={"tissue": "synovium", "cell_type": None}) for c in syn.changes
    )
    return PatientProfile(
        patient_id=MULTI_TISSUE_PATIENT_ID,
        changes=changes,
        metadata={
            "cohort": "multi-tissue demo (two people)",
            "blood_from": f"{PBMC68K} {PBMC68K_PATIENT_ID}",
            "synovium_from": f"{PEAC} {syn.patient_id}",
            "note": MULTI_TISSUE_NOTE,
        },
        input_checksums={**blood.input_checksums, **syn.input_checksums},
        cell_type_stats=tuple(
            s.model_copy(update={"tissue": "blood"}) for s in blood.cell_type_stats
        ),
        # the PEAC patient's t of every measured gene, the synovium's own (its activities);
        # blood keeps per-cell-type vectors only, so it has none as a tissue
        activity_stats=tuple(
            s.model_copy(update={"tissue": "synovium"}) for s in syn.activity_stats
        ),
    )


def demo_patients(data_dir: Path, genes: GeneResolver) -> tuple[PatientProfile, ...]:
    """Return all demo patients: 18 RA PBMC + 81 PEAC + 1 PBMC 68k profile (100).

    Parameters
    ----------
    data_dir
        The data mirror folder.
    genes
        Maps symbols to Entrez ids.

    Returns
    -------
    tuple of PatientProfile
        In the order RA PBMC, PEAC, PBMC 68k; patient ids are unique across the three.
    """
    return (
        *ra_pbmc_profiles(data_dir, genes),
        *peac_profiles(data_dir, genes),
        pbmc68k_profile(data_dir, genes),
    )
