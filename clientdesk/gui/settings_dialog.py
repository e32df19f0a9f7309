"""Settings: the business profile, in four tabs.

"Business": name, address, country, time zone, currency. "Hours": the weekly opening hours, closures,
public holidays and how fast messages are answered. "Texts": the business's wording of the
acknowledgement and of the "outside our agreement" answer. "Retention": when a client counts as lapsed
and how much of the revenue one or three clients may bring before the dashboard warns. Every value on the Hours tab is picked rather than
typed (time and date pickers, lists, spin boxes with their bounds), so nothing invalid can be entered;
what can still go wrong there (overlapping hours, holidays for a country without holiday data) is
shown as it happens and keeps Save disabled until it is put right.
"""

from __future__ import annotations

import html
import zoneinfo
from dataclasses import replace
from datetime import date
from decimal import Decimal

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from clientdesk.domain import hours as hours_rules
from clientdesk.domain.business import BusinessProfile, InvalidProfile
from clientdesk.domain.errors import InvalidInput
from clientdesk.domain.hours import Closure, PublicHolidays
from clientdesk.domain.lifecycle import RetentionSettings
from clientdesk.domain.reply import (
    DEFAULT_ACKNOWLEDGEMENT, DEFAULT_OUT_OF_SCOPE_REPLY, MAX_ACKNOWLEDGEMENT, ReplyClock, ReplyPolicy,
)
from clientdesk.gui.hours_editor import WeeklyHoursEditor
from clientdesk.gui.style import HINT_STYLE, set_error

DATE_FORMAT = "d MMM yyyy"  # the same on every machine, and no two-digit years
REPLY_CLOCKS = ((ReplyClock.CALENDAR, "Calendar hours"), (ReplyClock.BUSINESS_HOURS, "Business hours only"))


def _country_names() -> list[tuple[str, str]]:
    import phonenumbers

    named = []
    for code in sorted(phonenumbers.SUPPORTED_REGIONS):
        territory = QLocale.codeToTerritory(code)
        name = QLocale.territoryToString(territory) if territory != QLocale.Country.AnyCountry else code
        named.append((name, code))
    return sorted(named, key=lambda pair: pair[0].casefold())


def _regions(country: str) -> list[str] | None:
    """The regions of `country` with holidays of their own, or None when that is not known.

    The rules module lists them only through a private helper; without it the list is left empty and
    PublicHolidays itself still refuses a region it does not know."""
    listing = getattr(hours_rules, "_supported_countries", None)
    if listing is None:
        return None
    return list(listing().get(country.upper(), []))


def _percent_box(share: Decimal, parent: QWidget, name: str) -> QSpinBox:
    box = QSpinBox(parent)
    box.setRange(1, 100)
    box.setSuffix(" % of revenue")
    box.setValue(int((share * 100).to_integral_value()))
    box.setAccessibleName(name)
    return box


def _share(box: QSpinBox) -> Decimal:
    return Decimal(box.value()) / 100


