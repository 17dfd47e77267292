"""Hand-made service results for report and export tests (no database)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from medtwin.platform.models import (
    DrugExplanation,
    DrugScore,
    ExplanationPath,
    GraphEdge,
    GraphNode,
    PatientSummary,
    RankingResult,
    RankParams,
    TwinGraph,
    TwinParams,
    TwinSummary,
)
from medtwin.platform.twin_models import CellTypeScore, Community, GeneScore, TwinDetail

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture
def twin_detail() -> TwinDetail:
    twin = TwinSummary(
        id="P1@v1",
        patient_id="P1",
        version=1,
        created_at=NOW,
        params=TwinParams(seed=7),
        params_hash="abc123",
        input_checksums={"p1.tsv": "f" * 64},
        n_seeds=4,
        n_genes=6,
        module_size=5,
        module_z=3.2,
        module_p=0.001,
        n_symptoms=1,
        n_cell_types=2,
    )
    genes = tuple(
        GeneScore(
            entrez=str(i),
            symbol=f"G{i}<b>",
            role="seed" if i < 5 else "expanded",
            log2fc=(1.5 if i % 2 else -2.0) if i < 5 else None,
            in_module=i < 6,
            pagerank=0.1 * i,
            betweenness=0.01 * i,
            community=i % 2,
        )
        for i in range(1, 7)
    )
    return TwinDetail(
        twin=twin,
        top_genes=genes,
        communities=(Community(id=0, size=3, top_genes=("G2", "G4")),),
        cell_types=(
            CellTypeScore(name="CD4 T", n_genes=3, pagerank=0.6, out_signals=2, in_signals=1),
            CellTypeScore(name="B cell", n_genes=2, pagerank=0.4, out_signals=1, in_signals=2),
        ),
        symptoms=({"id": "HP:0001370", "name": "Rheumatoid arthritis"},),
    )


@pytest.fixture
def ranking() -> RankingResult:
    drugs = tuple(
        DrugScore(
            rank=i,
            drug_id=f"DB0000{i}",
            drug_name=f"drug{i}",
            n_targets=2,
            n_targets_in_network=2,
            d_c=1.0 + i,
            z=-2.0 + i,
            p=0.01,
            q=0.05 * i,
            direction=-0.5 if i == 1 else 0.3,
            combined=1.0 / i,
            targets_in_module=("2",),
            targets_in_module_symbols=("G2",),
        )
        for i in (1, 2)
    )
    return RankingResult(
        id="P1@v1/r",
        twin_id="P1@v1",
        params=RankParams(seed=3),
        created_at=NOW,
        n_drugs=2,
        seconds=1.5,
        total=2,
        drugs=drugs,
    )


@pytest.fixture
def explanations() -> list[DrugExplanation]:
    return [
        DrugExplanation(
            patient_id="P1",
            twin_id="P1@v1",
            drug_id="DB00001",
            drug_name="drug1",
            score=None,
            targets=({"entrez": "2", "symbol": "G2"},),
            central_genes_reached=("G3",),
            paths=(ExplanationPath(nodes=("2", "3"), symbols=("G2", "G3"), length=1),),
            cell_types=("CD4 T",),
            cypher="MATCH (d:Drug {id: $drug_id}) RETURN d",
        )
    ]


@pytest.fixture
def twin_graph() -> TwinGraph:
    nodes = tuple(
        GraphNode(
            id=str(i),
            label=f"G{i}",
            layer="module" if i < 6 else "expanded",
            kind="Protein",
            size=1.0 + i,
            value=0.5 * i,
            community=i % 2,
        )
        for i in range(1, 7)
    ) + (GraphNode(id="P1@v1/CD4 T", label="CD4 T", layer="cell_type", kind="CellType"),)
    edges = tuple(
        GraphEdge(source=str(i), target=str(i + 1), kind="INTERACTS_WITH") for i in range(1, 6)
    ) + (GraphEdge(source="P1@v1/CD4 T", target="P1@v1/CD4 T", kind="SIGNALS_TO", weight=2.0),)
    return TwinGraph(twin_id="P1@v1", nodes=nodes, edges=edges)


@pytest.fixture
def patient() -> PatientSummary:
    return PatientSummary(
        id="P1",
        inputs=1,
        genes=4,
        symptoms=("HP:0001370",),
        metadata={"cohort": "demo"},
        twin_versions=(1,),
        created_at=NOW,
    )
