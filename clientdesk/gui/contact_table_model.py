"""The contact list's model: it knows how many contacts match and reads the rows a view asks for in
blocks, by their position in SQL order, through a small cache (cf. Anki's browser table). Sorting and
searching run in SQL; nothing here ever loads every contact, nor even every id."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from PySide6.QtCore import QAbstractTableModel, QLocale, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont

from clientdesk.domain.contacts import ContactKind, ContactSummary, ListColumn
from clientdesk.gui.row_blocks import BLOCK, RowBlocks
from clientdesk.gui.style import availability_color
from clientdesk.services.changes import Changes
from clientdesk.services.contacts import ContactService

HEADERS = {
    ListColumn.NAME: "Name", ListColumn.ORGANISATION: "Organisation", ListColumn.PHONE: "Phone",
    ListColumn.EMAIL: "Email", ListColumn.TAGS: "Tags", ListColumn.STAGE: "Stage", ListColumn.UPDATED: "Updated",
}
COLUMNS = list(ListColumn)
# The "contact now?" indicator follows the columns that sort in SQL; it depends on the clock, so it does not sort.
AVAILABILITY_COLUMN = len(COLUMNS)
AVAILABILITY_HEADER = "Contact now?"
Availability = Callable[[Sequence[int], datetime], dict[int, str]]


class ContactTableModel(QAbstractTableModel):
    reloaded = Signal()  # the ids changed: the status bar recounts

    def __init__(self, contacts: ContactService, parent=None, *,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        super().__init__(parent)
        self._contacts = contacts
        self._clock = clock
        self._availability: Availability | None = None  # set once the first screen is up
        self._availability_texts: dict[int, str] = {}  # for this minute, rows that have been on screen
        self._minute_timer = QTimer(self)
        self._minute_timer.setSingleShot(True)
        self._minute_timer.timeout.connect(self._new_minute)
        self._rows = 0
        self._blocks: RowBlocks[ContactSummary] = RowBlocks(self._read_rows)
        self._query = ""
        self._stage: str | None = None
        self._column = ListColumn.NAME
        self._descending = False
        self._total = 0
        self._loaded = False
        self._locale = QLocale()
        self._bold = QFont()
        self._bold.setBold(True)  # organisations stand out among the people
        self._colors: dict[str, QColor] = {}  # one QColor per colour, not per painted cell

    # -- what the view asks ---------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS) + 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return AVAILABILITY_HEADER if section == AVAILABILITY_COLUMN else HEADERS[COLUMNS[section]]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.FontRole,
                        Qt.ItemDataRole.ForegroundRole):
            return None
        summary = self.summary(index.row())
        if summary is None:
            return None
        if index.column() == AVAILABILITY_COLUMN:
            if role == Qt.ItemDataRole.FontRole:
                return None
            text = self._availability_text(index.row(), summary.id)
            if role == Qt.ItemDataRole.ForegroundRole:
                color = availability_color(text)
                if color not in self._colors:
                    self._colors[color] = QColor(color)
                return self._colors[color]
            return text
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole:
            return None
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if column is ListColumn.NAME and summary.kind is ContactKind.ORGANISATION else None
        if column is ListColumn.UPDATED:
            local = summary.updated_at.astimezone()
            if role == Qt.ItemDataRole.ToolTipRole or self._locale.language() == QLocale.Language.C:
                # The C locale (no language set) has no real short date: ISO reads well everywhere.
                return local.strftime("%Y-%m-%d %H:%M" if role == Qt.ItemDataRole.ToolTipRole else "%Y-%m-%d")
            return self._locale.toString(local.date(), QLocale.FormatType.ShortFormat)
        return {
            ListColumn.NAME: summary.display_name, ListColumn.ORGANISATION: summary.organisation,
            ListColumn.PHONE: summary.phone, ListColumn.EMAIL: summary.email, ListColumn.TAGS: summary.tags,
            ListColumn.STAGE: summary.stage.capitalize(),
        }[column]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column == AVAILABILITY_COLUMN:
            return  # changes with the clock: the list keeps its order
        column_, descending = COLUMNS[column], order == Qt.SortOrder.DescendingOrder
        if (column_, descending) != (self._column, self._descending) or not self._loaded:
            self._column, self._descending = column_, descending
            self.reload()

    # -- what the page asks ---------------------------------------------------------------------

    @property
    def query(self) -> str:
        return self._query

    @property
    def loaded(self) -> bool:
        return self._loaded

    @property
    def total(self) -> int:
        """Every contact, whatever the search: for "N of M match"."""
        return self._total

    @property
    def stage(self) -> str | None:
        return self._stage

    @property
    def filtered(self) -> bool:
        return bool(self._query.strip()) or self._stage is not None

    def set_query(self, query: str) -> None:
        if query != self._query:
            self._query = query
            self.reload()

    def set_stage(self, stage: str | None) -> None:
        """Only the contacts in this life-cycle stage; None for every stage."""
        if stage != self._stage:
            self._stage = stage
            self.reload()

    def reload(self) -> None:
        first = self._contacts.first_page(self._query, self._column, self._descending, BLOCK, stage=self._stage)
        self.beginResetModel()
        self._rows = first.matches
        self._total = first.matches if not self.filtered else self._contacts.count()
        self._blocks.reset(first.rows)
        self._availability_texts.clear()
        self._loaded = True
        self.endResetModel()
        self.reloaded.emit()

    def contact_id(self, row: int) -> int | None:
        summary = self.summary(row)
        return summary.id if summary is not None else None

    def row_of(self, contact_id: int) -> int | None:
        row = self._contacts.position(contact_id, self._query, self._column, self._descending, self._stage)
        return row if row is not None and row < self._rows else None

    def summary(self, row: int) -> ContactSummary | None:
        if not 0 <= row < self._rows:
            return None
        return self._blocks.row(row)

    def apply(self, changes: Changes) -> None:
        """Refresh after an operation: a new or deleted contact moves rows, so the ids are read again."""
        if changes.contacts or changes.everything or changes.stages:
            self.reload()
        elif changes.profile:  # new hours or closures: every indicator may change
            self.refresh_availability()

    # -- the "contact now?" indicator -------------------------------------------------------------

    def show_availability(self, availability: Availability) -> None:
        """Start the indicator: `availability(ids, instant)` gives each contact's text at that instant."""
        self._availability = availability
        self.refresh_availability()

    def refresh_availability(self) -> None:
        """Forget every text and tell the view; it asks again only for the rows it shows."""
        self._availability_texts.clear()
        if self._rows:
            self.dataChanged.emit(self.index(0, AVAILABILITY_COLUMN), self.index(self._rows - 1, AVAILABILITY_COLUMN),
                                  [Qt.ItemDataRole.DisplayRole])
        self._schedule_next_minute()

    def _availability_text(self, row: int, contact_id: int) -> str:
        if self._availability is None:
            return ""
        if contact_id not in self._availability_texts:
            # One call for the row's whole block: a screenful of rows costs one read.
            block = self._blocks.cached_block_of(row)
            ids = [summary.id for summary in block] or [contact_id]
            self._availability_texts.update(self._availability(ids, self._clock()))
        return self._availability_texts.get(contact_id, "")

    def _schedule_next_minute(self) -> None:
        now = self._clock()
        self._minute_timer.start(max(1000, (60 - now.second) * 1000 - now.microsecond // 1000))

    def _new_minute(self) -> None:
        self.refresh_availability()

    def _read_rows(self, offset: int, limit: int) -> list[ContactSummary]:
        return self._contacts.page(self._query, self._column, self._descending, offset, limit, matches=self._rows,
                                   stage=self._stage)
