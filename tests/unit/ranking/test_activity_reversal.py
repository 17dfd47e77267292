"""activity_reversal: hand-computed scores, the drug activities against decoupler, the pipeline."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

from medtwin.errors import InputError
from medtwin.platform.algorithms.footprint import footprint_activities
from medtwin.platform.algorithms.network import Network
from medtwin.platform.ranking import DrugTargets, RankContext, rank_all
from medtwin.platform.ranking.activity_reversal_rank import (
    ActivityReversalParams,
    ActivityReversalRank,
)
from medtwin.platform.regulators import (
    RegulatorReference,
    patient_activities,
    patient_activity,
)

from .conftest import context

GENES = [str(i) for i in range(1, 301)]


def _reference(seed: int = 5) -> RegulatorReference:
    """300 landmark genes; 14 TFs (2 below tmin), 4 pathways; three drugs' z."""
    rng = np.random.default_rng(seed)
    regulons = {}
    for k in range(14):
        size = 3 if k < 2 else int(rng.integers(8, 40))
        picked = rng.choice(len(GENES), size, replace=False)
        regulons[f"9{k:02d}"] = {GENES[g]: float(rng.choice([-1.0, 1.0])) for g in picked}
    footprints = {
        p: {GENES[g]: float(rng.normal()) for g in rng.choice(len(GENES), 30, replace=False)}
        for p in ("MAPK", "p53", "NFkB", "TNFa")
    }
    perturbations = {
        d: {g: float(v) for g, v in zip(GENES, rng.normal(size=len(GENES)), strict=True)}
        for d in ("DB1", "DB2", "DB3")
    }
    for g, mor in regulons["905"].items():  # DB1 switches TF 905 off: a real signal
        perturbations["DB1"][g] -= 2.0 * mor
    return RegulatorReference(regulons, footprints, perturbations)


def test_hand_computed_spearman_p_and_q() -> None:
    # patient ranks (5, 4, 3, 2, 1), drug ranks (2, 1, 4, 3, 5): d = (3, 3, -1, -1, -4),
    # sum d^2 = 36, rho = 1 - 6 * 36 / (5 * 24) = -0.8, so the score is +0.8;
    # t = -0.8 * sqrt(3 / (0.2 * 1.8)) = -2.3094, p = 2 * t.sf(2.3094, 3) = 0.1041
    patient = {"tf:a": 5.0, "tf:b": 4.0, "tf:c": 3.0, "pathway:MAPK": 2.0, "pathway:p53": 1.0}
    drug = dict(zip(patient, [0.2, 0.1, 0.4, 0.3, 0.5], strict=True))
    drugs = {"x": DrugTargets("x", ("1",)), "few": DrugTargets("few", ("1",))}
    method = ActivityReversalRank(ActivityReversalParams(min_features=5))
    out = method.score(drugs, patient, {"x": drug, "few": {"tf:a": 1.0, "tf:b": 2.0}})
    assert list(out) == ["x"]  # 2 shared features < 5: not scored
    assert out["x"].value == pytest.approx(0.8)
    assert out["x"].p == pytest.approx(0.1041, abs=1e-4)
    assert out["x"].q == pytest.approx(out["x"].p)  # one drug scored: q = p
    rho, _ = spearmanr(list(patient.values()), list(drug.values()))
    assert -out["x"].value == pytest.approx(rho)


class _Walked(dict[str, dict[str, float]]):
    """Regulons that count how often they are walked."""

    walks = 0

    def items(self):  # type: ignore[override]
        self.walks += 1
        return super().items()


def test_drug_activities_are_the_twins_models_computed_once() -> None:
    base = _reference()
    ref = replace(base, regulons=_Walked(base.regulons))
    first = ref.perturbation_activity
    assert ref.perturbation_activity is first  # cached with the reference, not per patient
    # the drugs measure the same landmark genes: the regulons are looked up once for all
    # of them (drug by drug they were walked once per drug, the cost of ~1,170 LINCS drugs)
    assert ref.regulons.walks == 1
    for d, z in ref.perturbations.items():
        assert first[d] == patient_activity(z, ref)  # the very floats, not approximately
    assert sorted(first["DB1"].tf) == sorted(f"9{k:02d}" for k in range(2, 14))  # tmin 5
    assert first["DB1"].tf["905"].score < -5  # the planted signal: TF 905 switched off


