"""Small shared touches of presentation."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

ERROR_STYLE = "color: #b3261e;"
HINT_STYLE = "color: palette(mid);"


def set_error(label: QLabel, message: str) -> None:
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setText(message)
    label.setVisible(bool(message))
