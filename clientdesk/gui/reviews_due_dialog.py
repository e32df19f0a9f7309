"""Reviews → Reviews due: the clients whose plan review falls in a chosen month, and producing all their
reviews at once (one PDF each into a folder, or one combined PDF to print) with a progress bar and Cancel.

The batch runs on a thread of its own rather than on the window's one writer: it is mostly reading and
rendering (about 50 ms a review), and each review's record is a one-row write transaction of its own, so
other saves made meanwhile (a call logged) wait for one row, not for the whole batch. The window stays
responsive; closing the dialog while it works cancels it and waits for the review being made."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QObject, QSettings, Qt, QThread, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clientdesk.domain.boundaries import long_date
from clientdesk.gui.operations import Operations
from clientdesk.gui.style import HINT_STYLE, set_error
from clientdesk.services.reviews import BatchResult, DueReview, ReviewOptions, ReviewService

SETTINGS_FOLDER = "reviews/batch_folder"
SETTINGS_PREPARED_BY = "reviews/prepared_by"
SETTINGS_LOGO = "reviews/logo"
HEADERS = ("Client", "Review due", "Agreement", "Last review")


class _Batch(QThread):
    """produce_many on a thread of its own; progress and the result come back as signals."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, work, parent: QObject | None = None):
        super().__init__(parent)
        self._work = work
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            result = self._work(self.progressed.emit, self.stop.is_set)
        except BaseException as error:  # reported in the dialog, never lost on a thread
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)


