"""A small form whose Save checks the entry, writes it off the UI thread and closes once the write is in;
a failure is shown in the form, which stays open with everything as typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QWidget

from clientdesk.gui.operations import Operations
from clientdesk.gui.style import failure_text, set_error


class WritingDialog(QDialog):
    def __init__(self, operations: Operations, parent: QWidget | None):
        super().__init__(parent)
        self._operations = operations
        self.error = QLabel(self)
        set_error(self.error, "")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def save(self) -> None:  # pragma: no cover - each dialog says
        raise NotImplementedError

    def write(self, work: Callable[[], Any]) -> None:
        self.save_button.setEnabled(False)
        self._operations.run(work, on_done=lambda _result: self.accept(), on_error=self.failed)

    def failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        set_error(self.error, failure_text(error))


__all__ = ["WritingDialog"]
