"""Quick log (Ctrl+L): find the caller, say what was said, save — every step from the keyboard.

Type a name (typos forgiven) or any part of a number, ↓/↑ to choose, Enter to pick, type the summary,
Ctrl+Enter to save. An unknown number offers a new contact in place; an outgoing contact the client's
boundaries forbid needs a reason before it can be saved."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QDateTime, QEvent, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clientdesk.domain.boundaries import CHANNEL_LABELS, Channel
from clientdesk.domain.contacts import ContactDraft, ContactSummary
from clientdesk.domain.errors import ClientDeskError, InvalidInput
from clientdesk.domain.interactions import Direction, Inquiry, InteractionDraft
from clientdesk.domain.reminders.agenda import AgendaItem
from clientdesk.gui.operations import Operations
from clientdesk.gui.out_of_scope_fields import OutOfScopeFields
from clientdesk.gui.style import ERROR_STYLE, HINT_STYLE, availability_color, set_error
from clientdesk.services.workspace import Workspace

LOGGED_BY_SETTING = "desk/logged_by"
NEW_CONTACT_ROLE = Qt.ItemDataRole.UserRole + 1
WARNING_STYLE = "QFrame#warning { background: #fbe7c2; border: 1px solid #e0a030; border-radius: 4px; }"
NOTES_STYLE = "QLabel { background: #eef3fb; border: 1px solid #b8c8e8; border-radius: 4px; padding: 6px; }"


def desk_user() -> str:
    """Who is logging at this desk: remembered from the last log, else the computer's user name."""
    import getpass

    stored = QSettings().value(LOGGED_BY_SETTING, "")
    if stored:
        return str(stored)
    try:
        return getpass.getuser()
    except OSError:
        return ""


def _next_morning() -> datetime:
    """Tomorrow at 09:00 on this computer's clock, as a naive local time for the date editor."""
    return (datetime.now() + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)


def _describe(summary: ContactSummary) -> str:
    details = [part for part in (summary.organisation, summary.phone, summary.email) if part]
    return summary.display_name + (f"  —  {' · '.join(details)}" if details else "")