class ReviewsDueDialog(QDialog):
    produced = Signal(object)  # the BatchResult of a batch that wrote anything
    due_loaded = Signal()  # the list has been read (tests wait for it)

    LIST, WORKING, DONE = range(3)

    def __init__(self, reviews: ReviewService, operations: Operations, parent: QWidget | None = None,
                 month: date | None = None):
        super().__init__(parent)
        self._reviews = reviews
        self._operations = operations
        self._due: list[DueReview] = []
        self._batch: _Batch | None = None
        self._result: BatchResult | None = None
        self._closing = False
        self._reads = 0
        settings = QSettings()
        self.setWindowTitle("Reviews due")
        self.setSizeGripEnabled(True)

        today = reviews.today()
        first = (month or today).replace(day=1)
        self.month = QDateEdit(QDate(first.year, first.month, 1), self)
        self.month.setDisplayFormat("MMMM yyyy")
        self.month.setCalendarPopup(True)
        self.overdue = QCheckBox("Also reviews &overdue from earlier months", self)
        self.overdue.setChecked(True)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column in (1, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setAccessibleName("Clients whose plan review is due")
        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet(HINT_STYLE)
        self.listing = QStackedWidget(self)
        self.listing.addWidget(self.table)
        self.listing.addWidget(self.empty)

        self.each = QRadioButton("One PDF &per client, into a folder", self)
        self.combined = QRadioButton("One &combined PDF, to print", self)
        self.each.setChecked(True)
        self.folder = QLineEdit(str(settings.value(SETTINGS_FOLDER, "") or Path.home() / "Client reviews"), self)
        self.folder_button = QPushButton("C&hoose…", self)
        period = reviews.default_period(today)
        self._period = period
        self.period_label = QLabel(f"Each review covers the last 12 months: {period.text()}.", self)
        self.period_label.setStyleSheet(HINT_STYLE)
        self.period_label.setWordWrap(True)
        self.error = QLabel(self)
        set_error(self.error, "")
        self.produce_button = QPushButton("&Produce reviews", self)
        self.produce_button.setDefault(True)
        self.close_button = QPushButton("Close", self)

        setup = QWidget(self)
        form = QFormLayout()
        month_line = QHBoxLayout()
        month_line.addWidget(self.month)
        month_line.addWidget(self.overdue, 1)
        month_label = QLabel("&Month", self)
        month_label.setBuddy(self.month)
        form.addRow(month_label, month_line)
        folder_line = QHBoxLayout()
        folder_line.addWidget(self.folder, 1)
        folder_line.addWidget(self.folder_button)
        choice = QVBoxLayout()
        choice.addWidget(self.each)
        choice.addWidget(self.combined)
        setup_layout = QVBoxLayout(setup)
        setup_layout.setContentsMargins(0, 0, 0, 0)
        setup_layout.addLayout(form)
        setup_layout.addWidget(self.summary)
        setup_layout.addWidget(self.listing, 1)
        output = QFormLayout()
        output.addRow("Write", choice)
        folder_label = QLabel("&Folder", self)
        folder_label.setBuddy(self.folder)
        output.addRow(folder_label, folder_line)
        setup_layout.addLayout(output)
        setup_layout.addWidget(self.period_label)
        setup_layout.addWidget(self.error)

        working = QWidget(self)
        self.working_label = QLabel(working)
        self.working_label.setWordWrap(True)
        self.progress = QProgressBar(working)
        self.cancel_button = QPushButton("Cancel", working)
        working_layout = QVBoxLayout(working)
        working_layout.addStretch(1)
        working_layout.addWidget(self.working_label)
        working_layout.addWidget(self.progress)
        cancel_line = QHBoxLayout()
        cancel_line.addStretch(1)
        cancel_line.addWidget(self.cancel_button)
        working_layout.addLayout(cancel_line)
        working_layout.addStretch(2)

        done = QWidget(self)
        self.done_label = QLabel(done)
        self.done_label.setWordWrap(True)
        self.done_label.setTextFormat(Qt.TextFormat.PlainText)
        self.open_button = QPushButton("&Open folder", done)
        self.again_button = QPushButton("&Back to the list", done)
        done_layout = QVBoxLayout(done)
        done_layout.addStretch(1)
        done_layout.addWidget(self.done_label)
        done_buttons = QHBoxLayout()
        done_buttons.addStretch(1)
        done_buttons.addWidget(self.again_button)
        done_buttons.addWidget(self.open_button)
        done_layout.addLayout(done_buttons)
        done_layout.addStretch(2)

        self.pages = QStackedWidget(self)
        for page in (setup, working, done):
            self.pages.addWidget(page)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.produce_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self.resize(760, 560)

        self.pages.currentChanged.connect(lambda page: self.produce_button.setVisible(page == self.LIST))
        self.month.dateChanged.connect(self.reload)
        self.overdue.toggled.connect(self.reload)
        self.each.toggled.connect(self._update_ready)
        self.folder.textChanged.connect(self._update_ready)
        self.folder_button.clicked.connect(self.choose_folder)
        self.produce_button.clicked.connect(self.start)
        self.close_button.clicked.connect(self.reject)
        self.cancel_button.clicked.connect(self.cancel)
        self.open_button.clicked.connect(self.open_folder)
        self.again_button.clicked.connect(self._back_to_list)
        self.reload()

    # -- the list ----------------------------------------------------------------------------------------

    def chosen_month(self) -> date:
        value = self.month.date()
        return date(value.year(), value.month(), 1)

    def reload(self) -> None:
        self._reads += 1
        read, month, overdue, reviews = self._reads, self.chosen_month(), self.overdue.isChecked(), self._reviews
        self.summary.setText(f"Looking for the plan reviews of {month:%B %Y}…")
        self.produce_button.setEnabled(False)
        self._operations.read(lambda: reviews.reviews_due(month, overdue=overdue),
                              on_done=lambda due: self._show(read, due),
                              on_error=lambda error: self._list_failed(read, error))

    def _show(self, read: int, due: list[DueReview]) -> None:
        if read != self._reads or self._closing:
            return  # a later month was asked for meanwhile
        self._due = due
        month = self.chosen_month()
        self.table.setRowCount(len(due))
        for row, item in enumerate(due):
            overdue = item.due_on < month
            cells = (item.contact_name, long_date(item.due_on) + ("  (overdue)" if overdue else ""),
                     item.description, long_date(item.last_review_on) if item.last_review_on else "Never")
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.table.setItem(row, column, cell)
        earlier = " or earlier" if self.overdue.isChecked() else ""
        if due:
            self.summary.setText(f"{len(due):,} client{'s' if len(due) != 1 else ''} with a plan review due in "
                                 f"{month:%B %Y}{earlier}.")
        else:
            self.summary.setText("")
            self.empty.setText(f"No plan reviews fall in {month:%B %Y}{earlier}.\n\nA plan review is due when an "
                               "agreement has a review frequency (Purchases tab → Add agreement…): that many months "
                               "after its start or the client's last review.")
        self.listing.setCurrentIndex(0 if due else 1)
        self._update_ready()
        self.due_loaded.emit()

    def _list_failed(self, read: int, error: BaseException) -> None:
        if read == self._reads and not self._closing:
            self.summary.setText("")
            set_error(self.error, f"The reviews due could not be read: {error}")

    @property
    def due(self) -> list[DueReview]:
        return list(self._due)

    # -- the batch ---------------------------------------------------------------------------------------

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder for the reviews", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def _update_ready(self) -> None:
        ready = bool(self._due) and bool(self.folder.text().strip()) and self._batch is None
        self.produce_button.setEnabled(ready and self.pages.currentIndex() == self.LIST)
        count = len(self._due)
        self.produce_button.setText(f"&Produce {count:,} review{'s' if count != 1 else ''}" if count
                                    else "&Produce reviews")

    def start(self) -> None:
        """Produce the listed clients' reviews in the background."""
        if not self._due or self._batch is not None:
            return
        folder = Path(self.folder.text().strip()).expanduser()
        QSettings().setValue(SETTINGS_FOLDER, str(folder))
        settings = QSettings()
        logo = str(settings.value(SETTINGS_LOGO, "") or "")
        options = ReviewOptions(prepared_by=str(settings.value(SETTINGS_PREPARED_BY, "") or ""),
                                logo=Path(logo) if logo else None)
        contact_ids = [item.contact_id for item in self._due]
        combined, reviews, period = self.combined.isChecked(), self._reviews, self._period
        set_error(self.error, "")
        self.working_label.setText(f"Writing {len(contact_ids):,} review{'s' if len(contact_ids) != 1 else ''} "
                                   f"{'into one PDF' if combined else 'into'} {folder}…")
        self.progress.setRange(0, len(contact_ids))
        self.progress.setValue(0)
        self.cancel_button.setEnabled(True)
        self.pages.setCurrentIndex(self.WORKING)
        self.produce_button.setEnabled(False)
        batch = _Batch(lambda report, cancelled: reviews.produce_many(
            contact_ids, period, folder, combined=combined, progress=report, cancelled=cancelled, options=options),
            self)
        batch.progressed.connect(self._advance)
        batch.succeeded.connect(self._finished)
        batch.failed.connect(self._failed)
        self._batch = batch
        batch.start()

    def _advance(self, done: int, total: int) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)

    def cancel(self) -> None:
        if self._batch is not None:
            self._batch.stop.set()
            self.cancel_button.setEnabled(False)
            what = ("nothing will be written" if self.combined.isChecked()
                    else "the reviews already written are kept")
            self.working_label.setText(f"Cancelling after the review being made… {what}.")

    def _finished(self, result: BatchResult) -> None:
        self._end_batch()
        self._result = result
        if result.changes.contact_ids:
            self._operations.changes_applied.emit(result.changes)  # timelines and the plan reviews refresh
            self.produced.emit(result)
        if self._closing:
            return
        if result.cancelled:
            text = (f"Cancelled. {result.produced:,} of {result.requested:,} reviews were written and are "
                    "complete; they are recorded on each client's timeline." if result.files
                    else "Cancelled. Nothing was written.")
        elif result.combined:
            text = (f"Wrote {result.produced:,} reviews into one PDF:\n{result.files[0]}\n\nEach is recorded on its "
                    "client's timeline.")
        else:
            text = (f"Wrote {result.produced:,} review{'s' if result.produced != 1 else ''} into "
                    f"{result.files[0].parent if result.files else self.folder.text()}.\n\nEach is recorded on its "
                    "client's timeline.")
        self.done_label.setText(text)
        self.open_button.setVisible(bool(result.files))
        self.pages.setCurrentIndex(self.DONE)

    def _failed(self, error: BaseException) -> None:
        self._end_batch()
        if self._closing:
            return
        self.pages.setCurrentIndex(self.LIST)
        set_error(self.error, str(error) or f"The reviews could not be written: {error!r}")
        self._update_ready()

    def _end_batch(self) -> None:
        batch, self._batch = self._batch, None
        if batch is not None:
            batch.wait()
            batch.deleteLater()

    @property
    def result(self) -> BatchResult | None:
        return self._result

    def is_working(self) -> bool:
        return self._batch is not None

    def _back_to_list(self) -> None:
        self.pages.setCurrentIndex(self.LIST)
        self.reload()

    def open_folder(self) -> None:
        if self._result is not None and self._result.files:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._result.files[0].parent)))

    def reject(self) -> None:
        if self._batch is not None:  # closing while working cancels, and waits for the review being made
            self.cancel()
            self._closing = True
            self._batch.wait()
            self._end_batch()
        self._closing = True
        super().reject()


__all__ = ["ReviewsDueDialog"]
