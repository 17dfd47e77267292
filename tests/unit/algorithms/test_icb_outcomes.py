"""(d) on continuous responses (benchmarks.icb_outcomes) on a tiny synthetic cohort."""

from __future__ import annotations

import math

import pytest
from benchmarks.icb_outcomes import (
    IFNG_ANCHOR,
    TMB_ANCHOR,
    continuous_table,
    correct_outcomes,
    read_outcomes,
)

from medtwin.platform.algorithms.controls import holm

HEADER = (
    "patientid\trecist\tresponse\tsurvival_time_pfs\tevent_occurred_pfs\tsurvival_time_os\t"
    "event_occurred_os\tnsTMB_perMb\n"
)


def test_read_outcomes_orders_recist_and_keeps_unknowns(tmp_path) -> None:
    path = tmp_path / "ICB_X_clinical.tsv"
    path.write_text(
        HEADER + "P1\tPR\tR\t3.5\t1\t10\t0\t2.5\nP2\t\t\t\t\tNA\t\t\nP3\tNE\tNR\t1\t0\t4\t1\t1\n"
    )
    out = read_outcomes(path)
    assert out["P1"] == {
        "recist": 2.0, "os_time": 10.0, "os_event": 0.0, "pfs_time": 3.5, "pfs_event": 1.0,
        "tmb": 2.5,
    }  # fmt: skip
    assert all(math.isnan(v) for v in out["P2"].values())
    assert math.isnan(out["P3"]["recist"])  # not evaluable: unknown, not an order


def test_read_outcomes_names_file_line_and_value(tmp_path) -> None:
    path = tmp_path / "ICB_X_clinical.tsv"
    path.write_text(HEADER + "P1\tPR\tR\t3.5\t1\t10\t0\t2.5\nP2\tPD\tNR\t1\t1\t1O\t1\t1\n")
    with pytest.raises(SystemExit, match=r"ICB_X_clinical.tsv:3: survival_time_os '1O' is not"):
        read_outcomes(path)
    path.write_text(HEADER + "P1\tPR\tR\t3.5\t2\t10\t0\t2.5\n")
    with pytest.raises(SystemExit, match=r":2: event_occurred_pfs '2' is not 0 or 1"):
        read_outcomes(path)


def _cohort(name: str, n: int, offset: float) -> list[dict[str, object]]:
    """Every patient dies, at 1, 2, ... n; the "own" ranker places the drug by survival (the
    longer-lived higher) -- concordant by construction -- and RECIST follows survival too; the
    IFN-gamma anchor is the reverse, TMB constant."""
    out: list[dict[str, object]] = []
    for i in range(n):
        out.append(
            {
                "cohort": name, "patient": f"{name}{i}", "response": "NA",
                "os_time": float(i + 1), "os_event": 1.0, "pfs_time": None, "pfs_event": None,
                "recist": float(min(i, 3)), "tmb": 1.0, "ifng": -float(i),
                "positions": {"own": {"D": offset + i / n}, "flat": {"D": 0.5}},
            }
        )  # fmt: skip
    return out


def test_own_ranking_concordant_swapped_not_and_cohorts_apart() -> None:
    # cohort B's positions all lie below cohort A's although B's patients live longer: a C
    # pooled across cohorts would count those pairs as discordant; stratified, it does not
    patients = _cohort("A", 8, 0.5) + [
        {**p, "os_time": float(p["os_time"]) + 100} for p in _cohort("B", 6, 0.0)
    ]
    rows = {r["ranker"]: r for r in continuous_table(patients, seed=0, n_boot=200)}
    own = rows["own"]
    assert own["os_A_c"] == own["os_B_c"] == own["os_c"] == 1.0
    assert own["os_patients"] == own["os_events"] == 14
    assert own["os_c_ci"] == "[1.0, 1.0]"  # every resample is ordered too
    # the other patients' positions know nothing of this patient's survival: near 1/2
    assert own["os_swapped"] == pytest.approx(0.5, abs=0.1)
    assert own["os_gain"] > 0.4
    low = float(str(own["os_gain_ci"]).strip("[]").split(",")[0])
    assert low > 0.3
    assert own["os_gain_p"] < 0.05
    # RECIST ties (PD, SD, PR, then CR for the rest) where positions do not: tau_b < 1, no pair
    # discordant; swapped near 0 (below: leaving out the pair's own two patients takes the
    # lowest of a concordant pair's scores from the first and the highest from the second,
    # a bias of order 1 / patients that is large at 8 patients and vanishes as own tends to 0)
    assert own["recist_tau_b"] > 0.8
    assert -0.2 < own["recist_swapped"] < 0
    assert own["recist_gain"] > 0.7
    # no PFS anywhere: no value, no error
    assert own["pfs_patients"] == 0
    assert own["pfs_c"] is None
    # beside the anchors, on the same patients (paired): IFN-gamma is reversed (C 0), TMB flat
    assert rows[IFNG_ANCHOR]["os_c"] == 0.0
    assert rows[TMB_ANCHOR]["os_c"] == 0.5
    assert str(own["os_minus_ifng"]).startswith("+1.000 [1.0, 1.0] (14)")
    assert str(own["os_minus_tmb"]).startswith("+0.500 [0.5, 0.5] (14)")
    # a position the same for every patient: own = swapped, gain 0
    flat = rows["flat"]
    assert flat["os_c"] == flat["os_swapped"] == 0.5
    assert flat["os_gain"] == 0.0


