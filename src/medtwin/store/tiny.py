"""A tiny reference graph seeded through the real load path (integration tests, CLI benchmark).

A 60-protein interactome (three 20-cliques in a ring, ``networkx.connected_caveman_graph``),
3 approved drugs with targets, 1 ligand–receptor pair and the rheumatoid-arthritis phenotype.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from medtwin.loaders.rows import (
    DrugRow,
    DrugTargetRow,
    GeneRow,
    InteractionRow,
    LigandReceptorRow,
    PhenotypeRow,
)

if TYPE_CHECKING:  # networkx and the driver only for type checking (tests import this)
    import networkx as nx

    from medtwin.store.neo4j import Neo4jStore

__all__ = ["gene_row", "seed_interactome", "seed_tiny_reference"]


def gene_row(i: int) -> GeneRow:
    """Gene ``i`` of the tiny reference: Entrez id ``i``, symbol ``G<i>``."""
    return GeneRow(
        entrez=str(i),
        symbol=f"G{i}",
        name=f"gene {i}",
        synonyms=(f"ALIAS{i}",),
        hgnc=None,
        ensembl=None,
        gene_type="protein-coding",
        source="ncbi_gene_info",
        source_version="test",
    )


def seed_interactome(store: Neo4jStore, g: nx.Graph, genes: list[GeneRow], *, version: str) -> None:
    """Load ``genes`` and the edges of ``g`` (Entrez ids as nodes) as the gene and PPI datasets."""
    store.start_dataset("ncbi_gene_info", {"sha256": version, "version": version})
    store.merge_rows(genes)
    store.finish_dataset("ncbi_gene_info", {"GeneRow": len(genes)}, 0.0)
    store.start_dataset("menche2015_interactome", {"sha256": version, "version": version})
    store.merge_rows(
        InteractionRow(
            a=str(min(a, b)),
            b=str(max(a, b)),
            evidence=(version,),
            source="menche2015_interactome",
            source_version=version,
        )
        for a, b in g.edges
    )
    store.finish_dataset("menche2015_interactome", {"InteractionRow": g.number_of_edges()}, 0.0)


def seed_tiny_reference(store: Neo4jStore) -> nx.Graph:
    """Load the tiny reference graph into ``store`` (empty); return its interactome."""
    import networkx as nx

    g = nx.connected_caveman_graph(3, 20)  # nodes 0..59, three 20-cliques in a ring
    g = nx.relabel_nodes(g, {n: n + 1 for n in g})  # Entrez ids must be positive
    store.ensure_schema()
    seed_interactome(store, g, [gene_row(i) for i in g.nodes], version="test")
    store.merge_rows(
        [
            DrugRow(
                id=f"DB0000{i}",
                name=f"drug{i}",
                drug_type="small molecule",
                groups=("approved",),
                atc_codes=(),
                inchikey=None,
                source="drugbank_dhimmel",
                source_version="test",
            )
            for i in (1, 2, 3)
        ]
    )
    targets = {"DB00001": ["2", "3"], "DB00002": ["45", "50"], "DB00003": ["21"]}
    store.merge_rows(
        DrugTargetRow(
            drug_id=d,
            entrez=t,
            actions=("inhibitor",),
            direction="inhibit",
            category="target",
            known_action="yes",
            source="drugbank_dhimmel",
            source_version="test",
        )
        for d, ts in targets.items()
        for t in ts
    )
    store.merge_rows(
        [
            LigandReceptorRow(
                ligand_entrez="2",
                receptor_entrez="5",
                ligand_symbol="G2",
                receptor_symbol="G5",
                resource="consensus",
                source="liana",
                source_version="test",
            ),
        ]
    )
    store.merge_rows(
        [
            PhenotypeRow(
                id="HP:0001370", name="Rheumatoid arthritis", source="hpo", source_version="test"
            )
        ]
    )
    return g
