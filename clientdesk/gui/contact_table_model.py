"""The contact list's model: it knows how many contacts match and reads the rows a view asks for in
blocks, by their position in SQL order, through a small cache (cf. Anki's browser table). Sorting and
searching run in SQL; nothing here ever loads every contact, nor even every id."""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QAbstractTableModel, QLocale, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from clientdesk.domain.contacts import ContactKind, ContactSummary, ListColumn
from clientdesk.services.changes import Changes
from clientdesk.services.contacts import ContactService

HEADERS = {
    ListColumn.NAME: "Name", ListColumn.ORGANISATION: "Organisation", ListColumn.PHONE: "Phone",
    ListColumn.EMAIL: "Email", ListColumn.TAGS: "Tags", ListColumn.UPDATED: "Updated",
}
COLUMNS = list(ListColumn)
BLOCK = 128
CACHED_BLOCKS = 16


class ContactTableModel(QAbstractTableModel):
    reloaded = Signal()  # the ids changed: the status bar recounts

    def __init__(self, contacts: ContactService, parent=None):
        super().__init__(parent)
        self._contacts = contacts
        self._rows = 0
        self._blocks: OrderedDict[int, list[ContactSummary]] = OrderedDict()
        self._query = ""
        self._column = ListColumn.NAME
        self._descending = False
        self._total = 0
        self._loaded = False
        self._locale = QLocale()
        self._bold = QFont()
        self._bold.setBold(True)  # organisations stand out among the people

    # -- what the view asks ---------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[COLUMNS[section]]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.FontRole):
            return None
        summary = self.summary(index.row())
        if summary is None:
            return None
        column = COLUMNS[index.column()]
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
        }[column]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
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

    def set_query(self, query: str) -> None:
        if query != self._query:
            self._query = query
            self.reload()

    def reload(self) -> None:
        first = self._contacts.first_page(self._query, self._column, self._descending, BLOCK)
        self.beginResetModel()
        self._rows = first.matches
        self._total = first.matches if not self._query.strip() else self._contacts.count()
        self._blocks.clear()
        self._blocks[0] = list(first.rows)
        self._loaded = True
        self.endResetModel()
        self.reloaded.emit()

    def contact_id(self, row: int) -> int | None:
        summary = self.summary(row)
        return summary.id if summary is not None else None

    def row_of(self, contact_id: int) -> int | None:
        row = self._contacts.position(contact_id, self._query, self._column, self._descending)
        return row if row is not None and row < self._rows else None

    def summary(self, row: int) -> ContactSummary | None:
        if not 0 <= row < self._rows:
            return None
        block_number = row // BLOCK
        block = self._blocks.get(block_number)
        if block is None:
            block = self._fetch_block(block_number)
        else:
            self._blocks.move_to_end(block_number)
        offset = row % BLOCK
        return block[offset] if offset < len(block) else None

    def apply(self, changes: Changes) -> None:
        """Refresh after an operation: a new or deleted contact moves rows, so the ids are read again."""
        if changes.contacts or changes.everything:
            self.reload()

    def _fetch_block(self, block_number: int) -> list[ContactSummary]:
        block = self._contacts.page(self._query, self._column, self._descending, block_number * BLOCK, BLOCK)
        self._blocks[block_number] = block
        while len(self._blocks) > CACHED_BLOCKS:
            self._blocks.popitem(last=False)
        return block
