"""(d) leave-one-patient-out of the reassignment p (benchmarks.icb_leave_one_out)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from benchmarks.icb_leave_one_out import leave_one_out, main, raw_p_without_each, reassignment_p
from benchmarks.icb_outcomes import _reassignment

from medtwin.platform.algorithms.concordance import harrell_c_gain_form
from medtwin.platform.algorithms.concordance_reassignment import reassignment_gain_test
from medtwin.platform.algorithms.controls import holm


def _patients() -> list[dict[str, object]]:
    """Two cohorts of 7; every patient dies at 1..7. "own" places the drug by survival in cohort
    A (patients 0 and 1 swapped) and at random in cohort B; "copy" is "own" again (one test);
    "noise" is random; "flat" the same for everyone (p 1, no assignment to draw). With 2,000
    assignments "own" passes Holm (0.019, m = 3) and loses it without any one of the concordant
    A2–A6 (or B0), not without the swapped A0 or A1."""
    rng = np.random.default_rng(2)
    out: list[dict[str, object]] = []
    for cohort in ("A", "B"):
        for i in range(7):
            own = {0: 1, 1: 0}.get(i, i) / 7 if cohort == "A" else float(rng.random())
            out.append(
                {
                    "cohort": cohort, "patient": f"{cohort}{i}", "os_time": float(i + 1),
                    "os_event": 1.0, "pfs_time": None, "pfs_event": None, "recist": None,
                    "positions": {
                        "own": {"D": own}, "copy": {"D": own},
                        "noise": {"D": float(rng.random())}, "flat": {"D": 0.5},
                    },
                }
            )  # fmt: skip
    return out


def test_full_p_is_the_tables_reassignment_p() -> None:
    patients = _patients()
    s = np.array([p["positions"]["own"]["D"] for p in patients])  # type: ignore[index]
    t = np.array([p["os_time"] for p in patients], dtype=float)
    e = np.ones(14)
    g = np.array([p["cohort"] for p in patients])
    keep = np.ones(14, dtype=bool)
    got = reassignment_p("os", s, [t, e], g, keep, seed=0, n_random=100_000)
    table = _reassignment("os", s.tobytes(), (t.tobytes(), e.tobytes()), tuple(g), 0)
    assert table is not None
    assert got == table[0]  # the table's two-sided p, same seed and count
    keep[3] = False  # a leave-out: the same test on the other 13
    form = harrell_c_gain_form(s[keep], t[keep], e[keep], g[keep])
    want = reassignment_gain_test(form, g[keep], seed=0, n_random=100_000).p_two_sided
    assert reassignment_p("os", s, [t, e], g, keep, seed=0, n_random=100_000) == round(want, 6)


def test_each_leave_out_is_the_test_on_the_others_holm_over_distinct_rankers() -> None:
    patients = _patients()
    rows = {r["ranker"]: r for r in leave_one_out(patients, seed=0, n_random=2000)}
    assert set(rows) == {"own", "copy", "noise", "flat"}
    assert rows["own"]["family"] == 3  # own = copy: one test; flat in, p 1
    assert rows["flat"]["p_perm_adj"] == 1.0
    g = np.array([p["cohort"] for p in patients])
    t = np.array([p["os_time"] for p in patients], dtype=float)
    score = {r: np.array([p["positions"][r]["D"] for p in patients]) for r in ("own", "noise")}  # type: ignore[index]

    def adjusted(keep: np.ndarray) -> dict[str, float]:
        ps = {}
        for r, s in score.items():
            form = harrell_c_gain_form(s[keep], t[keep], np.ones(keep.sum()), g[keep])
            ps[r] = round(
                reassignment_gain_test(form, g[keep], seed=0, n_random=2000).p_two_sided, 6
            )
        adj = holm([ps["own"], ps["noise"], 1.0])
        return {"own": float(adj[0]), "noise": float(adj[1])}

    full = adjusted(np.ones(14, dtype=bool))
    worst = dict(full)
    undone = []
    for i in range(14):
        keep = np.ones(14, dtype=bool)
        keep[i] = False
        a = adjusted(keep)
        worst = {r: max(worst[r], a[r]) for r in worst}
        if full["own"] < 0.05 <= a["own"]:
            undone.append(str(patients[i]["cohort"]) + ":" + str(patients[i]["patient"]))
    assert rows["own"]["p_perm_adj"] == pytest.approx(full["own"])
    assert rows["own"]["loo_p_perm_adj_max"] == pytest.approx(worst["own"])
    assert rows["noise"]["loo_p_perm_adj_max"] == pytest.approx(worst["noise"])
    assert rows["own"]["undone_by"] == undone
    assert {"A:A2", "A:A6", "B:B0"} <= set(undone)
    assert not {"A:A0", "A:A1"} & set(undone)
    assert rows["copy"] == {**rows["own"], "ranker": "copy"}
    assert rows["own"]["leave_outs"] == 14


def test_main_names_the_file_without_patients(tmp_path) -> None:
    path = tmp_path / "validate_twins_d.json"
    path.write_text(json.dumps({"d_icb": {}}))
    with pytest.raises(SystemExit, match=r"validate_twins_d.json: no d_icb.patients"):
        main(["--result", str(path)])


def test_chosen_leave_outs_keep_each_adjusted_p_and_the_screen_is_the_direct_test() -> None:
    """``leave_outs`` runs only those leave-outs, each the full run's adjusted p; the screen's
    p of one ranker is the test recomputed on the other 13 patients."""
    patients = _patients()
    full = {r["ranker"]: r for r in leave_one_out(patients, seed=0, n_random=2000)}
    chosen = leave_one_out(patients, seed=0, n_random=2000, leave_outs={"A:A2", "B:B0"})
    own = next(r for r in chosen if r["ranker"] == "own")
    assert own["leave_outs"] == 2
    assert set(own["loo_p_perm_adj"]) == {"A:A2", "B:B0"}
    assert own["undone_by"] == ["A:A2", "B:B0"]  # both undo it in the full run too
    assert own["p_perm_adj"] == full["own"]["p_perm_adj"]
    assert max(own["loo_p_perm_adj"].values()) <= full["own"]["loo_p_perm_adj_max"]
    assert "loo_p_perm_adj" not in full["own"]
    screen = raw_p_without_each(patients, "own", "os", seed=0, n_random=2000)
    assert len(screen) == 14
    g = np.array([p["cohort"] for p in patients])
    t = np.array([p["os_time"] for p in patients], dtype=float)
    s = np.array([p["positions"]["own"]["D"] for p in patients])  # type: ignore[index]
    keep = np.ones(14, dtype=bool)
    keep[2] = False
    form = harrell_c_gain_form(s[keep], t[keep], np.ones(13), g[keep])
    want = reassignment_gain_test(form, g[keep], seed=0, n_random=2000).p_two_sided
    assert screen["A:A2"] == round(want, 6)


def _later_patients(with_later: bool) -> list[dict[str, object]]:
    rng = np.random.default_rng(4)
    out: list[dict[str, object]] = []
    for cohort in ("A", "B"):
        for i in range(6):
            positions = {
                "default (position)": {"D": i / 6 if cohort == "A" else float(rng.random())},
                "method: proximity (position)": {"D": float(rng.random())},
            }
            later = {"method: activity_reversal (position)": {"D": float(rng.random())}}
            out.append(
                {"cohort": cohort, "patient": f"{cohort}{i}", "os_time": float(i + 1),
                 "os_event": 1.0, "pfs_time": None, "pfs_event": None, "recist": None,
                 "positions": {**positions, **(later if with_later else {})}}
            )  # fmt: skip
    return out


def test_outcome_leave_one_out_family_does_not_grow_with_a_later_methods_rows() -> None:
    kw = {"seed": 0, "n_random": 500, "outcomes": ["os"]}
    before = {r["ranker"]: r for r in leave_one_out(_later_patients(False), **kw)}  # type: ignore[arg-type]
    after = {r["ranker"]: r for r in leave_one_out(_later_patients(True), **kw)}  # type: ignore[arg-type]
    for name, row in before.items():
        assert after[name] == row
    assert before["default (position)"]["family"] == 2
    assert after["method: activity_reversal (position)"]["family"] == 3
