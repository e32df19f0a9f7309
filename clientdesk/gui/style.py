"""Small shared touches of presentation."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

ERROR_COLOR = "#b3261e"
AVAILABLE_COLOR = "#1b6e3a"
ERROR_STYLE = f"color: {ERROR_COLOR};"
HINT_STYLE = "color: palette(mid);"


def set_error(label: QLabel, message: str) -> None:
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setText(message)
    label.setVisible(bool(message))


def availability_color(text: str) -> str:
    """Green when the client may be contacted now on some channel, red when not ("Don't contact…")."""
    return ERROR_COLOR if text.startswith("Don't") else AVAILABLE_COLOR
