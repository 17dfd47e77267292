"""Per-step wall times of a cohort patient (platform/step_times.py)."""

from __future__ import annotations

import threading
from types import SimpleNamespace

from medtwin.platform import step_times
from medtwin.platform.step_times import collect, lap


def test_laps_add_the_time_since_the_previous_lap_in_order(monkeypatch):
    """On a clock the test moves: with the real one and sleeps, "b" (two calls apart) came out
    longer than "a" (30 ms of sleep) whenever the test was descheduled between the two laps
    (1 in 2,702 repeats beside two CPU burners)."""
    readings = iter([10.0, 12.0, 12.5, 13.5])  # start, lap a, lap b, lap a
    monkeypatch.setattr(step_times, "time", SimpleNamespace(perf_counter=lambda: next(readings)))
    with collect() as steps:
        lap("a")
        lap("b")
        lap("a")  # a repeated step adds up
    assert steps == {"a": 3.0, "b": 0.5}
    assert list(steps) == ["a", "b"]


def test_lap_outside_a_collection_does_nothing_and_threads_are_apart():
    lap("nowhere")  # no collection open: no error, nothing kept
    seen: dict[str, dict[str, float]] = {}

    def work(name: str) -> None:
        with collect() as steps:
            lap(name)
        seen[name] = steps

    with collect() as mine:
        threads = [threading.Thread(target=work, args=(n,)) for n in ("x", "y")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        lap("main")
    assert {k: list(v) for k, v in seen.items()} == {"x": ["x"], "y": ["y"]}
    assert list(mine) == ["main"]
