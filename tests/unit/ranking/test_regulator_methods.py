"""The regulator methods through the pipeline: twin spec -> RankContext -> rank_all."""

from __future__ import annotations

import numpy as np
import pytest

from medtwin.domain import TwinParams
from medtwin.loaders.patient_rows import GeneChange
from medtwin.platform.algorithms.footprint import footprint_activity
from medtwin.platform.algorithms.network import Network
from medtwin.platform.ranking import DrugTargets, RankContext, rank_all
from medtwin.platform.ranking.unscored import unscored_reasons
from medtwin.platform.regulators import RegulatorReference
from medtwin.platform.twin import build_twin_spec

from .conftest import context

GENES = [str(i) for i in range(1, 61)]
T1_TARGETS = {str(i): 1.0 for i in range(1, 11)} | {str(i): -1.0 for i in range(11, 16)}


def _reference() -> RegulatorReference:
    return RegulatorReference(
        regulons={"100": T1_TARGETS, "200": {"100": -1.0, "30": 1.0}},
        footprints={
            "MAPK": {str(i): 1.0 + i / 10 for i in range(1, 11)},
            "p53": {str(i): 1.0 for i in range(40, 55)},
        },
        perturbations={"DBX": {g: -float(i) for i, g in enumerate(GENES)}},
        cores={"MAPK": {"300": 1}, "p53": {"400": -1}},
    )


def _stats(sign: float) -> dict[str, float]:
    rng = np.random.default_rng(1)
    y = {g: float(v) for g, v in zip(GENES, rng.normal(0, 0.3, len(GENES)), strict=True)}
    for g, mor in T1_TARGETS.items():
        y[g] += sign * 3.0 * mor
    return y


DRUGS = {
    "inhib_T1": DrugTargets("inhib_T1", ("100",), ("inhibit",)),
    "act_up": DrugTargets("act_up", ("200",), ("activate",)),
    "mek": DrugTargets("mek", ("300",), ("inhibit",)),
    "amp": DrugTargets("amp", ("500",), ("inhibit",), drugbank_id="DBX"),
}


def _ctx(sign: float, drivers: dict[str, float] | None = None) -> RankContext:
    net = Network.from_edges([("100", "200"), ("200", "300"), ("300", "400"), ("400", "500")])
    base = context(net, ("100", "200"), DRUGS)
    return RankContext(
        base.network, base.dist, base.module, {}, {}, DRUGS, n_samples=20,
        gene_stats=_stats(sign), drivers=drivers or {}, regulators=_reference(),
    )  # fmt: skip


def test_regulator_scores_follow_the_patient() -> None:
    up, down = _ctx(+1.0), _ctx(-1.0)
    a_up = footprint_activity(_stats(1.0), _reference().regulons)["100"].score
    assert up.activity is not None
    assert list(up.activity.upstream_regulators()) == ["100"]
    ranked = {s.drug_id: s for s in rank_all(up, ["proximity", "regulator"], seed=0)}
    # the inhibitor opposes T1's activity: +a; the activator of T2 (which represses T1, mor -1)
    # lowers T1 too, at half weight: 0.5 * -(+1) * (-1) * a = +a/2
    assert ranked["inhib_T1"].regulator == pytest.approx(a_up)
    assert ranked["act_up"].regulator == pytest.approx(a_up / 2)
    assert ranked["mek"].regulator is None
    swapped = {s.drug_id: s for s in rank_all(down, ["proximity", "regulator"], seed=0)}
    a_down = footprint_activity(_stats(-1.0), _reference().regulons)["100"].score
    assert a_down < -10
    assert swapped["inhib_T1"].regulator == pytest.approx(a_down)  # T1 under-active: aggravates


