"""The multiplicity-corrected evidence rule (stop 49; sign-flip p since stop 50), gains to label.

Rows are built as ``benchmarks.personal.CaseScores.table`` builds them (the gain, its bootstrap
CI and p from :func:`bootstrap_mean_test`), corrected by ``correct_family`` and written by
``validate_twins.write_evidence``; the label is what a ranking prints.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from benchmarks.personal import add_sign_flip, correct_family

from medtwin.platform.algorithms.bootstrap import bootstrap_mean_test
from medtwin.platform.evidence import NONE_BEYOND_PRIORS, load_evidence, personal_evidence

CASES = [f"GSE{i}" for i in range(19)]
SPREAD = np.linspace(-1.0, 1.0, len(CASES))


def _row(ranker: str, kind: str, gains: np.ndarray) -> dict[str, object]:
    test = bootstrap_mean_test(gains, n_boot=2000, seed=0)
    mean, lo, hi, p = test.value, test.low, test.high, test.p
    return {
        "ranker": ranker,
        "kind": kind,
        "cases": len(gains),
        "auroc": 0.6,
        "gain": round(mean, 3),
        "gain_ci": f"[{round(lo, 3)}, {round(hi, 3)}]",
        "gain_p": round(p, 6),
        "per_case_gain": dict(zip(CASES, gains.tolist(), strict=True)),
    }


def _evidence(tmp_path: Path) -> tuple[Path, dict[str, dict[str, object]]]:
    from benchmarks.validate_twins import write_evidence

    rows = [
        _row("method: proximity", "method", 0.05 + 0.03 * SPREAD),  # clear gain
        # (b) tier + proximity + regulator_network in stop 48's file: CI [0.001, 0.027]
        _row("combo: tier + proximity + regulator_network", "combination", 0.01 + 0.03 * SPREAD),
        # 22 more rankers without a gain (distinct per-case gains: 22 tests)
        *(_row(f"method: m{i}", "method", 0.03 * (1 + i / 10) * SPREAD) for i in range(22)),
        _row("prior: approval tier", "prior", 0.0 * SPREAD),  # not a test
    ]
    add_sign_flip(rows, seed=0)
    correct_family(rows)
    path = tmp_path / "personal_evidence.json"
    write_evidence({"params": {}, "b_personal": rows}, path, ["--parts", "b"])
    load_evidence.cache_clear()
    return path, {str(r["ranker"]): r for r in rows}


def test_holm_by_hand_over_the_part(tmp_path: Path) -> None:
    _, rows = _evidence(tmp_path)
    strong, weak = rows["method: proximity"], rows["combo: tier + proximity + regulator_network"]
    assert weak["gain_ci"] == "[0.002, 0.018]"  # CI alone: above 0
    assert weak["gain_p"] == pytest.approx(0.022, abs=5e-4)
    assert strong["gain_p"] == round(2 / 2001, 6)  # no resample mean <= 0: 0.001
    # 24 tests; Holm: 24 x 0.001 for the smallest p, 23 x p for the next
    assert strong["gain_family"] == weak["gain_family"] == 24
    assert strong["gain_p_adj"] == pytest.approx(24 * 0.001, abs=1e-6)
    assert weak["gain_p_adj"] == pytest.approx(23 * weak["gain_p"], abs=1e-6)
    assert rows["prior: approval tier"]["gain_p_adj"] is None


def test_a_ci_just_above_0_among_many_rankers_is_no_longer_a_gain(tmp_path: Path) -> None:
    # Before stop 49 the label called every CI above 0 a gain, whatever the number of rankers
    path, _ = _evidence(tmp_path)
    combo = personal_evidence(("proximity", "regulator_network"), "approved", path=path)
    assert combo.startswith(NONE_BEYOND_PRIORS), combo
    assert "+0.010 [0.002, 0.018], 19 cases, sign-flip p " in combo
    assert "(Holm over 24 rankers): CI above 0 but not after Holm, not a gain" in combo
    alone = personal_evidence(("proximity",), "none", path=path)
    assert alone.startswith(
        "gain over another patient's ranking: +0.050 AUROC [0.042, 0.058] on b: STARGEO "
        "signatures, disease-modifying drugs, 19 cases, CI above 0 after Holm over 24 rankers "
        "(sign-flip p 9.6e-05)"  # 24 x 2 / 2^19 (4e-06 in 6 decimals): the observed signs, negated
    ), alone
    load_evidence.cache_clear()


def test_a_file_without_adjusted_p_calls_no_gain_and_says_to_rerun(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    row = {"cases": 19, "gain": 0.08, "gain_ci": "[0.02, 0.134]"}  # stop 48's proximity alone
    path.write_text(
        json.dumps({"provenance": {}, "parts": {"b: STARGEO": {"method: proximity": row}}})
    )
    load_evidence.cache_clear()
    label = personal_evidence(("proximity",), "none", path=path)
    assert label.startswith("no gain over another patient's ranking"), label
    assert "b: STARGEO: +0.080 [0.020, 0.134], 19 cases;" in label
    assert "predate the exact sign-flip test" in label
    assert label.endswith("until make validate-twins is re-run)")
    load_evidence.cache_clear()


def test_a_file_with_only_the_bootstrap_adjusted_p_calls_no_gain(tmp_path: Path) -> None:
    # stop 50: the rule reads the sign-flip p; a stop-49 file has only the bootstrap one, whose
    # p (0.001 where the exact test gives 0.0036 on (b)'s default) is no longer trusted
    path = tmp_path / "stop49.json"
    row = {"cases": 19, "gain": 0.021, "gain_ci": "[0.01, 0.034]", "gain_p_adj": 0.026}
    path.write_text(json.dumps({"provenance": {}, "parts": {"b: STARGEO": {"default": row}}}))
    load_evidence.cache_clear()
    label = personal_evidence(("proximity",), "approved", path=path)
    assert label.startswith(NONE_BEYOND_PRIORS), label
    assert "predate the exact sign-flip test" in label
    load_evidence.cache_clear()


def test_evidence_from_two_results_adds_the_sign_flip_p_and_per_case_gains(
    tmp_path: Path,
) -> None:
    # stop 50: the shipped file re-derived from a --parts b and a --parts ac result of one run's
    # params, with the sign-flip p beside the bootstrap one; the product's rule is unchanged
    from benchmarks.validate_twins import rewrite_evidence

    params = {"seed": 0, "bootstrap": {"resamples": 2000, "seed": 0}}
    b_rows = [
        _row("default", "default", 0.05 + 0.03 * SPREAD),
        _row("method: m", "method", 0.03 * SPREAD),
        _row("prior: approval tier", "prior", 0.0 * SPREAD),
    ]
    a_rows = [_row("default", "default", 0.02 + 0.03 * SPREAD)]
    results = [tmp_path / "validate_twins_b.json", tmp_path / "validate_twins_ac.json"]
    results[0].write_text(json.dumps({"params": params, "b_personal": b_rows}))
    results[1].write_text(json.dumps({"params": params, "a_personal": a_rows}))
    evidence = tmp_path / "personal_evidence.json"
    evidence.write_text(json.dumps({"provenance": {"params": params, "date": "d"}, "parts": {}}))

    rewrite_evidence(results, evidence)
    doc = json.loads(evidence.read_text())
    assert doc["provenance"]["date"] == "d"  # the run's provenance kept
    assert doc["provenance"]["sign_flip"] == {
        "exact_up_to": 20,
        "random_patterns": 100_000,
        "seed": 0,
    }
    assert "validate_twins_b.json + validate_twins_ac.json" in doc["provenance"]["rewritten"]
    a, b = (doc["parts"][k] for k in sorted(doc["parts"]))
    default = b["default"]
    # 19 gains all above 0: only the observed pattern and its negation, 2 / 2^19
    assert default["gain_p_signflip"] == round(2 / 2**19, 6)
    assert default["gain_p_signflip_adj"] == round(2 * 2 / 2**19, 6)  # Holm, m = 2
    gains = dict(zip(CASES, (0.05 + 0.03 * SPREAD).tolist(), strict=True))
    assert default["per_case_gain"] == pytest.approx(gains)
    assert b["prior: approval tier"]["kind"] == "prior"
    assert b["prior: approval tier"]["gain_p_signflip_adj"] is None
    assert a["default"]["gain_family"] == 1

    # a part in two results is refused, not guessed
    results[1].write_text(json.dumps({"params": params, "b_personal": b_rows}))
    with pytest.raises(SystemExit, match="b_personal also in an earlier RESULT"):
        rewrite_evidence(results, evidence)


def _one_row_file(tmp_path: Path, **ps: float) -> Path:
    row = {"cases": 120, "gain": 0.022, "gain_ci": "[0.006, 0.039]", "gain_family": 9, **ps}
    path = tmp_path / "evidence.json"
    path.write_text(json.dumps({"provenance": {}, "parts": {"a: sets": {"default": row}}}))
    load_evidence.cache_clear()
    return path


def test_a_gain_must_pass_the_reassignment_test_too(tmp_path: Path) -> None:
    # stop 51: (a)'s default within approved drugs, sign-flip p 0.045 (a gain until then) and
    # reassignment p 0.064 (rankings permuted among the cases; §14) -> no longer a gain
    path = _one_row_file(tmp_path, gain_p_signflip_adj=0.045, gain_p_perm_adj=0.064)
    label = personal_evidence(("proximity",), "approved", path=path)
    assert label.startswith(NONE_BEYOND_PRIORS), label
    assert (
        "a: sets: +0.022 [0.006, 0.039], 120 cases, sign-flip p 0.045, reassignment p 0.064 "
        "(Holm over 9 rankers): CI above 0 but not after Holm, not a gain" in label
    )
    path = _one_row_file(tmp_path, gain_p_signflip_adj=0.045, gain_p_perm_adj=0.029)
    label = personal_evidence(("proximity",), "approved", path=path)
    assert label.startswith(
        "gain over another patient's ranking: +0.022 AUROC [0.006, 0.039] on a: sets, 120 cases, "
        "CI above 0 after Holm over 9 rankers (sign-flip p 0.045, reassignment p 0.029)"
    ), label
    # a file written before stop 51 has no reassignment p: the sign-flip p alone decides
    path = _one_row_file(tmp_path, gain_p_signflip_adj=0.045)
    assert personal_evidence(("proximity",), "approved", path=path).startswith("gain over")
    load_evidence.cache_clear()


def test_the_shipped_default_shows_no_personal_gain_within_approved_drugs() -> None:
    # stop 51: the shipped file carries the reassignment p; the default order's one remaining
    # gain (a, within approved drugs) is not called by the design's own test
    load_evidence.cache_clear()
    order = ("degree", "proximity", "target_expression")
    for approved_only in (False, True):
        label = personal_evidence(order, "approved", approved_only=approved_only)
        assert label.startswith(NONE_BEYOND_PRIORS), label
        assert "reassignment p" in label