def test_drugs_too_few_genes_for_the_pathway_model_get_none_as_alone() -> None:
    ref = replace(_reference(), tmin=1)
    # one gene of each of three pathways: three regulators on three genes, no MLM fit
    genes = [next(iter(ref.footprints[p])) for p in ("MAPK", "p53", "NFkB")]
    panel = {g: ref.perturbations["DB2"][g] for g in genes}
    samples = {"DB1": ref.perturbations["DB1"], "panel": panel, "DB3": ref.perturbations["DB3"]}
    with pytest.raises(InputError, match="needs more than"):
        footprint_activities({"panel": panel}, ref.footprints, method="mlm", tmin=1)
    many = patient_activities(samples, ref)
    assert many == {name: patient_activity(stats, ref) for name, stats in samples.items()}
    assert many["panel"].pathway == {}
    assert many["DB1"].pathway
    assert many["DB3"].pathway


def test_drug_activities_equal_decoupler() -> None:
    dc = pytest.importorskip("decoupler")
    ref = _reference()
    mat = pd.DataFrame(ref.perturbations).T[GENES]
    for method, fps, kind in (("ulm", ref.regulons, "tf"), ("mlm", ref.footprints, "pathway")):
        net = pd.DataFrame(
            [(s, t, w) for s, fp in fps.items() for t, w in fp.items()],
            columns=["source", "target", "weight"],
        )
        run = dc.mt.ulm if method == "ulm" else dc.mt.mlm
        es, _ = run(mat, net, tmin=5)
        for d in mat.index:
            ours = getattr(ref.perturbation_activity[d], kind)
            assert sorted(ours) == sorted(es.columns)
            for src, act in ours.items():
                assert act.score == pytest.approx(es.loc[d, src], rel=1e-9, abs=1e-12)


def _ctx(stats: dict[str, float], ref: RegulatorReference) -> RankContext:
    drugs = {
        "rev": DrugTargets("rev", ("1",), drugbank_id="DB1"),
        "DB2": DrugTargets("DB2", ("2",)),
        "mimic": DrugTargets("mimic", ("3",), drugbank_id="DB3"),
        "no_lincs": DrugTargets("no_lincs", ("4",)),
    }
    base = context(Network.from_edges([("1", "2"), ("2", "3"), ("3", "4")]), ("1",), drugs)
    return RankContext(
        base.network, base.dist, base.module, {}, {}, drugs, n_samples=20,
        gene_stats=stats, regulators=ref,
    )  # fmt: skip


def test_a_patient_opposite_to_a_drug_ranks_it_first() -> None:
    ref = _reference()
    # the patient is DB1's signature reversed and DB3's as it is: on the same genes ULM and MLM
    # give exactly the negated / the same t-values, so rho = -1 and +1
    stats = {g: -z for g, z in ref.perturbations["DB1"].items()}
    ranked = {s.drug_id: s for s in rank_all(_ctx(stats, ref), ["activity_reversal"], seed=0)}
    assert ranked["rev"].activity_reversal == pytest.approx(1.0)
    assert ranked["rev"].activity_reversal_q is not None
    assert ranked["rev"].activity_reversal_q < 1e-10
    assert ranked["no_lincs"].activity_reversal is None
    assert ranked["rev"].rank == 1
    same = {s.drug_id: s for s in rank_all(_ctx(ref.perturbations["DB3"], ref),
                                             ["activity_reversal"], seed=0)}  # fmt: skip
    assert same["mimic"].activity_reversal == pytest.approx(-1.0)


def test_too_few_shared_features_scores_no_drug() -> None:
    ref = _reference()
    few = {g: ref.perturbations["DB1"][g] for g in GENES[:40]}  # a small panel: few TFs scored
    ctx = _ctx(few, ref)
    assert ctx.activity is not None
    n = len(ctx.activity.tf) + len(ctx.activity.pathway)
    assert n < 10
    assert all(s.activity_reversal is None for s in rank_all(ctx, ["activity_reversal"], seed=0))
