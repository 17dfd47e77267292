"""The PROGENy pathways' curated signalling cores: data only.

Apart from :mod:`medtwin.platform.regulators` (which imports scipy for the footprint models) so
that an explanation of a ``pathway`` score reads the cores without it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["PATHWAY_CORES", "core_symbols"]

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
