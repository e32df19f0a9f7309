"""The Contacts page: search as you type, the list, and guidance where there is nothing to list."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clientdesk.domain.contacts import ListColumn
from clientdesk.domain.lifecycle import Stage
from clientdesk.gui.contact_table_model import AVAILABILITY_COLUMN, COLUMNS, ContactTableModel
from clientdesk.gui.style import HINT_STYLE

SEARCH_DELAY_MS = 60  # long enough to skip a fast typist's intermediate prefixes
STAGE_CHOICES = (("All stages", None), ("Prospects", Stage.PROSPECT), ("Customers", Stage.CUSTOMER),
                 ("Clients", Stage.CLIENT), ("Lapsed", Stage.LAPSED), ("Former", Stage.FORMER))
NO_ONE_IN_STAGE = {"prospect": "No prospects", "customer": "No customers", "client": "No clients",
                   "lapsed": "No lapsed contacts", "former": "No former contacts"}


class ContactTable(QTableView):
    """Enter opens the current contact for editing; Delete deletes the selection."""

    open_requested = Signal()
    delete_requested = Signal()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit()
        elif event.matches(QKeySequence.StandardKey.Delete) or event.key() == Qt.Key.Key_Delete:
            self.delete_requested.emit()
        else:
            super().keyPressEvent(event)


class _Guidance(QWidget):
    """A centred message with actions, shown instead of an empty table."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.heading = QLabel(self)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setStyleSheet(HINT_STYLE)
        self._buttons = QHBoxLayout()
        self._buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.heading)
        layout.addWidget(self.text)
        layout.addSpacing(12)
        layout.addLayout(self._buttons)
        layout.addStretch(2)

    def add_button(self, text: str) -> QPushButton:
        button = QPushButton(text, self)
        self._buttons.insertWidget(self._buttons.count(), button)
        return button

    def finish_buttons(self) -> None:
        self._buttons.addStretch(1)


