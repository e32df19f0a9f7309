"""File → Export contacts: all of them, the current search's result or the selection, as vCard 3.0 or a
Google-compatible CSV; written off the UI thread with progress and Cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from clientdesk.gui.operations import Operations
from clientdesk.gui.style import HINT_STYLE, set_error
from clientdesk.services.exports import ExportCancelled, Exported, ExportFormat
from clientdesk.services.workspace import Workspace

SUFFIXES = {ExportFormat.VCARD: ".vcf", ExportFormat.CSV: ".csv"}
FILTERS = {ExportFormat.VCARD: "vCard (*.vcf)", ExportFormat.CSV: "CSV (*.csv)"}


class ExportDialog(QDialog):
    exported = Signal(object)  # Exported

    ALL, SEARCH, SELECTION = range(3)

    def __init__(self, workspace: Workspace, operations: Operations, *, total: int, query: str = "",
                 found: int = 0, selected: list[int] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._service = workspace.exports
        self._operations = operations
        self._query = query.strip()
        self._selected = list(selected or [])
        self._operation = None
        self._folder = workspace.path.parent
        self.setWindowTitle("Export contacts")
        self.setMinimumWidth(520)

        scope_box = QGroupBox("Which contacts", self)
        self.scope = QButtonGroup(self)
        scopes = QVBoxLayout(scope_box)
        for number, (text, enabled) in enumerate((
            (f"&All contacts ({total:,})", total > 0),
            # "&" in a search would underline the next letter as a shortcut: doubled, it shows as itself.
            (f"The contacts the search “{self._query.replace('&', '&&')}” finds ({found:,})" if self._query
             else "The contacts a search finds (type one first)", bool(self._query) and found > 0),
            (f"The &selected contacts ({len(self._selected):,})", bool(self._selected)),
        )):
            button = QRadioButton(text, scope_box)
            button.setEnabled(enabled)
            self.scope.addButton(button, number)
            scopes.addWidget(button)
        preferred = self.SELECTION if len(self._selected) > 1 else self.SEARCH if self._query and found else self.ALL
        self.scope.button(preferred).setChecked(True)

        format_box = QGroupBox("Format", self)
        self.format = QButtonGroup(self)
        formats = QVBoxLayout(format_box)
        for fmt, text in ((ExportFormat.VCARD, "&vCard 3.0 — for phones, Apple Contacts, Outlook and Google"),
                          (ExportFormat.CSV, "&CSV with Google Contacts' columns — for spreadsheets and Google")):
            button = QRadioButton(text, format_box)
            button.setProperty("format", fmt.value)
            self.format.addButton(button)
            formats.addWidget(button)
        self.format.buttons()[0].setChecked(True)

        self.progress = QProgressBar(self)
        self.progress.hide()
        self.message = QLabel(self)
        self.message.setStyleSheet(HINT_STYLE)
        self.message.hide()
        self.export_button = QPushButton("&Export…", self)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.choose_file)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scope_box)
        layout.addWidget(format_box)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    def chosen_format(self) -> ExportFormat:
        return ExportFormat(self.format.checkedButton().property("format"))

    def set_format(self, fmt: ExportFormat) -> None:
        for button in self.format.buttons():
            button.setChecked(button.property("format") == fmt.value)

    def choose_file(self) -> None:
        fmt = self.chosen_format()
        suggested = str(self._folder / f"contacts{SUFFIXES[fmt]}")
        target, _filter = QFileDialog.getSaveFileName(self, "Export contacts", suggested, FILTERS[fmt])
        if target:
            path = Path(target)
            self.export_to(path if path.suffix else path.with_suffix(SUFFIXES[fmt]))

    def export_to(self, path: Path) -> None:
        fmt, service = self.chosen_format(), self._service
        scope = self.scope.checkedId()
        ids = self._selected if scope == self.SELECTION else None
        query = self._query if scope == self.SEARCH else ""
        self.export_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        set_error(self.message, "")
        self._operation = self._operations.run(
            lambda report, cancelled: service.export(fmt, path, query=query, ids=ids, progress=report,
                                                     cancelled=cancelled),
            with_progress=True, on_done=self._finished, on_error=self._failed)
        self._operation.progressed.connect(self._advance)

    def _advance(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _finished(self, exported: Exported) -> None:
        self._operation = None
        self.exported.emit(exported)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._operation = None
        self.progress.hide()
        self.export_button.setEnabled(True)
        if isinstance(error, ExportCancelled):
            self.message.setStyleSheet(HINT_STYLE)
            self.message.setText(str(error))
            self.message.show()
        elif isinstance(error, OSError):
            set_error(self.message, f"The file could not be written: {error.strerror or error}.")
        else:
            set_error(self.message, str(error))

    def reject(self) -> None:
        if self._operation is not None:
            self._operation.cancel()  # the dialog stays until the export has stopped and said so
            return
        super().reject()

