"""A client's contact boundaries: when each channel may be used, which ones an urgent matter may use at
any time, the client's own hours, a do-not-contact date and free notes.

The client's hours are used only by channels set to "Client's hours", so they can be edited only while
some channel is (and are saved only then): what is greyed out is what has no effect.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, QTimeZone, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from clientdesk.domain.boundaries import CHANNEL_LABELS, Channel, ChannelPolicy, ClientBoundaries
from clientdesk.domain.errors import FieldProblem
from clientdesk.domain.hours import WeeklyHours
from clientdesk.gui.hours_editor import WeeklyHoursEditor
from clientdesk.gui.style import HINT_STYLE, set_error

POLICY_LABELS = {
    ChannelPolicy.ANY_TIME: "Any time",
    ChannelPolicy.BUSINESS_HOURS: "Business hours",
    ChannelPolicy.CLIENT_WINDOW: "Client's hours",
    ChannelPolicy.NEVER: "Never",
}
# Letters chosen to stay clear of what is on screen with the editor in the contact form: the menus (File,
# Edit, Go, Reviews, Help), the form's tabs (Details, Boundaries, Timeline, Purchases) and the dashboard's
# (stage, by month). Letters on the hidden Details tab do not count. tests/gui/test_mnemonics.py checks it.
_MNEMONICS = {
    Channel.PHONE: "&Phone", Channel.SMS: "Te&xt", Channel.EMAIL: "Em&ail", Channel.VIDEO: "Video ca&ll",
    Channel.IN_PERSON: "In pe&rson", Channel.POSTAL: "P&ost",
}
DATE_FORMAT = "d MMM yyyy"


def _system_time_zone() -> str:
    name = bytes(QTimeZone.systemTimeZoneId().data()).decode()
    return name if name in zoneinfo.available_timezones() else "UTC"


class BoundariesEditor(QWidget):
    """Edits a `ClientBoundaries`; `boundaries()` raises InvalidInput with every problem, `is_valid()`
    says whether there is any, and problems show next to their fields as they are made."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, default_time_zone: str | None = None):
        super().__init__(parent)
        self._loading = True  # no `changed` while the widgets are built and filled
        self._default_time_zone = default_time_zone or _system_time_zone()
        self._zones = frozenset(zoneinfo.available_timezones())

        # --- channels ---
        self.policies: dict[Channel, QComboBox] = {}
        self.urgent: dict[Channel, QCheckBox] = {}
        channels = QGroupBox("Channels", self)
        grid = QGridLayout(channels)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        for row, channel in enumerate(Channel):
            label = QLabel(_MNEMONICS[channel], channels)
            policy = QComboBox(channels)
            for choice, text in POLICY_LABELS.items():
                policy.addItem(text, choice)
            policy.setAccessibleName(f"When to use {CHANNEL_LABELS[channel]}")
            label.setBuddy(policy)
            urgent = QCheckBox("Urgent", channels)
            urgent.setAccessibleName(f"{CHANNEL_LABELS[channel]} for urgent matters at any time")
            urgent.setToolTip(f"An urgent matter may use {CHANNEL_LABELS[channel].lower()} at any time, "
                              "even before the do-not-contact date.")
            policy.currentIndexChanged.connect(self._policies_changed)
            urgent.toggled.connect(self._edited)
            grid.addWidget(label, row, 0)
            grid.addWidget(policy, row, 1)
            grid.addWidget(urgent, row, 2)
            self.policies[channel] = policy
            self.urgent[channel] = urgent
        grid.setColumnStretch(3, 1)
        urgent_hint = QLabel("“Urgent” channels may be used for an urgent matter at any time.", channels)
        urgent_hint.setWordWrap(True)
        urgent_hint.setStyleSheet(HINT_STYLE)
        grid.addWidget(urgent_hint, len(Channel), 0, 1, 4)

        # --- do not contact, notes ---
        self.do_not_contact = QCheckBox("Do &not contact until", self)
        self.do_not_contact.setToolTip("Only urgent channels may be used before this day begins.")
        self.until = QDateEdit(self)
        self.until.setDisplayFormat(DATE_FORMAT)
        self.until.setCalendarPopup(True)
        self.until.setDateRange(QDate(2000, 1, 1), QDate(2199, 12, 31))
        self.until.setAccessibleName("Do not contact until")
        self.until.setEnabled(False)
        self.until.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.do_not_contact.toggled.connect(self.until.setEnabled)
        self.do_not_contact.toggled.connect(self._edited)
        self.until.dateChanged.connect(self._edited)
        self.notes = QPlainTextEdit(self)
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText("How to keep your distance, e.g. “Prefers email; phone only if the "
                                      "boiler fails”")
        self.notes.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.notes.textChanged.connect(self._edited)
        notes_label = QLabel("Notes on con&tact", self)
        notes_label.setBuddy(self.notes)
        until_row = QHBoxLayout()
        until_row.addWidget(self.do_not_contact)
        until_row.addWidget(self.until)
        until_row.addStretch(1)
        more = QVBoxLayout()
        more.setSpacing(4)
        more.addLayout(until_row)
        more.addSpacing(4)
        more.addWidget(notes_label)  # above the notes, which keep the pane's whole width
        more.addWidget(self.notes)

        # --- the client's hours ---
        self.window_box = QGroupBox("Client's hours", self)
        self.time_zone = QComboBox(self.window_box)
        self.time_zone.addItems(sorted(self._zones))
        self.time_zone.setEditable(True)
        # Not as wide as the longest zone name: the pane may be narrow.
        self.time_zone.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.time_zone.setMinimumContentsLength(14)
        self.time_zone.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.time_zone.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.time_zone.setAccessibleName("Client's time zone")
        self.time_zone.currentTextChanged.connect(self._edited)
        self.window_hours = WeeklyHoursEditor(self.window_box, field="client_window.hours", mnemonics=False)
        self.window_hours.changed.connect(self._edited)
        self.window_hint = QLabel(self.window_box)
        self.window_hint.setWordWrap(True)
        self.window_hint.setStyleSheet(HINT_STYLE)
        self.zone_error = QLabel(self.window_box)
        set_error(self.zone_error, "")
        window_form = QFormLayout(self.window_box)
        window_form.addRow(self.window_hint)
        window_form.addRow("Time &zone", self.time_zone)
        window_form.addRow("", self.zone_error)
        window_form.addRow(self.window_hours)

        # One column: the editor lives in the contact form's narrow pane, which scrolls up and down.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(channels)
        layout.addLayout(more)
        layout.addWidget(self.window_box)
        layout.addStretch(1)
        self.set_boundaries(ClientBoundaries.default())

    # --- the value -------------------------------------------------------------------------------

    def set_boundaries(self, boundaries: ClientBoundaries) -> None:
        self._loading = True
        try:
            for channel in Channel:
                combo = self.policies[channel]
                combo.setCurrentIndex(combo.findData(boundaries.policy(channel)))
                self.urgent[channel].setChecked(channel in boundaries.urgent_channels)
            window = boundaries.window
            self.time_zone.setCurrentText(window.time_zone if window else self._default_time_zone)
            self.window_hours.set_hours(window.hours if window else WeeklyHours.office_default())
            until = boundaries.do_not_contact_until
            self.do_not_contact.setChecked(until is not None)
            shown = until or date.today() + timedelta(days=7)
            self.until.setDate(QDate(shown.year, shown.month, shown.day))
            self.notes.setPlainText(boundaries.notes)
        finally:
            self._loading = False
        self._policies_changed()

    def to_json(self) -> dict:
        """The rules as entered, in the JSON shape of `ClientBoundaries.from_json`, valid or not."""
        until = self.until.date()
        return {
            "channels": {channel.value: self.policy(channel).value for channel in Channel},
            "urgent_channels": [channel.value for channel in Channel if self.urgent[channel].isChecked()],
            "client_window": {"timezone": self.time_zone.currentText().strip(), "hours": self.window_hours.to_json()}
            if self.uses_client_window() else None,
            "do_not_contact_until": f"{until.year():04d}-{until.month():02d}-{until.day():02d}"
            if self.do_not_contact.isChecked() else None,
            "notes": self.notes.toPlainText().strip(),
        }

    def boundaries(self) -> ClientBoundaries:
        """The rules as entered; InvalidInput with every problem if they cannot be saved."""
        return ClientBoundaries.from_json(self.to_json())

    def problems(self) -> list[str]:
        if not self.uses_client_window():
            return []
        found = [] if self._zone_is_known() else [self._zone_problem().message]
        return found + self.window_hours.problems()

    def is_valid(self) -> bool:
        return not self.problems()

    def uses_client_window(self) -> bool:
        return any(self.policy(channel) is ChannelPolicy.CLIENT_WINDOW for channel in Channel)

    def policy(self, channel: Channel) -> ChannelPolicy:
        """The rule chosen for a channel (Qt hands item data back as plain text)."""
        return ChannelPolicy(self.policies[channel].currentData())

    # --- inside ----------------------------------------------------------------------------------

    def _zone_is_known(self) -> bool:
        return self.time_zone.currentText().strip() in self._zones

    def _zone_problem(self) -> FieldProblem:
        return FieldProblem("client_window.timezone",
                            f"“{self.time_zone.currentText().strip()}” is not a time zone such as Europe/Berlin.")

    def _policies_changed(self) -> None:
        used = [CHANNEL_LABELS[channel] for channel in Channel if self.policy(channel) is ChannelPolicy.CLIENT_WINDOW]
        self.window_box.setEnabled(bool(used))
        self.window_hint.setText(f"Used for: {', '.join(used)}. In the client's own time zone; the business "
                                 "must be open as well." if used else
                                 "Set a channel to “Client's hours” to use the client's own hours.")
        self._edited()

    def _edited(self, *_args) -> None:
        if self._loading:
            return
        set_error(self.zone_error, "" if not self.uses_client_window() or self._zone_is_known()
                  else self._zone_problem().message)
        self.changed.emit()

