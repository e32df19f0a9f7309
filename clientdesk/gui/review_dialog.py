"""A client's review (Ctrl+R, or Review… on the contact form): choose the period, type notes, see the real PDF
as it will print (QtPdf), print it or save it. Saving records the review on the client's timeline.

The preview is rendered on a reader thread (`Operations.read`), a short while after the last change to the
notes or the period, so typing never waits for reportlab; a change made while a rendering runs is rendered
when it ends (only the latest is kept). Printing draws each page of the same PDF as an image at the printer's
resolution, so the paper shows exactly what the preview shows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QDate, QIODevice, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from clientdesk.domain.review import ReviewPeriod, review_file_name
from clientdesk.gui.operations import Operations
from clientdesk.gui.style import HINT_STYLE, set_error
from clientdesk.services.reviews import ProducedReview, ReviewOptions, ReviewService

DEBOUNCE_MS = 400  # after the last keystroke in the notes (or change of a date) the preview is rendered again
LOGO_FILTER = "Images (*.png *.jpg *.jpeg *.gif *.bmp);;All files (*)"
SETTINGS_PREPARED_BY = "reviews/prepared_by"
SETTINGS_LOGO = "reviews/logo"
SETTINGS_FOLDER = "reviews/folder"

PRESETS = ("Last 12 months", "This calendar year", "Last calendar year", "Custom")


def preset_period(preset: str, today: date) -> ReviewPeriod | None:
    if preset == PRESETS[0]:
        return ReviewPeriod.ending(today)
    if preset == PRESETS[1]:
        return ReviewPeriod(date(today.year, 1, 1), today)
    if preset == PRESETS[2]:
        return ReviewPeriod(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    return None


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class ReviewDialog(QDialog):
    saved = Signal(object)  # the ProducedReview, once the file is written and recorded
    preview_ready = Signal()  # a rendering has been loaded into the preview (tests wait for it)

    def __init__(self, reviews: ReviewService, operations: Operations, contact_id: int, contact_name: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._reviews = reviews
        self._operations = operations
        self._contact_id = contact_id
        self._contact_name = contact_name
        self._today = reviews.today()
        self._pdf_bytes: bytes | None = None
        self._buffer: QBuffer | None = None
        self._rendering = False
        self._stale = False
        self._saving = False
        self._closed = False
        settings = QSettings()
        self.setWindowTitle(f"Client review — {contact_name}")
        self.setSizeGripEnabled(True)

        self.preset = QComboBox(self)
        self.preset.addItems(PRESETS)
        self.first = QDateEdit(self)
        self.last = QDateEdit(self)
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMMM yyyy")
        self.prepared_by = QLineEdit(str(settings.value(SETTINGS_PREPARED_BY, "") or ""), self)
        self.prepared_by.setPlaceholderText("Your name (signs the notes)")
        self._logo = str(settings.value(SETTINGS_LOGO, "") or "")
        self.logo_label = QLabel(self)
        self.logo_label.setTextFormat(Qt.TextFormat.PlainText)
        self.logo_button = QPushButton("&Choose…", self)
        self.logo_clear = QPushButton("Remove", self)
        self.notes = QPlainTextEdit(self)
        self.notes.setPlaceholderText("Your notes for the client: they print on the review, as typed.")
        self.notes.setTabChangesFocus(True)
        self.period_error = QLabel(self)
        self.status = QLabel(self)
        self.status.setStyleSheet(HINT_STYLE)
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)

        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.setMinimumWidth(420)
        self.view.setAccessibleName("Preview of the review")

        self.print_button = QPushButton("&Print…", self)
        self.save_button = QPushButton("&Save as…", self)
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Save the PDF and record the review on the client's timeline (Ctrl+S)")
        self.close_button = QPushButton("Close", self)
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Pe&riod", self.preset)
        form.addRow("&From", self.first)
        form.addRow("&To", self.last)
        form.addRow("", self.period_error)
        form.addRow("Prepared &by", self.prepared_by)
        logo_line = QHBoxLayout()
        logo_line.addWidget(self.logo_label, 1)
        logo_line.addWidget(self.logo_button)
        logo_line.addWidget(self.logo_clear)
        form.addRow("Logo", logo_line)
        notes_label = QLabel("&Notes", self)
        notes_label.setBuddy(self.notes)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(contact_name, self)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setWordWrap(True)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        heading.setFont(font)
        side_layout.addWidget(heading)
        side_layout.addLayout(form)
        side_layout.addWidget(notes_label)
        side_layout.addWidget(self.notes, 1)
        side_layout.addWidget(self.status)
        side.setMinimumWidth(300)

        splitter = QSplitter(self)
        splitter.addWidget(side)
        splitter.addWidget(self.view)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([340, 560])

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.resize(980, 760)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh_preview)

        self._set_period(ReviewPeriod.ending(self._today))
        self._show_logo()
        self.preset.currentTextChanged.connect(self._preset_chosen)
        self.first.dateChanged.connect(self._dates_edited)
        self.last.dateChanged.connect(self._dates_edited)
        self.notes.textChanged.connect(self._debounce.start)
        self.prepared_by.textChanged.connect(self._debounce.start)
        self.logo_button.clicked.connect(self.choose_logo)
        self.logo_clear.clicked.connect(lambda: self.set_logo(""))
        self.print_button.clicked.connect(self.print_review)
        self.save_button.clicked.connect(self.save_as)
        self.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, activated=self.save_as)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self, activated=self.print_review)
        self.notes.setFocus()
        self.refresh_preview()

    # -- the period and the options --------------------------------------------------------------------------

    def _set_period(self, period: ReviewPeriod) -> None:
        for edit in (self.first, self.last):
            edit.blockSignals(True)
        self.first.setDate(_qdate(period.first))
        self.last.setDate(_qdate(period.last))
        for edit in (self.first, self.last):
            edit.blockSignals(False)

    def _preset_chosen(self, preset: str) -> None:
        period = preset_period(preset, self._today)
        if period is not None:
            self._set_period(period)
            self._debounce.start()

    def _dates_edited(self) -> None:
        self.preset.blockSignals(True)
        matching = next((name for name in PRESETS[:-1] if preset_period(name, self._today) == self._period_or_none()),
                         PRESETS[-1])
        self.preset.setCurrentText(matching)
        self.preset.blockSignals(False)
        self._debounce.start()

    def _period_or_none(self) -> ReviewPeriod | None:
        first, last = _date(self.first.date()), _date(self.last.date())
        return ReviewPeriod(first, last) if first <= last else None

    def period(self) -> ReviewPeriod | None:
        period = self._period_or_none()
        set_error(self.period_error, "" if period is not None else "The period ends before it starts.")
        return period

    def options(self) -> ReviewOptions:
        return ReviewOptions(notes=self.notes.toPlainText(), prepared_by=self.prepared_by.text(),
                             logo=Path(self._logo) if self._logo else None)

    def choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Logo for the review's cover", self._logo or "", LOGO_FILTER)
        if path:
            self.set_logo(path)

    def set_logo(self, path: str) -> None:
        self._logo = path
        QSettings().setValue(SETTINGS_LOGO, path)
        self._show_logo()
        self._debounce.start()

    def _show_logo(self) -> None:
        self.logo_label.setText(Path(self._logo).name if self._logo else "No logo")
        self.logo_label.setToolTip(self._logo)
        self.logo_clear.setEnabled(bool(self._logo))

    # -- the preview ---------------------------------------------------------------------------------------

    def refresh_preview(self) -> None:
        """Render the review as it stands, on a reader thread; at most one rendering at a time."""
        self._debounce.stop()
        period = self.period()
        if period is None:
            return
        if self._rendering:
            self._stale = True
            return
        self._rendering, self._stale = True, False
        self.status.setText("Preparing the preview…")
        reviews, contact_id, options = self._reviews, self._contact_id, self.options()
        self._operations.read(lambda: reviews.render(contact_id, period, options),
                              on_done=self._rendered, on_error=self._render_failed)

    def _rendered(self, pdf: bytes) -> None:
        self._rendering = False
        if self._closed:
            return
        if self._stale:
            self.refresh_preview()
            return
        self._load(pdf)

    def _render_failed(self, error: BaseException) -> None:
        self._rendering = False
        if self._closed:
            return
        set_error(self.status, f"The preview could not be made: {error}")
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)
        if self._stale:
            self.refresh_preview()

    def _load(self, pdf: bytes) -> None:
        # The document reads from the buffer as it shows pages: both stay alive until the next rendering.
        position = self.view.verticalScrollBar().value()
        previous = self._buffer
        buffer = QBuffer(self)
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        self._buffer, self._pdf_bytes = buffer, pdf
        if previous is not None:
            previous.close()
            previous.deleteLater()
        self.view.verticalScrollBar().setValue(position)  # typing notes keeps the page being read in view
        pages = self.document.pageCount()
        ready = self.document.status() == QPdfDocument.Status.Ready and pages > 0
        self.status.setStyleSheet(HINT_STYLE)
        self.status.setText(f"{pages} page{'s' if pages != 1 else ''} · as it will print" if ready
                            else "The preview could not be shown.")
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready and not self._saving)
        self.preview_ready.emit()

    @property
    def pdf_bytes(self) -> bytes | None:
        """The PDF the preview shows."""
        return self._pdf_bytes

    # -- print and save ------------------------------------------------------------------------------------

    def print_review(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        if self.document.pageCount() == 0:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(f"Client review — {self._contact_name}")
        printer.setFromTo(1, self.document.pageCount())
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, self.document.pageCount())
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer) -> int:
        """Draw the previewed PDF's pages on `printer` (its page range when one is chosen); the pages drawn."""
        from PySide6.QtPrintSupport import QPrinter

        count = self.document.pageCount()
        first, last = 1, count
        if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
            first, last = printer.fromPage(), min(printer.toPage() or count, count)
        painter = QPainter()
        if not painter.begin(printer):
            set_error(self.status, "The printer could not be started.")
            return 0
        drawn = 0
        try:
            for number in range(first, last + 1):
                if drawn:
                    printer.newPage()
                target = painter.viewport()
                page_size = self.document.pagePointSize(number - 1)
                scale = min(target.width() / page_size.width(), target.height() / page_size.height())
                width, height = int(page_size.width() * scale), int(page_size.height() * scale)
                image = self.document.render(number - 1, QSize(width, height))
                painter.drawImage(target.x() + (target.width() - image.width()) // 2, target.y(), image)
                drawn += 1
        finally:
            painter.end()
        self.status.setStyleSheet(HINT_STYLE)
        self.status.setText(f"Sent {drawn} page{'s' if drawn != 1 else ''} to the printer.")
        return drawn

    def suggested_path(self) -> Path:
        folder = Path(str(QSettings().value(SETTINGS_FOLDER, "") or Path.home()))
        period = self.period() or ReviewPeriod.ending(self._today)
        return folder / review_file_name(self._contact_name, period)

    def save_as(self) -> None:
        if not self.save_button.isEnabled():
            return
        path, _ = QFileDialog.getSaveFileName(self, "Save the review", str(self.suggested_path()), "PDF (*.pdf)")
        if path:
            self.save_to(Path(path) if path.lower().endswith(".pdf") else Path(path + ".pdf"))

    def save_to(self, path: Path) -> None:
        """Write the review to `path` and record it, on the writer thread."""
        period = self.period()
        if period is None:
            return
        QSettings().setValue(SETTINGS_FOLDER, str(path.parent))
        QSettings().setValue(SETTINGS_PREPARED_BY, self.prepared_by.text().strip())
        self._saving = True
        self.save_button.setEnabled(False)
        self.status.setStyleSheet(HINT_STYLE)
        self.status.setText(f"Saving {path.name}…")
        reviews, contact_id, options = self._reviews, self._contact_id, self.options()
        self._operations.run(lambda: reviews.produce(contact_id, period, path, options),
                             on_done=self._saved, on_error=self._save_failed)

    def _saved(self, produced: ProducedReview) -> None:
        self._saving = False
        if self._closed:
            return
        self.save_button.setEnabled(True)
        self.status.setStyleSheet(HINT_STYLE)
        self.status.setText(f"Saved {produced.path.name} and added it to {self._contact_name}'s timeline "
                            f"(SHA-256 {produced.record.short_hash}…).")
        self.saved.emit(produced)

    def _save_failed(self, error: BaseException) -> None:
        self._saving = False
        if self._closed:
            return
        self.save_button.setEnabled(True)
        set_error(self.status, str(error))

    def done(self, result: int) -> None:
        self._closed = True
        self._debounce.stop()
        QSettings().setValue(SETTINGS_PREPARED_BY, self.prepared_by.text().strip())
        super().done(result)


__all__ = ["ReviewDialog", "preset_period"]
