"""Provenance shared by the two Guney et al. 2016 loaders (``emreg00/proximity``)."""

from __future__ import annotations

from medtwin.loaders.base import SourceInfo

__all__ = ["SOURCE"]

SOURCE = SourceInfo(
    name="guney2016_network_medicine",
    url="https://github.com/emreg00/proximity/tree/6c7ce98762dc96d4d6bc8c988146f587ba50dce9/data",
    version="emreg00/proximity@6c7ce98",
    licence="No licence file; drug targets from DrugBank (non-commercial), genes from Menche 2015",
    files=("disease_genes.tsv", "drug_to_geneids.tsv"),
    citation="Guney E, Menche J, Vidal M, Barabasi A-L. Network-based in silico drug efficacy "
    "screening. Nat Commun 7:10331 (2016). doi:10.1038/ncomms10331",
)
