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
from pathlib import Path
from types import MappingProxyType
from typing import Any

from medtwin.errors import InputError
from medtwin.loaders import pathways_progeny, perturbations_lincs, regulons_dorothea
from medtwin.loaders.genes_ncbi import GeneIndex
from medtwin.loaders.rows import FootprintRow, PerturbationRow, RegulationRow
from medtwin.platform.algorithms.footprint import Activity, FootprintMethod, footprint_activity

__all__ = [
    "PATHWAY_CORES",
    "UR_Q",
    "PatientActivity",
    "RegulatorReference",
    "patient_activity",
    "resolve_cores",
]

UR_Q = 0.05
"""A TF is an upstream regulator when its activity q is at most this."""

PATHWAY_CORES: Mapping[str, Mapping[str, int]] = MappingProxyType(
    {
        "EGFR": {"EGFR": 1, "ERBB2": 1, "ERBB3": 1, "ERBB4": 1},
        "MAPK": {
            "KRAS": 1, "NRAS": 1, "HRAS": 1, "BRAF": 1, "RAF1": 1, "ARAF": 1,
            "MAP2K1": 1, "MAP2K2": 1, "MAPK1": 1, "MAPK3": 1,
        },
        "PI3K": {
            "PIK3CA": 1, "PIK3CB": 1, "PIK3CD": 1, "PIK3CG": 1, "PIK3R1": 1,
            "AKT1": 1, "AKT2": 1, "AKT3": 1, "MTOR": 1, "PTEN": -1,
        },
        "JAK.STAT": {
            "JAK1": 1, "JAK2": 1, "JAK3": 1, "TYK2": 1, "STAT1": 1, "STAT3": 1,
            "IFNAR1": 1, "IFNAR2": 1, "IFNGR1": 1, "IFNGR2": 1, "IL6R": 1, "IL6ST": 1,
        },
        "NFkB": {"IKBKB": 1, "CHUK": 1, "NFKB1": 1, "RELA": 1, "IL1R1": 1, "IRAK4": 1},
        "TNFa": {"TNF": 1, "TNFRSF1A": 1, "TNFRSF1B": 1},
        "TGFb": {"TGFB1": 1, "TGFB2": 1, "TGFBR1": 1, "TGFBR2": 1, "SMAD2": 1, "SMAD3": 1},
        "Hypoxia": {"HIF1A": 1, "EPAS1": 1, "ARNT": 1},
        "p53": {"TP53": 1, "MDM2": -1, "MDM4": -1},
        "Trail": {"TNFSF10": 1, "TNFRSF10A": 1, "TNFRSF10B": 1},
        "VEGF": {"VEGFA": 1, "KDR": 1, "FLT1": 1, "FLT4": 1},
    }
)  # fmt: skip
"""PROGENy pathway -> its core signalling genes (HGNC symbol -> +1 activator, -1 repressor).

The receptor → kinase-cascade → effector core of each pathway as drawn in KEGG (Kanehisa &
Goto 2000, doi:10.1093/nar/28.1.27: hsa04012 ErbB, hsa04010 MAPK, hsa04151 PI3K-Akt, hsa04630
JAK-STAT, hsa04064 NF-kB, hsa04668 TNF, hsa04350 TGF-beta, hsa04066 HIF-1, hsa04115 p53,
hsa04210 apoptosis (TRAIL), hsa04370 VEGF), restricted to the genes that the perturbations
defining each PROGENy footprint act on (Schubert et al. 2018, Supplementary Table 1: ligands,
receptors and kinase inhibitors). Fixed before any evaluation; the drug → pathway rule of
:mod:`medtwin.platform.ranking.pathway_rank`."""


def core_symbols() -> frozenset[str]:
    """Every gene symbol :data:`PATHWAY_CORES` names (what :func:`resolve_cores` resolves)."""
    return frozenset(s for members in PATHWAY_CORES.values() for s in members)


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
    """TF (ULM on regulons) and pathway (MLM on footprints) activity of one patient.

    Returns empty mappings when too few genes are measured for a model.
    """
    tf = footprint_activity(stats, ref.regulons, method=ref.tf_method, tmin=ref.tmin)
    try:
        pathway = footprint_activity(
            stats, ref.footprints, method=ref.pathway_method, tmin=ref.tmin
        )
    except InputError:  # fewer measured genes than pathways: no MLM
        pathway = {}
    return PatientActivity(tf, pathway)
