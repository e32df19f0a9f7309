"""What a client asked for beyond the agreement, the decision, the extra charge and the polite reply to
copy: one set of fields, used by the Purchases tab's dialog and by the quick log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from clientdesk.domain.errors import InvalidInput
from clientdesk.domain.services_catalogue import Decision, OutOfScopeDraft, parse_amount, validate_out_of_scope
from clientdesk.gui.style import HINT_STYLE

DECISION_WORDS = {Decision.DECLINED: "Declined", Decision.QUOTED: "Quoted", Decision.ACCEPTED: "Accepted"}

# (what was asked, the extra charge or None) -> the business's reply in its own wording
ReplyWriter = Callable[[str, Decimal | None], str]


class OutOfScopeFields(QObject):
    """Rows added to the caller's form layout, so their labels line up with the rest of that form."""

    def __init__(self, form: QFormLayout, currency: str, reply: ReplyWriter, parent: QWidget, *,
                 labels: tuple[str, str, str, str] = ("&Asked for", "&Decision", "Extra &charge", "Reply")):
        super().__init__(parent)
        self._reply = reply
        self.asked = QLineEdit(parent)
        self.asked.setPlaceholderText("What the client asked for")
        self.asked.setAccessibleName("Asked for")
        self.decision = QComboBox(parent)
        self.decision.setAccessibleName("Decision")
        for decision, words in DECISION_WORDS.items():
            self.decision.addItem(words, decision.value)
        self.charge = QLineEdit(parent)
        self.charge.setPlaceholderText("Leave blank to offer a quote")
        self.charge.setAccessibleName("Extra charge")
        self.reply = QLabel(parent)
        self.reply.setWordWrap(True)
        self.reply.setStyleSheet(HINT_STYLE)
        self.reply.setAccessibleName("Reply")
        self.reply.setTextFormat(Qt.TextFormat.PlainText)
        self.copy_button = QPushButton("Cop&y reply", parent)
        self.copy_button.setAutoDefault(False)
        self.copy_button.setToolTip("Put the reply on the clipboard, to paste into a mail or a message")
        self.copy_button.clicked.connect(self.copy_reply)
        asked_label, decision_label, charge_label, reply_label = labels
        form.addRow(asked_label, self.asked)
        form.addRow(decision_label, self.decision)
        form.addRow(f"{charge_label} ({currency})", self.charge)
        self._reply_line = QHBoxLayout()
        self._reply_line.addWidget(self.reply, 1)
        self._reply_line.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignTop)
        form.addRow(reply_label, self._reply_line)
        self._form = form
        for line in (self.asked, self.charge):
            line.textChanged.connect(self._show_reply)
        self._show_reply()

    def set_rows_visible(self, visible: bool) -> None:
        for field in (self.asked, self.decision, self.charge):
            self._form.setRowVisible(field, visible)
        self._form.setRowVisible(self._reply_line, visible)

    def charge_amount(self) -> Decimal | None:
        text = self.charge.text().strip()
        return parse_amount(text, "extra_charge") if text else None

    def reply_text(self) -> str:
        try:
            charge = self.charge_amount()
        except InvalidInput:
            charge = None
        return self._reply(self.asked.text() or "this", charge)

    def _show_reply(self) -> None:
        self.reply.setText(self.reply_text())

    def copy_reply(self) -> None:
        QGuiApplication.clipboard().setText(self.reply_text())

    def draft(self, contact_id: int, at: datetime) -> OutOfScopeDraft:
        """InvalidInput, with every problem of the entry at once, when it cannot be recorded as entered."""
        charge_problems = []
        try:
            charge = self.charge_amount()
        except InvalidInput as error:
            charge, charge_problems = None, list(error.problems)
        draft = OutOfScopeDraft(contact_id, at, self.asked.text(), Decision(self.decision.currentData()), charge)
        try:
            draft = validate_out_of_scope(draft)
        except InvalidInput as error:
            raise InvalidInput([*error.problems, *charge_problems]) from None
        if charge_problems:
            raise InvalidInput(charge_problems)
        return draft


__all__ = ["DECISION_WORDS", "OutOfScopeFields", "ReplyWriter"]
