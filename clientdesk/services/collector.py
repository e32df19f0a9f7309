"""Python's cycle collector, kept out of the way of work that makes many objects and no reference cycles.

The collector runs every few hundred new objects and walks every object still alive, however long-lived: while
a large result is built (the Today agenda's thousands of items, the demo's millions of rows), it walks the
growing result over and over, and now and then every long-lived object of the process, for cycles that such
work never makes (reference counting frees its garbage as it goes). Paused, it runs again once the work is
over, for the whole process, on what the work left behind.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Paused for the whole process until the last of the threads inside leaves; turned back on then only if it
    was on when the first came in."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()


@contextmanager
def full_collections_rare(every: int) -> Iterator[None]:
    """For long work whose objects live on for a while (an import holds a batch while the next is compared), so
    they reach the oldest generation and each of its collections, every few batches, would walk every object of
    the application: such a collection only after `every` of the middle generation's (Python's default is 10).
    Young garbage is still collected as usual. The threshold is put back after, unless changed meanwhile."""
    young, middle, old = gc.get_threshold()
    tuned = (young, middle, max(old, every))
    gc.set_threshold(*tuned)
    try:
        yield
    finally:
        if gc.get_threshold() == tuned:
            gc.set_threshold(young, middle, old)
