"""paused_gc: the collector is off inside, restored after (also on error and when nested)."""

from __future__ import annotations

import gc
import threading

import pytest

from medtwin.gc_pause import paused_gc


def _fail_while_paused() -> None:
    with paused_gc():
        assert not gc.isenabled()
        raise RuntimeError("boom")


def test_paused_inside_and_restored_after_an_error():
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        _fail_while_paused()
    assert gc.isenabled()


def test_nested_blocks_keep_the_outer_state():
    with paused_gc():
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner exit must not re-enable it
    assert gc.isenabled()


def test_an_already_disabled_collector_stays_disabled():
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_blocks_overlapping_in_two_threads_restore_the_collector_when_the_last_ends():
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with paused_gc():
            first_in.set()
            second_in.wait(10)
        first_out.set()

    def second() -> None:
        first_in.wait(10)
        with paused_gc():
            second_in.set()
            first_out.wait(10)
            seen.append(gc.isenabled())  # the first block ended: still paused for this one

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == [False]
    assert gc.isenabled()
