"""Acknowledge an inquiry at once: the business's text, ready to copy or to open as a mail draft."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from clientdesk.domain.acknowledgement import mailto_url
from clientdesk.gui.style import HINT_STYLE
from clientdesk.services.acknowledgements import Acknowledgement


class AcknowledgementDialog(QDialog):
    def __init__(self, acknowledgement: Acknowledgement, parent: QWidget | None = None):
        super().__init__(parent)
        self._acknowledgement = acknowledgement
        self.setWindowTitle(f"Acknowledge — {acknowledgement.client}")
        self.setMinimumSize(520, 320)
        self.text = QPlainTextEdit(acknowledgement.text, self)
        self.text.setAccessibleName("Acknowledgement")
        to = acknowledgement.email or "no email address on file: copy the text for a message or a call"
        heading = QLabel(f"To: {to}", self)
        heading.setStyleSheet(HINT_STYLE)
        heading.setWordWrap(True)
        hint = QLabel("Edit the text if needed. The wording is set in Settings → Acknowledgement.", self)
        hint.setStyleSheet(HINT_STYLE)
        hint.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton("&Copy text", self)
        self.mail_button = QPushButton("Open &mail draft", self)
        self.mail_button.setEnabled(bool(acknowledgement.email))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.mail_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self.copy)
        self.mail_button.clicked.connect(self.open_mail_draft)
        (self.mail_button if acknowledgement.email else self.copy_button).setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.text, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
        self.copy_button.setText("&Copied")

    def mail_draft_url(self) -> str:
        """The draft with the text as it stands in the dialog, edits included."""
        return mailto_url(self._acknowledgement.email, self._acknowledgement.subject, self.text.toPlainText())

    def open_mail_draft(self) -> None:
        if QDesktopServices.openUrl(QUrl(self.mail_draft_url(), QUrl.ParsingMode.StrictMode)):
            self.accept()
        else:
            self.mail_button.setText("No mail program found — copy the text instead")
