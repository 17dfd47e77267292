"""The harness's declared Holm families (benchmarks.declared_family, regulators_dev §18): a row
of a method added later moves no declared row's adjusted p, in every part."""

from __future__ import annotations

import pytest
from benchmarks.declared_check import compare
from benchmarks.declared_family import (
    DECLARED_RANKERS,
    LATER_METHODS,
    declared,
    holm_declared,
    later_ranker,
)
from benchmarks.personal import harness_methods
from benchmarks.regulator_eval import COMBINATIONS
from benchmarks.validate_icb import ICB_COMBINATIONS

from medtwin.platform.algorithms.controls import holm


def _harness_rankers() -> set[str]:
    """Every default / method / combination row the harness makes, (d)'s positions included."""
    per_case = {
        "default",
        "default, Fc/complement kept",
        "method: proximity, Fc/complement kept",
        *(f"method: {m}" for m in harness_methods()),
        *COMBINATIONS,
    }
    positions = {
        "default (position)",
        *(f"method: {m} (position)" for m in harness_methods()),
        *(f"{c} (position)" for c in ICB_COMBINATIONS),
    }
    return per_case | positions


def test_every_harness_row_is_declared_or_of_a_later_method() -> None:
    # a method registered without being listed in LATER_METHODS would join every family and
    # move the declared rows' adjusted p: this fails until it is listed
    undecided = sorted(r for r in _harness_rankers() if not declared(r) and not later_ranker(r))
    assert undecided == []
    assert not [r for r in DECLARED_RANKERS if later_ranker(r)]
    # the constant names rows the harness makes (no typo leaves a declared row out)
    made = {r.removesuffix(" (position)") for r in _harness_rankers()}
    assert not DECLARED_RANKERS - made
    assert not set(LATER_METHODS) - set(harness_methods())


def test_a_later_test_is_adjusted_as_the_families_m_plus_first() -> None:
    a = holm_declared([("d1", 0.01, False), ("d2", 0.02, False), ("x", 0.015, True)])
    assert a.m == 2
    assert [a.p["d1"], a.p["d2"]] == pytest.approx(holm([0.01, 0.02]).tolist())
    assert a.p["x"] == pytest.approx(holm([0.01, 0.02, 0.015])[-1])  # 3 x 0.01, then 0.03
    assert (a.family("d1"), a.family("x")) == (2, 3)


def test_declared_check_counts_declared_later_and_other_rows_apart() -> None:
    old = {"t": [{"ranker": "default", "p_adj": 0.1}, {"ranker": "prior: popularity", "a": 1}]}
    new = {"t": [{"ranker": "default", "p_adj": 0.2}, {"ranker": "prior: popularity", "a": 1},
                 {"ranker": "method: activity_reversal", "p_adj": 1.0}]}  # fmt: skip
    c = compare(old, new)
    assert c["declared"] == {"holm": [1, 1], "other": [1, 0]}
    assert c["outside"] == {"holm": [0, 0], "other": [2, 0]}
    assert c["only_after"] == ["/t: method: activity_reversal"]