def _to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _to_date(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def _date_edit(parent: QWidget) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setCalendarPopup(True)  # Alt+Down or F4 opens a month to pick from
    edit.setDateRange(QDate(2000, 1, 1), QDate(2199, 12, 31))
    return edit


class HoursSpinBox(QDoubleSpinBox):
    """Hours to two decimal places, shown without needless zeros ("24 hours", "1.5 hours")."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setDecimals(2)
        self.setRange(0.01, 24 * 366)  # above 0, as the reply rules require
        self.setSingleStep(1)
        self.setSuffix(" hours")
        self.setAlignment(Qt.AlignmentFlag.AlignRight)

    def textFromValue(self, value: float) -> str:
        locale = self.locale()
        text = locale.toString(float(value), "f", self.decimals()).replace(locale.groupSeparator(), "")
        decimal = locale.decimalPoint()
        if decimal in text:
            text = text.rstrip(locale.zeroDigit()).removesuffix(decimal)
        return text

    def hours(self) -> float | int:
        """The value for ReplyPolicy: a whole number when it is one, so the JSON says 24, not 24.0."""
        value = round(self.value(), self.decimals())
        return int(value) if value.is_integer() else value


class _ClosureRow:
    def __init__(self, editor: ClosuresEditor, closure: Closure):
        self.start = _date_edit(editor.rows)
        self.start.setDate(_to_qdate(closure.start))
        self.dash = QLabel("–", editor.rows)
        self.end = _date_edit(editor.rows)
        self.end.setMinimumDate(self.start.date())
        self.end.setDate(_to_qdate(closure.end))
        self.reason = QLineEdit(closure.reason, editor.rows)
        self.reason.setPlaceholderText("Reason")
        self.remove = QToolButton(editor.rows)
        self.remove.setText("✕")
        self.remove.setAutoRaise(True)
        # The end can never be before the start: it follows the start forward.
        self.start.dateChanged.connect(self.end.setMinimumDate)

    def widgets(self) -> tuple[QWidget, ...]:
        return self.start, self.dash, self.end, self.reason, self.remove

    def closure(self) -> Closure:
        return Closure(_to_date(self.start.date()), _to_date(self.end.date()), self.reason.text().strip())


class ClosuresEditor(QWidget):
    """Days the business is closed: start and end dates (inclusive, picked, never typed free) and a reason."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._rows: list[_ClosureRow] = []
        # First in the Tab order and never re-created, so the rows can be chained after it.
        self.add_button = QPushButton("A&dd closure", self)
        self.add_button.clicked.connect(lambda: self.add_closure(focus=True))
        self.empty = QLabel("No closures.", self)
        self.empty.setStyleSheet(HINT_STYLE)
        self.rows = QWidget(self)
        self._grid = QGridLayout(self.rows)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(4)
        self._grid.setVerticalSpacing(2)
        self._grid.setColumnStretch(3, 1)
        self._headers = [QLabel(text, self.rows) for text in ("From", "", "To", "Reason")]
        for header in self._headers:
            header.setStyleSheet(HINT_STYLE)
        self.scroll = QScrollArea(self)
        self.scroll.setWidget(self.rows)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        top = QHBoxLayout()
        top.addWidget(self.add_button)
        top.addWidget(self.empty)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.scroll)
        self._rebuild()

    def set_closures(self, closures: tuple[Closure, ...]) -> None:
        for row in self._rows:
            for widget in row.widgets():
                widget.hide()
                widget.deleteLater()
        self._rows = []
        for closure in closures:
            self._new_row(closure)
        self._rebuild()

    def closures(self) -> tuple[Closure, ...]:
        return tuple(sorted((row.closure() for row in self._rows), key=lambda closure: (closure.start, closure.end)))

    def row_widgets(self, index: int) -> tuple[QDateEdit, QDateEdit, QLineEdit]:
        row = self._rows[index]
        return row.start, row.end, row.reason

    def add_closure(self, *, focus: bool = False) -> tuple[QDateEdit, QDateEdit, QLineEdit]:
        today = date.today()
        row = self._new_row(Closure(today, today))
        self._rebuild()
        if focus:
            row.start.setFocus(Qt.FocusReason.TabFocusReason)
        self.changed.emit()
        return row.start, row.end, row.reason

    def remove_closure(self, index: int) -> None:
        row = self._rows.pop(index)
        had_focus = any(widget.hasFocus() for widget in row.widgets())
        for widget in row.widgets():
            widget.hide()
            widget.deleteLater()
        self._rebuild()
        if had_focus:
            (self._rows[min(index, len(self._rows) - 1)].start if self._rows else self.add_button).setFocus()
        self.changed.emit()

    def _new_row(self, closure: Closure) -> _ClosureRow:
        row = _ClosureRow(self, closure)
        self._rows.append(row)
        row.start.dateChanged.connect(self.changed)
        row.end.dateChanged.connect(self.changed)
        row.reason.textEdited.connect(self.changed)
        row.remove.clicked.connect(lambda: self.remove_closure(self._rows.index(row)))
        return row

    def _rebuild(self) -> None:
        while self._grid.count():
            self._grid.takeAt(0)
        for column, header in enumerate(self._headers):
            self._grid.addWidget(header, 0, column)
            header.setVisible(bool(self._rows))
        chain: list[QWidget] = [self.add_button]
        for number, row in enumerate(self._rows, start=1):
            row.start.setAccessibleName(f"Closure {number} from")
            row.end.setAccessibleName(f"Closure {number} to")
            row.reason.setAccessibleName(f"Closure {number} reason")
            row.remove.setAccessibleName(f"Remove closure {number}")
            row.remove.setToolTip("Remove this closure")
            for column, widget in enumerate(row.widgets()):
                self._grid.addWidget(widget, number, column)
                widget.show()
            chain += [row.start, row.end, row.reason, row.remove]
        self._grid.setRowStretch(len(self._rows) + 1, 1)
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)
        self.empty.setVisible(not self._rows)
        self.scroll.setVisible(bool(self._rows))
        # Up to four closures show at once; more scroll.
        line = (self._rows[0].start.sizeHint().height() + 2) if self._rows else 0
        header = self._headers[0].sizeHint().height() + 2
        self.scroll.setFixedHeight(header + line * min(len(self._rows), 4) if self._rows else 0)


