"""The contact form: every field by keyboard, problems shown beside the field as you type, and Save
enabled only when the contact is valid. Saving runs as a background operation. Beside the form, the
contact's boundaries and their timeline of calls and messages."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clientdesk.domain.boundaries import ClientBoundaries
from clientdesk.domain.contacts import Address, Birthday, ContactDraft, ContactKind, compose_display_name
from clientdesk.domain.errors import FieldProblem, InvalidInput
from clientdesk.gui.boundaries_editor import BoundariesEditor
from clientdesk.gui.field_rows import FieldRows
from clientdesk.gui.operations import Operations
from clientdesk.gui.style import HINT_STYLE, availability_color, set_error
from clientdesk.services.boundaries import BoundariesService
from clientdesk.services.changes import Changes
from clientdesk.services.contacts import ContactService, Saved

if TYPE_CHECKING:
    from clientdesk.gui.purchases_tab import PurchaseServices, PurchasesTab
    from clientdesk.gui.timeline_view import TimelineView
    from clientdesk.services.timeline import TimelineService

MONTHS = ("—", "January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
VALIDATE_DELAY_MS = 150


class ContactEditor(QWidget):
    saved = Signal(int)      # contact id, after the write has finished
    finished = Signal()      # the user left the form (saved or cancelled): focus goes back to the list
    log_requested = Signal(int)  # contact id: the timeline's "Log a call or message…"
    review_requested = Signal(int)  # contact id: "Review…", the client review dialog (the window's Ctrl+R)

    def __init__(self, contacts: ContactService, operations: Operations, parent: QWidget | None = None, *,
                 boundaries: BoundariesService | None = None, timeline: TimelineService | None = None,
                 purchases: PurchaseServices | None = None):
        super().__init__(parent)
        self._contacts = contacts
        self._operations = operations
        self._boundaries = boundaries
        self._timeline_service = timeline
        self.timeline_view: TimelineView | None = None  # built when its tab is first shown: see _build_timeline
        self._purchase_services = purchases
        self.purchases_tab: PurchasesTab | None = None  # built when its tab is first shown, as the timeline
        self._rules_baseline = ""
        self._contact_id: int | None = None
        self._baseline: tuple | None = None
        self._extra_addresses: tuple[Address, ...] = ()
        self._referrer_ids: dict[str, int] = {}
        self._referred_by_id: int | None = None
        self._valid = False
        self._saving = False
        self._save_attempted = False
        self._build()
        self._validate_timer = QTimer(self)
        self._validate_timer.setSingleShot(True)
        self._validate_timer.setInterval(VALIDATE_DELAY_MS)
        self._validate_timer.timeout.connect(self.revalidate)
        self.start_new()

    # -- building ------------------------------------------------------------------------------

    def _build(self) -> None:
        boundaries = self._boundaries
        self.title = QLabel(self)
        title_font = QFont(self.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.4)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.subtitle = QLabel(self)
        self.subtitle.setStyleSheet(HINT_STYLE)
        self.in_scope = QLabel(self)  # "In scope: Boiler service, Annual check", for a client with an agreement
        self.in_scope.setAccessibleName("In scope")
        self.in_scope.setWordWrap(True)
        self.in_scope.setStyleSheet("font-weight: 600;")
        self.in_scope.setVisible(False)

        self.kind = QComboBox(self)
        self.kind.addItem("Person", ContactKind.PERSON.value)
        self.kind.addItem("Organisation", ContactKind.ORGANISATION.value)
        self.given = QLineEdit(self)
        self.family = QLineEdit(self)
        self.display = QLineEdit(self)
        self.name_error = QLabel(self)
        self.organisation = QLineEdit(self)
        self.organisation.setPlaceholderText("Type to find or add an organisation")
        self._organisation_names = QStringListModel(self)
        completer = QCompleter(self._organisation_names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.organisation.setCompleter(completer)
        self.phones = FieldRows("phone", ("mobile", "work", "home", "main", "fax", "other"), "Phone number", self)
        self.emails = FieldRows("email", ("work", "home", "other"), "name@example.com", self)
        self.street = QLineEdit(self)
        self.city = QLineEdit(self)
        self.postcode = QLineEdit(self)
        self.region = QLineEdit(self)
        self.country = QLineEdit(self)
        self.extra_addresses = QLabel(self)
        self.extra_addresses.setStyleSheet(HINT_STYLE)
        self.birth_day = QSpinBox(self)
        self.birth_day.setRange(0, 31)
        self.birth_day.setSpecialValueText("—")
        self.birth_month = QComboBox(self)
        self.birth_month.addItems(MONTHS)
        self.birth_year = QSpinBox(self)
        self.birth_year.setRange(0, 9999)
        self.birth_year.setSpecialValueText("year unknown")
        self.birthday_error = QLabel(self)
        self.tags = QLineEdit(self)
        self.tags.setPlaceholderText("Separate tags with commas")
        self.referred_by = QLineEdit(self)
        self.referred_by.setPlaceholderText("Type a name to choose who referred them")
        self._referrer_names = QStringListModel(self)
        referrer_completer = QCompleter(self._referrer_names, self)
        referrer_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        referrer_completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.referred_by.setCompleter(referrer_completer)
        self.referred_by_error = QLabel(self)
        self.notes = QPlainTextEdit(self)
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(80)
        self.notes_error = QLabel(self)
        self.form_error = QLabel(self)

        self.save_button = QPushButton("Save", self)
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.cancel_button = QPushButton("Cancel", self)
        self.review_button = QPushButton("Review…", self)
        self.review_button.setToolTip("A client review PDF: preview, print or save (Ctrl+R)")
        self.review_button.setEnabled(False)
        self.review_button.clicked.connect(
            lambda: self.review_requested.emit(self._contact_id) if self._contact_id is not None else None)
        self.cancel_button.setToolTip("Discard changes (Esc)")

        for widget, name in ((self.given, "Given name"), (self.family, "Family name"), (self.display, "Display name"),
                             (self.organisation, "Organisation"), (self.tags, "Tags"), (self.notes, "Notes"),
                             (self.referred_by, "Referred by"), (self.kind, "Kind")):
            widget.setAccessibleName(name)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow("&Kind", self.kind)
        # Alt+letters: the form stays on screen beside every page, so its letters are kept clear of the menus
        # (File, Edit, Go, Reviews, Help), of its tabs, and of the dashboard's tabs (stage, by month); Given name
        # needs none (a new contact starts there) and Emails is a Tab after Phones.
        self.given_label = QLabel("Given name", self)
        self.given_label.setBuddy(self.given)
        form.addRow(self.given_label, self.given)
        self.family_label = QLabel("Fami&ly name", self)
        self.family_label.setBuddy(self.family)
        form.addRow(self.family_label, self.family)
        form.addRow("Display &as", self.display)
        form.addRow("", self.name_error)
        self.organisation_label = QLabel("&Organisation", self)
        self.organisation_label.setBuddy(self.organisation)
        form.addRow(self.organisation_label, self.organisation)
        form.addRow("&Phones", self.phones)
        form.addRow("Emails", self.emails)
        form.addRow("Street", self.street)
        city_line = QHBoxLayout()
        city_line.addWidget(self.city, 2)
        city_line.addWidget(QLabel("Postcode", self))
        city_line.addWidget(self.postcode, 1)
        form.addRow("City", city_line)
        region_line = QHBoxLayout()
        region_line.addWidget(self.region, 1)
        region_line.addWidget(QLabel("Country", self))
        region_line.addWidget(self.country, 1)
        form.addRow("Region", region_line)
        form.addRow("", self.extra_addresses)
        birthday_line = QHBoxLayout()
        birthday_line.addWidget(self.birth_day)
        birthday_line.addWidget(self.birth_month)
        birthday_line.addWidget(self.birth_year)
        birthday_line.addStretch(1)
        birthday_label = QLabel("&Birthday", self)
        birthday_label.setBuddy(self.birth_day)
        form.addRow(birthday_label, birthday_line)
        form.addRow("", self.birthday_error)
        form.addRow("&Tags", self.tags)
        form.addRow("&Referred by", self.referred_by)
        form.addRow("", self.referred_by_error)
        form.addRow("&Notes", self.notes)
        form.addRow("", self.notes_error)

        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.addLayout(form)
        body_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        # The client's boundaries, and the line under the name that applies them right now.
        self.availability = QLabel(self)
        self.availability.setAccessibleName("Contact now?")
        self.rules = BoundariesEditor(self, default_time_zone=boundaries.business_time_zone() if boundaries else None)
        rules_scroll = QScrollArea(self)
        rules_scroll.setWidgetResizable(True)
        rules_scroll.setWidget(self.rules)
        rules_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(scroll, "&Details")
        self.tabs.addTab(rules_scroll, "Bo&undaries")
        self.tabs.setTabEnabled(1, self._boundaries is not None)
        self._timeline_page = QWidget(self)
        QVBoxLayout(self._timeline_page).setContentsMargins(0, 0, 0, 0)
        self._timeline_tab = self.tabs.addTab(self._timeline_page, "T&imeline")
        self.tabs.setTabEnabled(self._timeline_tab, self._timeline_service is not None)
        self._purchases_page = QWidget(self)
        QVBoxLayout(self._purchases_page).setContentsMargins(0, 0, 0, 0)
        self._purchases_tab_index = self.tabs.addTab(self._purchases_page, "Pur&chases")
        self.tabs.setTabEnabled(self._purchases_tab_index, self._purchase_services is not None)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self._operations.changes_applied.connect(self._on_changes)
        self._availability_timer = QTimer(self)
        self._availability_timer.setInterval(30_000)  # the line follows the clock
        # Only while on screen: a closed window's form has nothing to show (and its database may be closed).
        self._availability_timer.timeout.connect(lambda: self.refresh_availability() if self.isVisible() else None)
        self._availability_timer.start()

        buttons = QHBoxLayout()
        buttons.addWidget(self.review_button)
        buttons.addWidget(self.form_error, 1)
        buttons.addStretch(0)  # keeps the buttons at their natural size while there is no message
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        header = QVBoxLayout()
        header.setContentsMargins(9, 6, 9, 0)
        header.addWidget(self.title)
        header.addWidget(self.in_scope)
        header.addWidget(self.availability)
        header.addWidget(self.subtitle)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)

        for label in (self.name_error, self.birthday_error, self.referred_by_error, self.notes_error, self.form_error):
            set_error(label, "")

        for line in (self.given, self.family, self.display, self.street, self.city, self.postcode, self.region,
                     self.country, self.tags, self.organisation):
            line.textEdited.connect(self._on_edit)
            line.returnPressed.connect(self.save)
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.phones.rows_changed.connect(self._chain_tab_order)
        self.emails.rows_changed.connect(self._chain_tab_order)
        self.rules.changed.connect(self._on_edit)
        self.phones.changed.connect(self._on_edit)
        self.emails.changed.connect(self._on_edit)
        self.birth_day.valueChanged.connect(self._on_edit)
        self.birth_month.currentIndexChanged.connect(self._on_edit)
        self.birth_year.valueChanged.connect(self._on_edit)
        self.notes.textChanged.connect(self._on_edit)
        self.organisation.textEdited.connect(self._suggest_organisations)
        self.referred_by.textEdited.connect(self._suggest_referrers)
        self.referred_by.textChanged.connect(self._on_edit)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.cancel)
        for keys, slot in ((QKeySequence.StandardKey.Save, self.save), ("Ctrl+Return", self.save),
                           (Qt.Key.Key_Escape, self.cancel)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)  # only while in the form
            shortcut.activated.connect(slot)

    def _chain_tab_order(self) -> None:
        """One explicit Tab order, top to bottom, rebuilt when phone or email rows come and go."""
        chain = [self.kind, self.given, self.family, self.display, self.organisation, *self.phones.focus_chain(),
                 *self.emails.focus_chain(), self.street, self.city, self.postcode, self.region, self.country,
                 self.birth_day, self.birth_month, self.birth_year, self.tags, self.referred_by, self.notes,
                 self.cancel_button, self.save_button]
        for before, after in zip(chain, chain[1:]):
            QWidget.setTabOrder(before, after)

    # -- loading -------------------------------------------------------------------------------

    @property
    def contact_id(self) -> int | None:
        return self._contact_id

    def start_new(self, kind: ContactKind = ContactKind.PERSON, *, focus: bool = True) -> None:
        self._show(None, ContactDraft(kind=kind), "", "", (), ClientBoundaries.default())
        if focus:
            (self.given if kind is ContactKind.PERSON else self.display).setFocus()

    def load(self, contact_id: int) -> None:
        contact = self._contacts.get(contact_id)
        addresses = contact.fields.addresses
        rules = self._boundaries.get(contact_id) if self._boundaries is not None else ClientBoundaries.default()
        self._show(contact.id, contact.to_draft(), contact.organisation_name or "", contact.referred_by_name or "",
                   addresses[1:], rules)
        if contact.fields.kind is ContactKind.ORGANISATION and contact.member_count:
            self.subtitle.setText(f"{contact.member_count:,} people at this organisation")

    def _show(self, contact_id: int | None, draft: ContactDraft, organisation: str, referrer: str,
              extra_addresses: tuple[Address, ...], rules: ClientBoundaries) -> None:
        self._contact_id = contact_id
        self.review_button.setEnabled(contact_id is not None)
        self.rules.blockSignals(True)
        self.rules.set_boundaries(rules)
        self.rules.blockSignals(False)
        self._rules_baseline = self._rules_snapshot()
        self._extra_addresses = extra_addresses
        self._save_attempted = False
        widgets = (self.kind, self.birth_day, self.birth_month, self.birth_year, self.notes, self.referred_by)
        for widget in widgets:
            widget.blockSignals(True)
        self.kind.setCurrentIndex(self.kind.findData(draft.kind.value if isinstance(draft.kind, ContactKind) else draft.kind))
        self.given.setText(draft.given_name)
        self.family.setText(draft.family_name)
        # Left blank while it is just the two names, so editing a name renames the contact.
        composed = compose_display_name(draft.given_name, draft.family_name)
        self.display.setText("" if draft.display_name == composed else draft.display_name)
        self.organisation.setText(organisation)
        self.phones.set_values(draft.phones)
        self.emails.set_values(draft.emails)
        address = draft.addresses[0] if draft.addresses else Address()
        self.street.setText(address.street.replace("\n", ", "))
        self.city.setText(address.city)
        self.postcode.setText(address.postcode)
        self.region.setText(address.region)
        self.country.setText(address.country)
        self._address_label = address.label
        more = len(extra_addresses)
        self.extra_addresses.setText(f"and {more} more address{'es' if more > 1 else ''}, kept as they are" if more else "")
        self.extra_addresses.setVisible(bool(more))
        birthday = draft.birthday
        self.birth_day.setValue(birthday.day if birthday else 0)
        self.birth_month.setCurrentIndex(birthday.month if birthday else 0)
        self.birth_year.setValue(birthday.year or 0 if birthday else 0)
        self.tags.setText(", ".join(draft.tags))
        self._referred_by_id = draft.referred_by_id
        self._referrer_ids = {referrer: draft.referred_by_id} if referrer and draft.referred_by_id else {}
        self.referred_by.setText(referrer)
        self.notes.setPlainText(draft.notes)
        for widget in widgets:
            widget.blockSignals(False)
        self._apply_kind()
        self.title.setText(draft.display_name or ("New organisation" if draft.kind == ContactKind.ORGANISATION
                                                  else "New contact"))
        self.subtitle.setText("Fill in what you know; only a name is required." if contact_id is None else "")
        self._baseline = self._snapshot()
        if self.timeline_view is not None:
            self.timeline_view.show_contact(contact_id)
        if self.purchases_tab is not None:
            self.purchases_tab.show_contact(contact_id)
        self.refresh_in_scope()
        self.refresh_availability()
        self.revalidate()

    # -- the timeline --------------------------------------------------------------------------

    def _on_tab_changed(self, index: int) -> None:
        if index == self._timeline_tab and self.timeline_view is None and self._timeline_service is not None:
            self._build_timeline()
        if index == self._purchases_tab_index and self.purchases_tab is None and self._purchase_services is not None:
            self._build_purchases()

    def _build_purchases(self) -> None:
        from clientdesk.gui.purchases_tab import PurchasesTab

        assert self._purchase_services is not None
        tab = PurchasesTab(self._purchase_services, self._operations, self._purchases_page)
        tab.in_scope_changed.connect(lambda _text: self.refresh_in_scope())
        self._purchases_page.layout().addWidget(tab)
        tab.show_contact(self._contact_id)
        self.purchases_tab = tab

    def refresh_in_scope(self) -> None:
        """The services the client's agreements in force cover, under the title; hidden without any."""
        text = ""
        services = self._purchase_services
        if services is not None and self._contact_id is not None:
            from clientdesk.gui.purchases_tab import in_scope_text

            text = in_scope_text(services.purchases.in_scope(self._contact_id, services.metrics.today()))
        self.in_scope.setText(text)
        self.in_scope.setVisible(bool(text))

    def _build_timeline(self) -> None:
        """Built on first view: most edits never look at it, and its model and table would slow the form's start."""
        from clientdesk.gui.timeline_view import TimelineView

        assert self._timeline_service is not None
        view = TimelineView(self._timeline_service, self._timeline_page)
        view.log_requested.connect(self.log_requested)
        self._timeline_page.layout().addWidget(view)
        view.show_contact(self._contact_id)
        self.timeline_view = view

    def _on_changes(self, changes: Changes) -> None:
        # Heard even while the form has unsaved edits (the window then leaves the form alone): a call logged
        # meanwhile belongs on the timeline all the same.
        if self.timeline_view is not None and self._contact_id is not None and (
                changes.everything or self._contact_id in changes.contact_ids):
            self.timeline_view.reload()
        # Purchases named without their contacts (the catalogue, an import of sales) may concern this one too.
        catalogue_wide = changes.purchases and not changes.contact_ids
        if self._contact_id is not None and (changes.everything or catalogue_wide
                                             or self._contact_id in changes.contact_ids):
            if self.purchases_tab is not None:
                self.purchases_tab.reload()
            if self._purchase_services is not None:
                self.refresh_in_scope()

    # -- state ---------------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        return self._snapshot() != self._baseline or self._rules_changed()

    def _rules_changed(self) -> bool:
        return self._rules_snapshot() != self._rules_baseline

    def _rules_snapshot(self) -> str:
        return json.dumps(self.rules.to_json(), sort_keys=True)

    def refresh_availability(self) -> None:
        """“Phone OK until 17:00”: the saved rules applied to this moment."""
        if self._boundaries is None or self._contact_id is None:
            self.availability.setText("")
            self.availability.setVisible(False)
            return
        text = self._boundaries.summaries([self._contact_id], datetime.now(UTC)).get(self._contact_id, "")
        self.availability.setText(text)
        self.availability.setStyleSheet(f"color: {availability_color(text)}; font-weight: 600;")
        self.availability.setVisible(bool(text))

    def is_saving(self) -> bool:
        return self._saving

    def is_new(self) -> bool:
        return self._contact_id is None

    def draft(self) -> ContactDraft:
        kind = ContactKind(self.kind.currentData())
        addresses = (Address(street=self.street.text(), city=self.city.text(), region=self.region.text(),
                             postcode=self.postcode.text(), country=self.country.text(),
                             label=self._address_label),) + self._extra_addresses
        return ContactDraft(
            kind=kind, given_name=self.given.text() if kind is ContactKind.PERSON else "",
            family_name=self.family.text() if kind is ContactKind.PERSON else "",
            display_name=self.display.text(), phones=self.phones.values(), emails=self.emails.values(),
            addresses=addresses, birthday=self._birthday() if kind is ContactKind.PERSON else None,
            tags=tuple(t for t in self.tags.text().split(",") if t.strip()),
            notes=self.notes.toPlainText(), referred_by_id=self._referred_by_id,
        )

    def _birthday(self) -> Birthday | None:
        day, month, year = self.birth_day.value(), self.birth_month.currentIndex(), self.birth_year.value()
        if not day and not month:
            return None
        return Birthday(day, month, year or None)

    def _snapshot(self) -> tuple:
        return (self.kind.currentIndex(), self.given.text(), self.family.text(), self.display.text(),
                self.organisation.text(), self.phones.values(), self.emails.values(), self.street.text(),
                self.city.text(), self.postcode.text(), self.region.text(), self.country.text(),
                self.birth_day.value(), self.birth_month.currentIndex(), self.birth_year.value(),
                self.tags.text(), self.referred_by.text(), self.notes.toPlainText())

    # -- validation ----------------------------------------------------------------------------

    def _on_edit(self, *_args) -> None:
        self._validate_timer.start()
        self.save_button.setEnabled(False)  # until the pending check has run

    def _on_kind_changed(self) -> None:
        self._apply_kind()
        self._on_edit()

    def _apply_kind(self) -> None:
        person = self.kind.currentData() == ContactKind.PERSON.value
        for widget in (self.given, self.family, self.given_label, self.family_label, self.organisation,
                       self.organisation_label, self.birth_day, self.birth_month, self.birth_year):
            widget.setEnabled(person)
        self.display.setPlaceholderText("Given and family name" if person else "The organisation's name")

    def revalidate(self) -> bool:
        if self.is_new() and not self.is_dirty() and not self._save_attempted:
            # A blank form has nothing to check and nothing to save.
            self._show_problems([])
            self._valid = False
            self.save_button.setEnabled(False)
            return False
        problems: list[FieldProblem] = []
        try:
            draft = self.draft()
        except ValueError as error:  # an impossible birthday such as 31 February
            problems.append(FieldProblem("birthday", str(error)))
            draft = None
        referrer = self.referred_by.text().strip()
        if referrer and self._referrer_ids.get(referrer) is None:
            problems.append(FieldProblem("referred_by", "Choose who referred them from the suggestions."))
        if draft is not None:
            try:
                self._contacts.validate(replace(draft, referred_by_id=self._referred_by_id), self._contact_id)
            except InvalidInput as error:
                problems.extend(error.problems)
        problems.extend(FieldProblem("boundaries", f"Boundaries: {problem}") for problem in self.rules.problems())
        self._show_problems(problems)
        self._valid = not problems
        self.save_button.setEnabled(self._valid and not self._saving and (self.is_dirty() or self.is_new()))
        return self._valid

    def _show_problems(self, problems: list[FieldProblem]) -> None:
        # A blank new form is not wrong yet: it only looks wrong once the user has typed something.
        shown = self._save_attempted or self.is_dirty() or not self.is_new()
        by_field = {p.field: p.message for p in problems} if shown else {}
        set_error(self.name_error, by_field.get("name") or by_field.get("given_name") or by_field.get("family_name")
                  or by_field.get("display_name", ""))
        set_error(self.birthday_error, by_field.get("birthday", ""))
        set_error(self.referred_by_error, by_field.get("referred_by", ""))
        set_error(self.notes_error, by_field.get("notes", ""))
        set_error(self.form_error, by_field.get("organisation") or by_field.get("boundaries", ""))
        self.phones.show_errors(_indexed(by_field, "phones"))
        self.emails.show_errors(_indexed(by_field, "emails"))

    # -- suggestions ---------------------------------------------------------------------------

    def _suggest_organisations(self, text: str) -> None:
        self._organisation_names.setStringList([name for _id, name in self._contacts.organisations(text.strip(), 20)])

    def _suggest_referrers(self, text: str) -> None:
        self._referred_by_id = self._referrer_ids.get(text.strip())
        if len(text.strip()) < 2:
            return
        for summary in self._contacts.find(text, limit=20):
            if summary.id != self._contact_id:
                label = summary.display_name + (f" ({summary.organisation})" if summary.organisation else "")
                self._referrer_ids[label] = summary.id
        self._referrer_names.setStringList(list(self._referrer_ids))
        self._referred_by_id = self._referrer_ids.get(text.strip())

    # -- actions -------------------------------------------------------------------------------

    def save(self) -> None:
        self._save_attempted = True
        if self._saving or not self.revalidate() or not (self.is_dirty() or self.is_new()):
            return
        draft = replace(self.draft(), referred_by_id=self._referred_by_id)
        organisation = self.organisation.text() if draft.kind is ContactKind.PERSON else ""
        contact_id = self._contact_id
        contact_changed = contact_id is None or self._snapshot() != self._baseline
        rules = self.rules.boundaries() if self._rules_changed() and self._boundaries is not None else None
        contacts, boundaries = self._contacts, self._boundaries
        self._saving = True
        self.save_button.setEnabled(False)

        def work() -> Saved:
            # The contact first (a new one needs its id), then its rules; each is its own undo step.
            if contact_id is None:
                saved = contacts.create(draft, organisation_name=organisation)
            elif contact_changed:
                saved = contacts.update(contact_id, draft, organisation_name=organisation)
            else:
                saved = Saved(contact_id, Changes(contacts=True, contact_ids=frozenset({contact_id})))
            if rules is not None:
                boundaries.save(saved.contact_id, rules)
            return saved

        self._operations.run(work, on_done=self._on_saved, on_error=self._on_save_failed)

    def _on_saved(self, saved: Saved) -> None:
        self._saving = False
        self.load(saved.contact_id)
        self.saved.emit(saved.contact_id)
        self.finished.emit()

    def _on_save_failed(self, error: BaseException) -> None:
        self._saving = False
        if isinstance(error, InvalidInput):
            self._show_problems(error.problems)
        else:
            set_error(self.form_error, f"Not saved: {error}")
        self.save_button.setEnabled(True)

    def cancel(self) -> None:
        if self._contact_id is not None:
            self.load(self._contact_id)
        else:
            self.start_new()
        self.finished.emit()


def _indexed(by_field: dict[str, str], prefix: str) -> dict[int, str]:
    result = {}
    for field, message in by_field.items():
        if field.startswith(prefix + "["):
            result[int(field[len(prefix) + 1:-1])] = message
    return result
