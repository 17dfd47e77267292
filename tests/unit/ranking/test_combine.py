"""The combined rank, with hand-computed values."""

from __future__ import annotations

from dataclasses import replace

import pytest

from medtwin.platform.models import DEFAULT_ORDER
from medtwin.platform.ranking import REGISTRY, DrugTargets, MethodScore, combine, rank_all
from medtwin.platform.ranking.combine import percentiles

from .conftest import context


def test_percentiles_midrank_and_ties() -> None:
    scores = {"a": MethodScore(1.0), "b": MethodScore(2.0), "c": MethodScore(2.0)}
    # ascending ranks 1, 2.5, 2.5 -> (R - 0.5) / 3
    assert percentiles(scores, higher_is_better=True) == pytest.approx(
        {"a": 0.5 / 3, "b": 2 / 3, "c": 2 / 3}
    )
    assert percentiles({"a": MethodScore(None)}, higher_is_better=True) == {}


def test_combined_hand_values(path10) -> None:
    drugs = {
        "A": DrugTargets("a", ("0",)),
        "B": DrugTargets("b", ("3", "4")),
        "C": DrugTargets("c", ("9",)),
        "D": DrugTargets("d", ("5",)),
        "E": DrugTargets("e", ("x",)),
    }
    ctx = context(path10, ("0", "3"), drugs)
    prox = {
        "A": MethodScore(-3.0, p=0.01, q=0.03, d_c=0.0),
        "B": MethodScore(-1.0, p=0.2, q=0.3, d_c=0.5),
        "C": MethodScore(None, p=1.0, q=1.0, d_c=6.0),
        "D": MethodScore(2.0, p=0.9, q=1.0, d_c=2.0),
    }
    direction = {"A": MethodScore(-1.0), "B": MethodScore(1.0)}
    results = {
        "proximity": (REGISTRY["proximity"], prox),
        "direction": (REGISTRY["direction"], direction),
        "centrality": (REGISTRY["centrality"], {}),  # scored nothing: left out
    }
    degree = REGISTRY["degree"].rank(ctx, seed=0)
    out = combine(ctx, results, degree, order=("proximity", "direction"))
    # proximity percentiles (-z: 3, 1, -2 over A, B, D): A 5/6, B 1/2, D 1/6; C unscored
    # direction percentiles: A 1/4, B 3/4. C: no order method scored it -> after all scored
    want = {
        "A": (5 / 6 + 1 / 4) / 2,
        "B": (1 / 2 + 3 / 4) / 2,
        "C": 0.0,  # no information: tied at the end, not imputed
        "D": 1 / 6,  # only proximity scored it
        "E": 0.0,  # no target in the network: last
    }
    assert [s.drug_id for s in out] == ["B", "A", "D", "C", "E"]
    assert [s.rank for s in out] == [1, 2, 3, 4, 5]
    assert {s.drug_id: s.combined for s in out} == pytest.approx(want)
    # mean degrees B 2, D 2, A 1, C 1 (ties by id); E has no network target
    assert {s.drug_id: s.degree_baseline_rank for s in out} == {
        "B": 1, "D": 2, "A": 3, "C": 4, "E": None,
    }  # fmt: skip
    by_id = {s.drug_id: s for s in out}
    assert by_id["A"].targets_in_module == ("0",)
    assert by_id["B"].targets_in_module == ("3",)
    assert by_id["C"].targets_in_module == ()
    assert (by_id["A"].z, by_id["A"].p, by_id["A"].q, by_id["A"].d_c) == (-3.0, 0.01, 0.03, 0.0)
    assert by_id["C"].z is None
    assert by_id["C"].d_c == 6.0
    assert (by_id["B"].direction, by_id["B"].centrality, by_id["B"].disruption_z) == (
        1.0, None, None,
    )  # fmt: skip
    assert (by_id["E"].n_targets, by_id["E"].n_targets_in_network) == (1, 0)
    assert (by_id["B"].n_targets, by_id["B"].n_targets_in_network) == (2, 2)
    assert by_id["A"].drug_name == "a"


