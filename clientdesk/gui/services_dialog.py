"""File → Services catalogue: what the business sells, each with its description, usual price and unit.

The list on the left, the chosen service's fields on the right; Ctrl+N starts a new one, Ctrl+S saves,
Delete removes a service nothing refers to. Writes run off the UI thread; the list is read again after each."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clientdesk.domain.errors import InvalidInput
from clientdesk.domain.services_catalogue import ServiceDraft, currency_text, parse_amount, validate_service
from clientdesk.gui.operations import Operations
from clientdesk.gui.style import HINT_STYLE, failure_text, set_error
from clientdesk.services.changes import Changes
from clientdesk.services.purchases import CatalogueLine, PurchaseService

NO_SERVICES = ("No services yet. Type a name on the right and press Save (Ctrl+S) to start the catalogue; "
               "agreements and purchases then choose from it.")
COLUMNS = ("Service", "Price", "Agreements")


class ServicesDialog(QDialog):
    def __init__(self, purchases: PurchaseService, currency: str, operations: Operations,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._purchases = purchases
        self._currency = currency
        self._operations = operations
        self._lines: list[CatalogueLine] = []
        self._editing: int | None = None  # the service id shown in the fields; None for a new one
        self._saving = False
        self.setWindowTitle("Services catalogue")

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setAccessibleName("Services")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.empty = QLabel(NO_SERVICES, self)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet(HINT_STYLE)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.listing = QStackedWidget(self)
        self.listing.addWidget(self.table)
        self.listing.addWidget(self.empty)

        self.heading = QLabel(self)
        self.heading.setStyleSheet("font-weight: 600;")
        self.name = QLineEdit(self)
        self.name.setAccessibleName("Name")
        self.name.setPlaceholderText("e.g. Boiler service")
        self.description = QPlainTextEdit(self)
        self.description.setAccessibleName("Description")
        self.description.setTabChangesFocus(True)
        self.description.setPlaceholderText("What the service includes, as a client would read it")
        self.description.setFixedHeight(5 * self.fontMetrics().lineSpacing())
        self.price = QLineEdit(self)
        self.price.setAccessibleName("Price")
        self.price.setPlaceholderText("Leave blank when it is always quoted")
        self.unit = QLineEdit(self)
        self.unit.setAccessibleName("Unit")
        self.unit.setPlaceholderText("e.g. visit, hour, month")
        self.unit.setMaxLength(40)
        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("&Description", self.description)
        form.addRow(f"&Price ({currency})", self.price)
        form.addRow("&Unit (price per)", self.unit)
        self.error = QLabel(self)
        set_error(self.error, "")

        self.new_button = QPushButton("&New service", self)
        self.new_button.setToolTip("Start a new service (Ctrl+N)")
        self.save_button = QPushButton("&Save", self)
        self.save_button.setToolTip("Save the service (Ctrl+S)")
        self.remove_button = QPushButton("&Remove", self)
        self.remove_button.setToolTip("Remove the chosen service; only one no agreement or purchase names (Delete)")
        for button in (self.new_button, self.save_button, self.remove_button):
            button.setAutoDefault(False)
        self.new_button.clicked.connect(self.start_new)
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        self.done_note = QLabel(self)  # "Saved." after a write, cleared by the next choice
        self.done_note.setStyleSheet(HINT_STYLE)
        actions = QHBoxLayout()
        actions.addWidget(self.new_button)
        actions.addStretch(1)
        actions.addWidget(self.done_note)
        actions.addWidget(self.remove_button)
        actions.addWidget(self.save_button)

        fields = QVBoxLayout()
        fields.addWidget(self.heading)
        fields.addLayout(form)
        fields.addWidget(self.error)
        fields.addStretch(1)
        fields.addLayout(actions)
        body = QHBoxLayout()
        body.addWidget(self.listing, 5)
        body.addLayout(fields, 4)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        close.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(close)

        for keys, slot in (("Ctrl+N", self.start_new), ("Ctrl+S", self.save)):
            QShortcut(QKeySequence(keys), self, activated=slot)
        remove_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table, activated=self.remove)
        remove_key.setContext(Qt.ShortcutContext.WidgetShortcut)  # Delete in a field deletes text
        self.table.itemSelectionChanged.connect(self._selection_changed)
        for line in (self.name, self.price, self.unit):
            line.returnPressed.connect(self.save)
        self.resize(max(940, self.sizeHint().width()), 440)
        self.reload()

    # -- reading -------------------------------------------------------------------------------

    def reload(self, keep: int | None = None) -> None:
        """The catalogue is a few dozen services at most: read at once, then `keep` (else the first) chosen."""
        self._lines = self._purchases.catalogue()
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._lines))
        for row, line in enumerate(self._lines):
            service = line.service
            price = "" if service.price is None else currency_text(service.price, self._currency)
            if price and service.unit:
                price += f" per {service.unit}"
            cells = (service.name, price or "quoted", f"{line.agreements:,}")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 0:
                    item.setData(Qt.ItemDataRole.UserRole, service.id)
                    item.setToolTip(service.description)
                if column == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)
        self.listing.setCurrentWidget(self.table if self._lines else self.empty)
        row = next((i for i, line in enumerate(self._lines) if line.service.id == keep), 0 if self._lines else None)
        if row is not None:
            self.table.selectRow(row)
            self._selection_changed()
        else:
            self.start_new()

    def _selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        service = self._lines[rows[0].row()].service
        self._editing = service.id
        self.heading.setText(service.name)
        self.name.setText(service.name)
        self.description.setPlainText(service.description)
        self.price.setText("" if service.price is None else f"{service.price:f}")
        self.unit.setText(service.unit)
        self.remove_button.setEnabled(True)
        set_error(self.error, "")
        self.done_note.clear()

    # -- writing -------------------------------------------------------------------------------

    def start_new(self) -> None:
        self.table.clearSelection()
        self._editing = None
        self.heading.setText("New service")
        for line in (self.name, self.price, self.unit):
            line.clear()
        self.description.clear()
        self.remove_button.setEnabled(False)
        set_error(self.error, "")
        self.done_note.clear()
        self.name.setFocus()

    def draft(self) -> ServiceDraft:
        """InvalidInput with every problem of the fields at once."""
        price: Decimal | None = None
        problems = []
        if self.price.text().strip():
            try:
                price = parse_amount(self.price.text(), "price")
            except InvalidInput as error:
                problems += error.problems
        try:
            draft = validate_service(ServiceDraft(self.name.text(), self.description.toPlainText(), price,
                                                  self.unit.text()))
        except InvalidInput as error:
            raise InvalidInput([*error.problems, *problems]) from None
        if problems:
            raise InvalidInput(problems)
        return draft

    def save(self) -> None:
        if self._saving:
            return
        try:
            draft = self.draft()
        except InvalidInput as error:
            set_error(self.error, error.sentence())
            self.done_note.clear()
            return
        purchases, editing = self._purchases, self._editing

        def work():
            if editing is None:
                return _Written(purchases.add_service(draft).id)
            return _Written(purchases.update_service(editing, draft).id)

        self._write(work, "Saved.")

    def remove(self) -> None:
        if self._saving or self._editing is None:
            return
        purchases, editing = self._purchases, self._editing

        def work() -> _Written:
            purchases.remove_service(editing)
            return _Written(None)

        self._write(work, "Removed.")

    def _write(self, work, done_text: str) -> None:
        self._saving = True
        self.save_button.setEnabled(False)
        self._operations.run(work, on_done=lambda written: self._written(written, done_text), on_error=self._failed)

    def _written(self, written: _Written, done_text: str) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self.reload(keep=written.service_id)
        if written.service_id is None:
            self.table.setFocus()
        self.done_note.setText(done_text)

    def _failed(self, error: BaseException) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        message = failure_text(error)
        set_error(self.error, message)
        self.done_note.clear()


class _Written:
    """What a write hands back: the service to choose again, and the Changes the window broadcasts (agreements
    and purchases show the services' names)."""

    def __init__(self, service_id: int | None):
        self.service_id = service_id
        self.changes = Changes(purchases=True)


__all__ = ["ServicesDialog"]
