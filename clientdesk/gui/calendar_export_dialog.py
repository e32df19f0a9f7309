"""File → Export calendar…: the reminders as an .ics file for a calendar program — written once, or kept up
to date on every change for a program that subscribes to the file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clientdesk.gui.operations import Operations
from clientdesk.gui.style import failure_text, hint_label, set_error
from clientdesk.services.calendar_export import CalendarExported, CalendarExportService
from clientdesk.services.changes import Changes

DEFAULT_NAME = "ClientDesk reminders.ics"


class CalendarExportDialog(QDialog):
    """`exported` text is what the window's status bar says once the file is written."""

    def __init__(self, service: CalendarExportService, operations: Operations, parent: QWidget | None = None):
        super().__init__(parent)
        self._service = service
        self._operations = operations
        self.result_text = ""
        self.setWindowTitle("Export calendar")
        subscription = service.subscription()

        self.path = QLineEdit(str(subscription.path if subscription else Path.home() / DEFAULT_NAME), self)
        self.path.setAccessibleName("File")
        browse = QPushButton("&Browse…", self)
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        self.alarm = QSpinBox(self)
        self.alarm.setRange(0, 7 * 24 * 60)
        self.alarm.setSuffix(" minutes before")
        self.alarm.setSpecialValueText("at the time itself")
        self.alarm.setAccessibleName("Alarm")
        self.alarm.setValue(subscription.alarm_minutes_before if subscription else 15)
        self.agenda_days = QSpinBox(self)
        self.agenda_days.setRange(0, 31)
        self.agenda_days.setSpecialValueText("no, reminders only")
        self.agenda_days.setSuffix(" days ahead")
        self.agenda_days.setAccessibleName("Other agenda items")
        self.agenda_days.setValue(subscription.agenda_days if subscription else 0)
        self.keep_up_to_date = QCheckBox("&Keep this file up to date on every change", self)
        self.keep_up_to_date.setToolTip("For calendar programs that subscribe to a file: ClientDesk writes it "
                                        "again whenever a reminder changes")
        self.keep_up_to_date.setChecked(subscription is not None)
        self.was_subscribed = subscription is not None
        form = QFormLayout()
        form.addRow("&File", path_row)
        form.addRow("&Alarm", self.alarm)
        form.addRow("Birthdays, reviews…, &too", self.agenda_days)
        form.addRow("", self.keep_up_to_date)
        hint = hint_label("Reminders are written as events with their alarm; repeating ones with their rule, so "
                          "the calendar repeats them too. The file imports into common calendar programs.", self)
        self.error = QLabel(self)
        set_error(self.error, "")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = self.buttons.addButton("&Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(70 * self.fontMetrics().averageCharWidth())

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(self, "Export calendar", self.path.text(),
                                                      "Calendar files (*.ics);;All files (*)")
        if chosen:
            self.path.setText(chosen if chosen.lower().endswith(".ics") else chosen + ".ics")

    def export(self) -> None:
        text = self.path.text().strip()
        if not text:
            set_error(self.error, "Choose where to write the calendar file.")
            return
        path = Path(text).expanduser()
        service, alarm, days = self._service, self.alarm.value(), self.agenda_days.value()
        subscribe, unsubscribe = self.keep_up_to_date.isChecked(), self.was_subscribed

        def work() -> _Written:
            if subscribe:
                return _Written(service.subscribe(path, alarm_minutes_before=alarm, agenda_days=days), True)
            if unsubscribe:
                service.unsubscribe()
            return _Written(service.export(path, alarm_minutes_before=alarm, agenda_days=days), False)

        self.export_button.setEnabled(False)
        self._operations.run(work, on_done=self._written, on_error=self._failed)

    def _written(self, written: _Written) -> None:
        exported = written.exported
        what = f"{exported.reminders:,} reminder{'' if exported.reminders == 1 else 's'}"
        if exported.items:
            what += f" and {exported.items:,} other item{'' if exported.items == 1 else 's'}"
        self.result_text = (f"Wrote {what} to {exported.path}"
                            + ("; it is kept up to date." if written.subscribed else "."))
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.export_button.setEnabled(True)
        set_error(self.error, failure_text(error, "Not written"))


class _Written:
    def __init__(self, exported: CalendarExported, subscribed: bool):
        self.exported = exported
        self.subscribed = subscribed
        self.changes = Changes(reminders=True)


__all__ = ["CalendarExportDialog"]
