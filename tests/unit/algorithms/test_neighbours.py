"""Similar patients' responses (benchmarks.neighbours, stop 60) on hand-computed toys."""

from __future__ import annotations

import math

import numpy as np
import pytest
from benchmarks.declared_family import declared, later_ranker
from benchmarks.icb_outcomes import continuous_table
from benchmarks.neighbours import (
    COMBINED,
    GROUP_CONTROL,
    GROUP_ICB,
    KNN,
    KNN_ICB,
    add_neighbours,
    cohort_shares,
    knn_null,
    neighbour_share,
    own_differences,
    similarity,
)
from benchmarks.personal import MISSING, POPULARITY, CaseScores
from scipy import stats as sps

GENES = [f"g{i}" for i in range(12)]


def _vec(values: list[float]) -> dict[str, float]:
    return dict(zip(GENES, values, strict=True))


def test_similarity_is_spearman_over_the_shared_genes_within_groups() -> None:
    rng = np.random.default_rng(3)
    a, b = _vec(rng.normal(size=12).tolist()), _vec(rng.normal(size=12).tolist())
    b["g0"] = math.nan  # not measured in b: left out of the pair
    c = {g: a[g] for g in GENES[:9]}  # 9 shared genes < MIN_SHARED
    sim = similarity([a, b, c, a], ["x", "x", "x", "y"])
    shared = GENES[1:]
    oracle = sps.spearmanr([a[g] for g in shared], [b[g] for g in shared]).statistic
    assert sim[0, 1] == pytest.approx(oracle)
    assert sim[1, 0] == pytest.approx(oracle)
    assert math.isnan(sim[0, 2])  # too few shared genes
    assert math.isnan(sim[0, 3])  # another group, though identical
    assert np.isnan(np.diag(sim)).all()


def test_share_of_the_k_nearest_by_hand() -> None:
    # case 0's neighbours by similarity: 3 (0.8), 1 (0.6), 4 (0.4), 2 (0.2)
    sim = np.full((5, 5), math.nan)
    for j, s in ((1, 0.6), (2, 0.2), (3, 0.8), (4, 0.4)):
        sim[0, j] = sim[j, 0] = s
    y = np.array([[1, 1, 0], [1, 0, 0], [0, 1, 0], [0, 1, 1], [1, 1, 0]], dtype=bool)
    tested = np.ones((5, 3), dtype=bool)
    tested[3, 0] = False  # item 0 not given to 3: candidates 1, 4, 2 -> k = ceil(sqrt(3)) = 2
    tested[:, 2] = False
    tested[3, 2] = True  # item 2: one candidate (3), k = 1
    share = neighbour_share(y, tested, sim)
    # item 0: nearest tested 1, 4 -> (1 + 1) / 2; item 1: 4 candidates, k = 2: 3, 1 -> (1 + 0) / 2
    assert share[0].tolist() == [1.0, 0.5, 1.0]
    everyone = neighbour_share(y, tested, sim, every=True)[0]
    assert everyone.tolist() == pytest.approx([2 / 3, 3 / 4, 1.0])
    # case 0's own outcomes never enter its scores
    flipped = y.copy()
    flipped[0] = ~flipped[0]
    assert neighbour_share(flipped, tested, sim)[0].tolist() == share[0].tolist()
    # case 2 has one candidate (0) for items 0, 1 and none for item 2
    assert share[2, :2].tolist() == [1.0, 1.0]
    assert math.isnan(share[2, 2])


def _cases() -> tuple[CaseScores, list[dict[str, float]], list[str]]:
    rng = np.random.default_rng(7)
    base = [rng.normal(size=12) for _ in range(2)]
    cs = CaseScores(["t1", "t2", "t3"], np.zeros(3, dtype=bool))
    vectors, groups = [], []
    # two kinds of tumour within one type: kind 0 responds to t1, kind 1 to t2
    for i in range(8):
        kind = i % 2
        cs.add_case(f"p{i}", {"t1": kind == 0, "t2": kind == 1, "t3": False})
        cs.add("own", {"t1": 1.0, "t2": 0.0, "t3": 0.5})
        vectors.append(_vec((base[kind] + 0.1 * rng.normal(size=12)).tolist()))
        groups.append("T")
    return cs, vectors, groups


