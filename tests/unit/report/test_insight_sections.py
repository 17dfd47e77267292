"""Report sections of the insights: headings, caveat, escaping, missing data."""

from __future__ import annotations

import re

from medtwin.command_lines import speaking_to
from medtwin.platform.insight_models import (
    BiomarkerDrug,
    BiomarkerReport,
    BiomarkerSuggestion,
    DrugTrajectory,
    EarlyGene,
    Trajectory,
    TrajectoryPoint,
    TrajectoryStep,
)
from medtwin.platform.models import DiseaseMatch
from medtwin.platform.report_insights import (
    RESEMBLANCE_CAVEAT,
    biomarker_section,
    resemblance_section,
    trajectory_section,
)


def _match(rank: int, name: str, q: float) -> DiseaseMatch:
    return DiseaseMatch(
        twin_id="P@v1", rank=rank, disease_id=f"d{rank}", name=name, n_genes=10, shared=2,
        d_c=0.5, z=-2.0, p=0.01, q=q, s_ab=-0.3, n_samples=200, seed=4,
    )  # fmt: skip


def test_resemblance_section_has_heading_caveat_and_rows():
    html = resemblance_section(
        "P", [_match(1, "arthritis <rheumatoid>", 0.01), _match(2, "b", 0.2)]
    )
    assert "<h2>Which diseases does this twin resemble?</h2>" in html
    assert "it is not a diagnosis" in RESEMBLANCE_CAVEAT
    assert "not a diagnosis" in html
    assert "arthritis &lt;rheumatoid&gt;" in html  # escaped
    assert "1 with q &lt; 0.05" in html
    assert "200 null samples, seed 4" in html


def test_resemblance_section_without_stored_result_says_how_to_compute():
    with speaking_to("cli"):  # the CLI's report: the command; a notebook's: the call
        assert "run <code>medtwin twin diseases P1</code>" in resemblance_section("P1", [])
    html = resemblance_section("P1", [])
    assert "call <code>insights.twin_diseases(store, &quot;P1&quot;)</code>" in html


def test_biomarker_section():
    s = BiomarkerSuggestion(
        rank=1, entrez="1", symbol="IL6", layers=("expression", "variant"), variants=("rs1",),
        log2fc=1.0, z=3.0, pagerank_rank=1, module_size=5, central=True, ligand=True,
        drugs=(BiomarkerDrug(drug_id="DB1", drug_name="toci", drug_rank=1, action="inhibit",
                             effect="counteracts"),),
        chain="variant rs1 in IL6 (HIGH) → IL6 up (z 3.0) → measure IL6 protein",
    )  # fmt: skip
    report = BiomarkerReport(
        patient_id="P", twin_id="P@v1", ranking_id="r", top_drugs=20, rule="the rule",
        suggestions=(s,), module_z=3.0, module_p=0.001,
    )  # fmt: skip
    html = biomarker_section(report, patient_id="P")
    assert "What to measure" in html
    assert "variant rs1 in IL6 (HIGH) → IL6 up (z 3.0)" in html
    assert "toci (counteracts)" in html
    assert "the rule" in html
    # the flag says what LIANA says: a ligand there is no claim of being measurable in blood
    assert "ligand (LIANA consensus)" in html
    assert "blood" not in html
    with speaking_to("cli"):
        assert "medtwin rank P" in biomarker_section(None, patient_id="P")
        ranked = biomarker_section(None, patient_id="P", ranked=True)  # not yet suggested
    assert "Not computed for this ranking yet" in ranked
    assert "medtwin biomarkers P" in ranked
    assert "medtwin rank P" not in ranked


def test_trajectory_section():
    traj = Trajectory(
        patient_id="P",
        time_points=("w0", "w4"),
        points=(
            TrajectoryPoint(time_point="w0", twin_id="P@v1", version=1, built=True,
                            module_size=3, top_genes=("HUB",), ranking_id=None),
            TrajectoryPoint(time_point="w4", twin_id="P@v2", version=2, built=True,
                            module_size=5, top_genes=("HUB",), ranking_id=None),
        ),
        steps=(TrajectoryStep(from_time_point="w0", to_time_point="w4", entered=("X", "Y"),
                              left=(), stayed=3, jaccard=0.6, risers=()),),
        drugs=(DrugTrajectory(drug_id="DB1", drug_name="d", ranks=(1, None), change=None),),
        early_genes=(EarlyGene(entrez="1", symbol="HUB", pagerank_rank=1,
                               later_neighbours=("X", "Y")),),
        rule="early rule",
    )  # fmt: skip
    html = trajectory_section(traj)
    assert "<h2>Over time</h2>" in html
    assert "w0 → w4" in html
    assert "X, Y" in html
    assert "<h3>Early genes</h3>" in html
    assert "HUB" in html
    assert "0.60" in html
    # before: no gene left, no riser and a drug outside the top at w4 were empty cells
    cells = re.findall(r"<td>(.*?)</td>", html)
    assert "" not in cells
    assert cells.count("none") == 2  # left, risers
    assert "<td>d</td><td>1</td><td>–</td><td>–</td>" in html  # rank at w4, change
