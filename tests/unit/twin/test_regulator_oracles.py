"""The patient's TF and pathway activities end to end against decoupler 2.2 (an independent
implementation, Badia-i-Mompel 2022, doi:10.1093/bioadv/vbac016), and the pathway cores by hand.

:func:`~medtwin.platform.regulators.patient_activity` takes a twin's gene statistics and the
reference's regulons and footprints as dictionaries; decoupler takes a samples x genes frame and a
``source, target, weight`` frame. Raw p-values are recomputed from decoupler's t with scipy (the
t distribution, ``n - 2`` degrees of freedom for ULM), q-values with scipy's Benjamini–Hochberg
(``false_discovery_control``) over each sample's regulators.
"""

from __future__ import annotations

import decoupler as dc  # a runtime dependency: no skip when it is missing
import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from medtwin.loaders.genes_ncbi import GeneIndex
from medtwin.platform.regulators import (
    RegulatorReference,
    patient_activities,
    patient_activity,
    resolve_cores,
)


def _reference(seed: int) -> tuple[RegulatorReference, list[str]]:
    """12 TFs with signed targets (two with < 5 targets), 6 weighted pathways, 300 genes."""
    rng = np.random.default_rng(seed)
    genes = [str(1000 + i) for i in range(300)]
    regulons: dict[str, dict[str, float]] = {}
    for k in range(12):
        size = 4 if k < 2 else int(rng.integers(6, 40))
        targets = rng.choice(300, size, replace=False)
        regulons[str(k + 1)] = {genes[t]: float(rng.choice([-1.0, 1.0])) for t in targets}
    footprints = {
        name: {genes[t]: float(rng.normal(0, 2)) for t in rng.choice(300, 60, replace=False)}
        for name in ("EGFR", "MAPK", "PI3K", "TNFa", "p53", "VEGF")
    }
    return RegulatorReference(regulons=regulons, footprints=footprints), genes


def _net(layer: dict[str, dict[str, float]]) -> pd.DataFrame:
    rows = [(s, t, w) for s, targets in layer.items() for t, w in targets.items()]
    return pd.DataFrame(rows, columns=["source", "target", "weight"])


def _samples(seed: int, genes: list[str], ref: RegulatorReference) -> pd.DataFrame:
    """Four samples measuring 250 of the 300 genes (some targets unmeasured); TF 3 up in s1."""
    rng = np.random.default_rng(seed + 100)
    measured = sorted(rng.choice(genes, 250, replace=False).tolist())
    mat = pd.DataFrame(rng.normal(size=(4, 250)), index=["s1", "s2", "s3", "s4"], columns=measured)
    for g, mor in ref.regulons["3"].items():
        if g in mat.columns:
            mat.loc["s1", g] += 2.0 * mor
    return mat


def _decoupler(
    mat: pd.DataFrame, ref: RegulatorReference, layers: tuple[str, ...] = ("tf", "pathway")
) -> dict[str, dict[str, tuple]]:
    """Per sample, per layer: regulator -> (score, p, q, n) from decoupler, p/q via scipy."""
    out: dict[str, dict[str, tuple]] = {s: {} for s in mat.index}
    for layer, net, run in (
        ("tf", _net(ref.regulons), dc.mt.ulm),
        ("pathway", _net(ref.footprints), dc.mt.mlm),
    ):
        if layer not in layers:
            continue
        es, pv = run(mat, net, tmin=ref.tmin)
        sizes = net[net.target.isin(mat.columns)].groupby("source").size()
        for sample in mat.index:
            t = es.loc[sample]
            if layer == "tf":  # ULM: a regression per TF, df = measured genes - 2
                p = 2 * sps.t.sf(np.abs(t.to_numpy()), mat.shape[1] - 2)
                q = sps.false_discovery_control(p)
                # decoupler's ULM p-values are already BH-adjusted: they are our q
                np.testing.assert_allclose(q, pv.loc[sample].to_numpy(), rtol=1e-7, atol=1e-12)
            else:  # MLM: one regression of all pathways, decoupler gives its raw p
                p = pv.loc[sample].to_numpy()
                q = sps.false_discovery_control(p)
            out[sample][layer] = {
                src: (float(t[src]), float(pi), float(qi), int(sizes[src]))
                for src, pi, qi in zip(t.index, p, q, strict=True)
            }
    return out


