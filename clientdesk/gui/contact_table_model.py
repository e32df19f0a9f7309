"""The contact list's model: it holds the ordered ids of the matching contacts and reads the rows a
view asks for in blocks, through a small cache (cf. Anki's browser table). Sorting and searching run
in SQL; nothing here ever loads every contact."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

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
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class ContactTableModel(QAbstractTableModel):
    reloaded = Signal()  # the ids changed: the status bar recounts

    def __init__(self, contacts: ContactService, parent=None):
        super().__init__(parent)
        self._contacts = contacts
        self._ids: Sequence[int] = []
        self._row_of: dict[int, int] | None = None
        self._blocks: OrderedDict[int, list[ContactSummary | None]] = OrderedDict()
        self._query = ""
        self._column = ListColumn.NAME
        self._descending = False
        self._total = 0
        self._locale = QLocale()
        self._bold = QFont()
        self._bold.setBold(True)  # organisations stand out among the people

    # -- what the view asks ---------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[COLUMNS[section]]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == ID_ROLE:
            return self._ids[index.row()]
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
            return self._locale.toString(local.date(), QLocale.FormatType.ShortFormat) if role == Qt.ItemDataRole.DisplayRole \
                else local.strftime("%Y-%m-%d %H:%M")
        return {
            ListColumn.NAME: summary.display_name, ListColumn.ORGANISATION: summary.organisation,
            ListColumn.PHONE: summary.phone, ListColumn.EMAIL: summary.email, ListColumn.TAGS: summary.tags,
        }[column]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._column = COLUMNS[column]
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    # -- what the page asks ---------------------------------------------------------------------

    @property
    def query(self) -> str:
        return self._query

    @property
    def total(self) -> int:
        """Every contact, whatever the search: for "N of M match"."""
        return self._total

    def set_query(self, query: str) -> None:
        if query != self._query:
            self._query = query
            self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._ids = self._contacts.ordered_ids(self._query, self._column, self._descending)
        self._total = len(self._ids) if not self._query.strip() else self._contacts.count()
        self._row_of = None
        self._blocks.clear()
        self.endResetModel()
        self.reloaded.emit()

    def contact_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, contact_id: int) -> int | None:
        if self._row_of is None:  # built on demand: most reloads never need it
            self._row_of = {cid: row for row, cid in enumerate(self._ids)}
        return self._row_of.get(contact_id)

    def summary(self, row: int) -> ContactSummary | None:
        if not 0 <= row < len(self._ids):
            return None
        block_number = row // BLOCK
        block = self._blocks.get(block_number)
        if block is None:
            block = self._fetch_block(block_number)
        else:
            self._blocks.move_to_end(block_number)
        return block[row % BLOCK]

    def apply(self, changes: Changes) -> None:
        """Refresh after an operation: a new or deleted contact moves rows, so the ids are read again."""
        if changes.contacts or changes.everything:
            self.reload()

    def _fetch_block(self, block_number: int) -> list[ContactSummary | None]:
        start = block_number * BLOCK
        ids = list(self._ids[start:start + BLOCK])
        by_id = {s.id: s for s in self._contacts.summaries(ids)}
        block = [by_id.get(cid) for cid in ids]
        self._blocks[block_number] = block
        while len(self._blocks) > CACHED_BLOCKS:
            self._blocks.popitem(last=False)
        return block