class QuickLogDialog(QDialog):
    """`logged` carries the service's result once the interaction is saved: Logged, or Handled when the log
    completes an agenda item."""

    logged = Signal(object)

    def __init__(self, workspace: Workspace, operations: Operations, parent: QWidget | None = None, *,
                 contact_id: int | None = None, answering: Inquiry | None = None,
                 completing: AgendaItem | None = None):
        super().__init__(parent)
        self._workspace = workspace
        self._operations = operations
        self._contact_id: int | None = None
        self._contact_name = ""
        self._boundary_notes = ""
        self._blocked = False
        self._saving = False
        self._request_key = uuid.uuid4().hex  # Save pressed twice logs the call once
        self._completing = completing  # an agenda item that saving this log marks done
        self.setWindowTitle("Log a call or message")
        self.setMinimumWidth(620)

        self._build_who()
        self._build_form()
        self._build_buttons()
        layout = QVBoxLayout(self)
        layout.addLayout(self._who_layout)
        layout.addWidget(self.caller_panel)
        layout.addLayout(self._form)
        layout.addWidget(self.warning)
        layout.addWidget(self.error)
        layout.addStretch(1)  # the form keeps its rows together when the list of matches folds away
        layout.addWidget(self.buttons)

        self._connect()
        if completing is not None:
            self._fill_for(completing)
        elif contact_id is not None:
            self.pick(contact_id, answering=answering)
        else:
            self._show_caller(False)
        # The first typo reads every name and the first number loads the phone library: both are done
        # while the receptionist starts typing, not on the keystroke that needs them.
        QTimer.singleShot(0, self._warm_up)

    # -- building ------------------------------------------------------------------------------

    def _build_who(self) -> None:
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Name, organisation, email, or any part of a number")
        self.search.setAccessibleName("Who")
        self.search.setClearButtonEnabled(True)
        who_label = QLabel("&Who:", self)
        who_label.setBuddy(self.search)
        self.results = QListWidget(self)
        self.results.setAccessibleName("Matching contacts")
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # ↓/↑ in the search field move through it
        self.results.setMaximumHeight(190)
        self.results_hint = QLabel(self)
        self.results_hint.setStyleSheet(HINT_STYLE)
        self.new_name = QLineEdit(self)
        self.new_name.setPlaceholderText("Name of the caller, then Enter")
        self.new_name.setAccessibleName("New contact's name")
        self.new_label = QLabel(self)
        self.new_panel = QWidget(self)
        new_layout = QHBoxLayout(self.new_panel)
        new_layout.setContentsMargins(0, 0, 0, 0)
        new_layout.addWidget(self.new_label)
        new_layout.addWidget(self.new_name, 1)

        self._who_layout = QVBoxLayout()
        row = QHBoxLayout()
        row.addWidget(who_label)
        row.addWidget(self.search, 1)
        self._who_layout.addLayout(row)
        self._who_layout.addWidget(self.results)
        self._who_layout.addWidget(self.results_hint)
        self._who_layout.addWidget(self.new_panel)

        self.caller_panel = QWidget(self)
        panel = QVBoxLayout(self.caller_panel)
        panel.setContentsMargins(0, 4, 0, 4)
        self.caller = QLabel(self)
        self.caller.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.availability = QLabel(self)
        self.availability.setAccessibleName("Contact now?")
        self.notes = QLabel(self)
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet(NOTES_STYLE)
        self.notes.setAccessibleName("Keep your distance")
        self.in_scope = QLabel(self)  # what the client's agreement covers, so a request beyond it is noticed
        self.in_scope.setAccessibleName("In scope")
        self.in_scope.setWordWrap(True)
        heading = QHBoxLayout()
        heading.addWidget(self.caller)
        heading.addStretch(1)
        heading.addWidget(self.availability)
        panel.addLayout(heading)
        panel.addWidget(self.in_scope)
        panel.addWidget(self.notes)

    def _build_form(self) -> None:
        self.channel = QComboBox(self)
        for channel in Channel:
            self.channel.addItem(CHANNEL_LABELS[channel], channel)
        self.direction = QComboBox(self)
        self.direction.addItem("Incoming — they contacted us", Direction.IN)
        self.direction.addItem("Outgoing — we contacted them", Direction.OUT)
        self.summary = QPlainTextEdit(self)
        self.summary.setTabChangesFocus(True)
        self.summary.setPlaceholderText("What was said (Ctrl+Enter saves)")
        self.summary.setFixedHeight(76)
        self.summary.setAccessibleName("Summary")
        self.outcome = QLineEdit(self)
        self.outcome.setPlaceholderText("e.g. quote sent, call back Tuesday")
        self.follow_up = QCheckBox("Follow &up — remind me on", self)
        self.follow_up.setToolTip("Put a follow-up on the Today page (a call back, a promised answer)")
        self.follow_up_at = QDateTimeEdit(QDateTime(_next_morning()), self)
        self.follow_up_at.setCalendarPopup(True)
        self.follow_up_at.setDisplayFormat("ddd d MMM yyyy HH:mm")
        self.follow_up_at.setAccessibleName("Follow up on")
        self.follow_up_at.setEnabled(False)
        self.minutes = QSpinBox(self)
        self.minutes.setRange(0, 24 * 60)
        self.minutes.setSpecialValueText("—")
        self.minutes.setSuffix(" min")
        self.urgent = QCheckBox("U&rgent", self)
        self.needs_reply = QCheckBox("&Needs a reply", self)
        self.needs_reply.setToolTip("Opens an inquiry with the business's reply-by target and limit")
        self.out_of_scope = QCheckBox("Out of sco&pe", self)
        self.out_of_scope.setToolTip("They asked for something their agreement does not cover: record it, "
                                     "what you decided and the extra charge, with the call")
        self.answers = QComboBox(self)
        self.answers.setAccessibleName("Answers inquiry")
        self.logged_by = QLineEdit(desk_user(), self)
        self.override = QLineEdit(self)
        self.override.setPlaceholderText("Why contact them anyway? (recorded with the log)")
        self.override.setAccessibleName("Override reason")

        flags = QHBoxLayout()
        flags.addWidget(self.minutes)
        flags.addWidget(self.urgent)
        flags.addWidget(self.needs_reply)
        flags.addWidget(self.out_of_scope)
        flags.addStretch(1)
        self._form = QFormLayout()
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._form.addRow("&Channel:", self.channel)
        self._form.addRow("&Direction:", self.direction)
        self._form.addRow("&Summary:", self.summary)
        self._form.addRow("&Outcome:", self.outcome)
        follow_up_row = QHBoxLayout()
        follow_up_row.addWidget(self.follow_up)
        follow_up_row.addWidget(self.follow_up_at)
        follow_up_row.addStretch(1)
        self._form.addRow("", follow_up_row)
        duration_label = QLabel("Durat&ion:", self)
        duration_label.setBuddy(self.minutes)
        self._form.addRow(duration_label, flags)
        self._form.addRow("&Answers:", self.answers)
        self._form.addRow("Logged &by:", self.logged_by)
        self.request = OutOfScopeFields(self._form, self._workspace.business.profile().currency, self._reply, self,
                                        labels=("As&ked for:", "D&ecision:", "Extra c&harge", "Reply:"))
        self.request.set_rows_visible(False)

        self.warning = QFrame(self)
        self.warning.setObjectName("warning")
        self.warning.setStyleSheet(WARNING_STYLE)
        warning_layout = QVBoxLayout(self.warning)
        self.warning_text = QLabel(self.warning)
        self.warning_text.setWordWrap(True)
        self.warning_text.setAccessibleName("Boundary warning")
        override_row = QHBoxLayout()
        override_label = QLabel("Override &reason:", self.warning)
        override_label.setBuddy(self.override)
        override_row.addWidget(override_label)
        override_row.addWidget(self.override, 1)
        warning_layout.addWidget(self.warning_text)
        warning_layout.addLayout(override_row)
        self.warning.hide()
        self.error = QLabel(self)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()

    def _build_buttons(self) -> None:
        self.buttons = QDialogButtonBox(self)
        self.save_button = QPushButton("&Save", self)
        self.save_button.setToolTip("Save the log (Ctrl+Enter)")
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        # Enter belongs to the field it is typed in (picking a caller, naming a new one); it never presses
        # a button of its own accord. Saving is Ctrl+Enter, or Enter in a one-line field of the form.
        for button in self.buttons.buttons():
            button.setAutoDefault(False)
            button.setDefault(False)
        self.buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.save)

    def _connect(self) -> None:
        self.search.textEdited.connect(self._search_edited)
        self.search.installEventFilter(self)
        self.new_name.returnPressed.connect(self._create_contact)
        self.results.itemActivated.connect(lambda _item: self._pick_selected())
        self.results.itemClicked.connect(lambda _item: self._pick_selected())
        for combo in (self.channel, self.direction):
            combo.currentIndexChanged.connect(self._form_changed)
        self.urgent.toggled.connect(self._form_changed)
        self.out_of_scope.toggled.connect(self._show_request)
        self.follow_up.toggled.connect(self.follow_up_at.setEnabled)
        self.answers.currentIndexChanged.connect(self._form_changed)
        self.override.textChanged.connect(self._update_save)
        self.summary.textChanged.connect(self._update_save)
        self.outcome.textChanged.connect(self._update_save)
        self.outcome.returnPressed.connect(self.save)
        self.override.returnPressed.connect(self.save)

    def _warm_up(self) -> None:
        self._workspace.contacts.caller_lookup.warm_up_in_background()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # Focus set before the dialog is shown does not stick: a picked caller starts at the summary.
        (self.summary if self._contact_id is not None else self.search).setFocus()

    # -- finding the caller --------------------------------------------------------------------

    def eventFilter(self, watched, event) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.results.count():
                step = 1 if key == Qt.Key.Key_Down else -1
                row = min(max(self.results.currentRow() + step, 0), self.results.count() - 1)
                self.results.setCurrentRow(row)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
                if self.results.isVisible() and self.results.count():
                    self._pick_selected()
                elif self._contact_id is not None:
                    self.summary.setFocus()
                return True
        return super().eventFilter(watched, event)

    def _search_edited(self, text: str) -> None:
        if self._contact_id is not None:
            self._unpick()
        found = self._workspace.contacts.lookup(text)
        self.results.clear()
        for summary in found.matches:
            item = QListWidgetItem(_describe(summary))
            item.setData(Qt.ItemDataRole.UserRole, summary.id)
            if summary.id not in found.exact:
                item.setToolTip("A close spelling of what was typed")
            self.results.addItem(item)
        if found.new_number is not None:
            item = QListWidgetItem(f"＋ New contact with {found.new_number.raw}…")
            item.setData(NEW_CONTACT_ROLE, found.new_number.raw)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)
        self.results.setVisible(bool(text.strip()))
        self.new_panel.hide()
        self.results_hint.setText(self._hint(text, found))
        self.results_hint.setVisible(bool(self.results_hint.text()))
        self._update_save()

    @staticmethod
    def _hint(text: str, found) -> str:
        if not text.strip():
            return ""
        if found.new_number is not None:
            return "Nobody has this number. Press Enter to add the caller as a new contact."
        if not found.matches:
            return "No one matches. Check the spelling, or type the caller's number to add them."
        if found.close_only:
            return "No exact match; these are close spellings. ↓/↑ to choose, Enter to pick."
        more = (f"{found.more:,}{' or more' if found.more_or_above else ''} more match — keep typing to narrow. "
                if found.more else "")
        return more + "↓/↑ to choose, Enter to pick."

    def _pick_selected(self) -> None:
        item = self.results.currentItem() or (self.results.item(0) if self.results.count() else None)
        if item is None:
            return
        number = item.data(NEW_CONTACT_ROLE)
        if number:
            self.new_label.setText(f"New contact with {number}:")
            self.new_panel.setProperty("number", number)
            self.new_panel.show()
            self.results.hide()
            self.results_hint.setText("Type the caller's name and press Enter; the contact is saved with the number.")
            self.new_name.setFocus()
            return
        self.pick(int(item.data(Qt.ItemDataRole.UserRole)))

    def _create_contact(self) -> None:
        name = self.new_name.text().strip()
        number = str(self.new_panel.property("number") or "")
        if not name:
            set_error(self.error, "Type the caller's name to add them as a new contact.")
            return
        given, _, family = name.partition(" ")
        draft = ContactDraft(given_name=given, family_name=family, phones=(("mobile", number),))
        contacts = self._workspace.contacts
        self.new_name.setEnabled(False)

        def created(saved) -> None:
            self.new_name.setEnabled(True)
            self.new_panel.hide()
            self.pick(saved.contact_id)

        def failed(error: BaseException) -> None:
            self.new_name.setEnabled(True)
            set_error(self.error, str(error))

        self._operations.run(lambda: contacts.create(draft), on_done=created, on_error=failed)

    def pick(self, contact_id: int, *, answering: Inquiry | None = None) -> None:
        """Make `contact_id` the caller; `answering` preselects the inquiry this contact answers."""
        try:
            contact = self._workspace.contacts.get(contact_id)
            rules = self._workspace.boundaries.get(contact_id)
            open_inquiries = self._workspace.interactions.open_inquiries_for(contact_id)
        except ClientDeskError as error:
            set_error(self.error, str(error))
            return
        self._contact_id = contact_id
        self._contact_name = contact.display_name
        self._boundary_notes = rules.notes
        self._show_in_scope(contact_id)
        self.search.setText(contact.display_name)
        self.results.hide()
        self.results_hint.hide()
        self.new_panel.hide()
        self.error.hide()
        self.caller.setText(contact.display_name)
        self.answers.blockSignals(True)
        self.answers.clear()
        self.answers.addItem("— nothing —", None)
        for inquiry in open_inquiries:
            self.answers.addItem(f"Inquiry received {inquiry.received.astimezone():%a %d %b %H:%M}", inquiry.id)
        if answering is not None:
            self.direction.setCurrentIndex(self.direction.findData(Direction.OUT))
            self.answers.setCurrentIndex(max(0, self.answers.findData(answering.id)))
            self.channel.setCurrentIndex(self.channel.findData(self._allowed_channel_now()))
        self.answers.blockSignals(False)
        self._show_caller(True)
        self._form_changed()
        self.summary.setFocus()

    def _show_in_scope(self, contact_id: int) -> None:
        workspace = self._workspace
        services = workspace.purchases.in_scope(contact_id, workspace.metrics.today())
        self.in_scope.setText(f"In scope: {', '.join(services)}" if services else "")
        self.in_scope.setVisible(bool(services))

    # -- a request beyond the agreement --------------------------------------------------------

    def _reply(self, asked: str, charge) -> str:
        return self._workspace.business.out_of_scope_reply(asked, charge, self._contact_name)

    def _show_request(self, shown: bool) -> None:
        self.request.set_rows_visible(shown)
        if shown:
            if not self.request.asked.text().strip():
                first_line = self.summary.toPlainText().strip().splitlines()
                self.request.asked.setText(first_line[0] if first_line else "")
            self.request.asked.setFocus()
            self.request.asked.selectAll()
        self.adjustSize()

    def _fill_for(self, item: AgendaItem) -> None:
        """The item's client, channel and title, as an outgoing contact; a reply-by item's inquiry answered."""
        prefill = self._workspace.reminders.log_prefill(item.id, item)
        self.setWindowTitle(f"Log it and mark it done — {item.title}")
        self.pick(prefill.contact_id)
        self.direction.setCurrentIndex(self.direction.findData(Direction.OUT))
        self.channel.setCurrentIndex(max(0, self.channel.findData(prefill.channel or Channel.PHONE)))
        if prefill.answers_inquiry_id is not None:
            self.answers.setCurrentIndex(max(0, self.answers.findData(prefill.answers_inquiry_id)))
        self.summary.setPlainText(prefill.summary)
        self.summary.selectAll()  # Ctrl+Enter keeps it; typing replaces it
        self.out_of_scope.hide()  # a request beyond the agreement is logged from a call of its own
        self._form_changed()

    def _unpick(self) -> None:
        self._contact_id = None
        self._show_caller(False)
        self._form_changed()

    def _allowed_channel_now(self) -> Channel:
        """For a reply: the first channel the client allows now, else the phone."""
        now = datetime.now(UTC)
        for channel in (Channel.PHONE, Channel.EMAIL, Channel.SMS, Channel.VIDEO):
            if self._workspace.boundaries.check(self._contact_id, channel, now).allowed:
                return channel
        return Channel.PHONE

    def _show_caller(self, shown: bool) -> None:
        self.caller_panel.setVisible(shown)
        if not shown:
            self.warning.hide()
        for widget in (self.channel, self.direction, self.summary, self.outcome, self.follow_up, self.minutes,
                       self.urgent, self.needs_reply, self.out_of_scope, self.answers, self.logged_by):
            widget.setEnabled(shown)
        if not shown:
            self.out_of_scope.setChecked(False)
        self._update_save()

    # -- the form ------------------------------------------------------------------------------

    def _direction(self) -> Direction:
        return Direction(self.direction.currentData())  # Qt hands enum data back as plain text

    def _channel(self) -> Channel:
        return Channel(self.channel.currentData())

    def _form_changed(self, *_args) -> None:
        if self._contact_id is None:
            self._update_save()
            return
        outgoing = self._direction() is Direction.OUT
        self.needs_reply.setEnabled(not outgoing)
        if outgoing:
            self.needs_reply.setChecked(False)
        self.answers.setEnabled(outgoing and self.answers.count() > 1)
        if not outgoing:
            self.answers.setCurrentIndex(0)
        now = datetime.now(UTC)
        boundaries = self._workspace.boundaries
        self.availability.setText(boundaries.summaries([self._contact_id], now).get(self._contact_id, ""))
        self.availability.setStyleSheet(f"color: {availability_color(self.availability.text())};")
        # Incoming: what the receptionist should know to answer well. Outgoing: the rule that applies.
        self.notes.setText(f"Keep in mind: {self._boundary_notes}" if self._boundary_notes else "")
        self.notes.setVisible(bool(self._boundary_notes) and not outgoing)
        self._blocked = False
        if outgoing:
            channel = self._channel()
            check = boundaries.check(self._contact_id, channel, now, self.urgent.isChecked())
            self._blocked = not check.allowed
            if self._blocked:
                extra = f" Their note: {self._boundary_notes}" if self._boundary_notes else ""
                self.warning_text.setText(boundaries.refusal(channel, check, now) + extra)
        self.warning.setVisible(self._blocked)
        self._update_save()

    def _update_save(self) -> None:
        has_text = bool(self.summary.toPlainText().strip() or self.outcome.text().strip())
        reason_given = not self._blocked or bool(self.override.text().strip())
        self.save_button.setEnabled(self._contact_id is not None and has_text and reason_given and not self._saving)
        if self._blocked and not reason_given:
            self.save_button.setToolTip("Give a reason to override the client's boundaries first")
        else:
            self.save_button.setToolTip("Save the log (Ctrl+Enter)")

    def draft(self) -> InteractionDraft | None:
        if self._contact_id is None:
            return None
        outgoing = self._direction() is Direction.OUT
        return InteractionDraft(
            contact_id=self._contact_id, channel=self._channel(), direction=self._direction(),
            at=datetime.now(UTC), summary=self.summary.toPlainText(), outcome=self.outcome.text(),
            duration_minutes=self.minutes.value() or None, urgent=self.urgent.isChecked(),
            logged_by=self.logged_by.text(), needs_reply=self.needs_reply.isChecked() and not outgoing,
            answers_inquiry_id=self.answers.currentData() if outgoing else None,
            override_reason=self.override.text() if self._blocked else "")

    def save(self) -> None:
        if not self.save_button.isEnabled():
            if self._contact_id is None:
                self.search.setFocus()
            elif self._blocked and not self.override.text().strip():
                self.override.setFocus()
            else:
                self.summary.setFocus()
            return
        draft = self.draft()
        if draft is None:
            return
        request = None
        if self.out_of_scope.isChecked():
            try:
                request = self.request.draft(draft.contact_id, draft.at)
            except InvalidInput as error:
                set_error(self.error, error.sentence())
                self.request.asked.setFocus()
                return
        follow_up = self._follow_up_draft(draft)
        if follow_up is False:
            return
        self._saving = True
        self._update_save()
        QSettings().setValue(LOGGED_BY_SETTING, self.logged_by.text().strip())
        reminders = self._workspace.reminders if follow_up is not None or self._completing is not None else None
        if self._completing is not None:
            item = self._completing

            def complete():
                handled = reminders.done(item.id, log=draft, item=item)
                if follow_up is not None:
                    reminders.add(follow_up)
                return handled

            self._operations.run(complete, on_done=self._saved, on_error=self._failed)
            return
        interactions, key = self._workspace.interactions, self._request_key

        def log():
            logged = interactions.log(draft, key, out_of_scope=request)
            if follow_up is not None and not logged.repeated:
                reminders.add(follow_up)
            return logged

        self._operations.run(log, on_done=self._saved, on_error=self._failed)

    def _follow_up_draft(self, draft: InteractionDraft):
        """The follow-up to add with the log (None without one); False, with the problem shown, when it
        cannot be kept as entered — checked before anything is written."""
        if not self.follow_up.isChecked():
            return None
        from clientdesk.domain.reminders.follow_ups import ReminderDraft, validate_reminder

        due = self.follow_up_at.dateTime().toPython().astimezone().astimezone(UTC)
        what = self.outcome.text().strip() or f"Follow up with {self._contact_name}"
        reminder = ReminderDraft(what, due, contact_id=draft.contact_id, channel=draft.channel)
        try:
            validate_reminder(reminder, self._workspace.business.profile().time_zone)
        except InvalidInput as error:
            set_error(self.error, error.sentence())
            return False
        if due <= datetime.now(UTC):
            set_error(self.error, "Choose a follow-up time after now.")
            self.follow_up_at.setFocus()
            return False
        return reminder

    def _saved(self, logged) -> None:
        self._saving = False
        self.logged.emit(logged)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._saving = False
        if isinstance(error, InvalidInput):
            message = error.sentence()
        elif isinstance(error, ClientDeskError):
            message = str(error)
        else:
            message = f"Something went wrong and nothing was saved: {error}"
        set_error(self.error, message)
        self._form_changed()

    @property
    def contact_id(self) -> int | None:
        return self._contact_id
