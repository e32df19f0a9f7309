"""A progress bar on standard error, so standard output stays clean for scripts."""

from __future__ import annotations

import sys
import time


class TerminalProgress:
    WIDTH = 30

    def __init__(self, label: str):
        self._label = label
        self._started = time.monotonic()
        self._interactive = sys.stderr.isatty()
        self._last_percent = -1

    def update(self, done: int, total: int) -> None:
        percent = 100 * done // max(total, 1)
        if percent == self._last_percent:
            return
        self._last_percent = percent
        filled = self.WIDTH * done // max(total, 1)
        line = f"{self._label} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {percent:3d}% {done:,}/{total:,}"
        if self._interactive:
            sys.stderr.write("\r" + line)
        elif percent % 10 == 0:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()

    def finish(self) -> None:
        if self._interactive:
            sys.stderr.write(f"  {time.monotonic() - self._started:.1f} s\n")
            sys.stderr.flush()
