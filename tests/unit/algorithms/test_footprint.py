"""Footprint activity (ULM/MLM) against decoupler itself and a statsmodels OLS oracle."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from medtwin.errors import InputError
from medtwin.platform.algorithms.footprint import footprint_activities, footprint_activity
from medtwin.platform.algorithms.footprint_models import mlm, ulm


def _fixture(seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """3 samples x 400 genes; 15 regulators with 4-40 signed/weighted targets (2 below tmin)."""
    rng = np.random.default_rng(seed)
    genes = [f"g{i}" for i in range(400)]
    mat = pd.DataFrame(rng.normal(size=(3, 400)), index=["s1", "s2", "s3"], columns=genes)
    rows = []
    for k in range(15):
        size = 3 if k < 2 else int(rng.integers(6, 40))
        for g in rng.choice(400, size, replace=False):
            rows.append((f"R{k}", genes[g], float(rng.choice([-1.0, 1.0]) * rng.uniform(0.2, 2))))
    net = pd.DataFrame(rows, columns=["source", "target", "weight"])
    # a real signal for R5 in s1
    r5 = net[net.source == "R5"]
    mat.loc["s1", r5.target.to_numpy()] += 1.5 * r5.weight.to_numpy()
    return mat, net


def _footprints(net: pd.DataFrame) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for s, t, w in net.itertuples(index=False):
        out.setdefault(s, {})[t] = w
    return out


@pytest.mark.parametrize("method", ["ulm", "mlm"])
def test_equals_decoupler(method: str) -> None:
    dc = pytest.importorskip("decoupler")
    mat, net = _fixture()
    run = dc.mt.ulm if method == "ulm" else dc.mt.mlm
    es, pv = run(mat, net, tmin=5)
    fps = _footprints(net)
    for sample in mat.index:
        ours = footprint_activity(mat.loc[sample].to_dict(), fps, method=method, tmin=5)
        assert sorted(ours) == sorted(es.columns)  # R0, R1 (3 targets) pruned by both
        for src, act in ours.items():
            assert act.score == pytest.approx(es.loc[sample, src], rel=1e-9, abs=1e-12)
            # decoupler returns BH-adjusted p for ULM and raw p for MLM
            theirs = act.q if method == "ulm" else act.p
            assert theirs == pytest.approx(pv.loc[sample, src], rel=1e-7, abs=1e-12)
    best = footprint_activity(mat.loc["s1"].to_dict(), fps, method=method)
    assert max(best, key=lambda s: best[s].score) == "R5"
    assert best["R5"].q < 0.05


def test_ulm_equals_ols_oracle() -> None:
    sm = pytest.importorskip("statsmodels.api")
    rng = np.random.default_rng(3)
    y = rng.normal(size=60)
    x = np.zeros((60, 2))
    x[:10, 0] = rng.uniform(-2, 2, 10)
    x[5:25, 1] = 1.0
    t, p = ulm(y, x)
    for j in range(2):
        fit = sm.OLS(y, sm.add_constant(x[:, j])).fit()
        assert t[j] == pytest.approx(fit.tvalues[1], rel=1e-9)
        assert p[j] == pytest.approx(fit.pvalues[1], rel=1e-7)
    tm, pm = mlm(y, x)
    fit = sm.OLS(y, sm.add_constant(x)).fit()
    assert tm.tolist() == pytest.approx(fit.tvalues[1:].tolist(), rel=1e-9)
    assert pm.tolist() == pytest.approx(fit.pvalues[1:].tolist(), rel=1e-7)


def test_too_few_genes_and_unknown_method() -> None:
    with pytest.raises(InputError, match="more than 3 genes"):
        mlm([1.0, 2.0, 3.0], [[1, 0], [0, 1], [1, 1]])
    with pytest.raises(InputError, match="unknown footprint method"):
        footprint_activity({"a": 1.0}, {}, method="viper")  # type: ignore[arg-type]
    assert footprint_activity({"a": 1.0, "b": 2.0}, {"T": {"a": 1.0}}, tmin=5) == {}


def test_non_finite_statistics_are_not_features() -> None:
    y = {"a": 3.0, "b": 2.5, "c": -2.0, "d": 0.1, "e": -0.2, "f": 0.3, "g": 0.0}
    tf = {"T": {"a": 1.0, "b": 1.0, "c": -1.0}}
    with_nan = {**y, "h": float("nan")}
    assert footprint_activity(with_nan, tf, tmin=3) == footprint_activity(y, tf, tmin=3)


class _CountedFootprints(dict[str, dict[str, float]]):
    """Footprints that count how often they are walked (one look-up per set of genes)."""

    walks = 0

    def items(self):  # type: ignore[override]
        self.walks += 1
        return super().items()


@pytest.mark.parametrize("method", ["ulm", "mlm"])
def test_many_samples_are_each_sample_alone_bit_for_bit(method: str) -> None:
    mat, net = _fixture()
    samples = {s: mat.loc[s].to_dict() for s in mat.index}
    samples["nan"] = {**samples["s2"], "g3": float("nan")}  # another set of measured genes
    samples["fewer"] = {g: v for g, v in samples["s3"].items() if g not in {"g10", "g11"}}
    fps = _CountedFootprints(_footprints(net))
    many = footprint_activities(samples, fps, method=method, tmin=5)
    assert list(many) == list(samples)
    # three sets of measured genes: the footprints are walked once per set, not per sample
    assert fps.walks == 3
    for name, stats in samples.items():
        # the very floats (==, not approx): equal up to rounding would still move Spearman
        # ranks where two regulators' t-values tie in one path and not in the other
        assert many[name] == footprint_activity(stats, fps, method=method, tmin=5)


@pytest.mark.parametrize("method", ["ulm", "mlm"])
def test_many_samples_equal_decoupler(method: str) -> None:
    dc = pytest.importorskip("decoupler")
    mat, net = _fixture()
    es, _ = (dc.mt.ulm if method == "ulm" else dc.mt.mlm)(mat, net, tmin=5)
    many = footprint_activities(
        {s: mat.loc[s].to_dict() for s in mat.index}, _footprints(net), method=method, tmin=5
    )
    for sample, acts in many.items():
        assert sorted(acts) == sorted(es.columns)
        for src, act in acts.items():
            assert act.score == pytest.approx(es.loc[sample, src], rel=1e-9, abs=1e-12)


def test_many_samples_raise_as_one_does() -> None:
    with pytest.raises(InputError, match="unknown footprint method"):
        footprint_activities({"s": {"a": 1.0}}, {}, method="viper")  # type: ignore[arg-type]
    few = {"s": {"a": 1.0, "b": 2.0, "c": 0.5}}
    with pytest.raises(InputError, match="more than 3 genes"):
        footprint_activities(few, {"T": {"a": 1.0, "b": -1.0}, "U": {"c": 1.0}}, method="mlm",
                             tmin=1)  # fmt: skip
    assert footprint_activities({}, {"T": {"a": 1.0}}) == {}
