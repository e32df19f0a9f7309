"""The installed Qt binding must keep Python's reference counts straight: PySide6 6.12 on Python 3.11
released a reference to None on every call returning nothing, and the suite then died at exit."""

from __future__ import annotations

import gc
import sys

from PySide6.QtGui import QFont


def test_calls_that_return_nothing_do_not_drain_none():
    font = QFont()
    gc.collect()
    before = sys.getrefcount(None)
    for _ in range(2000):
        font.setBold(True)
    gc.collect()
    assert sys.getrefcount(None) >= before - 50