def test_add_neighbours_rows_and_their_family() -> None:
    cs, vectors, groups = _cases()
    before = {r["ranker"]: r for r in _cases()[0].table(seed=0, n_boot=200)}
    sim = add_neighbours(cs, vectors, groups)
    assert sim.shape == (8, 8)
    pop = cs.popularity()
    knn = cs.scores[KNN]
    # 7 candidates, k = 3: the three nearest are the case's own kind, so a perfect share
    assert [knn[i][:2].tolist() for i in (0, 1)] == [[1.0, 0.0], [0.0, 1.0]]
    assert cs.scores[COMBINED][0].tolist() == pytest.approx(((knn[0] + pop[0]) / 2).tolist())
    # the group control: the other 7, 3 of them of case 0's kind -> 3/7 for t1, 4/7 for t2
    assert cs.scores[GROUP_CONTROL][0][:2].tolist() == pytest.approx([3 / 7, 4 / 7])
    rows = {r["ranker"]: r for r in cs.table(seed=0, n_boot=200)}
    assert (rows[KNN]["kind"], rows[COMBINED]["kind"]) == ("method", "combination")
    # swapped: 3 of the 7 others rank like the case (AUROC 1), 4 put its responder level with
    # one non-responder and below the other (0.25): gain 1 - (3 + 4 * 0.25) / 7 = 3/7
    assert rows[KNN]["auroc"] == 1.0
    assert rows[KNN]["gain"] == pytest.approx(3 / 7, abs=1e-3)
    # a later test: Holm over the family ("own") + itself; the family's row unmoved
    assert rows[KNN]["gain_family"] == before["own"]["gain_family"] + 1 == 2
    assert rows[GROUP_CONTROL]["gain_family"] is None
    for key in ("gain_p_adj", "gain_p_signflip_adj", "gain_p_perm_adj", "gain_family"):
        assert rows["own"][key] == before["own"][key]
    assert rows[POPULARITY]["auroc"] == before[POPULARITY]["auroc"]
    # the personal part: own AUROC minus popularity's / the type's share, paired by case; both
    # put the case's responder (3/7 or 4/7 of the others) between the two non-responders (4/7 or
    # 3/7, and 0 for t3): AUROC 0.5 in every case, the k nearest 1.0
    minus = {(r["ranker"], r["minus"]): r for r in own_differences(cs.cross, seed=0, n_boot=200)}
    for other in (POPULARITY, GROUP_CONTROL):
        assert minus[KNN, other]["difference"] == 0.5
        assert minus[KNN, other]["ci"] == "[0.5, 0.5]"
        assert minus[KNN, other]["cases"] == 8
    # all 8 cases positive: the exact sign-flip p of 2 of 256 patterns
    assert minus[KNN, POPULARITY]["p_signflip"] == round(2 / 256, 6)


def test_an_item_without_candidates_is_missing() -> None:
    cs = CaseScores(["t1"], np.zeros(1, dtype=bool))
    for name in ("a", "b"):
        cs.add_case(name, {"t1": True})
    add_neighbours(cs, [_vec([float(i) for i in range(12)])] * 2, ["x", "y"])
    assert cs.scores[KNN][0].tolist() == [MISSING]


def test_the_rows_are_later_tests() -> None:
    for name in (KNN, COMBINED, GROUP_CONTROL, KNN_ICB, GROUP_ICB):
        assert later_ranker(name)
        assert not declared(name)


def test_cohort_shares_and_the_permutation_null() -> None:
    rng = np.random.default_rng(1)
    base = [rng.normal(size=12) for _ in range(2)]
    vectors = {
        f"p{i:02d}": _vec((base[i % 2] + 0.1 * rng.normal(size=12)).tolist()) for i in range(16)
    }
    labels = {p: int(p[1:]) % 2 == 0 for p in vectors if p != "p15"}  # p15 unlabelled
    knn, group, sim, order = cohort_shares(vectors, labels)
    # 14 or 15 labelled others, k = 4: all of the patient's own kind
    assert knn["p00"] == 1.0
    assert knn["p01"] == 0.0
    assert knn["p15"] == 0.0
    assert group["p00"] == pytest.approx(7 / 14)
    assert group["p01"] == pytest.approx(8 / 14)
    y = np.array([labels.get(p, False) for p in order])
    m = np.array([p in labels for p in order])
    null = knn_null([(sim, y, m)], seed=0, n=200)
    assert null["observed"] == 1.0
    assert null["permutations"] == 200
    # the leave-one-out bias: random neighbours favour the other label
    assert null["null_mean"] < 0.5
    assert null["p"] == round(1 / 201, 6)
    assert knn_null([(sim, y, m)], seed=0, n=200) == null  # seeded


def test_d_rows_move_no_row_of_the_continuous_table() -> None:
    # (d): the k-NN share added to every patient's positions leaves every other row as it was
    rng = np.random.default_rng(5)

    def patients(with_knn: bool) -> list[dict[str, object]]:
        out: list[dict[str, object]] = []
        for c in ("A", "B"):
            for i in range(5):
                pos = {"default (position)": {"D": float(rng.random())},
                       "method: proximity (position)": {"D": float(rng.random())}}  # fmt: skip
                knn = float(rng.random())  # drawn either way: the same positions
                if with_knn:
                    pos[KNN_ICB] = {"D": knn}
                out.append(
                    {"cohort": c, "os_time": float(i + 1), "os_event": 1.0, "recist": float(i % 4),
                     "tmb": float(i), "ifng": float(-i), "positions": pos}
                )  # fmt: skip
        return out

    rng = np.random.default_rng(5)
    before = continuous_table(patients(False), seed=0, n_boot=100)
    rng = np.random.default_rng(5)
    after = continuous_table(patients(True), seed=0, n_boot=100)
    assert [r["ranker"] for r in after] == [*(r["ranker"] for r in before), KNN_ICB]
    assert after[: len(before)] == before
    assert after[-1]["os_family"] == before[-1]["os_family"] + 1
