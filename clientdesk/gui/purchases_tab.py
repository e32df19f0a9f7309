"""A contact's purchases tab: their stage and lifetime value, the agreements in force, what they bought
(refunds negative) and what they asked for beyond the agreement — with a dialog for each of the last two,
and the business's polite reply to an out-of-scope request one button away."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clientdesk.domain.errors import InvalidInput
from clientdesk.domain.services_catalogue import (
    AgreementDraft,
    BillingPeriod,
    OutOfScopeDraft,
    PurchaseDraft,
    currency_text,
    parse_amount,
    validate_agreement,
    validate_purchase,
)
from clientdesk.gui.operations import Operations
from clientdesk.gui.out_of_scope_fields import DECISION_WORDS, OutOfScopeFields, ReplyWriter
from clientdesk.gui.style import HINT_STYLE, set_error
from clientdesk.services.changes import Changes
from clientdesk.services.business import BusinessService
from clientdesk.services.metrics import MetricsService
from clientdesk.services.purchases import ContactPurchases, OutOfScopeLine, PurchaseService

ADD_PURCHASE_KEYS = "Ctrl+Shift+P"
OUT_OF_SCOPE_KEYS = "Ctrl+Shift+O"
ADD_AGREEMENT_KEYS = "Ctrl+Shift+G"
BILLING_WORDS = {BillingPeriod.MONTHLY: "a month", BillingPeriod.QUARTERLY: "a quarter",
                 BillingPeriod.YEARLY: "a year", BillingPeriod.WEEKLY: "a week", BillingPeriod.ONE_OFF: "once"}
NO_PURCHASES = f"No purchases yet — Add purchase… ({ADD_PURCHASE_KEYS}) records a sale, or a refund as a negative amount."
NO_REQUESTS = (f"No out-of-scope requests — when the client asks for something beyond the agreement, "
               f"Out-of-scope request… ({OUT_OF_SCOPE_KEYS}) records it and what you decided.")
NO_AGREEMENT = "No agreement in force."
NOT_SAVED = "Save the contact first; then their purchases and agreements are shown here."
NO_SERVICE = "— none —"
PERIOD_WORDS = {BillingPeriod.ONE_OFF: "one-off", BillingPeriod.WEEKLY: "a week", BillingPeriod.MONTHLY: "a month",
                BillingPeriod.QUARTERLY: "a quarter", BillingPeriod.YEARLY: "a year"}


@dataclass(frozen=True, slots=True)
class PurchaseServices:
    """What the tab reads and writes through; the GUI never opens a session itself."""

    purchases: PurchaseService
    metrics: MetricsService
    business: BusinessService  # its currency and its wording of the out-of-scope reply, as they are now


def in_scope_text(services: tuple[str, ...]) -> str:
    return f"In scope: {', '.join(services)}" if services else ""


def _section_title(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label


def _tree(parent: QWidget, name: str, headers: tuple[str, ...]) -> QTreeWidget:
    tree = QTreeWidget(parent)
    tree.setAccessibleName(name)
    tree.setHeaderLabels(list(headers))
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setAlternatingRowColors(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    tree.setWordWrap(False)
    return tree


class _Listing(QStackedWidget):
    """A list, or the guidance that stands in for it while it is empty."""

    def __init__(self, tree: QTreeWidget, empty_text: str, parent: QWidget):
        super().__init__(parent)
        self.tree = tree
        self.empty = QLabel(empty_text, self)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet(HINT_STYLE)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.empty)
        layout.addStretch(1)
        self._empty_page = page
        self.addWidget(tree)
        self.addWidget(page)

    def show_rows(self, any_rows: bool) -> None:
        self.setCurrentWidget(self.tree if any_rows else self._empty_page)


class PurchasesTab(QWidget):
    """Reads only while on screen, as the timeline does: a contact chosen while it is hidden is read when
    it is next shown."""

    in_scope_changed = Signal(str)  # "In scope: …", or "" — after a write here changed it

    def __init__(self, services: PurchaseServices, operations: Operations, parent: QWidget | None = None):
        super().__init__(parent)
        self._services = services
        self._operations = operations
        self._contact_id: int | None = None
        self._stale = True
        self._overview: ContactPurchases | None = None
        self.purchase_dialog: AddPurchaseDialog | None = None
        self.agreement_dialog: AgreementDialog | None = None
        self.out_of_scope_dialog: OutOfScopeDialog | None = None

        self.summary = QLabel(self)
        self.summary.setAccessibleName("Stage and lifetime value")
        font = QFont(self.summary.font())
        font.setBold(True)
        self.summary.setFont(font)
        self.agreements = QLabel(self)
        self.agreements.setAccessibleName("Agreements in force")
        self.agreements.setWordWrap(True)
        self.agreements.setTextFormat(Qt.TextFormat.PlainText)

        self.add_agreement_button = QPushButton("Add agreement…", self)
        self.add_agreement_button.setToolTip(f"Record what the client's agreement covers, its fee and dates "
                                             f"({ADD_AGREEMENT_KEYS})")
        self.add_agreement_button.clicked.connect(self.add_agreement)
        self.add_purchase_button = QPushButton("Add purchase…", self)
        self.add_purchase_button.setToolTip(f"Record a sale, or a refund as a negative amount ({ADD_PURCHASE_KEYS})")
        self.add_purchase_button.clicked.connect(self.add_purchase)
        self.purchases = _tree(self, "Purchases", ("Date", "What", "Amount"))
        self.purchase_listing = _Listing(self.purchases, NO_PURCHASES, self)

        self.out_of_scope_button = QPushButton("Out-of-scope request…", self)
        self.out_of_scope_button.setToolTip(f"Record a request beyond the agreement and what you decided "
                                            f"({OUT_OF_SCOPE_KEYS})")
        self.out_of_scope_button.clicked.connect(self.record_out_of_scope)
        self.copy_reply_button = QPushButton("Copy reply", self)
        self.copy_reply_button.setToolTip("Copy the polite reply to the chosen request to the clipboard")
        self.copy_reply_button.clicked.connect(self.copy_reply)
        self.requests = _tree(self, "Out-of-scope requests", ("Date", "Asked for", "Decision", "Extra charge"))
        self.request_listing = _Listing(self.requests, NO_REQUESTS, self)
        self.requests.currentItemChanged.connect(lambda *_: self._update_buttons())

        purchases_bar = QHBoxLayout()
        purchases_bar.addWidget(_section_title("Purchases", self), 1)
        purchases_bar.addWidget(self.add_purchase_button)
        requests_bar = QHBoxLayout()
        requests_bar.addWidget(_section_title("Out-of-scope requests", self), 1)
        requests_bar.addWidget(self.copy_reply_button)
        requests_bar.addWidget(self.out_of_scope_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addSpacing(4)
        agreements_bar = QHBoxLayout()
        agreements_bar.addWidget(_section_title("Agreements in force", self), 1)
        agreements_bar.addWidget(self.add_agreement_button)
        layout.addLayout(agreements_bar)
        layout.addWidget(self.agreements)
        layout.addSpacing(6)
        layout.addLayout(purchases_bar)
        layout.addWidget(self.purchase_listing, 3)
        layout.addSpacing(6)
        layout.addLayout(requests_bar)
        layout.addWidget(self.request_listing, 2)

        # Only while the tab is on screen: a hidden widget's shortcuts do not fire.
        for keys, slot in ((ADD_PURCHASE_KEYS, self.add_purchase), (OUT_OF_SCOPE_KEYS, self.record_out_of_scope),
                           (ADD_AGREEMENT_KEYS, self.add_agreement)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
        self._show_overview()

    # -- what the form asks ---------------------------------------------------------------------

    @property
    def contact_id(self) -> int | None:
        return self._contact_id

    def show_contact(self, contact_id: int | None) -> None:
        self._contact_id = contact_id
        self.reload()

    def reload(self) -> None:
        self._stale = True
        self._refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self._refresh()

    def _refresh(self) -> None:
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        self._overview = None
        if self._contact_id is not None:
            today = self._services.metrics.today()
            self._overview = self._services.purchases.contact_overview(self._contact_id, today)
            stage = self._services.metrics.stage_of(self._contact_id, today)
            value = self._services.metrics.lifetime_value(self._contact_id, today).total
            self.summary.setText(f"{stage.value.capitalize()} · lifetime value "
                                 f"{currency_text(value, self._currency())}")
        self._show_overview()

    def _currency(self) -> str:
        return self._services.business.profile().currency

    def _reply(self, asked: str, charge: Decimal | None) -> str:
        client = self._overview.client_name if self._overview is not None else ""
        return self._services.business.out_of_scope_reply(asked, charge, client)

    # -- showing --------------------------------------------------------------------------------

    def _show_overview(self) -> None:
        overview = self._overview
        saved = overview is not None
        self.summary.setVisible(saved)
        self.add_purchase_button.setEnabled(saved)
        self.add_agreement_button.setEnabled(saved)
        self.out_of_scope_button.setEnabled(saved)
        self.purchases.clear()
        self.requests.clear()
        if overview is None:
            self.agreements.setText(NOT_SAVED)
            self.purchase_listing.show_rows(False)
            self.request_listing.show_rows(False)
            self._update_buttons()
            return
        currency = self._currency()
        self.agreements.setText("\n".join(self._agreement_line(a, currency) for a in overview.agreements)
                                or NO_AGREEMENT)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for line in overview.purchases:
            item = QTreeWidgetItem([line.on.isoformat(), line.what, currency_text(line.amount, currency)])
            item.setTextAlignment(2, right)
            if line.amount < 0:
                item.setForeground(2, Qt.GlobalColor.darkRed)
                item.setToolTip(2, "A refund")
            self.purchases.addTopLevelItem(item)
        for request in overview.out_of_scope:
            charge = currency_text(request.extra_charge, currency) if request.extra_charge is not None else "—"
            item = QTreeWidgetItem([request.at.astimezone().date().isoformat(), request.asked,
                                    DECISION_WORDS[request.decision], charge])
            item.setTextAlignment(3, right)
            item.setData(0, Qt.ItemDataRole.UserRole, request.id)
            self.requests.addTopLevelItem(item)
        self.purchase_listing.show_rows(bool(overview.purchases))
        self.request_listing.show_rows(bool(overview.out_of_scope))
        for tree in (self.purchases, self.requests):
            self._fit_columns(tree)
            if tree.topLevelItemCount():
                tree.setCurrentItem(tree.topLevelItem(0))
        self._update_buttons()

    @staticmethod
    def _agreement_line(agreement, currency: str) -> str:
        services = ", ".join(agreement.service_names) or "No services named"
        parts = [services]
        if agreement.fee is not None:
            parts.append(f"{currency_text(agreement.fee, currency)} {PERIOD_WORDS[agreement.billing_period]}")
        if agreement.renews_on is not None:
            parts.append(f"renews {agreement.renews_on.isoformat()}")
        elif agreement.ends_on is not None:
            parts.append(f"ends {agreement.ends_on.isoformat()}")
        return " · ".join(parts)

    @staticmethod
    def _fit_columns(tree: QTreeWidget) -> None:
        header = tree.header()
        header.setStretchLastSection(False)
        last = tree.columnCount() - 1
        for column in range(tree.columnCount()):
            mode = QHeaderView.ResizeMode.Stretch if column == 1 else QHeaderView.ResizeMode.ResizeToContents
            header.setSectionResizeMode(column, mode)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        tree.headerItem().setTextAlignment(last, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def _update_buttons(self) -> None:
        self.copy_reply_button.setEnabled(self.selected_request() is not None)

    def selected_request(self) -> OutOfScopeLine | None:
        if self._overview is None or not self._overview.out_of_scope:
            return None
        item = self.requests.currentItem()
        wanted = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        return next((r for r in self._overview.out_of_scope if r.id == wanted), self._overview.out_of_scope[0])

    # -- actions --------------------------------------------------------------------------------

    def copy_reply(self) -> str:
        request = self.selected_request()
        if request is None:
            return ""
        text = self._reply(request.asked, request.extra_charge)
        QGuiApplication.clipboard().setText(text)
        return text

    def add_purchase(self) -> None:
        if self._contact_id is None or not self.isVisible() or self.purchase_dialog is not None:
            return
        services = [service.name for service in self._services.purchases.services()]
        dialog = AddPurchaseDialog(self._contact_id, self._services.metrics.today(), services, self)
        dialog.submitted.connect(self._save_purchase)
        dialog.finished.connect(lambda _result: self._forget_dialog("purchase_dialog"))
        self.purchase_dialog = dialog
        dialog.open()

    def add_agreement(self) -> None:
        if self._contact_id is None or not self.isVisible() or self.agreement_dialog is not None:
            return
        services = [service.name for service in self._services.purchases.services()]
        dialog = AgreementDialog(self._contact_id, self._services.metrics.today(), services, self._currency(), self)
        dialog.submitted.connect(self._save_agreement)
        dialog.finished.connect(lambda _result: self._forget_dialog("agreement_dialog"))
        self.agreement_dialog = dialog
        dialog.open()

    def _save_agreement(self, draft: AgreementDraft) -> None:
        purchases, dialog = self._services.purchases, self.agreement_dialog

        def work() -> Changes:
            purchases.add_agreement(draft, add_missing_services=True)
            return Changes(contacts=True, purchases=True, contact_ids=frozenset({draft.contact_id}))

        self._operations.run(work, on_done=lambda _changes: self._written(dialog),
                             on_error=lambda error: dialog.failed(error) if dialog is not None else None)

    def record_out_of_scope(self) -> None:
        if self._contact_id is None or not self.isVisible() or self.out_of_scope_dialog is not None:
            return
        dialog = OutOfScopeDialog(self._contact_id, self._currency(), self._reply, self)
        dialog.submitted.connect(self._save_request)
        dialog.finished.connect(lambda _result: self._forget_dialog("out_of_scope_dialog"))
        self.out_of_scope_dialog = dialog
        dialog.open()

    def _forget_dialog(self, name: str) -> None:
        dialog = getattr(self, name)
        setattr(self, name, None)
        if dialog is not None:
            dialog.deleteLater()

    def _save_purchase(self, draft: PurchaseDraft) -> None:
        purchases, dialog = self._services.purchases, self.purchase_dialog

        def work() -> Changes:
            purchases.add_purchase(draft)
            return Changes(contacts=True, purchases=True, contact_ids=frozenset({draft.contact_id}))

        self._operations.run(work, on_done=lambda _changes: self._written(dialog),
                             on_error=lambda error: dialog.failed(error) if dialog is not None else None)

    def _save_request(self, draft: OutOfScopeDraft) -> None:
        purchases, dialog = self._services.purchases, self.out_of_scope_dialog

        def work() -> Changes:
            purchases.record_out_of_scope(draft)
            return Changes(contacts=True, purchases=True, contact_ids=frozenset({draft.contact_id}))

        self._operations.run(work, on_done=lambda _changes: self._written(dialog),
                             on_error=lambda error: dialog.failed(error) if dialog is not None else None)

    def _written(self, dialog: QDialog | None) -> None:
        if dialog is not None:
            dialog.accept()
        self.reload()
        if self._contact_id is not None:
            self.in_scope_changed.emit(in_scope_text(self._overview.in_scope) if self._overview else "")


class _WriteDialog(QDialog):
    """A small form whose Save checks the entry here (problems shown inline, nothing written) and then
    hands the draft to the tab, which writes it off the UI thread and closes the dialog when done."""

    submitted = Signal(object)

    def _finish_building(self, form: QFormLayout) -> None:
        self.error = QLabel(self)
        set_error(self.error, "")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        self.save_button.setAutoDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(max(self.sizeHint().width(), 30 * self.fontMetrics().averageCharWidth()))

    def draft(self):  # pragma: no cover - each dialog says
        raise NotImplementedError

    def submit(self) -> None:
        try:
            draft = self.draft()
        except InvalidInput as error:
            set_error(self.error, " ".join(problem.message for problem in error.problems))
            return
        set_error(self.error, "")
        self.save_button.setEnabled(False)
        self.submitted.emit(draft)

    def failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        message = (" ".join(p.message for p in error.problems) if isinstance(error, InvalidInput)
                   else f"Not saved: {error}")
        set_error(self.error, message)


class AddPurchaseDialog(_WriteDialog):
    def __init__(self, contact_id: int, today: date, services: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Add purchase")
        self._contact_id = contact_id
        self.on = _day_edit(today, self, "Date")
        self.amount = QLineEdit(self)
        self.amount.setPlaceholderText("120.50, or -20 for a refund")
        self.amount.setAccessibleName("Amount")
        self.service = QComboBox(self)
        self.service.setAccessibleName("Service")
        self.service.addItem(NO_SERVICE, None)
        for name in services:
            self.service.addItem(name, name)
        self.description = QLineEdit(self)
        self.description.setAccessibleName("Description")
        form = QFormLayout()
        form.addRow("&Date", self.on)
        form.addRow("&Amount", self.amount)
        form.addRow("&Service", self.service)
        form.addRow("D&escription", self.description)
        self._finish_building(form)
        self.amount.setFocus()

    def draft(self) -> PurchaseDraft:
        amount = parse_amount(self.amount.text())
        return validate_purchase(PurchaseDraft(self._contact_id, _day(self.on), amount, self.description.text(),
                                               self.service.currentData()))


class OutOfScopeDialog(_WriteDialog):
    def __init__(self, contact_id: int, currency: str, reply: ReplyWriter, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Out-of-scope request")
        self._contact_id = contact_id
        form = QFormLayout()
        self.fields = OutOfScopeFields(form, currency, reply, self)
        self._finish_building(form)
        self.setMinimumWidth(60 * self.fontMetrics().averageCharWidth())
        self.fields.asked.setFocus()

    def reply_text(self) -> str:
        return self.fields.reply_text()

    def copy_reply(self) -> None:
        self.fields.copy_reply()

    def draft(self) -> OutOfScopeDraft:
        return self.fields.draft(self._contact_id, datetime.now(UTC))


__all__ = ["AddPurchaseDialog", "OutOfScopeDialog", "PurchaseServices", "PurchasesTab", "in_scope_text"]


class AgreementDialog(_WriteDialog):
    """What the agreement covers (services from the catalogue, ticked, or new ones typed, which join the
    catalogue), when it starts, ends or renews, its fee and how often the plan is reviewed."""

    def __init__(self, contact_id: int, today: date, services: list[str], currency: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Add agreement")
        self._contact_id = contact_id
        self.starts_on = _day_edit(today, self, "Starts on")
        self.ends = QCheckBox("E&nds on", self)
        self.ends_on = _day_edit(today, self, "Ends on")
        self.ends_on.setEnabled(False)
        self.ends.toggled.connect(self.ends_on.setEnabled)
        self.renews = QCheckBox("&Renews on", self)
        self.renews_on = _day_edit(today, self, "Renews on")
        self.renews_on.setEnabled(False)
        self.renews.toggled.connect(self.renews_on.setEnabled)
        self.services = QListWidget(self)
        self.services.setAccessibleName("Services in scope")
        for name in services:
            item = QListWidgetItem(name, self.services)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.services.setMaximumHeight(6 * self.fontMetrics().height() + 12)
        self.services.setVisible(bool(services))
        self.new_services = QLineEdit(self)
        self.new_services.setPlaceholderText("Other services, separated by commas")
        self.new_services.setAccessibleName("Other services")
        self.fee = QLineEdit(self)
        self.fee.setPlaceholderText("450.00, or blank")
        self.fee.setAccessibleName("Fee")
        self.billing = QComboBox(self)
        self.billing.setAccessibleName("Billed")
        for period, words in BILLING_WORDS.items():
            self.billing.addItem(words, period.value)
        self.review = QSpinBox(self)
        self.review.setRange(0, 120)
        self.review.setSpecialValueText("never")
        self.review.setSuffix(" months")
        self.review.setValue(12)
        self.review.setAccessibleName("Review the plan every")
        self.notes = QLineEdit(self)
        self.notes.setAccessibleName("Notes")
        form = QFormLayout()
        form.addRow("&Starts on", self.starts_on)
        form.addRow(self.ends, self.ends_on)
        form.addRow(self.renews, self.renews_on)
        if services:
            form.addRow("Ser&vices in scope", self.services)
        form.addRow("&Other services", self.new_services)
        fee_row = QHBoxLayout()
        fee_row.addWidget(self.fee, 1)
        fee_row.addWidget(self.billing)
        fee_label = QLabel(f"&Fee ({currency})", self)
        fee_label.setBuddy(self.fee)  # a row of two fields has no buddy of its own
        form.addRow(fee_label, fee_row)
        form.addRow("Review the &plan every", self.review)
        form.addRow("No&tes", self.notes)
        self._finish_building(form)
        self.starts_on.setFocus()

    def draft(self) -> AgreementDraft:
        ticked = [self.services.item(row).text() for row in range(self.services.count())
                  if self.services.item(row).checkState() == Qt.CheckState.Checked]
        typed = [name.strip() for name in self.new_services.text().split(",") if name.strip()]
        fee = parse_amount(self.fee.text()) if self.fee.text().strip() else None
        return validate_agreement(AgreementDraft(
            self._contact_id, _day(self.starts_on), _day(self.ends_on) if self.ends.isChecked() else None,
            _day(self.renews_on) if self.renews.isChecked() else None, fee, BillingPeriod(self.billing.currentData()),
            self.review.value() or None, self.notes.text(), tuple(ticked + typed)))


def _day_edit(day: date, parent: QWidget, name: str) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day), parent)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    edit.setAccessibleName(name)
    return edit


def _day(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())
