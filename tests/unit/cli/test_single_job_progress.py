"""`twin build P1` and `rank P1` draw their steps on a terminal; both were silent until done.

A batch had a bar per twin or ranking; one patient's build (10-60 s on the demo) or ranking
(10-60 s) showed nothing. Now one bar, ``twin P1: <step>``, follows the use case's own steps
(``twins.TWIN_STEPS``, ``rankings.rank_steps``). Off a terminal nothing changes (the result line
follows). The terminal is forced here; the twin is built on the in-memory store.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner

from medtwin.cli import cli, progress, treatment, twins
from medtwin.platform import patients
from medtwin.platform.twins import TWIN_STEPS
from medtwin.store.memory import MemoryStore
from tests.unit.services.conftest import profile, reference_store


class _Recorded(progress.StepProgress):
    """A StepProgress drawn as on a terminal, recording what each bar was told."""

    seen: list[tuple[str, str]] = []

    def __init__(self, **kw: Any) -> None:
        super().__init__(stream=io.StringIO(), terminal=True, **kw)

    def steps(self, label: str) -> Any:
        draw = super().steps(label)

        def report(step: str, done: int, total: int) -> None:
            _Recorded.seen.append((label, step))
            draw(step, done, total)
            assert self._bars is not None  # drawn, not quiet
            (task,) = self._bars.tasks
            assert task.description == f"{label}: {step} done"  # one bar, its last step named

        return report


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    _Recorded.seen = []
    for module in (twins, treatment):
        monkeypatch.setattr(module, "StepProgress", _Recorded)
        monkeypatch.setattr(module, "on_terminal", lambda: True)
    return _Recorded.seen


@pytest.fixture
def memory(monkeypatch: pytest.MonkeyPatch) -> MemoryStore:
    store = reference_store()
    patients.add_patient(store, profile("P1"))

    @contextlib.contextmanager
    def opened(**_: object) -> Iterator[MemoryStore]:
        yield store

    monkeypatch.setattr(twins, "open_store", opened)
    return store


def test_one_twin_build_draws_its_steps(memory, terminal) -> None:
    got = CliRunner().invoke(cli, ["twin", "build", "P1", "--module-samples", "20"])
    assert got.exit_code == 0, got.output
    assert got.stdout.startswith("P1@v1 ")
    assert [step for _, step in terminal] == list(TWIN_STEPS)
    assert {label for label, _ in terminal} == {"twin P1"}


def test_one_ranking_is_given_a_step_callback(terminal, monkeypatch) -> None:
    from medtwin.platform import first_screen, rankings, stored_rankings

    heard: list[object] = []

    def rank_drugs(store: Any, pid: str, params: Any, **kw: Any) -> Any:
        heard.append(kw["progress"])
        if kw["progress"] is not None:
            kw["progress"]("proximity", 1, 2)
        raise treatment.InputError("stop here: the callback is what is tested")

    monkeypatch.setattr(treatment, "open_store", lambda **_: contextlib.nullcontext(None))
    monkeypatch.setattr(stored_rankings, "reusable_ranking", lambda *_, **__: None)
    monkeypatch.setattr(rankings, "rank_drugs", rank_drugs)
    monkeypatch.setattr(first_screen, "screen_of", lambda *_, **__: None)
    CliRunner().invoke(cli, ["rank", "P1", "--rerank"])
    assert len(heard) == 1
    assert heard[0] is not None
    assert terminal == [("ranking P1", "proximity")]
    CliRunner().invoke(cli, ["rank", "P1", "P2", "--rerank"])
    assert heard[1:] == [None, None]  # a batch: a bar per ranking, as before


def test_off_a_terminal_one_build_prints_only_its_line(memory, monkeypatch) -> None:
    got = CliRunner().invoke(cli, ["twin", "build", "P1", "--module-samples", "20"])
    assert got.exit_code == 0, got.output
    assert got.stderr == ""
    assert got.stdout.startswith("P1@v1 ")
