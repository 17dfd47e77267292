"""target_expression needs the twin's vector of every measured gene, never its thresholded changes.

Ring of eight genes (every degree 2, so one degree bin). The changes are four up-regulated
markers (an h5ad marker programme: all positive); the full vector, when the input keeps it, is
every gene's statistic.
"""

from __future__ import annotations

import math

import pytest

from medtwin.loaders.patient_rows import ActivityStats, GeneChange, PatientProfile
from medtwin.platform import patients, rankings, twins
from medtwin.platform.context import ReferenceContext
from medtwin.platform.models import RankParams, TwinParams
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import RING

FAST_TWIN = TwinParams(module_samples=20, min_seeds=2)
PARAMS = RankParams(n_samples=30, methods=("proximity", "target_expression"))
MARKERS = tuple(
    GeneChange(entrez=g, log2fc=lfc, padj=1e-6, cell_type="T")
    for g, lfc in (("1", 2.0), ("2", 1.5), ("3", 1.2), ("4", 1.0))
)
# mean 0, population variance (16 + 4 + 1 + 1 + 1 + 4 + 9 + 4) / 8 = 5
FULL = {"1": 4.0, "2": 2.0, "3": 1.0, "4": 1.0, "5": -1.0, "6": -2.0, "7": -3.0, "8": -2.0}


def _ranked(with_vector: bool, tmp_path) -> tuple[MemoryStore, object]:
    store = MemoryStore()
    store.add_reference(
        genes={str(i): f"G{i}" for i in range(1, 9)},
        ppi=RING,
        drugs={
            "DB1": ("activates an up marker", [("1", "activate")]),
            "DB2": ("two targets", [("2", "activate"), ("5", "inhibit")]),
            "DB3": ("inhibits a down gene", [("6", "inhibit")]),
        },
    )
    vec = (ActivityStats(statistic="de evidence", stats=FULL),) if with_vector else ()
    profile = PatientProfile(
        patient_id="P1", changes=MARKERS, input_checksums={"x.h5ad": "0" * 64},
        activity_stats=vec,
    )  # fmt: skip
    patients.add_patient(store, profile, kind="h5ad" if not with_vector else "de")
    twins.build_twin(store, "P1", FAST_TWIN, ctx=ReferenceContext())
    ctx = ReferenceContext()
    return store, rankings.rank_drugs(store, "P1", PARAMS, cache_dir=tmp_path, ctx=ctx)


def test_thresholded_changes_only_score_no_drug_and_say_why(tmp_path) -> None:
    store, r = _ranked(with_vector=False, tmp_path=tmp_path)
    assert [d.target_expression for d in r.drugs] == [None, None, None]
    why = r.no_score["target_expression"]
    assert why.startswith("no vector of every measured gene: input x.h5ad (h5ad)")
    for d in r.drugs:
        assert "target_expression: no score (no vector of every measured gene)" in (
            d.placed_by or ""
        )
    # read back from the store: the reason travels with the stored ranking
    again = rankings.get_ranking(store, "P1", ctx=ReferenceContext())
    assert again.no_score == r.no_score
    assert again.drugs[0].placed_by == r.drugs[0].placed_by
    # and the twin says why it has no twin-level activities
    assert twins.twin_versions(store, "P1")[0].activity_note == why


def test_a_full_vector_still_scores_by_hand(tmp_path) -> None:
    _, r = _ranked(with_vector=True, tmp_path=tmp_path)
    got = {d.drug_id: d.target_expression for d in r.drugs}
    # one bin: mu0 = 0 for every drug, sigma0^2 = 5 / k
    # DB1 activates 1 (+4): S = -4, z = -4 / sqrt(5)
    # DB2 activates 2 (+2), inhibits 5 (-1): S = (-2 - 1) / 2, sigma0 = sqrt(10) / 2
    # DB3 inhibits 6 (-2): S = -2, z = -2 / sqrt(5)
    assert got["DB1"] == pytest.approx(-4 / math.sqrt(5), abs=1e-9)
    assert got["DB2"] == pytest.approx(-1.5 / (math.sqrt(10) / 2), abs=1e-9)
    assert got["DB3"] == pytest.approx(-2 / math.sqrt(5), abs=1e-9)
    assert r.no_score == {}
    assert all("target_expression: no score" not in (d.placed_by or "") for d in r.drugs)
