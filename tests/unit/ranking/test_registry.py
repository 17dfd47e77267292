from __future__ import annotations

import numpy as np
import pytest

from medtwin.errors import InputError, UnknownMethodError
from medtwin.platform.ranking import REGISTRY, DrugTargets, RankContext, get_method, rank_all
from medtwin.platform.ranking.disruption_rank import DisruptionParams

from .conftest import context


def test_registry_names_are_canonical() -> None:
    assert sorted(REGISTRY) == [
        "activity_reversal", "centrality", "degree", "direction", "disruption", "driver", "pathway",
        "pathway_proximity", "proximity", "regulator", "regulator_network", "reversal",
        "target_expression",
    ]  # fmt: skip
    for name, method in REGISTRY.items():
        assert method.name == name


def test_unknown_method_lists_valid_names() -> None:
    with pytest.raises(UnknownMethodError) as info:
        get_method("Proximity")
    for name in REGISTRY:
        assert name in str(info.value)


def test_rank_all_rejects_unknown_method(path10) -> None:
    ctx = context(path10, ("1",), {"x": DrugTargets("x", ("0",))})
    with pytest.raises(UnknownMethodError, match="valid: activity_reversal, centrality, degree"):
        rank_all(ctx, ["proximity", "rwr"], seed=0)


def test_rank_all_needs_a_method(path10) -> None:
    ctx = context(path10, ("1",), {"x": DrugTargets("x", ("0",))})
    with pytest.raises(InputError, match="no ranking method"):
        rank_all(ctx, [], seed=0)


def test_params_override_and_validation() -> None:
    method = get_method("disruption", {"null_cap": 20})
    assert method.params == DisruptionParams(null_cap=20)
    assert REGISTRY["disruption"].params == DisruptionParams()
    with pytest.raises(InputError, match="invalid parameters"):
        get_method("proximity", {"bin_sise": 3})
    with pytest.raises(InputError, match="invalid parameters"):
        get_method("proximity", {"bin_size": 0})


def test_params_for_unrequested_method(path10) -> None:
    ctx = context(path10, ("1",), {"x": DrugTargets("x", ("0",))})
    with pytest.raises(InputError, match="not requested"):
        rank_all(ctx, ["proximity"], seed=0, params={"disruption": {"null_cap": 5}})


@pytest.mark.parametrize(
    ("targets", "directions", "match"),
    [
        (("a", "b"), ("inhibit",), "1 directions for 2 targets"),
        (("a",), ("block",), "unknown direction"),
        (("a", "a"), (), "repeated targets"),
    ],
)
def test_drug_targets_validation(targets, directions, match) -> None:
    with pytest.raises(InputError, match=match):
        DrugTargets("x", targets, directions)


def test_context_validation(path10) -> None:
    with pytest.raises(InputError, match="shape"):
        RankContext(path10, np.zeros((3, 3), dtype=np.uint8), ("1",), {}, {}, {})
    with pytest.raises(InputError, match="n_samples"):
        context(path10, ("1",), {}, n_samples=1)
