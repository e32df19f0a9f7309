"""File → Reminder rules…: which occasions put an item on the Today page by themselves — clients' birthdays,
greetings before the holidays the business chooses (from its country's list), thank-yous after a first or a
large purchase — and on which channel, and how plan reviews are made."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clientdesk.domain.boundaries import CHANNEL_LABELS, Channel
from clientdesk.domain.contacts import normalize_tag
from clientdesk.domain.errors import InvalidInput
from clientdesk.domain.reminders.occasions import BirthdayRule, HolidayGreetingRule, available_holidays
from clientdesk.domain.reminders.settings import ReminderRules
from clientdesk.domain.reminders.thank_yous import ThankYouRule
from clientdesk.domain.services_catalogue import parse_amount
from clientdesk.gui.operations import Operations
from clientdesk.gui.style import hint_label, set_error
from clientdesk.gui.writing_dialog import WritingDialog
from clientdesk.services.reminders import ReminderService


def _channels(parent: QWidget, chosen: Channel | None, name: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.setAccessibleName(name)
    for channel in Channel:
        combo.addItem(CHANNEL_LABELS[channel], channel.value)
    combo.setCurrentIndex(max(0, combo.findData((chosen or Channel.EMAIL).value)))
    return combo


def _days(parent: QWidget, value: int, suffix: str, name: str, top: int = 60) -> QSpinBox:
    spin = QSpinBox(parent)
    spin.setRange(0, top)
    spin.setSuffix(suffix)
    spin.setValue(value)
    spin.setAccessibleName(name)
    return spin


class ReminderRulesDialog(WritingDialog):
    def __init__(self, reminders: ReminderService, operations: Operations, country: str, subdivision: str | None,
                 currency: str, today: date, parent: QWidget | None = None):
        super().__init__(operations, parent)
        self._reminders = reminders
        self._today = today
        self.rules = reminders.rules()
        rules = self.rules
        self.setWindowTitle("Reminder rules")

        birthdays = rules.birthdays or BirthdayRule(today)
        self.birthdays_on = QCheckBox("Remind me of clients' &birthdays", self)
        self.birthdays_on.setChecked(rules.birthdays is not None)
        self.birthday_days = _days(self, birthdays.days_before, " days before", "Birthday: days before")
        self.birthday_days.setSpecialValueText("on the day")
        self.birthday_channel = _channels(self, birthdays.channel, "Birthday channel")
        birthday_box = QGroupBox("Birthdays", self)
        birthday_form = QFormLayout(birthday_box)
        birthday_form.addRow(self.birthdays_on)
        birthday_form.addRow("Due", self.birthday_days)
        birthday_form.addRow("By", self.birthday_channel)

        holidays = rules.holidays
        self.holidays_on = QCheckBox("Send &greetings before these holidays:", self)
        self.holidays_on.setChecked(holidays is not None)
        self.holiday_list = QListWidget(self)
        self.holiday_list.setAccessibleName("Holidays")
        chosen = {name.casefold() for name in (holidays.holidays if holidays else ())}
        seen: set[str] = set()
        for day, name in available_holidays(country, subdivision, today.year):
            if name.casefold() in seen:
                continue
            seen.add(name.casefold())
            item = QListWidgetItem(f"{name}  ({day:%d %b})")
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name.casefold() in chosen else Qt.CheckState.Unchecked)
            self.holiday_list.addItem(item)
        self.holiday_list.setMinimumHeight(8 * self.fontMetrics().lineSpacing())
        self.holiday_days = _days(self, holidays.days_before if holidays else 3, " days before", "Greeting: days before")
        self.holiday_days.setSpecialValueText("on the day")
        self.holiday_channel = _channels(self, holidays.channel if holidays else Channel.EMAIL, "Greeting channel")
        self.holiday_tag = QLineEdit(rules.holiday_tag or "", self)
        self.holiday_tag.setAccessibleName("Greet contacts tagged")
        self.holiday_tag.setPlaceholderText("blank: one reminder for the whole business")
        holiday_box = QGroupBox(f"Holiday greetings ({country} holidays)", self)
        holiday_form = QFormLayout(holiday_box)
        holiday_form.addRow(self.holidays_on)
        holiday_form.addRow(self.holiday_list)
        holiday_form.addRow("Due", self.holiday_days)
        holiday_form.addRow("By", self.holiday_channel)
        holiday_form.addRow("Each contact &tagged", self.holiday_tag)

        thanks = rules.thank_yous or ThankYouRule(today)
        self.thanks_on = QCheckBox("Thank clients after a &first purchase", self)
        self.thanks_on.setChecked(rules.thank_yous is not None and thanks.first_purchase)
        self.thanks_above = QLineEdit("" if thanks.above is None or rules.thank_yous is None else f"{thanks.above:f}", self)
        self.thanks_above.setAccessibleName("And after a purchase above")
        self.thanks_above.setPlaceholderText("blank: first purchases only")
        self.thanks_days = _days(self, thanks.days_after, " days after", "Thank-you: days after", 30)
        self.thanks_days.setSpecialValueText("the same day")
        self.thanks_channel = _channels(self, thanks.channel, "Thank-you channel")
        thanks_box = QGroupBox("Thank-yous", self)
        thanks_form = QFormLayout(thanks_box)
        thanks_form.addRow(self.thanks_on)
        thanks_form.addRow(f"And after a purchase &above ({currency})", self.thanks_above)
        thanks_form.addRow("Due", self.thanks_days)
        thanks_form.addRow("By", self.thanks_channel)

        self.review_channel = _channels(self, rules.plan_review_channel or Channel.PHONE, "Plan review channel")
        review_box = QGroupBox("Plan reviews", self)
        review_form = QFormLayout(review_box)
        review_form.addRow("&Reviews are held by", self.review_channel)
        hint = hint_label("Due from each agreement's review frequency; a client review recorded marks it done.",
                          self)
        review_form.addRow(hint)

        left = QVBoxLayout()
        left.addWidget(birthday_box)
        left.addWidget(thanks_box)
        left.addWidget(review_box)
        left.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addWidget(holiday_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        for box, widgets in ((self.birthdays_on, (self.birthday_days, self.birthday_channel)),
                             (self.holidays_on, (self.holiday_list, self.holiday_days, self.holiday_channel,
                                                 self.holiday_tag))):
            box.toggled.connect(lambda on, widgets=widgets: [widget.setEnabled(on) for widget in widgets])
            for widget in widgets:
                widget.setEnabled(box.isChecked())

    def chosen_rules(self) -> ReminderRules:
        """The rules as entered; InvalidInput with every problem (no holiday ticked, an amount not understood)."""
        problems = []
        rules = self.rules
        birthdays = None
        if self.birthdays_on.isChecked():
            since = rules.birthdays.since if rules.birthdays else self._today
            birthdays = BirthdayRule(since, self.birthday_days.value(),
                                     channel=Channel(self.birthday_channel.currentData()))
        holidays = None
        if self.holidays_on.isChecked():
            names = tuple(self.holiday_list.item(row).data(Qt.ItemDataRole.UserRole)
                          for row in range(self.holiday_list.count())
                          if self.holiday_list.item(row).checkState() == Qt.CheckState.Checked)
            since = rules.holidays.since if rules.holidays else self._today
            try:
                holidays = HolidayGreetingRule(names, since, self.holiday_days.value(),
                                               channel=Channel(self.holiday_channel.currentData()))
            except InvalidInput as error:
                problems += error.problems
        above: Decimal | None = None
        if self.thanks_above.text().strip():
            try:
                above = parse_amount(self.thanks_above.text(), "above")
            except InvalidInput as error:
                problems += error.problems
        thanks = None
        if self.thanks_on.isChecked() or above is not None:
            since = rules.thank_yous.since if rules.thank_yous else self._today
            thanks = ThankYouRule(since, self.thanks_on.isChecked(), above, self.thanks_days.value(),
                                  Channel(self.thanks_channel.currentData()))
        if problems:
            raise InvalidInput(problems)
        return replace(rules, birthdays=birthdays, holidays=holidays,
                       holiday_tag=(normalize_tag(self.holiday_tag.text()) or None) if holidays else None,
                       thank_yous=thanks,
                       plan_review_channel=Channel(self.review_channel.currentData()))

    def save(self) -> None:
        try:
            rules = self.chosen_rules()
        except InvalidInput as error:
            set_error(self.error, error.sentence())
            return
        reminders = self._reminders
        self.write(lambda: reminders.save_rules(rules))


__all__ = ["ReminderRulesDialog"]
