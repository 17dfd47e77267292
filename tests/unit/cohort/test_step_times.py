"""Per-step wall times of a cohort patient (platform/step_times.py)."""

from __future__ import annotations

import threading
import time

from medtwin.platform.step_times import collect, lap


def test_laps_add_the_time_since_the_previous_lap_in_order():
    with collect() as steps:
        time.sleep(0.02)
        lap("a")
        lap("b")
        time.sleep(0.01)
        lap("a")  # a repeated step adds up
    assert list(steps) == ["a", "b"]
    assert steps["a"] >= 0.03
    assert steps["b"] < steps["a"]


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
