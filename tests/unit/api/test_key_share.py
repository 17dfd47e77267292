"""The keys' fair shares of the server (api/key_share.py), step by step on a hand-moved clock.

Before: a key ran up to its cap (4) whatever the other keys did, so one key's 4 heavy reads
slowed another key's light reads 4-8x; a cap of 2 instead refused a notebook's 3rd request.
"""

from __future__ import annotations

import pytest

from medtwin.api.key_share import READ, WRITE, KeyShare


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> _Clock:
    return _Clock()


@pytest.fixture
def fair(clock: _Clock) -> KeyShare:
    return KeyShare(share=1, window=2.0, clock=clock)


def test_a_key_alone_runs_every_request_at_once(fair):
    assert [fair.start("a") for _ in range(4)] == [True] * 4
    assert fair.running("a") == 4
    assert fair.waiting("a") == 0


def test_beside_a_busy_key_a_key_runs_its_share_and_the_rest_wait(fair):
    for _ in range(3):
        assert fair.start("a")
    assert fair.start("b")  # another key's first request never waits
    assert not fair.start("a")
    fair.wait("a", "a4")
    assert fair.finish("a") == []  # 2 running: over its share of 1
    assert fair.finish("a") == []
    assert fair.waiting("a") == 1
    assert fair.finish("a") == ["a4"]  # 0 running: its next starts
    assert (fair.running("a"), fair.waiting("a")) == (1, 0)


def test_the_share_holds_for_the_window_after_the_other_key_ended(fair, clock):
    """A key reading one request at a time has none in progress between two: without the window
    the other key's waiting requests all started in that moment."""
    assert fair.start("a")
    assert fair.start("b")
    assert fair.finish("b") == []
    clock.now += 1.9
    assert not fair.start("a")  # b still counts as busy
    clock.now += 0.1
    assert fair.start("a")  # b quiet for its whole window: a is alone again


def test_a_waiting_request_starts_when_the_other_key_is_gone(fair, clock):
    assert fair.start("a")
    assert fair.start("b")
    assert not fair.start("a")
    fair.wait("a", "a2")
    assert fair.finish("b") == []  # b just ended: still busy, a keeps to its share
    clock.now += 2.0
    assert fair.finish("a") == ["a2"]  # whichever request ends next lets it start


def test_a_key_waiting_for_its_turn_makes_the_other_key_keep_its_share(fair):
    assert fair.start("a")
    assert fair.start("a")  # alone: both run
    assert fair.start("b")
    assert not fair.start("b")  # a is busy (and over its own share: a's next would wait too)
    assert not fair.start("a")


def test_a_later_request_never_overtakes_a_waiting_one_of_its_key(fair, clock):
    assert fair.start("a")
    assert fair.start("b")
    assert not fair.start("a")
    fair.wait("a", "first")
    assert fair.finish("b") == []
    clock.now += 5.0  # b long gone: a alone could run more at once...
    assert not fair.start("a")  # ...but its waiting request goes first
    fair.wait("a", "second")
    assert fair.finish("a") == ["first", "second"]


def test_a_withdrawn_ticket_never_starts_and_a_started_one_cannot_be_withdrawn(fair):
    assert fair.start("a")
    assert fair.start("b")
    for ticket in ("gone", "kept"):
        assert not fair.start("a")
        fair.wait("a", ticket)
    assert fair.withdraw("a", "gone")  # its wait ran out
    assert not fair.withdraw("a", "gone")
    assert fair.finish("a") == ["kept"]
    assert not fair.withdraw("a", "kept")  # it runs: its end is a finish, not a withdraw


def test_every_busy_key_keeps_to_its_share(fair):
    for key in ("a", "b", "c"):
        assert fair.start(key)
    assert [fair.start(key) for key in ("a", "b", "c")] == [False] * 3


@pytest.mark.parametrize("share", [1, 2, 3])
def test_the_share_is_the_number_a_key_may_run_beside_another(clock, share):
    fair = KeyShare(share=share, window=2.0, clock=clock)
    assert fair.start("b")
    started = [fair.start("a") for _ in range(4)]
    assert started == [True] * share + [False] * (4 - share)


# Lanes (stop 58). Before: one lane, so a key's light read waited for its own running build
# to end while another key kept reading (and past MEDTWIN_API_SHARE_WAIT_S was refused 429).


def test_a_keys_read_starts_beside_its_own_running_write(fair):
    assert fair.start("b")  # another key reading: a keeps to its share
    assert fair.start("a", WRITE)  # a's build
    assert fair.start("a", READ)  # before: False, queued behind its own build
    assert (fair.running("a", WRITE), fair.running("a", READ)) == (1, 1)


def test_a_keys_second_write_still_waits_beside_a_busy_key(fair):
    assert fair.start("b")
    assert fair.start("a", WRITE)
    assert not fair.start("a", WRITE)
    fair.wait("a", "w2", WRITE)
    assert fair.finish("a", READ) == []  # a read ending frees nothing in the write lane
    assert fair.finish("a", WRITE) == ["w2"]
    assert fair.waiting("a") == 0


def test_a_key_flooding_reads_beside_its_write_still_runs_one_read_at_a_time(fair):
    assert fair.start("b")
    assert fair.start("a", WRITE)
    assert [fair.start("a", READ) for _ in range(3)] == [True, False, False]


def test_a_waiting_write_never_holds_back_a_later_read_of_its_key(fair):
    assert fair.start("b")
    assert fair.start("a", WRITE)
    assert not fair.start("a", WRITE)
    fair.wait("a", "w2", WRITE)
    assert fair.start("a", READ)  # the no-overtaking rule holds within a lane only


def test_another_keys_write_alone_makes_it_busy(fair, clock):
    assert fair.start("b", WRITE)  # b's long build, nothing else
    assert fair.start("a")
    assert not fair.start("a")
    assert fair.finish("b", WRITE) == []
    clock.now += 2.0
    assert fair.start("a")  # b quiet past its window, whichever lane it ran in


def test_a_ticket_is_withdrawn_from_its_own_lane_only(fair):
    """Running and waiting are counted per lane; a ticket is found in its own lane alone."""
    assert fair.start("b")
    assert fair.start("a", WRITE)
    assert not fair.start("a", WRITE)
    fair.wait("a", "w2", WRITE)
    assert fair.withdraw("a", "w2", WRITE)
    assert not fair.withdraw("a", "w2", READ)
    assert (fair.running("a"), fair.waiting("a")) == (1, 0)
