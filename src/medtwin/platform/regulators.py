r"""The patient's regulators: TF and pathway activity from the twin's gene statistics.

Pure: no I/O beyond :meth:`RegulatorReference.from_files` (which only calls the loaders).

Definitions
-----------
**Gene statistics** and **driver evidence** are the twin's
(:func:`medtwin.platform.gene_evidence.gene_statistics`,
:func:`medtwin.platform.gene_evidence.driver_evidence`, carried by
:class:`~medtwin.domain.TwinSpec`).

**Activity** (:func:`patient_activity`): TF activity = ULM t-value of the gene statistics on the
DoRothEA regulon (targets signed by mode of regulation), pathway activity = MLM t-value on the
PROGENy footprints (decoupler's recommended models for each), each with its p and BH q
(:mod:`medtwin.platform.algorithms.footprint`). An **upstream regulator** is a TF with
:math:`q \le 0.05`.

References
----------
Garcia-Alonso L. et al. Genome Res 29, 1363 (2019). doi:10.1101/gr.240663.118
Schubert M. et al. Nat Commun 9, 20 (2018). doi:10.1038/s41467-017-02391-6
Badia-i-Mompel P. et al. Bioinformatics Advances 2, vbac016 (2022). doi:10.1093/bioadv/vbac016
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from medtwin.errors import InputError
from medtwin.loaders import pathways_progeny, perturbations_lincs, regulons_dorothea
from medtwin.loaders.genes_ncbi import GeneIndex
from medtwin.loaders.rows import FootprintRow, PerturbationRow, RegulationRow
from medtwin.platform.algorithms.footprint import (
    Activity,
    FootprintMethod,
    footprint_activities,
    footprint_activity,
)
from medtwin.platform.pathway_cores import PATHWAY_CORES, core_symbols

__all__ = [
    "PATHWAY_CORES",
    "UR_Q",
    "core_symbols",
    "PatientActivity",
    "RegulatorReference",
    "patient_activities",
    "patient_activity",
    "resolve_cores",
]

UR_Q = 0.05
"""A TF is an upstream regulator when its activity q is at most this."""


def resolve_cores(genes: GeneIndex) -> dict[str, dict[str, int]]:
    """:data:`PATHWAY_CORES` with Entrez ids (symbols the index does not know are left out)."""
    cores: dict[str, dict[str, int]] = {}
    for pathway, members in PATHWAY_CORES.items():
        for symbol, sign in members.items():
            entrez = genes.resolve(symbol)
            if entrez is not None:
                cores.setdefault(pathway, {})[entrez] = sign
    return cores


@dataclass(frozen=True)
class RegulatorReference:
    """The reference layers the regulator methods read, keyed by Entrez id.

    Attributes
    ----------
    regulons
        TF -> {target: mode of regulation (+1/-1)} (DoRothEA, A–C by default).
    footprints
        Pathway -> {gene: weight} (PROGENy).
    perturbations
        DrugBank id -> {landmark gene: consensus z} (LINCS L1000).
    cores
        Pathway -> {gene: +1/-1} (:data:`PATHWAY_CORES` resolved to Entrez ids).
    symbols
        Entrez id -> symbol of every gene named by the layers.
    tf_method, pathway_method
        Footprint models for TFs (``ulm``) and pathways (``mlm``).
    tmin
        Minimum measured footprint genes of a regulator.
    """

    regulons: Mapping[str, Mapping[str, float]]
    footprints: Mapping[str, Mapping[str, float]]
    perturbations: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    cores: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    symbols: Mapping[str, str] = field(default_factory=dict)
    tf_method: FootprintMethod = "ulm"
    pathway_method: FootprintMethod = "mlm"
    tmin: int = 5

    @classmethod
    def from_rows(
        cls,
        regulations: Iterable[RegulationRow],
        footprints: Iterable[FootprintRow],
        perturbations: Iterable[PerturbationRow] = (),
        genes: GeneIndex | None = None,
    ) -> RegulatorReference:
        """Assemble the reference from loader rows (``genes`` resolves the pathway cores)."""
        regs: dict[str, dict[str, float]] = {}
        symbols: dict[str, str] = {}
        for r in regulations:
            regs.setdefault(r.tf_entrez, {})[r.target_entrez] = r.mor
            symbols[r.tf_entrez] = r.tf_symbol
            symbols[r.target_entrez] = r.target_symbol
        fps: dict[str, dict[str, float]] = {}
        for f in footprints:
            fps.setdefault(f.pathway, {})[f.entrez] = f.weight
            symbols[f.entrez] = f.symbol
        pert: dict[str, dict[str, float]] = {}
        for p in perturbations:
            pert.setdefault(p.drug_id, {})[p.entrez] = p.z
        cores = resolve_cores(genes) if genes is not None else {}
        return cls(regs, fps, pert, cores, symbols)

    @classmethod
    def from_tables(
        cls,
        layers: Mapping[str, list[Any]],
        perturbations: Mapping[str, list[Any]] | None,
        genes: GeneIndex,
    ) -> RegulatorReference:
        """Assemble the reference from the graph's parallel lists (``store.reference`` reads)."""
        regs: dict[str, dict[str, float]] = {}
        for tf, target, mor in zip(layers["tf"], layers["target"], layers["mor"], strict=True):
            regs.setdefault(tf, {})[target] = float(mor)
        fps: dict[str, dict[str, float]] = {}
        for p, g, w in zip(layers["pathway"], layers["gene"], layers["weight"], strict=True):
            fps.setdefault(p, {})[g] = float(w)
        pert: dict[str, dict[str, float]] = {}
        if perturbations is not None:
            for d, g, z in zip(
                perturbations["drug"], perturbations["gene"], perturbations["z"], strict=True
            ):
                pert.setdefault(d, {})[g] = float(z)
        return cls(regs, fps, pert, resolve_cores(genes))

    @classmethod
    def from_files(
        cls,
        dorothea: Path,
        progeny: Path,
        lincs: Path | None,
        genes: GeneIndex,
        *,
        levels: str = "ABC",
    ) -> RegulatorReference:
        """Read the three layers with their loaders (LINCS optional)."""
        return cls.from_rows(
            regulons_dorothea.read_regulons(dorothea, genes, levels=levels),
            pathways_progeny.read_footprints(progeny, genes),
            perturbations_lincs.read_perturbations(lincs) if lincs is not None else (),
            genes,
        )

    def regulators_of(self) -> dict[str, dict[str, float]]:
        """Target -> {TF regulating it: mor} (the regulons inverted)."""
        out: dict[str, dict[str, float]] = {}
        for tf, targets in self.regulons.items():
            for target, mor in targets.items():
                out.setdefault(target, {})[tf] = mor
        return out

    @cached_property
    def perturbation_activity(self) -> Mapping[str, PatientActivity]:
        """DrugBank id -> TF and pathway activity of the drug's LINCS consensus z.

        The twin's own models (:func:`patient_activity`: ULM on the regulons, MLM on the
        footprints) over the landmark genes, computed on first use and kept with the reference
        (~1,170 drugs, all on the same landmark genes, whose footprint look-up and MLM design
        are made once for all of them, :func:`patient_activities`; drug by drug they took
        seconds once per process).
        """
        return MappingProxyType(patient_activities(self.perturbations, self))


