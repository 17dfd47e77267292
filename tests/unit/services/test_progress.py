"""``build_twin`` and ``rank_drugs`` report progress to a callback, monotone up to the total.

Before, neither took ``progress=``: a notebook had no way to show a bar for the long calls.
"""

from __future__ import annotations

import pytest

from medtwin.errors import InputError
from medtwin.platform import rankings, twins
from medtwin.platform.context import ReferenceContext
from tests.unit.services.test_rankings_memory import FAST, FAST_TWIN, built  # noqa: F401


def _monotone_to_the_end(calls: list[tuple[str, int, int]], steps: tuple[str, ...]) -> None:
    assert calls, "progress was never called"
    dones = [done for _, done, _ in calls]
    assert dones == sorted(set(dones))  # strictly growing
    assert {total for _, _, total in calls} == {len(steps)}
    assert calls[-1] == (steps[-1], len(steps), len(steps))
    assert all(steps[done - 1] == step for step, done, _ in calls)


def test_build_twin_reports_each_step(built):  # noqa: F811
    calls: list[tuple[str, int, int]] = []
    summary = twins.build_twin(
        built, "P1", FAST_TWIN, ctx=ReferenceContext(), progress=lambda *a: calls.append(a)
    )
    assert summary.version == 2
    _monotone_to_the_end(calls, twins.TWIN_STEPS)
    assert [s for s, _, _ in calls] == list(twins.TWIN_STEPS)  # every step, in order


def test_rank_drugs_reports_each_step_and_method(built, tmp_path):  # noqa: F811
    calls: list[tuple[str, int, int]] = []
    rankings.rank_drugs(
        built,
        "P1",
        FAST,
        cache_dir=tmp_path,
        ctx=ReferenceContext(),
        progress=lambda *a: calls.append(a),
    )
    steps = rankings.rank_steps(FAST.methods)
    assert steps == (
        "rank.inputs", "rank.proximity", "rank.centrality", "rank.combine", "rank.symbols",
        "rank.store",
    )  # fmt: skip
    _monotone_to_the_end(calls, steps)


def test_a_progress_that_is_no_function_is_refused(built):  # noqa: F811
    with pytest.raises(InputError, match="progress must be a function or None, got True"):
        twins.build_twin(built, "P1", FAST_TWIN, progress=True)


def test_no_progress_is_fine(built, tmp_path):  # noqa: F811
    got = rankings.rank_drugs(built, "P1", FAST, cache_dir=tmp_path, ctx=ReferenceContext())
    assert got.n_drugs == 4


def test_twin_diseases_reports_its_steps_and_tallies_the_modules(tmp_path):
    from medtwin.platform import diseases
    from tests.unit.services.test_notebook_defaults import built as made

    store = made.__wrapped__()  # the fixture's store (its reference has disease genes)
    calls: list[tuple[str, int, int]] = []
    diseases.twin_diseases(
        store,
        "P1",
        tmp_path,
        n_samples=20,
        ctx=ReferenceContext(),
        progress=lambda *a: calls.append(a),
    )
    steps = diseases.DISEASE_STEPS
    ends = [c for c in calls if c[0] in steps]
    assert ends == [(s, i, len(steps)) for i, s in enumerate(steps, start=1)]
    scored = calls[calls.index(ends[2]) - 1]  # the last count before the scoring ends
    assert scored == ("scoring 2 disease modules", 2, 2)
    calls.clear()
    diseases.twin_diseases(store, "P1", tmp_path, n_samples=20, progress=lambda *a: calls.append(a))
    assert calls == []  # read back: no step
