"""Pausing the cycle collector around large builds: back on only when the last thread inside leaves, and only
if it was on."""

from __future__ import annotations

import gc
import threading

from clientdesk.services.collector import cycle_collector_paused


def test_the_collector_stays_paused_until_the_last_thread_inside_leaves():
    assert gc.isenabled()
    inside, leave = threading.Event(), threading.Event()

    def other_thread() -> None:
        with cycle_collector_paused():
            inside.set()
            leave.wait(5)

    with cycle_collector_paused():
        assert not gc.isenabled()
        worker = threading.Thread(target=other_thread)
        worker.start()
        assert inside.wait(5)
    assert not gc.isenabled(), "the other thread is still inside"
    leave.set()
    worker.join(5)
    assert gc.isenabled()


def test_a_collector_that_was_off_is_left_off():
    gc.disable()
    try:
        with cycle_collector_paused():
            with cycle_collector_paused():
                assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_is_back_on_after_an_error_inside():
    try:
        with cycle_collector_paused():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.isenabled()


def test_full_collections_are_rare_inside_and_as_before_after():
    from clientdesk.services.collector import full_collections_rare

    before = gc.get_threshold()
    with full_collections_rare(1000):
        assert gc.get_threshold() == (before[0], before[1], max(before[2], 1000))
    assert gc.get_threshold() == before