@dataclass(frozen=True)
class PatientActivity:
    """TF and pathway activities of one patient (:func:`patient_activity`)."""

    tf: Mapping[str, Activity]
    pathway: Mapping[str, Activity]

    def upstream_regulators(self, q: float = UR_Q) -> dict[str, Activity]:
        """TFs with activity q <= ``q``, strongest |score| first."""
        urs = {t: a for t, a in self.tf.items() if a.q <= q}
        return dict(sorted(urs.items(), key=lambda kv: (-abs(kv[1].score), kv[0])))


def patient_activity(stats: Mapping[str, float], ref: RegulatorReference) -> PatientActivity:
    r"""TF (ULM on regulons) and pathway (MLM on footprints) activity of one patient.

    ULM fits :math:`y_g = \beta_0 + \beta_1 m_{tg} + \varepsilon` per TF over the measured
    genes (:math:`m_{tg}` the mode of regulation, 0 off the regulon) and MLM one model of all
    pathways' weights; the score is the t-value of the slope, p two-sided, q Benjamini–Hochberg
    over the regulators of the call. Equal to decoupler's ``mt.ulm`` / ``mt.mlm``
    (``tests/unit/twin/test_regulator_oracles.py``), whose ULM p-values are already
    BH-adjusted (our q) and whose MLM p-values are raw (our p). A gene whose statistic is not
    finite counts as not measured (decoupler refuses such a matrix; without those genes it gives
    these values). Returns empty mappings when too few genes are measured for a model.

    References
    ----------
    Badia-i-Mompel P. et al. decoupleR: ensemble of computational methods to infer biological
    activities from omics data. Bioinformatics Advances 2, vbac016 (2022).
    doi:10.1093/bioadv/vbac016
    """
    tf = footprint_activity(stats, ref.regulons, method=ref.tf_method, tmin=ref.tmin)
    try:
        pathway = footprint_activity(
            stats, ref.footprints, method=ref.pathway_method, tmin=ref.tmin
        )
    except InputError:  # fewer measured genes than pathways: no MLM
        pathway = {}
    return PatientActivity(tf, pathway)


def patient_activities(
    samples: Mapping[str, Mapping[str, float]], ref: RegulatorReference
) -> dict[str, PatientActivity]:
    """:func:`patient_activity` of many samples at once (:func:`footprint_activities`).

    Each sample's values are the very floats :func:`patient_activity` gives it. When the
    pathway model cannot be fitted on some samples' genes, the samples are taken one by one, so
    each gets what :func:`patient_activity` gives it (those: no pathways).
    """
    tf = footprint_activities(samples, ref.regulons, method=ref.tf_method, tmin=ref.tmin)
    try:
        pathway = footprint_activities(
            samples, ref.footprints, method=ref.pathway_method, tmin=ref.tmin
        )
    except InputError:  # too few measured genes for MLM in some samples: those get none
        return {name: patient_activity(stats, ref) for name, stats in samples.items()}
    return {name: PatientActivity(tf[name], pathway[name]) for name in samples}
