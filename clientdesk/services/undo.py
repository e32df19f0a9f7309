"""Undo below the GUI: every undoable use case leaves a step that knows how to put things back."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from clientdesk.services.changes import Changes

UNDO_LIMIT = 100


@dataclass(frozen=True, slots=True)
class UndoStep:
    label: str  # "Delete “Ana Silva”": shown as “Undo Delete “Ana Silva””
    revert: Callable[[], Changes]


class UndoStack:
    def __init__(self) -> None:
        self._steps: list[UndoStep] = []
        self._lock = threading.Lock()  # pushed from the worker thread, read by the window for its menu text

    def push(self, step: UndoStep) -> None:
        with self._lock:
            self._steps.append(step)
            del self._steps[:-UNDO_LIMIT]

    def next_label(self) -> str | None:
        with self._lock:
            return self._steps[-1].label if self._steps else None

    def undo(self) -> Changes | None:
        """Revert the latest step; when reverting fails the step stays, so the user can try again."""
        with self._lock:
            if not self._steps:
                return None
            step = self._steps[-1]
        changes = step.revert()
        with self._lock:
            if self._steps and self._steps[-1] is step:
                self._steps.pop()
        return changes
