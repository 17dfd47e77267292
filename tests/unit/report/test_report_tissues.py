"""Report sections of the tissue layer and the phenotype module."""

from __future__ import annotations

from medtwin.platform.report import render_report
from medtwin.platform.tissues import cell_type_count
from medtwin.platform.twin_models import (
    PhenotypeModule,
    PhenotypeTerm,
    TissueCellType,
    TissueLayer,
    TissueScore,
    TissueSignalView,
)


def _layer() -> TissueLayer:
    cell = TissueCellType(
        tissue="blood",
        name="Mono",
        n_genes=3,
        score=0.3,
        rank=1,
        out_within=0,
        out_cross=1,
        in_within=0,
        in_cross=0,
    )
    syn = TissueCellType(
        tissue="synovium",
        name="bulk",
        n_genes=5,
        score=0.1,
        rank=2,
        out_within=0,
        out_cross=0,
        in_within=0,
        in_cross=1,
    )
    return TissueLayer(
        twin_id="P1@v1",
        method="reverse PageRank",
        damping=0.85,
        seed=0,
        tissues=(
            TissueScore(name="blood", score=0.2, rank=1, cell_types=(cell,)),
            TissueScore(name="synovium", score=0.1, rank=2, cell_types=(syn,)),
        ),
        signals=(
            TissueSignalView(
                source_tissue="blood",
                source="Mono",
                target_tissue="synovium",
                target="bulk",
                pairs=("7124>7132",),
                pair_symbols=("TNF>TNFRSF1A",),
                cross_tissue=True,
            ),
        ),
        top_genes=({"entrez": "7124", "symbol": "TNF", "score": 0.1, "rank": 1},),
        n_cross_tissue_signals=1,
        n_within_tissue_signals=0,
    )


def _module() -> PhenotypeModule:
    return PhenotypeModule(
        twin_id="P1@v1",
        terms=(
            PhenotypeTerm(
                id="HP:0001370", name="Rheumatoid arthritis", kind="Phenotype", role="presented"
            ),
            PhenotypeTerm(
                id="HP:0002725",
                name="Systemic lupus <b>",
                kind="Phenotype",
                role="co-occurring",
                weight=0.15,
            ),
        ),
        n_genes=40,
        module_size=30,
        overlap=6,
        overlap_genes=({"entrez": "7124", "symbol": "TNF", "via": ["HP:0001370"]},),
        mu=1.2,
        sigma=1.0,
        z=4.8,
        p=0.001,
        significant=True,
        n_samples=1000,
        seed=0,
        min_weight={"Symptom": 0.5, "Phenotype": 0.1},
        method="overlap vs degree-matched null",
    )


def test_sections_show_tissues_signals_and_phenotype_module(twin_detail, twin_graph):
    detail = twin_detail.model_copy(update={"tissues": _layer(), "phenotype_module": _module()})
    page = render_report(detail, None, [], twin_graph)
    assert "<h2>Tissues</h2>" in page
    assert "TNF&gt;TNFRSF1A" in page
    assert "Mono (blood)" in page
    assert "<h2>Phenotype module</h2>" in page
    assert "6 of 40 phenotype genes" in page
    assert "Systemic lupus &lt;b&gt;" in page  # escaped
    assert "z +4.80, p 0.001" in page


def test_twin_without_tissues_or_module_reports_as_before(twin_detail, twin_graph):
    page = render_report(twin_detail, None, [], twin_graph)
    assert "<h2>Tissues</h2>" not in page
    assert "<h2>Phenotype module</h2>" not in page


def _summary_cell(page: str, key: str) -> str:
    start = page.index(f"<td>{key}</td>") + len(f"<td>{key}</td>")
    return page[start : page.index("</td>", start)].removeprefix("<td>")


def test_patient_summary_counts_the_cell_types_of_the_tissues(twin_detail, twin_graph):
    """As `twin show` lists them (before: "cell types 0" for the multi-tissue demo)."""
    # a multi-tissue twin stores n_cell_types 0: its cell types hang off its tissues, and the
    # summary counts them (cell_type_count)
    stored = {"n_cell_types": 0, "n_tissue_cell_types": 2}
    twin = twin_detail.twin.model_copy(update={"n_cell_types": cell_type_count(stored)})
    detail = twin_detail.model_copy(update={"twin": twin, "cell_types": (), "tissues": _layer()})
    page = render_report(detail, None, [], twin_graph)
    assert _summary_cell(page, "cell types") == "2 (blood 1, synovium 1)"
    page = render_report(twin_detail, None, [], twin_graph)  # single tissue: as before
    assert _summary_cell(page, "cell types") == str(len(twin_detail.cell_types)) == "2"
