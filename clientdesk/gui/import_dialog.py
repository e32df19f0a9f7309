"""File → Import contacts: choose how the file is read, see its first rows (and, for a CSV, say what each
column holds), check it for duplicates first if wished, then import with progress and Cancel, and read
the summary — with every rejected record and its line — which can be saved as a report."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clientdesk.gui.operations import Operations
from clientdesk.gui.style import HINT_STYLE, set_error
from clientdesk.services.imports import (
    ColumnMapping,
    DuplicateAction,
    Field,
    ImportCancelled,
    ImportOptions,
    ImportSummary,
    SourceFormat,
    SourceInfo,
)
from clientdesk.services.workspace import Workspace

FILE_FILTER = "Contacts (*.vcf *.vcard *.csv *.txt);;vCard (*.vcf *.vcard);;CSV (*.csv *.txt);;All files (*)"
IMPORTABLE_SUFFIXES = (".vcf", ".vcard", ".csv", ".txt")

FORMAT_LABELS = {SourceFormat.VCARD: "vCard", SourceFormat.GOOGLE: "Google Contacts CSV",
                 SourceFormat.OUTLOOK: "Outlook CSV", SourceFormat.CSV: "Other CSV (choose the columns)"}
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1", "mac_roman", "cp850")
DELIMITERS = {",": "Comma", ";": "Semicolon", "\t": "Tab"}
DUPLICATE_LABELS = {DuplicateAction.MERGE: "Merge into the contact already there",
                    DuplicateAction.KEEP: "Keep both", DuplicateAction.SKIP: "Skip the record"}
FIELD_LABELS = {
    Field.GIVEN_NAME: "Given name", Field.FAMILY_NAME: "Family name", Field.DISPLAY_NAME: "Full name",
    Field.ORGANISATION: "Organisation", Field.PHONE: "Phone", Field.MOBILE: "Mobile phone",
    Field.HOME_PHONE: "Home phone", Field.WORK_PHONE: "Work phone", Field.EMAIL: "Email",
    Field.HOME_EMAIL: "Home email", Field.WORK_EMAIL: "Work email", Field.STREET: "Street",
    Field.CITY: "City", Field.REGION: "Region / state", Field.POSTCODE: "Postcode", Field.COUNTRY: "Country",
    Field.BIRTHDAY: "Birthday", Field.TAGS: "Tags", Field.NOTES: "Notes",
}
IGNORED = "(leave out)"
# Rows of the review with a choice each: past this, the rest follow "When a contact is already there"
# (a table of widgets for every record of a big re-import would take longer to build than the import).
DUPLICATES_LISTED = 1000
VCARD_PREVIEW_HEADERS = ["Name", "Organisation", "Phone", "Email"]


class ImportDialog(QDialog):
    """Reads nothing but the file's start until the user imports; the import itself runs off the UI
    thread through `operations`, so the window keeps painting and Cancel answers at once."""

    imported = Signal(object)  # the ImportSummary of a finished (not dry) run

    SETUP, WORKING, REVIEW, DONE = range(4)

    def __init__(self, workspace: Workspace, operations: Operations, path: Path | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._service = workspace.imports
        self._operations = operations
        self._path: Path | None = None
        self._info: SourceInfo | None = None
        self._operation = None
        self._summary: ImportSummary | None = None
        self._dry_summary: ImportSummary | None = None
        self.setWindowTitle("Import contacts")
        self.setMinimumSize(860, 560)

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._build_setup())
        self.pages.addWidget(self._build_working())
        self.pages.addWidget(self._build_review())
        self.pages.addWidget(self._build_done())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        if path is not None:
            self.open_file(path)

    # -- pages ---------------------------------------------------------------------------------

    def _build_setup(self) -> QWidget:
        page = QWidget(self)
        self.file_label = QLabel("No file chosen.", page)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        choose = QPushButton("C&hoose file…", page)
        choose.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(choose)

        self.format = QComboBox(page)
        for fmt, label in FORMAT_LABELS.items():
            self.format.addItem(label, fmt)
        self.format.setAccessibleName("File format")
        self.encoding = QComboBox(page)
        self.encoding.setEditable(True)
        self.encoding.addItems(ENCODINGS)
        self.encoding.setAccessibleName("Text encoding")
        self.delimiter = QComboBox(page)
        for char, label in DELIMITERS.items():
            self.delimiter.addItem(label, char)
        self.delimiter.setAccessibleName("Column separator")
        self.on_duplicate = QComboBox(page)
        for action, label in DUPLICATE_LABELS.items():
            self.on_duplicate.addItem(label, action)
        self.on_duplicate.setAccessibleName("When a contact is already there")
        form = QFormLayout()
        form.addRow("&Format:", self.format)
        form.addRow("&Encoding:", self.encoding)
        self.delimiter_label = QLabel("&Separator:", page)
        self.delimiter_label.setBuddy(self.delimiter)
        form.addRow(self.delimiter_label, self.delimiter)
        form.addRow("When a contact is &already there:", self.on_duplicate)
        self.format.activated.connect(lambda _i: self._reinspect())
        self.encoding.activated.connect(lambda _i: self._reinspect())
        self.encoding.lineEdit().editingFinished.connect(self._encoding_typed)
        self.delimiter.activated.connect(lambda _i: self._reinspect())

        self.preview_hint = QLabel(page)
        self.preview_hint.setStyleSheet(HINT_STYLE)
        self.preview_hint.setWordWrap(True)
        self.preview = QTableWidget(page)
        self.preview.setAccessibleName("The file's first records")
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.preview.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.setup_error = QLabel(page)
        self.setup_error.hide()

        self.check_button = QPushButton("&Check first…", page)
        self.check_button.setToolTip("Read the whole file and show what would be imported, merged and rejected, "
                                     "writing nothing; then choose what to do with each duplicate.")
        self.import_button = QPushButton("&Import", page)
        self.import_button.setDefault(True)
        cancel = QPushButton("Cancel", page)
        self.check_button.clicked.connect(lambda: self._start(dry_run=True))
        self.import_button.clicked.connect(lambda: self._start(dry_run=False))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.import_button)

        layout = QVBoxLayout(page)
        layout.addLayout(file_row)
        layout.addLayout(form)
        layout.addWidget(self.preview_hint)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.setup_error)
        layout.addLayout(buttons)
        self._set_ready(False)
        return page

    def _build_working(self) -> QWidget:
        page = QWidget(self)
        self.working_label = QLabel(page)
        self.working_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress = QProgressBar(page)
        self.progress.setAccessibleName("Import progress")
        self.cancel_button = QPushButton("Cancel", page)
        self.cancel_button.clicked.connect(self.cancel)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.working_label)
        layout.addWidget(self.progress)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    def _build_review(self) -> QWidget:
        page = QWidget(self)
        self.review_summary = QLabel(page)
        self.review_summary.setWordWrap(True)
        hint = QLabel("Nothing has been written yet. Choose what happens to each duplicate, then import.", page)
        hint.setStyleSheet(HINT_STYLE)
        self.duplicates = _table(page, ["Line", "In the file", "Already there", "Why", "Do"])
        self.duplicates.setAccessibleName("Duplicates found")
        self.review_problems = _table(page, ["Line", "Problem"])
        self.review_tabs = QTabWidget(page)
        self.review_tabs.addTab(self.duplicates, "Duplicates")
        self.review_tabs.addTab(self.review_problems, "Rejected and warnings")
        back = QPushButton("&Back", page)
        back.clicked.connect(lambda: self.pages.setCurrentIndex(self.SETUP))
        self.review_import = QPushButton("&Import", page)
        self.review_import.setDefault(True)
        self.review_import.clicked.connect(lambda: self._start(dry_run=False, reviewed=True))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(back)
        buttons.addWidget(self.review_import)
        layout = QVBoxLayout(page)
        layout.addWidget(self.review_summary)
        layout.addWidget(hint)
        layout.addWidget(self.review_tabs, 1)
        layout.addLayout(buttons)
        return page

    def _build_done(self) -> QWidget:
        page = QWidget(self)
        self.done_summary = QLabel(page)
        self.done_summary.setWordWrap(True)
        font = self.done_summary.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.done_summary.setFont(font)
        self.done_hint = QLabel(page)
        self.done_hint.setStyleSheet(HINT_STYLE)
        self.done_hint.setWordWrap(True)
        self.problems = _table(page, ["Line", "Problem"])
        self.problems.setAccessibleName("Rejected records and warnings")
        self.save_report_button = QPushButton("&Save report…", page)
        self.save_report_button.clicked.connect(self.save_report)
        close = QPushButton("&Close", page)
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_report_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        # Where the problems' table is when there are none to list: an empty grid would look like a failure.
        self._nothing_to_list = QWidget(page)
        self._nothing_to_list.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        layout = QVBoxLayout(page)
        layout.addWidget(self.done_summary)
        layout.addWidget(self.done_hint)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self._nothing_to_list, 1)
        layout.addLayout(buttons)
        return page

    # -- the file ------------------------------------------------------------------------------

    def choose_file(self) -> None:
        start = str(self._path.parent) if self._path else str(Path.home())
        chosen, _filter = QFileDialog.getOpenFileName(self, "Import contacts", start, FILE_FILTER)
        if chosen:
            self.open_file(Path(chosen))

    def open_file(self, path: Path) -> None:
        self._path = path
        self.file_label.setText(str(path))
        self._inspect(SourceFormat.AUTO, None, None)

    def _encoding_typed(self) -> None:
        if self._info is not None and self.encoding.currentText().strip() != self._info.encoding:
            self._reinspect()

    def _reinspect(self) -> None:
        if self._path is None:
            return
        fmt = SourceFormat(self.format.currentData())
        delimiter = self.delimiter.currentData() if fmt is not SourceFormat.VCARD else None
        self._inspect(fmt, self.encoding.currentText().strip() or None, delimiter)

    def _inspect(self, fmt: SourceFormat, encoding: str | None, delimiter: str | None) -> None:
        from clientdesk.domain.errors import ClientDeskError

        try:
            info = self._service.inspect(self._path, fmt, encoding, delimiter)
        except ClientDeskError as error:
            self._info = None
            self.preview.clear()
            self.preview.setRowCount(0)
            self.preview.setColumnCount(0)
            set_error(self.setup_error, str(error))
            self._set_ready(False)
            return
        except OSError as error:
            self._info = None
            set_error(self.setup_error, f"The file cannot be read: {error.strerror or error}.")
            self._set_ready(False)
            return
        self._info = info
        self._dry_summary = None  # a check of the file as read before no longer applies
        set_error(self.setup_error, "")
        self.format.setCurrentIndex(self.format.findData(info.format))
        if self.encoding.findText(info.encoding) < 0:
            self.encoding.addItem(info.encoding)
        self.encoding.setCurrentText(info.encoding)
        is_csv = info.format is not SourceFormat.VCARD
        self.delimiter.setVisible(is_csv)
        self.delimiter_label.setVisible(is_csv)
        if info.delimiter in DELIMITERS:
            self.delimiter.setCurrentIndex(self.delimiter.findData(info.delimiter))
        self._fill_preview(info)
        self._set_ready(True)

    def _fill_preview(self, info: SourceInfo) -> None:
        table = self.preview
        table.clear()
        mapped = info.format is SourceFormat.CSV
        headers = info.headers if info.format is not SourceFormat.VCARD else VCARD_PREVIEW_HEADERS
        width = max([len(headers), *(len(row) for row in info.preview)], default=0)
        offset = 1 if mapped else 0  # the first row holds a "what this column is" choice per column
        table.setColumnCount(width)
        table.setRowCount(len(info.preview) + offset)
        table.setHorizontalHeaderLabels([headers[i] if i < len(headers) else f"Column {i + 1}" for i in range(width)])
        if mapped:
            table.setVerticalHeaderLabels(["Holds", *(str(n) for n in range(1, len(info.preview) + 1))])
            for column in range(width):
                table.setCellWidget(0, column, self._field_choice(info.mapping.columns.get(column), headers, column))
        for row, cells in enumerate(info.preview, start=offset):
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text.replace("\n", " ⏎ ")[:200])
                item.setToolTip(text[:2000])
                table.setItem(row, column, item)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column in range(width):
            table.setColumnWidth(column, 150)
        if info.format is SourceFormat.VCARD:
            self.preview_hint.setText("The first cards of the file, as they will be read.")
        elif mapped:
            self.preview_hint.setText("The first rows of the file. In the top row, choose what each column holds; "
                                      "columns left out are not imported.")
        else:
            self.preview_hint.setText(f"The first rows, read as {FORMAT_LABELS[info.format]} writes them. To choose "
                                      "the columns yourself, pick “Other CSV” as the format.")

    def _field_choice(self, chosen: Field | None, headers: list[str], column: int) -> QComboBox:
        combo = QComboBox(self.preview)
        combo.addItem(IGNORED, None)
        for field, label in FIELD_LABELS.items():
            combo.addItem(label, field)
        combo.setCurrentIndex(combo.findData(chosen) if chosen is not None else 0)
        header = headers[column] if column < len(headers) else f"column {column + 1}"
        combo.setAccessibleName(f"What “{header}” holds")
        return combo

    def mapping(self) -> ColumnMapping | None:
        """What the user chose for each column (an “Other CSV” only; the others read their own columns)."""
        if self._info is None or self._info.format is not SourceFormat.CSV:
            return None
        columns = {}
        for column in range(self.preview.columnCount()):
            combo = self.preview.cellWidget(0, column)
            if isinstance(combo, QComboBox) and combo.currentData() is not None:
                columns[column] = Field(combo.currentData())  # Qt hands enum members back as plain text
        return ColumnMapping(columns)

    def set_mapping(self, column: int, field: Field | None) -> None:
        combo = self.preview.cellWidget(0, column)
        combo.setCurrentIndex(combo.findData(field) if field is not None else 0)

    def _set_ready(self, ready: bool) -> None:
        self.check_button.setEnabled(ready)
        self.import_button.setEnabled(ready)

    # -- running -------------------------------------------------------------------------------

    def options(self, decisions: dict[int, DuplicateAction] | None = None) -> ImportOptions:
        info = self._info
        return ImportOptions(
            format=info.format, encoding=info.encoding, delimiter=info.delimiter, mapping=self.mapping(),
            on_duplicate=DuplicateAction(self.on_duplicate.currentData()), decisions=decisions or {})

    def _start(self, *, dry_run: bool, reviewed: bool = False) -> None:
        """`reviewed`: started from the review, whose choice per duplicate then applies."""
        if self._info is None or self._path is None:
            return
        if self.mapping() is not None and not self.mapping().columns:
            set_error(self.setup_error, "Choose what at least one column holds: nothing would be imported.")
            return
        decisions = self._decisions() if reviewed else {}
        options = self.options(decisions)
        path, service = self._path, self._service
        self.working_label.setText(("Checking" if dry_run else "Importing") + f" {path.name}…")
        self.progress.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.pages.setCurrentIndex(self.WORKING)
        self._operation = self._operations.run(
            lambda report, cancelled: service.run(path, options, dry_run=dry_run, progress=report, cancelled=cancelled),
            with_progress=True, on_done=self._finished, on_error=self._failed)
        self._operation.progressed.connect(self._advance)

    def _advance(self, done: int, total: int) -> None:
        # Bytes can run past what a progress bar's int holds; per mille is plenty.
        self.progress.setRange(0, 1000)
        self.progress.setValue(1000 * done // max(total, 1))

    def cancel(self) -> None:
        if self._operation is not None:
            self.cancel_button.setEnabled(False)
            self.working_label.setText("Cancelling… nothing will be kept.")
            self._operation.cancel()

    def _failed(self, error: BaseException) -> None:
        self._operation = None
        self.pages.setCurrentIndex(self.SETUP)
        if isinstance(error, ImportCancelled):
            set_error(self.setup_error, str(error))
            self.setup_error.setStyleSheet(HINT_STYLE)
        else:
            set_error(self.setup_error, str(error) if str(error) else f"The import failed: {error!r}")

    def _finished(self, summary: ImportSummary) -> None:
        self._operation = None
        if summary.dry_run:
            self._dry_summary = summary
            self._show_review(summary)
        else:
            self._summary = summary
            self._show_done(summary)
            self.imported.emit(summary)

    def _show_review(self, summary: ImportSummary) -> None:
        self.review_summary.setText(
            f"<b>{path_name(summary)}</b>: {summary.imported:,} would be added, {summary.merged:,} merged, "
            f"{summary.skipped:,} skipped and {summary.rejected:,} rejected.")
        table = self.duplicates
        listed = summary.duplicates[:DUPLICATES_LISTED]
        table.setRowCount(len(listed))
        for row, duplicate in enumerate(listed):
            existing = duplicate.existing + ("" if duplicate.existing_id is not None else " (earlier in this file)")
            for column, text in enumerate((str(duplicate.line), duplicate.incoming, existing, duplicate.reasons)):
                table.setItem(row, column, QTableWidgetItem(text))
            choice = QComboBox(table)
            for action, label in (("merge", "Merge"), ("keep", "Keep both"), ("skip", "Skip")):
                choice.addItem(label, DuplicateAction(action))
            choice.setCurrentIndex(choice.findData(duplicate.action))
            choice.setAccessibleName(f"What to do with line {duplicate.line}")
            table.setCellWidget(row, 4, choice)
        self.review_tabs.setTabText(0, f"Duplicates ({len(summary.duplicates):,})")
        if len(summary.duplicates) > DUPLICATES_LISTED:
            self.review_summary.setText(self.review_summary.text() + (
                f" The first {DUPLICATES_LISTED:,} duplicates are listed; the others follow the choice made for "
                "“When a contact is already there”."))
        _fill_problems(self.review_problems, summary)
        self.review_tabs.setTabText(1, f"Rejected and warnings ({len(summary.rejects) + len(summary.warnings):,})")
        self.review_tabs.setCurrentIndex(0 if summary.duplicates else 1)
        self.pages.setCurrentIndex(self.REVIEW)

    def _decisions(self) -> dict[int, DuplicateAction]:
        decisions = {}
        for row in range(self.duplicates.rowCount()):
            line = int(self.duplicates.item(row, 0).text())
            decisions[line] = DuplicateAction(self.duplicates.cellWidget(row, 4).currentData())
        return decisions

    def set_decision(self, line: int, action: DuplicateAction) -> None:
        for row in range(self.duplicates.rowCount()):
            if int(self.duplicates.item(row, 0).text()) == line:
                combo = self.duplicates.cellWidget(row, 4)
                combo.setCurrentIndex(combo.findData(action))

    def _show_done(self, summary: ImportSummary) -> None:
        self.done_summary.setText(
            f"<b>{path_name(summary)}</b>: {summary.imported:,} added, {summary.merged:,} merged, "
            f"{summary.skipped:,} skipped, {summary.rejected:,} rejected.")
        if summary.rejected or summary.warnings:
            self.done_hint.setText("Every other record was kept. Rejected records are listed with their line in the "
                                   "file; save the report to fix them and import that part again. "
                                   "Edit → Undo removes the whole import.")
        else:
            self.done_hint.setText("Every record was read. Edit → Undo removes the whole import.")
        _fill_problems(self.problems, summary)
        listed = bool(summary.rejects or summary.warnings)
        self.problems.setVisible(listed)
        self._nothing_to_list.setVisible(not listed)
        self.save_report_button.setVisible(listed)
        self.save_report_button.setEnabled(listed)
        self.pages.setCurrentIndex(self.DONE)

    def summary(self) -> ImportSummary | None:
        return self._summary

    def save_report(self) -> None:
        if self._summary is None:
            return
        suggested = str((self._path.parent if self._path else Path.home()) / f"{self._summary.file}-import-report.txt")
        target, _filter = QFileDialog.getSaveFileName(self, "Save import report", suggested, "Text (*.txt)")
        if target:
            self.write_report(Path(target))

    def write_report(self, target: Path) -> None:
        text = self._summary.rejects_report()
        if self._summary.warnings:
            text += f"\n{len(self._summary.warnings):,} record(s) kept with a warning\n"
            text += "".join(f"line {p.line}: {p.reason}\n" for p in self._summary.warnings)
        try:
            target.write_text(text, encoding="utf-8")
        except OSError as error:
            set_error(self.done_hint, f"The report could not be saved: {error.strerror or error}.")

    def reject(self) -> None:
        if self._operation is not None:  # closing while working cancels; the dialog closes when it has stopped
            self.cancel()
            return
        super().reject()


def path_name(summary: ImportSummary) -> str:
    from html import escape

    return escape(summary.file)


def _table(parent: QWidget, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.setColumnWidth(0, 60)
    for column in range(1, len(headers) - 1):
        table.setColumnWidth(column, 200)
    table.setAlternatingRowColors(True)
    return table


def _fill_problems(table: QTableWidget, summary: ImportSummary) -> None:
    rows = [(p.line, f"Rejected: {p.reason}") for p in summary.rejects]
    rows += [(p.line, f"Kept, with a warning: {p.reason}") for p in summary.warnings]
    rows.sort()
    table.setRowCount(len(rows))
    for row, (line, text) in enumerate(rows):
        table.setItem(row, 0, QTableWidgetItem(str(line)))
        item = QTableWidgetItem(text)
        item.setToolTip(text)
        table.setItem(row, 1, item)
