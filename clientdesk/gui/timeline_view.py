"""A contact's timeline: every call and message with them, newest first, a count, and a way to log one."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clientdesk.domain.boundaries import CHANNEL_LABELS, Channel
from clientdesk.domain.interactions import Direction
from clientdesk.gui.style import HINT_STYLE
from clientdesk.gui.timeline_model import DIRECTION_WORDS, TimelineColumn, TimelineModel
from clientdesk.services.timeline import TimelineService

NOTHING_LOGGED = "No calls or messages logged yet. Press Ctrl+L to log one."
NOT_SAVED = "Save the contact first; then its calls and messages are listed here."
# Samples of the widest text each fixed column shows: measuring the rows themselves would read them all.
FIXED_SAMPLES = {
    TimelineColumn.WHEN: "2026-12-31 23:59",
    TimelineColumn.DURATION: "1 h 15 min",
    TimelineColumn.LOGGED_BY: "Logged by",
}
# The free text shares the width the fixed columns leave, the summary most since it is what people read.
# Below these widths (in average characters) the columns after the summary scroll into view instead.
SUMMARY_SHARE = 0.65
SUMMARY_MINIMUM = 28
OUTCOME_MINIMUM = 14


def count_text(count: int) -> str:
    return f"{count:,} interaction{'' if count == 1 else 's'}"


class TimelineView(QWidget):
    """Reads only while it is on screen: a contact chosen or changed while it is hidden is read when it
    is next shown, so browsing contacts on another tab costs nothing here."""

    log_requested = Signal(int)  # contact id

    def __init__(self, timeline: TimelineService, parent: QWidget | None = None):
        super().__init__(parent)
        self._contact_id: int | None = None
        self._stale = True  # nothing read yet
        self.model = TimelineModel(timeline, self)

        self.count_label = QLabel(self)
        self.count_label.setAccessibleName("Interactions")
        self.log_button = QPushButton("Log a call or message…", self)
        self.log_button.setToolTip("Log a call, text, email or visit with this contact (Ctrl+L)")
        self.log_button.clicked.connect(self._request_log)

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Timeline")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        # Fixed sizes: fitting rows to their contents would read every interaction to measure it.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._size_columns()

        self.empty = QLabel(self)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet(HINT_STYLE)
        self._empty_page = empty_page = QWidget(self)
        empty_layout = QVBoxLayout(empty_page)
        # Near the top, where the rows would start, not lost in the middle of a tall pane.
        empty_layout.addSpacing(3 * self.fontMetrics().height())
        empty_layout.addWidget(self.empty)
        empty_layout.addStretch(1)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(empty_page)

        top = QHBoxLayout()
        top.addWidget(self.count_label, 1)
        top.addWidget(self.log_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)

        self.model.reloaded.connect(self._show_state)
        self._show_state()

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        character = metrics.averageCharWidth()
        widths = {column: metrics.horizontalAdvance(sample) for column, sample in FIXED_SAMPLES.items()}
        widths[TimelineColumn.CHANNEL] = max(
            metrics.horizontalAdvance(f"{CHANNEL_LABELS[channel]}  {DIRECTION_WORDS[direction]}")
            for channel in Channel for direction in Direction)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in widths.items():
            header.resizeSection(column, width + 2 * character)
        self._minimums = {TimelineColumn.SUMMARY: SUMMARY_MINIMUM * character,
                          TimelineColumn.OUTCOME: OUTCOME_MINIMUM * character}
        self._fitting = False
        self.table.viewport().installEventFilter(self)
        header.sectionResized.connect(self._on_section_resized)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self._share_free_width()
        return False

    def _share_free_width(self) -> None:
        header = self.table.horizontalHeader()
        fixed = sum(header.sectionSize(column) for column in (*FIXED_SAMPLES, TimelineColumn.CHANNEL))
        free = self.table.viewport().width() - fixed
        summary = max(self._minimums[TimelineColumn.SUMMARY], round(free * SUMMARY_SHARE))
        self._resize_quietly({TimelineColumn.SUMMARY: summary,
                              TimelineColumn.OUTCOME: max(self._minimums[TimelineColumn.OUTCOME], free - summary)})

    def _on_section_resized(self, column: int, _old: int, _new: int) -> None:
        # Someone dragged a column's edge: the summary gives or takes the difference, so the row still fits.
        if self._fitting or column == TimelineColumn.SUMMARY:
            return
        header = self.table.horizontalHeader()
        others = sum(header.sectionSize(other) for other in TimelineColumn if other is not TimelineColumn.SUMMARY)
        self._resize_quietly({TimelineColumn.SUMMARY: max(self._minimums[TimelineColumn.SUMMARY],
                                                          self.table.viewport().width() - others)})

    def _resize_quietly(self, widths: dict[TimelineColumn, int]) -> None:
        self._fitting = True
        try:
            for column, width in widths.items():
                self.table.horizontalHeader().resizeSection(column, width)
        finally:
            self._fitting = False

    # -- what the form asks ---------------------------------------------------------------------

    @property
    def contact_id(self) -> int | None:
        return self._contact_id

    def show_contact(self, contact_id: int | None) -> None:
        if contact_id != self._contact_id:
            self._contact_id = contact_id
            self.table.scrollToTop()
            self._refresh()

    def reload(self) -> None:
        """The contact's interactions changed: read them again, now or when next shown."""
        self._stale = True
        self._refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self._refresh()

    def _refresh(self) -> None:
        if self.isVisible():
            self._stale = False
            self.model.show_contact(self._contact_id)
        else:
            self._stale = True

    def _show_state(self) -> None:
        saved = self.model.contact_id is not None  # what is shown, which lags while hidden
        count = self.model.rowCount()
        self.log_button.setEnabled(saved)
        self.count_label.setText(count_text(count) if saved and count else "")
        self.empty.setText(NOTHING_LOGGED if saved else NOT_SAVED)
        self.stack.setCurrentWidget(self.table if count else self._empty_page)

    def _request_log(self) -> None:
        if self._contact_id is not None:
            self.log_requested.emit(self._contact_id)
