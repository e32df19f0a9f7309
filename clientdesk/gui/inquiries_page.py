"""The Inquiries page: every open inquiry, most urgent first, with the time left to answer it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clientdesk.domain.interactions import Inquiry, Overdue, overdue, time_left
from clientdesk.gui.operations import Operations
from clientdesk.gui.row_blocks import RowBlocks
from clientdesk.gui.style import HINT_STYLE
from clientdesk.services.changes import Changes
from clientdesk.services.inquiry_queue import QueuedInquiry
from clientdesk.services.workspace import Workspace

HEADERS = ("Due", "Time left", "Client", "Reply by", "At the latest", "Contact now?")
ROW_COLORS = {Overdue.LIMIT: "#f6d5d3", Overdue.TARGET: "#fbe7c2"}
STATE_WORDS = {Overdue.LIMIT: "Past the limit", Overdue.TARGET: "Past the target", Overdue.NONE: "Due"}


def describe(left: timedelta | None) -> str:
    if left is None:
        return ""
    minutes = int(abs(left.total_seconds()) // 60)
    days, rest = divmod(minutes, 24 * 60)
    text = f"{days} d {rest // 60} h" if days else f"{rest // 60} h {rest % 60:02d} min"
    return f"{text} late" if left.total_seconds() < 0 else text


class InquiryModel(QAbstractTableModel):
    """The open inquiries by urgency, read a block at a time as the view shows them (see RowBlocks): the
    count and the first block when it reloads, the rest only when scrolled to. Every block is ordered as of
    the same moment, the reload's, so rows do not move between blocks."""

    def __init__(self, workspace: Workspace, parent=None):
        super().__init__(parent)
        self._workspace = workspace
        self._count = 0
        self._as_of = datetime.now(UTC)
        self._blocks: RowBlocks[QueuedInquiry] = RowBlocks(
            lambda offset, limit: self._workspace.inquiry_queue.block(self._as_of, offset, limit))
        self._colors = {state: QColor(color) for state, color in ROW_COLORS.items()}

    def reload(self) -> None:
        self.beginResetModel()
        self._as_of = datetime.now(UTC)
        start = self._workspace.inquiry_queue.start(self._as_of, self._blocks.block_size)
        self._count = start.count
        self._blocks.reset(start.entries)
        self.endResetModel()

    def entry(self, row: int) -> QueuedInquiry | None:
        return self._blocks.row(row) if 0 <= row < self._count else None

    def inquiry(self, row: int) -> Inquiry | None:
        entry = self.entry(row)
        return entry.inquiry if entry is not None else None

    def row_of(self, inquiry_id: int, near: int) -> int | None:
        """Where the inquiry is now, looked for in the block around `near` (an inquiry moves little in a
        minute); None when it is not there."""
        if not 0 <= near < self._count:
            return None
        self._blocks.row(near)
        first = near - near % self._blocks.block_size
        for offset, entry in enumerate(self._blocks.cached_block_of(near)):
            if entry.inquiry.id == inquiry_id:
                return first + offset
        return None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole):
            return None
        entry = self.entry(index.row()) if index.isValid() else None
        if entry is None:
            return None
        inquiry = entry.inquiry
        state = overdue(inquiry, self._as_of)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._colors.get(state)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Received {inquiry.received.astimezone():%a %d %b %Y %H:%M}"
        column = index.column()
        if column == 0:
            return STATE_WORDS[state]
        if column == 1:
            return describe(time_left(inquiry, self._as_of))
        if column == 2:
            return entry.client
        if column == 3:
            return _local(inquiry.target)
        if column == 4:
            return _local(inquiry.limit)
        return entry.contact_now


