"""Results a notebook tabulates give a DataFrame: ``to_frame()``, columns even without a row.

Before, ``Stratification``, a list of ``DiseaseMatch`` (``twin_diseases``), the patient and twin
version lists, ``BiomarkerReport`` and ``Trajectory`` had no ``to_frame()``, unlike a ranking,
``RegulatorReport`` and ``CohortSummary``.
"""

from __future__ import annotations

from medtwin.platform import insights, patients, twins
from medtwin.platform.context import ReferenceContext
from medtwin.platform.insight_models import BiomarkerReport, DrugTrajectory, Trajectory
from medtwin.platform.models import DiseaseMatch, PatientSummary, TwinSummary
from medtwin.platform.stratify import Stratification
from tests.unit.services.test_notebook_defaults import built  # noqa: F401


def test_twin_diseases_and_the_stored_ones_are_a_list_with_a_frame(built):  # noqa: F811
    rows = insights.twin_diseases(built, "P1", n_samples=20, ctx=ReferenceContext())
    frame = rows.to_frame()
    assert list(frame.columns) == list(DiseaseMatch.model_fields)
    assert frame["disease_id"].tolist() == [r.disease_id for r in rows]
    assert isinstance(rows, list)
    assert insights.stored_diseases(built, "P1").to_frame().equals(frame)


def test_patient_and_twin_lists_have_a_frame(built):  # noqa: F811
    frame = patients.list_patients(built).to_frame()
    assert frame["id"].tolist() == ["P1"]
    assert list(patients.list_patients(built, offset=5).to_frame().columns) == list(
        PatientSummary.model_fields
    )
    versions = twins.twin_versions(built, "P1").to_frame()
    assert versions["version"].tolist() == [1]
    assert set(TwinSummary.model_fields) <= set(versions.columns)


def test_a_stratification_gives_one_row_per_patient():
    s = Stratification(
        cohort="c", method="jaccard", k=5, patients=3, without_twin=(), similarities=2,
        communities={"P3": 0, "P1": 1, "P2": 0}, sizes=(2, 1),
    )  # fmt: skip
    assert s.to_frame().to_dict("records") == [
        {"patient_id": "P2", "community": 0},
        {"patient_id": "P3", "community": 0},
        {"patient_id": "P1", "community": 1},
    ]
    empty = s.model_copy(update={"communities": {}}).to_frame()
    assert list(empty.columns) == ["patient_id", "community"]


def test_biomarker_report_and_trajectory_frames_keep_their_columns():
    report = BiomarkerReport(
        patient_id="P1", twin_id="P1@v1", ranking_id="r", top_drugs=10, rule="x", suggestions=(),
        module_z=None, module_p=None,
    )  # fmt: skip
    assert "entrez" in report.to_frame().columns
    drug = DrugTrajectory(drug_id="DB1", drug_name="one", ranks=(3, 1), change=-2)
    trajectory = Trajectory(
        patient_id="P1", time_points=("w0", "w12"), points=(), steps=(), drugs=(drug,),
        early_genes=(), rule="x",
    )  # fmt: skip
    assert trajectory.to_frame().to_dict("records") == [
        {"drug_id": "DB1", "drug_name": "one", "ranks": (3, 1), "change": -2}
    ]