def _assert_matches(ours: dict, theirs: dict, method: str) -> None:
    assert sorted(ours) == sorted(theirs)
    for src, act in ours.items():
        score, p, q, n = theirs[src]
        assert act.score == pytest.approx(score, rel=1e-9, abs=1e-12)
        assert act.p == pytest.approx(p, rel=1e-7, abs=1e-14)
        assert act.q == pytest.approx(q, rel=1e-7, abs=1e-14)
        assert act.method == method
        assert act.n_targets == n


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_patient_activity_equals_decoupler_ulm_and_mlm(seed: int) -> None:
    """Scores, p, q, method and measured targets of every TF (ULM) and pathway (MLM)."""
    ref, genes = _reference(seed)
    mat = _samples(seed, genes, ref)
    theirs = _decoupler(mat, ref)
    for sample in mat.index:
        got = patient_activity(mat.loc[sample].to_dict(), ref)
        _assert_matches(dict(got.tf), theirs[sample]["tf"], "ulm")
        _assert_matches(dict(got.pathway), theirs[sample]["pathway"], "mlm")
        assert {"1", "2"}.isdisjoint(got.tf)  # 4 targets < tmin 5: neither scores
    s1 = patient_activity(mat.loc["s1"].to_dict(), ref)
    assert next(iter(s1.upstream_regulators())) == "3"  # the planted signal is the top UR


@pytest.mark.parametrize("seed", [3, 4])
def test_patient_activities_equals_decoupler_on_the_matrix(seed: int) -> None:
    """Many samples at once: decoupler's values, and the very floats of one sample at a time."""
    ref, genes = _reference(seed)
    mat = _samples(seed, genes, ref)
    theirs = _decoupler(mat, ref)
    got = patient_activities({s: mat.loc[s].to_dict() for s in mat.index}, ref)
    assert list(got) == list(mat.index)
    for sample, act in got.items():
        _assert_matches(dict(act.tf), theirs[sample]["tf"], "ulm")
        _assert_matches(dict(act.pathway), theirs[sample]["pathway"], "mlm")
        assert act == patient_activity(mat.loc[sample].to_dict(), ref)


def test_a_sample_too_small_for_mlm_gets_no_pathways_and_decoupler_tfs() -> None:
    """Six pathways on a sample of 7 genes leave MLM no degree of freedom (7 - 6 - 1 = 0): that
    sample gets no pathway (the documented convention), its TF still decoupler's ULM, and the
    other sample of the batch keeps decoupler's MLM."""
    rng = np.random.default_rng(6)
    genes = [str(1000 + i) for i in range(60)]
    ref = RegulatorReference(
        regulons={"3": {g: float(rng.choice([-1.0, 1.0])) for g in genes[:10]}},
        footprints={f"P{k}": {g: float(rng.normal()) for g in genes[:7]} for k in range(6)},
    )
    big = dict(zip(genes, rng.normal(size=60).tolist(), strict=True))
    small = {g: big[g] + 1.0 for g in genes[:7]}
    got = patient_activities({"big": big, "small": small}, ref)
    assert dict(got["small"].pathway) == {}
    assert got["small"] == patient_activity(small, ref)
    theirs_small = _decoupler(pd.DataFrame([small], index=["small"]), ref, layers=("tf",))
    _assert_matches(dict(got["small"].tf), theirs_small["small"]["tf"], "ulm")
    theirs_big = _decoupler(pd.DataFrame([big], index=["big"]), ref)
    _assert_matches(dict(got["big"].pathway), theirs_big["big"]["pathway"], "mlm")
    _assert_matches(dict(got["big"].tf), theirs_big["big"]["tf"], "ulm")


def test_resolve_cores_by_hand() -> None:
    """PTEN and MDM2 repress (-1); a symbol the index lacks, and an ambiguous one, are left out.

    Computed by hand: EGFR core {EGFR: 1956}; PI3K {PTEN: -1}; p53 {TP53: +1, MDM2: -1}; ERBB2 is
    the official symbol of two genes, neither approved, so it resolves to nothing.
    """
    index = GeneIndex.from_table(
        [
            ("1956", "EGFR", (), "HGNC:3236"),
            ("5728", "PTEN", (), "HGNC:9588"),
            ("7157", "TP53", (), "HGNC:11998"),
            ("4193", "MDM2", (), "HGNC:6973"),
            ("2064", "ERBB2", (), None),
            ("9999", "ERBB2", (), None),
        ]
    )
    assert resolve_cores(index) == {
        "EGFR": {"1956": 1},
        "PI3K": {"5728": -1},
        "p53": {"7157": 1, "4193": -1},
    }


def test_a_non_finite_statistic_is_an_unmeasured_gene_as_decoupler_needs() -> None:
    """decoupler refuses a matrix with NaN ("set them to 0 or remove them"); a twin's NaN is a
    gene not measured, which gives decoupler's values on the sample without those genes."""
    ref, genes = _reference(7)
    mat = _samples(7, genes, ref)
    with_nan = mat.loc["s1"].to_dict()
    for g in list(with_nan)[::9]:
        with_nan[g] = float("nan")
    with pytest.raises(AssertionError, match="non finite"):
        dc.mt.ulm(pd.DataFrame([with_nan], index=["s1"]), _net(ref.regulons), tmin=ref.tmin)
    clean = pd.DataFrame([with_nan], index=["s1"]).dropna(axis=1)
    theirs = _decoupler(clean, ref)["s1"]
    got = patient_activity(with_nan, ref)
    _assert_matches(dict(got.tf), theirs["tf"], "ulm")
    _assert_matches(dict(got.pathway), theirs["pathway"], "mlm")
