"""The line across the top of the window that says a reminder is due; kept apart from the alerts so the
window can build it before its first paint without loading the reminders."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

BANNER_STYLE = ("QFrame#reminderBanner { background: #fff4d6; border: 1px solid #e0a030; border-radius: 4px; }"
                "QFrame#reminderBanner QLabel { color: #5a4300; }")


class ReminderBanner(QFrame):
    """A line across the top of the window; "Show" opens the Today page, × puts it away."""

    show_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("reminderBanner")
        self.setStyleSheet(BANNER_STYLE)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setAccessibleName("Reminders due")
        self.show_button = QPushButton("Show &Today", self)
        self.show_button.setAutoDefault(False)
        self.show_button.clicked.connect(self.show_requested)
        self.close_button = QPushButton("×", self)
        self.close_button.setFlat(True)
        self.close_button.setToolTip("Put this away (the reminders stay on the Today page)")
        self.close_button.setAccessibleName("Dismiss")
        self.close_button.setFixedWidth(28)
        self.close_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.show_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    def announce(self, message: str) -> None:
        self.text.setText(message)
        self.show()


__all__ = ["ReminderBanner"]