def test_ties_broken_by_z_then_id(path10) -> None:
    drugs = {k: DrugTargets(None, (t,)) for k, t in (("b", "1"), ("a", "2"), ("c", "3"))}
    ctx = context(path10, ("1",), drugs)
    prox = {"a": MethodScore(-1.0), "b": MethodScore(-2.0), "c": MethodScore(None)}
    # ordered by the degree baseline only: all three have degree 2 -> equal combined score
    results = {"degree": (REGISTRY["degree"], REGISTRY["degree"].rank(ctx, seed=0))}
    out = combine(
        ctx, {**results, "proximity": (REGISTRY["proximity"], {})}, results["degree"][1],
        order=("degree",),
    )  # fmt: skip
    assert [s.drug_id for s in out] == ["a", "b", "c"]  # no z: ties by id
    out = combine(
        ctx, {**results, "proximity": (REGISTRY["proximity"], prox)}, results["degree"][1],
        order=("degree",),
    )  # fmt: skip
    # equal degree percentiles: ties by z (b -2 before a -1), c without z last
    assert [s.drug_id for s in out] == ["b", "a", "c"]


def test_unscored_drugs_are_tied_at_the_end_not_spread(path10) -> None:
    drugs = {k: DrugTargets(None, (t,)) for k, t in (("b", "1"), ("a", "2"), ("c", "3"))}
    ctx = context(path10, ("1",), drugs)
    prox = {"a": MethodScore(-1.0), "b": MethodScore(None), "c": MethodScore(None)}
    out = combine(ctx, {"proximity": (REGISTRY["proximity"], prox)}, {})
    assert [(s.drug_id, s.combined) for s in out] == [("a", 0.5), ("b", 0.0), ("c", 0.0)]


def test_an_order_method_places_a_drug_without_network_targets_by_its_score(path10) -> None:
    # stop 55: DB00400 (activity_reversal +0.28 on GSM389703) was placed 4585th of 4,706, as
    # "no target in the network", though its score sat mid-list
    drugs = {
        "A": DrugTargets("a", ("0",), approved=True),
        "B": DrugTargets("b", ("3",), approved=True),
        "N": DrugTargets("n", ("x",), approved=True),  # no network target, a LINCS signature
        "U": DrugTargets("u", ("y",), approved=True),  # no network target, no signature
        "E": DrugTargets("e", ("5",), approved=False),
    }
    ctx = context(path10, ("0", "3"), drugs)
    prox = {"A": MethodScore(-3.0), "B": MethodScore(-1.0), "E": MethodScore(-2.0)}
    rev = {"A": MethodScore(0.1), "B": MethodScore(0.28), "N": MethodScore(0.6)}
    results = {
        "proximity": (REGISTRY["proximity"], prox),
        "activity_reversal": (REGISTRY["activity_reversal"], rev),
    }
    out = combine(ctx, results, {}, order=("proximity", "activity_reversal"))
    # proximity percentiles (-z: 3, 1, 2 over A, B, E): A 5/6, B 1/6, E 1/2
    # activity_reversal (0.1, 0.28, 0.6 over A, B, N): A 1/6, B 1/2, N 5/6
    want = {"A": (5 / 6 + 1 / 6) / 2, "B": (1 / 6 + 1 / 2) / 2, "N": 5 / 6, "E": 1 / 2}
    by_id = {s.drug_id: s for s in out}
    assert {d: by_id[d].combined for d in want} == pytest.approx(want)
    # N first by its score; A and E tie at 1/2, by z (A -3, E -2); U, unscored, last
    assert [s.drug_id for s in out] == ["N", "A", "E", "B", "U"]
    n = by_id["N"]
    assert (n.n_targets_in_network, n.activity_reversal) == (0, 0.6)
    # the network columns stay empty, never 0
    assert (n.z, n.d_c, n.p, n.q, n.degree_baseline_rank) == (None, None, None, None, None)
    assert by_id["U"].combined == 0.0
    # with the tier: N (approved, scored) before E (not approved); U, without any information,
    # after every tier, as before
    tiered = combine(ctx, results, {}, order=("proximity", "activity_reversal"), tier="approved")
    assert [s.drug_id for s in tiered] == ["N", "A", "B", "E", "U"]
    # ordered by activity_reversal alone (the stop-55 case): by its score; the unscored after
    alone = combine(ctx, results, {}, order=("activity_reversal",))
    assert [s.drug_id for s in alone] == ["N", "B", "A", "E", "U"]
    assert [s.combined for s in alone] == pytest.approx([5 / 6, 1 / 2, 1 / 6, 0.0, 0.0])


