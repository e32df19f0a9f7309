"""Small shared touches of presentation."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from clientdesk.domain.errors import ClientDeskError, InvalidInput

ERROR_COLOR = "#b3261e"
AVAILABLE_COLOR = "#1b6e3a"
ERROR_STYLE = f"color: {ERROR_COLOR};"
HINT_STYLE = "color: palette(mid);"


def set_error(label: QLabel, message: str) -> None:
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setText(message)
    label.setVisible(bool(message))


def hint_label(text: str, parent: QWidget) -> QLabel:
    """A quiet line explaining what a form or a setting does."""
    label = QLabel(text, parent)
    label.setStyleSheet(HINT_STYLE)
    label.setWordWrap(True)
    return label


def failure_text(error: BaseException, not_done: str = "Not saved") -> str:
    """What a failed background write tells the person: the problems of their entry, the rule's own words, or
    that nothing was saved and why."""
    if isinstance(error, InvalidInput):
        return error.sentence()
    if isinstance(error, ClientDeskError):
        return str(error)
    return f"{not_done}: {error}"


def availability_color(text: str) -> str:
    """Green when the client may be contacted now on some channel, red when not ("Don't contact…")."""
    return ERROR_COLOR if text.startswith("Don't") else AVAILABLE_COLOR