class SettingsDialog(QDialog):
    def __init__(self, profile: BusinessProfile, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Settings — ClientDesk")
        self._opened_with = profile
        self.tabs = QTabWidget(self)
        business = QWidget()
        hours_tab = QWidget()
        self.tabs.addTab(business, "&Business")
        self.tabs.addTab(hours_tab, "&Hours")

        # --- Business ---
        self.name = QLineEdit(profile.name, business)
        self.address = QPlainTextEdit(profile.address, business)
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.country = QComboBox(business)
        for name, code in _country_names():
            self.country.addItem(f"{name} ({code})", code)
        self.country.setCurrentIndex(max(0, self.country.findData(profile.country.upper())))
        self.country.setEditable(True)
        self.country.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.country.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.time_zone = QComboBox(business)
        self.time_zone.addItems(sorted(zoneinfo.available_timezones()))
        self.time_zone.setEditable(True)
        self.time_zone.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.time_zone.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.time_zone.setCurrentText(profile.time_zone)
        self.currency = QLineEdit(profile.currency, business)
        self.currency.setMaxLength(3)
        self.currency.setInputMask(">AAA")
        hint = QLabel("The country is the default for phone numbers typed without a country code, "
                      "and the one whose public holidays are observed.", business)
        hint.setWordWrap(True)
        hint.setStyleSheet(HINT_STYLE)
        form = QFormLayout()
        form.addRow("Business &name", self.name)
        form.addRow("&Address", self.address)
        form.addRow("&Country", self.country)
        form.addRow("", hint)
        form.addRow("&Time zone", self.time_zone)
        form.addRow("C&urrency", self.currency)
        business_layout = QVBoxLayout(business)
        business_layout.addLayout(form)
        business_layout.addStretch(1)

        # --- Hours ---
        self.hours = WeeklyHoursEditor(hours_tab)
        self.hours.set_hours(profile.hours)
        opening = QGroupBox("Opening hours", hours_tab)
        opening_layout = QVBoxLayout(opening)
        opening_layout.addWidget(self.hours)
        opening_layout.addStretch(1)

        self.closures = ClosuresEditor(hours_tab)
        self.closures.set_closures(profile.closures)
        closures_box = QGroupBox("Closures (closed all day, dates inclusive)", hours_tab)
        QVBoxLayout(closures_box).addWidget(self.closures)

        self.public_holidays = QCheckBox("Observe &public holidays (closed all day)", hours_tab)
        self.public_holidays.setChecked(profile.public_holidays)
        self.subdivision = QComboBox(hours_tab)
        self.subdivision.setAccessibleName("Region for public holidays")
        self.subdivision.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.upcoming = QLabel(hours_tab)
        self.upcoming.setTextFormat(Qt.TextFormat.RichText)
        self.upcoming.setAccessibleName("Next public holidays")
        self.holiday_error = QLabel(hours_tab)
        set_error(self.holiday_error, "")
        holidays_box = QGroupBox("Public holidays", hours_tab)
        holidays_form = QFormLayout(holidays_box)
        holidays_form.addRow(self.public_holidays)
        holidays_form.addRow("&Region", self.subdivision)
        holidays_form.addRow("Next", self.upcoming)
        holidays_form.addRow(self.holiday_error)

        self.reply_target = HoursSpinBox(hours_tab)
        self.reply_target.setAccessibleName("Aim to reply within, in hours")
        self.reply_limit = HoursSpinBox(hours_tab)
        self.reply_limit.setAccessibleName("Reply at the latest within, in hours")
        self.reply_target.valueChanged.connect(self.reply_limit.setMinimum)  # the limit is never below the target
        self.reply_target.setValue(profile.reply.target_hours)
        self.reply_limit.setMinimum(self.reply_target.value())
        self.reply_limit.setValue(profile.reply.limit_hours)
        self.reply_clock = QComboBox(hours_tab)
        for clock, label in REPLY_CLOCKS:
            self.reply_clock.addItem(label, clock)
        self.reply_clock.setCurrentIndex(max(0, self.reply_clock.findData(profile.reply.clock)))
        self.reply_clock.setAccessibleName("Count reply time in")
        self.reply_clock.setToolTip("Calendar hours count every hour; business hours count only while you are open.")
        reply_box = QGroupBox("Replies", hours_tab)
        reply_form = QFormLayout(reply_box)
        reply_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        reply_form.addRow("A&im to reply within", self.reply_target)
        reply_form.addRow("Reply at the &latest within", self.reply_limit)
        reply_form.addRow("&Count", self.reply_clock)

        right = QVBoxLayout()
        right.addWidget(closures_box)
        right.addWidget(holidays_box)
        right.addWidget(reply_box)
        right.addStretch(1)
        hours_layout = QHBoxLayout(hours_tab)
        hours_layout.addWidget(opening)
        hours_layout.addLayout(right, 1)

        # --- the texts sent to clients ---
        replies_tab = QWidget(self.tabs)
        self.tabs.addTab(replies_tab, "Te&xts")
        self.acknowledgement = self._reply_text(
            replies_tab, "Acknowledgement",
            "Sent as soon as an inquiry arrives, so the client knows when to expect the answer (Inquiries → "
            "Acknowledge). {client} becomes the client's name, {target} and {limit} the promised reply times, "
            "{business} your business's name.", profile.reply.acknowledgement, DEFAULT_ACKNOWLEDGEMENT,
            "&Use the standard text")
        self.out_of_scope = self._reply_text(
            replies_tab, "Outside the agreement",
            "Offered to copy when a client asks for something their agreement does not cover (a contact's "
            "Purchases tab, or the quick log). {request} becomes what was asked for, {offer} \"we can do it as "
            "extra work for …\" with the charge, or an offer to quote when no charge is given; {client} and "
            "{business} as above.", profile.reply.out_of_scope, DEFAULT_OUT_OF_SCOPE_REPLY,
            "Use the standard &wording")
        replies_layout = QVBoxLayout(replies_tab)
        for box in (self.acknowledgement.parentWidget(), self.out_of_scope.parentWidget()):
            replies_layout.addWidget(box, 1)

        # --- retention ---
        retention_tab = QWidget(self.tabs)
        self.tabs.addTab(retention_tab, "R&etention")
        retention = profile.retention
        self.lapse_days = QSpinBox(retention_tab)
        self.lapse_days.setRange(1, 3650)
        self.lapse_days.setSuffix(" days")
        self.lapse_days.setValue(retention.lapse_days)
        self.lapse_days.setAccessibleName("Lapsed after")
        self.largest_limit = _percent_box(retention.largest_share_limit, retention_tab, "Warn when one client brings over")
        self.top3_limit = _percent_box(retention.top3_share_limit, retention_tab, "Warn when three clients bring over")
        retention_explanation = QLabel(
            "A customer or client with no purchase and no contact for longer than this is counted as lapsed. "
            "The dashboard warns when the trailing year's revenue hangs on too few clients.", retention_tab)
        retention_explanation.setWordWrap(True)
        retention_explanation.setStyleSheet(HINT_STYLE)
        retention_form = QFormLayout()
        retention_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        retention_form.addRow("&Lapsed after", self.lapse_days)
        retention_form.addRow("Warn when &one client brings over", self.largest_limit)
        retention_form.addRow("Warn when the largest &three bring over", self.top3_limit)
        retention_layout = QVBoxLayout(retention_tab)
        retention_layout.addWidget(retention_explanation)
        retention_layout.addLayout(retention_form)
        retention_layout.addStretch(1)

        # --- the dialog ---
        self.error = QLabel(self)  # problems found when saving
        set_error(self.error, "")
        self.live_error = QLabel(self)  # what keeps Save disabled, while it does
        set_error(self.live_error, "")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.error)
        layout.addWidget(self.live_error)
        layout.addWidget(self.buttons)

        self.hours.changed.connect(self._check)
        self.public_holidays.toggled.connect(self._show_holidays)
        self.subdivision.currentIndexChanged.connect(self._show_holidays)
        self.country.currentTextChanged.connect(lambda _text: self._fill_regions(self.subdivision.currentData() or ""))
        self._fill_regions(profile.subdivision)
        self.resize(max(760, self.sizeHint().width()), self.sizeHint().height())

    # --- what the dialog gives back ---

    def country_code(self) -> str:
        code = self.country.currentData() if self.country.currentIndex() >= 0 else ""
        typed = self.country.currentText().strip()
        if self.country.itemText(self.country.currentIndex()) != typed:
            code = typed.upper()
        return code

    def profile(self) -> BusinessProfile:
        """The profile the dialog was opened with, every field as now entered. InvalidProfile when the hours
        cannot be saved (only reachable by calling this while Save is disabled)."""
        try:
            hours = self.hours.hours()
        except InvalidInput as error:
            raise InvalidProfile(error.problems) from None
        reply = ReplyPolicy(self.reply_target.hours(), self.reply_limit.hours(),
                            ReplyClock(self.reply_clock.currentData()),
                            self.acknowledgement.toPlainText().strip()[:MAX_ACKNOWLEDGEMENT] or DEFAULT_ACKNOWLEDGEMENT,
                            self.out_of_scope.toPlainText().strip()[:MAX_ACKNOWLEDGEMENT] or DEFAULT_OUT_OF_SCOPE_REPLY)
        return replace(self._opened_with, name=self.name.text().strip(), address=self.address.toPlainText().strip(),
                       country=self.country_code(), time_zone=self.time_zone.currentText().strip(),
                       currency=self.currency.text().strip().upper(), subdivision=self.subdivision.currentData() or "",
                       hours=hours, closures=self.closures.closures(),
                       public_holidays=self.public_holidays.isChecked(), reply=reply,
                       retention=RetentionSettings(self.lapse_days.value(), _share(self.largest_limit),
                                                   _share(self.top3_limit)))

    def show_problems(self, error: InvalidInput) -> None:
        set_error(self.error, "\n".join(problem.message for problem in error.problems))

    def problems(self) -> list[str]:
        """What keeps Save disabled: overlapping or empty hours, holidays that cannot be observed."""
        found = list(self.hours.problems())
        if self.public_holidays.isChecked() and self.holiday_error.text():
            found.append(self.holiday_error.text())
        return found

    def accept(self) -> None:
        if not self.problems():  # Enter must not get round a disabled Save button
            super().accept()

    # --- inside ---

    @staticmethod
    def _reply_text(tab: QWidget, title: str, explanation: str, text: str, standard: str,
                    reset_label: str) -> QPlainTextEdit:
        """A titled box with what the text is for, the text itself, and a button back to the standard one."""
        box = QGroupBox(title, tab)
        hint = QLabel(explanation, box)
        hint.setWordWrap(True)
        hint.setStyleSheet(HINT_STYLE)
        edit = QPlainTextEdit(text, box)
        edit.setAccessibleName(title)
        edit.setTabChangesFocus(True)
        reset = QPushButton(reset_label, box)
        reset.clicked.connect(lambda: edit.setPlainText(standard))
        layout = QVBoxLayout(box)
        layout.addWidget(hint)
        layout.addWidget(edit, 1)
        layout.addWidget(reset, 0, Qt.AlignmentFlag.AlignLeft)
        return edit

    def _fill_regions(self, keep: str) -> None:
        regions = _regions(self.country_code())
        if regions is None:  # not known: keep what was chosen, and let PublicHolidays judge it
            regions = [keep] if keep else []
        self.subdivision.blockSignals(True)
        self.subdivision.clear()
        self.subdivision.addItem("Whole country", "")
        for region in regions:
            self.subdivision.addItem(region, region)
        found = next((index for index in range(self.subdivision.count())
                      if (self.subdivision.itemData(index) or "").upper() == keep.upper()), 0)
        self.subdivision.setCurrentIndex(found)
        self.subdivision.setEnabled(self.subdivision.count() > 1)
        self.subdivision.blockSignals(False)
        self._show_holidays()

    def _show_holidays(self) -> None:
        code = self.country_code()
        try:
            days = PublicHolidays(code, self.subdivision.currentData() or None).upcoming(date.today(), 5)
        except InvalidInput as error:
            days = []
            set_error(self.holiday_error, error.sentence())
            if not self.public_holidays.isChecked():
                self.holiday_error.setStyleSheet(HINT_STYLE)  # not in the way while holidays are not observed
        else:
            set_error(self.holiday_error, "")
        lines = "".join(f"<tr><td>{day:%a} {day.day} {day:%b %Y}</td><td>&nbsp;&nbsp;{html.escape(name, quote=False)}</td></tr>"
                        for day, name in days)
        self.upcoming.setText(f"<table>{lines}</table>" if days else "")
        self.upcoming.setVisible(bool(days))
        self.upcoming.setEnabled(self.public_holidays.isChecked())
        self._check()

    def _check(self) -> None:
        problems = self.problems()
        self.save_button.setEnabled(not problems)
        set_error(self.live_error, "To save, first put right on the Hours tab: " + " ".join(problems)
                  if problems else "")

