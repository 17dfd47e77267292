"""``benchmarks.evidence_sensitivity`` (stop 50) on a tiny synthetic evidence file, by hand."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from benchmarks import evidence_sensitivity as es
from benchmarks.personal import add_sign_flip, correct_family

from medtwin.platform.algorithms.bootstrap import bootstrap_mean_test


def _row(ranker: str, kind: str, gains: list[float]) -> dict[str, object]:
    test = bootstrap_mean_test(gains, n_boot=2000, seed=0)
    mean, lo, hi, p = test.value, test.low, test.high, test.p
    per_case = {f"c{i:02d}": g for i, g in enumerate(gains)}
    return {
        "ranker": ranker,
        "kind": kind,
        "cases": len(gains),
        "auroc": 0.7,
        "gain": round(mean, 3),
        "gain_ci": f"[{round(lo, 3)}, {round(hi, 3)}]",
        "gain_p": round(p, 6),
        "per_case_gain": per_case,
    }


def _evidence(tmp_path: Path) -> Path:
    from benchmarks.validate_twins import write_evidence

    rows = [
        # 16 cases: fifteen gain 0.1, c15 gains 0.9; mean 0.15
        _row("default", "default", [0.1] * 15 + [0.9]),
        # exactly 15 cases: any case left out leaves 14, fewer than the rule's 15
        _row("method: fifteen", "method", [0.1, 0.2, 0.3] * 5),
        _row("method: none", "method", list(np.linspace(-0.1, 0.1, 16))),
        {**_row("prior: approval tier", "prior", [0.0] * 16), "auroc": 0.8},
    ]
    add_sign_flip(rows, seed=0)
    correct_family(rows)
    params = {"bootstrap": {"resamples": 2000, "seed": 0, "level": 0.95}}
    path = tmp_path / "personal_evidence.json"
    write_evidence({"params": params, "b_personal": rows}, path, ["--parts", "b"])
    return path


def test_sign_flip_and_leave_one_out_by_hand(tmp_path: Path) -> None:
    parts, provenance = es.read_parts(_evidence(tmp_path))
    result = es.analyse(parts, provenance)
    part = result["parts"]["b: STARGEO signatures, disease-modifying drugs"]
    assert part["mismatches"] == []  # the file's bootstrap figures recomputed exactly
    assert part["priors"] == {"approval tier": 0.8}
    rows = {r.ranker: r for r in part["gains"]["all drugs"]["rows"]}
    default, fifteen = rows["default"], rows["method: fifteen"]
    # 16 positive gains: only the observed sign pattern and its negation, 2 / 2^16
    assert default.p_signflip == pytest.approx(2 / 2**16, abs=1e-6)
    assert default.family == 3
    assert default.verdict_rule == default.verdict_signflip == "gain"
    # leaving c15 (0.9) out leaves fifteen gains of 0.1: gain and CI low 0.1
    assert default.loo.min_gain == pytest.approx(0.1)
    assert default.loo.min_gain_case == "c15"
    assert default.loo.min_low == pytest.approx(0.1)
    assert default.loo.lost_without == ()
    # all gains positive: no bootstrap resample mean reaches 0, whatever the seed
    assert default.seeds_gain == es.SEEDS
    # 15 cases: the rule holds on all of them, and is lost whichever case is left out
    assert fifteen.verdict_rule == "gain"
    assert fifteen.loo.lost_without == tuple(f"c{i:02d}" for i in range(15))
    # left out, a 0.3 lowers the mean most: (3.0 - 0.3) / 14
    assert fifteen.loo.min_gain == pytest.approx(2.7 / 14)
    assert fifteen.loo.min_gain_case == "c02"
    assert rows["method: none"].verdict_rule == "no"
    assert rows["method: none"].loo.lost_without == ()  # no verdict to lose
    # the sign-flip p without one case (stop 51): fifteen positive gains left, 2 / 2^15 exact,
    # Holm x 3 -> 1.8e-4, still a gain; "fifteen" has 14 cases left, below the rule's 15
    assert default.loo_signflip.max_p_adj == pytest.approx(3 * 2 / 2**15, abs=1e-6)
    assert default.loo_signflip.lost_without == ()
    assert fifteen.verdict_signflip == "gain"
    assert fifteen.loo_signflip.lost_without == tuple(f"c{i:02d}" for i in range(15))
    # no matrices beside the file: no reassignment p, said so
    assert (default.p_perm, default.verdict_perm, default.loo_perm) == (None, "n/a", None)


def test_script_prints_tables_and_writes_the_forest_plot(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert es.main(["--evidence", str(_evidence(tmp_path)), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "### b: STARGEO signatures, disease-modifying drugs — all drugs, 16 cases" in printed
    assert "| default | 16 | +0.150 [0.100, 0.250] | 0.001 | 0.003 | 3.1e-05 |" in printed
    assert "lost without 15 of 16 (c00; c01; c02; …)" in printed
    assert (out / "evidence_forest_b.png").stat().st_size > 10_000
    doc = json.loads((out / "evidence_sensitivity.json").read_text())
    part = doc["parts"]["b: STARGEO signatures, disease-modifying drugs"]
    assert part["gains"]["all drugs"]["rows"][0]["loo"]["min_gain_case"] == "c15"


def test_a_file_without_per_case_gains_is_refused_with_the_fix(tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    row = {"cases": 19, "gain": 0.08, "gain_ci": "[0.02, 0.134]", "gain_p": 0.015}
    old.write_text(json.dumps({"provenance": {}, "parts": {"b: x": {"default": row}}}))
    with pytest.raises(SystemExit, match=r"old.json: part 'b: x' has no per-case gains.*"
                       r"--evidence-from RESULT.json"):  # fmt: skip
        es.read_parts(old)
    other = tmp_path / "other.json"
    other.write_text("[]")
    with pytest.raises(SystemExit, match="neither an evidence file"):
        es.read_parts(other)


def test_reassignment_p_and_its_leave_one_out_from_the_kept_matrices(tmp_path: Path) -> None:
    # stop 51: 16 cases of 16 drugs; "own" puts each case's one positive first, the other
    # drugs tied. Case i on ranking k != i: its positive ties with 14 negatives below k's drug,
    # AUROC (0.5 x 14) / 15 = 7/15; own 1; every gain 8/15. Only the observed assignment
    # reaches that mean (any other loses 8/15 + 8/(15 x 15) per case moved): p = 1 / 100,001
    from benchmarks.personal import CaseScores

    drugs = [f"d{i:02d}" for i in range(16)]
    cs = CaseScores(drugs, np.ones(16, dtype=bool))
    for i, drug in enumerate(drugs):
        cs.add_case(f"c{i:02d}", {drug})
        cs.add("own", {d: float(d == drug) for d in drugs}, kind="default")
    rows = cs.table(seed=0, n_boot=200)
    result = tmp_path / "validate_twins_b.json"
    params = {"bootstrap": {"resamples": 200, "seed": 0, "level": 0.95}}
    result.write_text(json.dumps({"params": params, "b_personal": rows}))
    cs.save_cross(tmp_path / "cross" / "b_personal.npz")
    parts, provenance = es.read_parts(result)
    out = es.analyse(parts, provenance, es.read_cross(result))
    part = out["parts"]["b: STARGEO signatures, disease-modifying drugs"]
    own = part["gains"]["all drugs"]["rows"][0]
    assert own.gain == pytest.approx(8 / 15)
    assert own.p_perm == own.p_perm_greater == pytest.approx(1 / 100_001, abs=1e-6)
    assert own.verdict_perm == own.verdict_perm_greater == "gain"
    # without any one case, 15 cases with the same gains: the same p, the gain holds
    assert own.loo_perm.max_p_adj == pytest.approx(1 / 100_001, abs=1e-6)
    assert own.loo_perm.lost_without == own.loo_perm_greater.lost_without == ()
    # the sign-flip p of 16 equal gains (2/2^16) agrees; without one case 2/2^15
    assert own.verdict_signflip == "gain"
    assert own.loo_signflip.max_p_adj == pytest.approx(2 / 2**15, abs=1e-6)