def test_the_default_order_scores_no_drug_without_network_targets(path10) -> None:
    # why the default's order did not move with the rule above: its methods read the network
    drugs = {
        "in": DrugTargets("in", ("2",), ("inhibit",)),
        "off": DrugTargets("off", ("x", "y"), ("inhibit", "activate")),
    }
    stats = {str(i): float(i % 4) - 1.5 for i in range(10)} | {"x": 4.0, "y": -4.0}
    ctx = replace(context(path10, ("1", "2"), drugs, seeds=stats), gene_stats=stats)
    for name in DEFAULT_ORDER:
        scored = REGISTRY[name].rank(ctx, seed=0)
        assert "in" in scored, name
        assert "off" not in scored, name


def test_approved_tier_comes_first(path10) -> None:
    drugs = {
        "exp": DrugTargets("exp", ("1",), approved=False),
        "ok": DrugTargets("ok", ("5",), approved=True),
        "own": DrugTargets("own", ("6",)),  # status unknown (a user's table): first tier
    }
    ctx = context(path10, ("1",), drugs)
    prox = {"exp": MethodScore(-3.0), "ok": MethodScore(1.0), "own": MethodScore(2.0)}
    results = {"proximity": (REGISTRY["proximity"], prox)}
    assert [s.drug_id for s in combine(ctx, results, {})] == ["exp", "ok", "own"]
    tiered = combine(ctx, results, {}, tier="approved")
    assert [s.drug_id for s in tiered] == ["ok", "own", "exp"]
    assert [s.approved for s in tiered] == [True, None, False]


def test_rank_all_every_method(path10) -> None:
    drugs = {
        "near": DrugTargets("near", ("1", "2"), ("inhibit", "activate")),
        "far": DrugTargets("far", ("8", "9"), ("activate", "unknown")),
        "cut": DrugTargets("cut", ("4",)),
        "none": DrugTargets("none", ("x",)),
    }
    ctx = context(
        path10, ("1", "2", "3", "4", "5"), drugs, seeds={"1": 1.0, "2": -1.0, "8": 1.0},
        centrality={"1": 0.3, "2": 0.3, "3": 0.2, "4": 0.1, "5": 0.1}, n_samples=100,
    )  # fmt: skip
    out = rank_all(ctx, ["proximity", "centrality", "disruption", "direction", "degree"], seed=1)
    assert [s.rank for s in out] == [1, 2, 3, 4]
    assert out[-1].drug_id == "none"
    assert all(0.0 <= s.combined <= 1.0 for s in out)
    by_id = {s.drug_id: s for s in out}
    assert by_id["near"].direction == pytest.approx(2 / 3)  # both counteracted, 2 targets
    assert by_id["far"].direction == -0.5  # one aggravated target
    assert by_id["near"].centrality == pytest.approx(0.3 + 0.3 + 0.2)  # 0, 1, 2, 3 reached
    assert by_id["near"].d_c == 0.0
    assert by_id["far"].d_c == pytest.approx(3.5)
    assert out[0].drug_id == "near"
    # the same seed gives the same ranking
    again = rank_all(ctx, ["proximity", "centrality", "disruption", "direction", "degree"], seed=1)
    assert again == out


class _Toy:
    """A method registered nowhere but in ``results``: it brings its own output column."""

    name = "toy"
    higher_is_better = True
    columns = {"disruption_z": "value", "q": "q"}  # noqa: RUF012 -- a constant mapping
    params = None


def test_a_method_fills_exactly_the_columns_it_declares(path10) -> None:
    drugs = {"A": DrugTargets("a", ("0",)), "B": DrugTargets("b", ("3",))}
    ctx = context(path10, ("0", "3"), drugs)
    results = {"toy": (_Toy(), {"A": MethodScore(2.5, q=0.04), "B": MethodScore(None)})}
    out = {s.drug_id: s for s in combine(ctx, results, {}, order=("toy",))}  # type: ignore[dict-item]
    assert (out["A"].disruption_z, out["A"].q) == (2.5, 0.04)
    assert (out["B"].disruption_z, out["B"].q) == (None, None)
    assert out["A"].z is None  # no proximity in the results: its columns stay empty
    assert out["A"].rank == 1  # the only scored drug


def test_registered_columns_are_score_fields_and_claimed_once() -> None:
    from dataclasses import fields

    from medtwin.platform.models import DrugScore

    seen: dict[str, str] = {}
    attributes = {f.name for f in fields(MethodScore)}
    for name, method in REGISTRY.items():
        for column, attribute in method.columns.items():
            assert column in DrugScore.model_fields, (name, column)
            assert attribute in attributes, (name, attribute)
            assert column not in seen, f"{column} claimed by {seen.get(column)} and {name}"
            seen[column] = name
    assert seen["z"] == seen["p"] == seen["d_c"] == "proximity"