def test_pathway_driver_reversal_columns() -> None:
    ctx = _ctx(+1.0, drivers={"500": 1.0, "100": -1.0})
    assert ctx.activity is not None
    mapk = ctx.activity.pathway["MAPK"].score
    assert mapk > 3  # the MAPK footprint overlaps the up-regulated T1 targets
    methods = ["proximity", "pathway", "driver", "reversal"]
    got = {s.drug_id: s for s in rank_all(ctx, methods, seed=0)}
    assert got["mek"].pathway == pytest.approx(mapk)
    assert got["inhib_T1"].pathway is None
    assert got["amp"].driver == pytest.approx(1.0)  # inhibitor of a gained driver
    assert got["inhib_T1"].driver == pytest.approx(-1.0)  # inhibitor of a lost gene
    # DBX's signature is -rank(gene index); the patient's ranks are those of _stats
    assert got["amp"].reversal is not None
    assert got["amp"].reversal_q is not None
    assert got["mek"].reversal is None


def test_no_reference_scores_nothing() -> None:
    base = _ctx(1.0)
    ctx = RankContext(base.network, base.dist, base.module, {}, {}, DRUGS, n_samples=20)
    assert ctx.activity is None
    got = rank_all(ctx, ["proximity", "regulator", "pathway", "reversal"], seed=0)
    assert all(s.regulator is None and s.pathway is None and s.reversal is None for s in got)


def test_twin_spec_carries_statistics_and_drivers() -> None:
    net = Network.from_edges([("1", "2"), ("2", "3"), ("3", "4")])
    changes = [
        GeneChange(entrez="1", log2fc=1.0, zscore=3.0, padj=0.01),
        GeneChange(entrez="2", log2fc=-1.0, zscore=-2.5, padj=0.02),
        GeneChange(entrez="999", log2fc=-0.5, zscore=-1.0, padj=0.5),  # outside the network
        GeneChange(entrez="3", log2fc=0.0, layer="variant", consequence="stop_gained"),
    ]
    params = TwinParams(module_samples=10, layers=("expression", "variant"))
    spec = build_twin_spec("p", changes, (), {}, net, (), params)
    assert spec.gene_stats == {"1": 3.0, "2": -2.5, "999": -1.0}
    assert spec.drivers == {"3": -1.0}


def test_a_method_that_scores_no_drug_says_why() -> None:
    """Before stop 46 ``no_score`` was ``{}`` here, and no NOTE was printed: SYN020 (30 measured
    landmark genes) got an empty reversal column, GSM389703 (no UR) an empty regulator one."""
    base = _ctx(+1.0)
    few = {g: v for g, v in base.gene_stats.items() if int(g) <= 30}  # 30 of DBX's 60 genes
    ctx = RankContext(
        base.network, base.dist, base.module, {}, {}, DRUGS, n_samples=20,
        gene_stats=few, regulators=_reference(),
    )  # fmt: skip
    methods = ["proximity", "reversal", "driver", "pathway"]
    scores = rank_all(ctx, methods, seed=0)
    assert all(s.reversal is None and s.driver is None for s in scores)
    why = unscored_reasons(ctx, methods, scores)
    assert why == {
        "reversal": "only 30 of the 60 LINCS landmark genes have a statistic in this twin (at "
        "least 50 needed)",
        "driver": "no driver gene: the twin has no variant-layer change (add `--mutations` or "
        "`--vcf` to the patient)",
    }  # proximity and pathway scored drugs: not listed
    rng = np.random.default_rng(2)
    noise = {g: float(v) for g, v in zip(GENES, rng.normal(0, 0.3, len(GENES)), strict=True)}
    quiet = RankContext(
        base.network, base.dist, base.module, {}, {}, DRUGS, n_samples=20,
        gene_stats=noise, regulators=_reference(),
    )  # fmt: skip
    assert quiet.activity is not None
    assert not quiet.activity.upstream_regulators()
    scores = rank_all(quiet, ["proximity", "regulator"], seed=0)
    assert unscored_reasons(quiet, ["proximity", "regulator"], scores) == {
        "regulator": f"no upstream regulator: none of the {len(quiet.activity.tf)} TFs scored on "
        "60 genes reaches activity q <= 0.05"
    }