def _local(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%a %d %b %H:%M") if moment else "—"


class InquiriesPage(QWidget):
    """`answer_requested` asks the window to open the log with the chosen inquiry linked."""

    count_changed = Signal(int)
    answer_requested = Signal(object)
    contact_chosen = Signal(int)  # the selected inquiry's client, for the contact form beside the queue

    def __init__(self, workspace: Workspace, operations: Operations, parent: QWidget | None = None):
        super().__init__(parent)
        self._workspace = workspace
        self._operations = operations
        self.acknowledgement_dialog = None  # the last one opened
        self.model = InquiryModel(workspace, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Open inquiries")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(False)
        for column, width in enumerate((105, 115, 170, 125, 125)):
            self.table.horizontalHeader().resizeSection(column, width)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.empty = QLabel("No open inquiries: every question has its answer.", self)
        self.empty.setStyleSheet(HINT_STYLE)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reply_button = QPushButton("Reply…", self)
        self.reply_button.setToolTip("Log the reply; it answers this inquiry (Enter)")
        self.acknowledge_button = QPushButton("Acknowledge…", self)
        self.acknowledge_button.setToolTip("Tell the client when they will hear back: copy the text or "
                                           "open a mail draft (Ctrl+K)")
        self.answer_button = QPushButton("Mark answered", self)
        self.answer_button.setToolTip("The reply was given outside ClientDesk (Ctrl+Enter)")
        self.close_button = QPushButton("Close…", self)
        self.close_button.setToolTip("No reply is needed: close it with a reason (Delete)")
        self.reply_button.clicked.connect(self.reply_to_selected)
        self.acknowledge_button.clicked.connect(self.acknowledge_selected)
        self.answer_button.clicked.connect(self.mark_answered)
        self.close_button.clicked.connect(self.close_selected)
        self.table.activated.connect(lambda _index: self.reply_to_selected())
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        for keys, slot in (("Ctrl+Return", self.mark_answered), ("Ctrl+K", self.acknowledge_selected),
                           ("Delete", self.close_selected)):
            shortcut = QShortcut(QKeySequence(keys), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reply_button)
        buttons.addWidget(self.acknowledge_button)
        buttons.addWidget(self.answer_button)
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        # Time left changes by itself: the page refreshes each minute.
        self._timer = QTimer(self)
        self._timer.setInterval(60_000)
        self._timer.timeout.connect(self.reload)

    def start(self) -> None:
        self.reload()
        self._timer.start()

    def stop(self) -> None:
        """The window is closing: no more minute's refreshes (the database closes after it)."""
        self._timer.stop()

    def reload(self) -> None:
        chosen, row = self._selected(), self.table.currentIndex().row()
        self.model.reload()
        count = self.model.rowCount()
        self.table.setVisible(count > 0)
        self.empty.setVisible(count == 0)
        for button in (self.reply_button, self.acknowledge_button, self.answer_button, self.close_button):
            button.setEnabled(count > 0)
        if count:
            # The minute's refresh keeps the receptionist's place: the same inquiry, or the row where it was.
            found = self.model.row_of(chosen.id, row) if chosen is not None else None
            self.table.selectRow(found if found is not None else min(max(row, 0), count - 1))
        self.count_changed.emit(count)

    def apply(self, changes: Changes) -> None:
        if changes.contacts or changes.profile or changes.everything:
            self.reload()

    def _selected(self) -> Inquiry | None:
        return self.model.inquiry(self.table.currentIndex().row())

    def _current_changed(self, current, _previous) -> None:
        inquiry = self.model.inquiry(current.row())
        # The queue refreshes itself each minute: only a choice made while it is on screen moves the form.
        if inquiry is not None and self.isVisible() and self.table.hasFocus():
            self.contact_chosen.emit(inquiry.contact_id)

    def reply_to_selected(self) -> None:
        inquiry = self._selected()
        if inquiry is not None:
            self.answer_requested.emit(inquiry)

    def acknowledge_selected(self) -> None:
        from clientdesk.gui.acknowledgement_dialog import AcknowledgementDialog

        inquiry = self._selected()
        if inquiry is None:
            return
        dialog = AcknowledgementDialog(self._workspace.acknowledgements.for_inquiry(inquiry.id), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: setattr(self, "acknowledgement_dialog", None))
        self.acknowledgement_dialog = dialog
        dialog.open()

    def mark_answered(self) -> None:
        inquiry = self._selected()
        if inquiry is not None:
            service = self._workspace.interactions
            self._operations.run(lambda: (service.answer(inquiry.id), Changes(contacts=True))[1])

    def close_selected(self) -> None:
        inquiry = self._selected()
        if inquiry is None:
            return
        reason, accepted = QInputDialog.getText(self, "Close inquiry", "Why does it need no reply?")
        if accepted and reason.strip():
            service = self._workspace.interactions
            self._operations.run(lambda: (service.close(inquiry.id, reason), Changes(contacts=True))[1])
