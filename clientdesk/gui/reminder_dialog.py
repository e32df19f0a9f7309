"""Remind me… (Ctrl+Shift+R): a follow-up, a call-back or a repeating reminder about a contact, the repeat in
plain words ("every 3 months on the 1st", read back as it will be kept). Keep in touch…: how often a contact,
or every contact with a tag, should hear from the business at least."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clientdesk.domain.boundaries import CHANNEL_LABELS, Channel
from clientdesk.domain.errors import InvalidInput
from clientdesk.domain.reminders.cadences import Cadence
from clientdesk.domain.reminders.follow_ups import ReminderDraft
from clientdesk.domain.reminders.plain_words import describe_rule, rule_from_text
from clientdesk.gui.operations import Operations
from clientdesk.gui.style import HINT_STYLE, hint_label, set_error
from clientdesk.gui.writing_dialog import WritingDialog
from clientdesk.services.reminders import ReminderService

NO_CHANNEL = "— not a contact —"


def _channel_combo(parent: QWidget, chosen: Channel | None) -> QComboBox:
    combo = QComboBox(parent)
    combo.setAccessibleName("Channel")
    combo.addItem(NO_CHANNEL, None)
    for channel in Channel:
        combo.addItem(CHANNEL_LABELS[channel], channel.value)
    combo.setCurrentIndex(max(0, combo.findData(chosen.value if chosen else None)))
    return combo


class RemindDialog(WritingDialog):
    def __init__(self, reminders: ReminderService, operations: Operations, contact_id: int, contact_name: str,
                 proposed: datetime, parent: QWidget | None = None):
        super().__init__(operations, parent)
        self._reminders = reminders
        self._contact_id = contact_id
        self.setWindowTitle(f"Remind me about {contact_name}")
        self.title = QLineEdit(self)
        self.title.setAccessibleName("What")
        self.title.setPlaceholderText(f"e.g. Call {contact_name} back about the quote")
        self.when = QDateTimeEdit(QDateTime(proposed.astimezone().replace(second=0, microsecond=0, tzinfo=None)),
                                  self)
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("ddd d MMM yyyy HH:mm")
        self.when.setAccessibleName("When")
        self.repeat = QLineEdit(self)
        self.repeat.setAccessibleName("Repeat")
        self.repeat.setPlaceholderText("Blank for once; or e.g. every 3 months on the 1st, yearly on 15 March")
        self.repeat_reads = QLabel(self)
        self.repeat_reads.setStyleSheet(HINT_STYLE)
        self.repeat_reads.setWordWrap(True)
        self.channel = _channel_combo(self, Channel.PHONE)
        self.notes = QPlainTextEdit(self)
        self.notes.setAccessibleName("Notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(4 * self.fontMetrics().lineSpacing())
        form = QFormLayout()
        form.addRow("&What", self.title)
        form.addRow("W&hen", self.when)
        form.addRow("&Repeat", self.repeat)
        form.addRow("", self.repeat_reads)
        form.addRow("&Channel", self.channel)
        form.addRow("&Notes", self.notes)
        hint = hint_label("The Today page shows it when it falls due, at the first moment the client's rules "
                          "allow that channel.", self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.repeat.textChanged.connect(self._read_back)
        self._read_back()
        self.setMinimumWidth(64 * self.fontMetrics().averageCharWidth())
        self.title.setFocus()

    def _read_back(self) -> None:
        """The repeat as it will be kept, in words, as it is typed; a rule not understood says so at once."""
        text = self.repeat.text().strip()
        if not text:
            self.repeat_reads.setStyleSheet(HINT_STYLE)
            self.repeat_reads.setText("Once, at the time above.")
            return
        try:
            rule = rule_from_text(text)
        except InvalidInput as error:
            set_error(self.repeat_reads, error.sentence())
            return
        self.repeat_reads.setStyleSheet(HINT_STYLE)
        self.repeat_reads.setText(f"Repeats {describe_rule(rule)}, from the time above.")

    def draft(self) -> ReminderDraft:
        due = self.when.dateTime().toPython().astimezone().astimezone(UTC)
        return ReminderDraft(self.title.text(), due, self.repeat.text().strip(), self._contact_id,
                             self.channel.currentData(), self.notes.toPlainText())

    def save(self) -> None:
        draft, reminders = self.draft(), self._reminders
        self.write(lambda: reminders.add(draft))


class KeepInTouchDialog(WritingDialog):
    """For the contact, or for every contact with one of their tags; the cadence already set is shown."""

    def __init__(self, reminders: ReminderService, operations: Operations, contact_id: int, contact_name: str,
                 tags: tuple[str, ...], cadences: list[Cadence], parent: QWidget | None = None):
        super().__init__(operations, parent)
        self._reminders = reminders
        self._contact_id = contact_id
        self._cadences = cadences
        self.setWindowTitle("Keep in touch")
        self.for_contact = QRadioButton(f"With {contact_name}", self)
        self.for_tag = QRadioButton("With every contact tagged", self)
        self.tag = QComboBox(self)
        self.tag.setEditable(True)
        self.tag.setAccessibleName("Tag")
        self.tag.addItems(list(tags))
        self.every = QSpinBox(self)
        self.every.setRange(1, 3650)
        self.every.setSuffix(" days")
        self.every.setAccessibleName("At least every")
        self.channel = _channel_combo(self, Channel.PHONE)
        self.current = QLabel(self)
        self.current.setStyleSheet(HINT_STYLE)
        self.current.setWordWrap(True)
        self.remove_button = QPushButton("&Stop keeping in touch", self)
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove)
        self.buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        form = QFormLayout()
        form.addRow("", self.for_contact)
        form.addRow(self.for_tag, self.tag)
        form.addRow("At &least every", self.every)
        form.addRow("&Channel", self.channel)
        hint = hint_label("Due that many days after the last call, message or visit in either direction; "
                          "logging any contact starts the count again.", self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.current)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.for_contact.toggled.connect(self._show_current)
        self.tag.currentTextChanged.connect(self._show_current)
        self.for_contact.setChecked(True)
        self.for_tag.setEnabled(True)
        self._show_current()
        self.setMinimumWidth(56 * self.fontMetrics().averageCharWidth())
        self.every.setFocus()

    def _scope(self) -> dict:
        if self.for_contact.isChecked():
            return {"contact_id": self._contact_id}
        return {"tag": self.tag.currentText().strip()}

    def _existing(self) -> Cadence | None:
        scope = self._scope()
        if "contact_id" in scope:
            return next((c for c in self._cadences if c.contact_id == self._contact_id), None)
        tag = scope["tag"].casefold()
        return next((c for c in self._cadences if c.tag is not None and c.tag.casefold() == tag), None)

    def _show_current(self, *_args) -> None:
        self.tag.setEnabled(self.for_tag.isChecked())
        existing = self._existing()
        self.remove_button.setEnabled(existing is not None)
        if existing is None:
            self.current.setText("Not set yet.")
            self.every.setValue(90)
            return
        self.current.setText(f"Now: at least every {existing.every_days} days.")
        self.every.setValue(existing.every_days)
        self.channel.setCurrentIndex(max(0, self.channel.findData(existing.channel.value if existing.channel else None)))

    def save(self) -> None:
        reminders, every, channel, scope = self._reminders, self.every.value(), self.channel.currentData(), self._scope()
        self.write(lambda: reminders.set_cadence(every, channel=channel, **scope))

    def remove(self) -> None:
        reminders, scope = self._reminders, self._scope()
        self.write(lambda: reminders.remove_cadence(**scope))


def next_morning(now: datetime) -> datetime:
    """Tomorrow at 09:00 local time: what a follow-up proposes until the person says otherwise."""
    local = (now.astimezone() + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    return local.astimezone(UTC)


__all__ = ["KeepInTouchDialog", "RemindDialog", "next_morning"]