class ContactsPage(QWidget):
    current_contact_changed = Signal(object)  # int | None
    new_requested = Signal()
    demo_requested = Signal()
    import_requested = Signal()
    settings_requested = Signal()
    edit_requested = Signal()
    delete_requested = Signal()
    status_changed = Signal(str)

    def __init__(self, model: ContactTableModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search names, organisations, emails, phones, tags and notes  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search contacts")
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._focus_results)

        self.stage_filter = QComboBox(self)
        for text, stage in STAGE_CHOICES:
            self.stage_filter.addItem(text, stage.value if stage else None)
        self.stage_filter.setAccessibleName("Show the contacts in a stage")
        self.stage_filter.setToolTip("Show only the contacts in one life-cycle stage (Alt+W)")
        self.stage_filter.currentIndexChanged.connect(lambda _index: self._apply_stage())
        stage_label = QLabel("Sho&w:", self)
        stage_label.setBuddy(self.stage_filter)

        self.table = ContactTable(self)
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        # Fixed sizes: measuring 100,000 rows to fit their contents would read every one of them.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in zip(range(len(COLUMNS) + 1), (160, 110, 115, 165, 90, 75, 85, 250)):
            header.resizeSection(column, width)
        self.table.setAccessibleName("Contacts")
        self.table.open_requested.connect(self.edit_requested)
        self.table.delete_requested.connect(self.delete_requested)
        self.table.doubleClicked.connect(lambda _index: self.edit_requested.emit())

        self.empty = _Guidance(self)
        self.empty.heading.setText("Your contact book is empty")
        self.empty.text.setText("Add the people and organisations you work with, or bring them in from a phone, "
                                "Google Contacts or Outlook (vCard or CSV; you can also drop the file here). "
                                "Everything stays in this database on your computer.")
        self.empty.add_button("Add a contact  (Ctrl+N)").clicked.connect(self.new_requested)
        self.empty.add_button("Import contacts…  (Ctrl+I)").clicked.connect(lambda: self.import_requested.emit())
        self.empty.add_button("Load demo data").clicked.connect(self.demo_requested)
        self.empty.add_button("Set up your business").clicked.connect(self.settings_requested)
        self.empty.finish_buttons()

        self.no_match = _Guidance(self)
        self.no_match.add_button("Clear the search and the stage  (Esc)").clicked.connect(self.clear_search)
        self.no_match.add_button("Add a contact  (Ctrl+N)").clicked.connect(self.new_requested)
        self.no_match.finish_buttons()

        self.stack = QStackedWidget(self)
        for widget in (self.table, self.empty, self.no_match):
            self.stack.addWidget(widget)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(stage_label)
        bar.addWidget(self.stage_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)

        model.reloaded.connect(self._after_reload)
        model.modelAboutToBeReset.connect(self._remember_current)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self._remembered: int | None = None
        # Shown next to the name: the first thing a receptionist needs before picking up the phone.
        header.moveSection(AVAILABILITY_COLUMN, 1)
        # Then where the relationship stands: the stage tells whom to look after first.
        header.moveSection(header.visualIndex(COLUMNS.index(ListColumn.STAGE)), 2)
        header.sortIndicatorChanged.connect(self._keep_sort_indicator)
        self._sorted_by = (0, Qt.SortOrder.AscendingOrder)
        # Last, once the page listens: enabling sorting loads the list. Qt 6 headers start out descending,
        # so the order is set first and the list is read once.
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)

    def _keep_sort_indicator(self, section: int, order: Qt.SortOrder) -> None:
        """The "contact now?" column does not sort: a click on it leaves the arrow where it was."""
        if section == AVAILABILITY_COLUMN:
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(*self._sorted_by)
            header.blockSignals(False)
        else:
            self._sorted_by = (section, order)

    # -- search --------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def clear_search(self) -> None:
        """Esc: the search and the stage both go, so every contact shows again."""
        self.search.clear()
        self.stage_filter.setCurrentIndex(0)
        self._apply_search()
        self.table.setFocus()

    def show_stage(self, stage: Stage | None) -> None:
        self.stage_filter.setCurrentIndex(self.stage_filter.findData(stage.value if stage else None))

    def _apply_search(self) -> None:
        self._search_timer.stop()
        self.model.set_query(self.search.text())

    def _apply_stage(self) -> None:
        self.model.set_stage(self.stage_filter.currentData())

    def _focus_results(self) -> None:
        self._apply_search()
        if self.model.rowCount():
            self.select_row(0)
            self.table.setFocus()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape and (self.search.text() or self.model.stage is not None):
            self.clear_search()
        elif event.key() == Qt.Key.Key_Down and self.search.hasFocus():
            self._focus_results()
        else:
            super().keyPressEvent(event)

    # -- selection -----------------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        ids = [self.model.contact_id(row) for row in rows]
        return [cid for cid in ids if cid is not None]

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.contact_id(index.row()) if index.isValid() else None

    def select_contact(self, contact_id: int) -> bool:
        row = self.model.row_of(contact_id)
        if row is None:
            return False
        self.select_row(row)
        return True

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def _remember_current(self) -> None:
        self._remembered = self.current_id()

    def _on_current_changed(self, current, _previous) -> None:
        self.current_contact_changed.emit(self.model.contact_id(current.row()) if current.isValid() else None)

    def _after_reload(self) -> None:
        self.announce()
        if self._remembered is not None and self.select_contact(self._remembered):
            return
        self.current_contact_changed.emit(None)

    def announce(self) -> None:
        """Show the table or the right guidance, and say how many contacts there are (or match)."""
        shown, total = self.model.rowCount(), self.model.total
        if total == 0:
            self.stack.setCurrentWidget(self.empty)
        elif shown == 0:
            query, stage = self.model.query.strip(), self.model.stage
            who = NO_ONE_IN_STAGE[stage] if stage else "No contacts"
            self.no_match.heading.setText(f"{who} match “{query}”" if query else f"{who} today")
            self.no_match.text.setText(
                "Search looks at the start of words in names, organisations, emails, tags and notes, and anywhere "
                "inside phone numbers." if query else
                "A contact's stage follows from its purchases, agreements and contacts: prospects have bought "
                "nothing, customers once, clients twice or more or hold an agreement; a quiet customer or client "
                "lapses after the days set in Settings → Retention.")
            self.stack.setCurrentWidget(self.no_match)
        else:
            self.stack.setCurrentWidget(self.table)
        if self.model.filtered and total:
            self.status_changed.emit(f"{shown:,} of {total:,} match")
        else:
            self.status_changed.emit(f"{total:,} contact{'s' if total != 1 else ''}")