def test_reassignment_p_and_holm_over_the_rankers() -> None:
    # stop 51: own − swapped against positions permuted within cohorts (100,000 seeded
    # assignments); Holm per outcome over the rankers, anchors out
    patients = _cohort("A", 8, 0.5) + _cohort("B", 6, 0.0)
    for p in patients:  # a second ranker with the positions of "own": one test, not two
        p["positions"] = {**p["positions"], "copy": p["positions"]["own"]}
    rows = {r["ranker"]: r for r in continuous_table(patients, seed=0, n_boot=50)}
    own, copy, flat = rows["own"], rows["copy"], rows["flat"]
    # only assignments that keep both cohorts in survival order give C 1 (1 of 8! x 6!): none
    # of the random ones reaches the observed gain, p = 1 / 100,001
    assert own["os_gain_p_perm_greater"] == pytest.approx(1 / 100_001, abs=1e-6)
    assert own["os_gain_p_perm"] == pytest.approx(1 / 100_001, abs=1e-6)
    # a position the same for every patient: every assignment gives gain 0, p 1
    assert (flat["os_gain_p_perm"], flat["os_gain_p_perm_greater"]) == (1.0, 1.0)
    # two distinct tests (own = copy, flat) on OS: Holm x 2 for the smaller p
    assert own["os_family"] == copy["os_family"] == flat["os_family"] == 2
    assert own["os_gain_p_perm_adj"] == copy["os_gain_p_perm_adj"] == pytest.approx(2e-5, abs=1e-6)
    assert own["os_gain_p_adj"] == pytest.approx(min(1.0, 2 * own["os_gain_p"]))
    # RECIST of a constant position has no τ-b: no test, one ranker in that family
    assert flat["recist_gain_p_perm"] is None
    assert own["recist_family"] == 1
    assert rows[IFNG_ANCHOR]["os_gain_p_perm_adj"] is None  # anchors: outside the family
    assert rows[IFNG_ANCHOR]["os_gain_p_perm"] is not None


def test_outcome_family_does_not_grow_with_a_later_methods_rows() -> None:
    # (d) per outcome: a later row's positions distinct from every declared ranker's
    def rows_of(names: list[str]) -> tuple[list[dict[str, object]], list[bytes]]:
        ps = {"default (position)": 0.01, "method: target_expression (position)": 0.02,
              "method: activity_reversal (position)": 0.005}  # fmt: skip
        rows: list[dict[str, object]] = [
            {"ranker": "anchor: IFN-γ", "os_gain_p": 0.001, "os_gain_p_perm": 0.001},
        ]
        rows += [{"ranker": n, "os_gain_p": ps[n], "os_gain_p_perm": ps[n]} for n in names]
        return rows, [r["ranker"].encode() for r in rows]  # type: ignore[union-attr]

    declared_names = ["default (position)", "method: target_expression (position)"]
    before, keys = rows_of(declared_names)
    correct_outcomes(before, keys)
    after, keys = rows_of([*declared_names, "method: activity_reversal (position)"])
    correct_outcomes(after, keys)
    fields = ("os_gain_p_adj", "os_gain_p_perm_adj", "os_family")
    for old, new in zip(before, after, strict=False):
        assert {f: new[f] for f in fields} == {f: old[f] for f in fields}
    assert before[1]["os_family"] == 2
    assert after[3]["os_family"] == 3
    assert after[3]["os_gain_p_perm_adj"] == pytest.approx(holm([0.01, 0.02, 0.005])[-1])
