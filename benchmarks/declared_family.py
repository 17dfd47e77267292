"""The harness's declared Holm families: which rows are tested together, and the rows added later.

Every part of ``make validate-twins`` Holm-adjusts its rows' p over a family of distinct tests:
per case in (a), (b), (c) (:func:`benchmarks.personal.correct_family`), per outcome in (d)
(:func:`benchmarks.icb_outcomes.correct_outcomes`, :mod:`benchmarks.icb_leave_one_out`) and per
treatment in (c) (:func:`benchmarks.per_treatment_frame.holm_rows`,
:mod:`benchmarks.per_treatment_loo`). The harness runs every registered method by itself, so
each new method grew every family and moved every declared row's adjusted p without any of its
own figures changing (stop 53: (b) m 26 → 28, the default's sign-flip p 0.093 → 0.100; (c) per
treatment 0.045 → 0.050). A declared test must not move when a column is added (regulators_dev
§17.1, §18), so:

- the declared family is the rows of the rankers present at stop 52, when the rule (§14.1) and the
  per-treatment test (§15.1) were fixed (:data:`DECLARED_RANKERS`, written down here);
- a row of a method registered after that (:data:`LATER_METHODS`, alone or in a combination) is
  adjusted as if it alone had been added: Holm over the family and itself, its family size
  m + 1. A later row whose test is identical to a declared one (the same per-case gains or
  positions) is that test and gets its adjusted p and m.

:func:`holm_declared` is the one place that does this; the four callers only say which rows are
tests, which are one test (their keys) and which ranker each names.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from medtwin.platform.algorithms.controls import holm

_STOP52_METHODS = (
    "proximity",
    "disruption",
    "direction",
    "degree",
    "regulator",
    "regulator_network",
    "pathway",
    "driver",
    "reversal",
    "pathway_proximity",
    "target_expression",
)
_STOP52_COMBINATIONS = (
    "combo: tier + proximity + regulator",
    "combo: tier + proximity + regulator_network",
    "combo: tier + proximity + pathway",
    "combo: tier + proximity + driver",
    "combo: tier + proximity + reversal",
    "combo: tier + proximity + pathway_proximity",
    "combo: tier + proximity + all regulator methods",
    "combo: tier + regulator methods (no proximity)",
    "combo: tier + proximity + target_expression",
    "combo: tier + degree + proximity",
    "combo: tier + degree + proximity + pathway_proximity",
    "combo: tier + degree + proximity + target_expression",
    "combo: tier + degree + proximity + pathway_proximity + target_expression",
)
DECLARED_RANKERS = frozenset(
    {
        "default",
        "default, Fc/complement kept",
        "method: proximity, Fc/complement kept",
        *(f"method: {m}" for m in _STOP52_METHODS),
        *_STOP52_COMBINATIONS,
    }
)
"""The rankers of the declared families: every default / method / combination row of stop 52's
tables (a) 120 disease gene sets, (b) 19 signatures, (c) per tumour and per treatment, and (d)'s
positions (regulators_dev §11, §14, §15; (d) names them with :data:`POSITION`); a part's family
is those of them it has rows for (e.g. (a) has no regulator method alone: no statistics). The
harness's rows are these and the rows of :data:`LATER_METHODS`
(``tests/unit/algorithms/test_declared_family.py`` checks it)."""

LATER_METHODS = ("activity_reversal",)
"""Methods registered after the declaration (stop 53, §16): a row naming one (alone or in a
combination) is no member of the declared family. A method registered after these must be
listed here too, or its rows would join the family and move every declared row's adjusted p
(``tests/unit/algorithms/test_declared_family.py`` fails until it is listed)."""

POSITION = " (position)"
"""(d)'s suffix: its rows are a ranker's position of the received drug."""


def declared(ranker: str) -> bool:
    """Whether ``ranker`` (a harness row's name, (d)'s with :data:`POSITION`) is declared.

    >>> declared("default"), declared("method: reversal (position)")
    (True, True)
    >>> declared("combo: tier + proximity + activity_reversal")
    False
    """
    return ranker.removesuffix(POSITION) in DECLARED_RANKERS


LATER_BASELINES = ("neighbours",)
"""Harness baselines added after the declaration (stop 60, §21: :mod:`benchmarks.neighbours`):
a row whose ranker starts with one is adjusted as a later method's is."""


def later_ranker(ranker: str) -> bool:
    """Whether ``ranker`` uses a method of :data:`LATER_METHODS` or is a later baseline.

    >>> later_ranker("combo: tier + proximity + activity_reversal")
    True
    >>> later_ranker("neighbours: k nearest of the type, response share")
    True
    >>> later_ranker("method: reversal")
    False
    """
    return any(m in ranker for m in LATER_METHODS) or ranker.startswith(LATER_BASELINES)


def later_row(row: Mapping[str, object]) -> bool:
    """Whether ``row``'s ranker uses a method of :data:`LATER_METHODS` (:func:`later_ranker`)."""
    return later_ranker(str(row.get("ranker", "")))


K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Adjusted(Generic[K]):
    """Holm-adjusted p of a part's distinct tests (:func:`holm_declared`)."""

    p: dict[K, float]
    """Test key -> adjusted p."""
    m: int
    """The declared family's number of distinct tests."""
    later: frozenset[K]
    """Keys adjusted as the family's (m + 1)-th test."""

    def family(self, key: K) -> int:
        """Holm's m the test of ``key`` was adjusted over."""
        return self.m + (key in self.later)


def holm_declared(tests: Iterable[tuple[K, float, bool]]) -> Adjusted[K]:
    """Holm over the declared tests; each later test as if it alone had been added.

    ``tests``: (key, p, later) per tested row; rows with the same key are one test, declared if
    any of its rows is (its first declared row's p counts; a later-only test's first p).

    >>> a = holm_declared([("a", 0.01, False), ("b", 0.04, False), ("x", 0.02, True),
    ...                    ("b", 0.04, True)])
    >>> a.p, a.m, a.family("x"), a.family("b")
    ({'a': 0.02, 'b': 0.04, 'x': 0.04}, 2, 3, 2)
    """
    family: dict[K, float] = {}
    later: dict[K, float] = {}
    for key, p, is_later in tests:
        (later if is_later else family).setdefault(key, p)
    adjusted: dict[K, float] = dict(zip(family, holm(list(family.values())).tolist(), strict=True))
    added = frozenset(k for k in later if k not in family)
    for key in added:
        adjusted[key] = float(holm([*family.values(), later[key]])[-1])
    return Adjusted(adjusted, len(family), added)
