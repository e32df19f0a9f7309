"""The hours, closures, holidays, reply and boundaries editors: what is entered is what comes back, and
what cannot be saved cannot be saved."""

from __future__ import annotations

import re
from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QLabel, QTabWidget

from clientdesk.domain.boundaries import Channel, ChannelPolicy, ClientBoundaries, ClientWindow
from clientdesk.domain.business import BusinessProfile
from clientdesk.domain.errors import InvalidInput
from clientdesk.domain.hours import Closure, DailyRange, PublicHolidays, WeeklyHours
from clientdesk.domain.reply import ReplyClock, ReplyPolicy
from clientdesk.gui import settings_dialog
from clientdesk.gui.boundaries_editor import BoundariesEditor
from clientdesk.gui.hours_editor import WeeklyHoursEditor
from clientdesk.gui.settings_dialog import SettingsDialog
from tests.gui.conftest import settle, tab_to

WEEK = {"mon": [["09:00", "12:30"], ["13:30", "17:00"]], "tue": [["09:00", "17:00"]],
        "wed": [["08:00", "12:00"], ["14:00", "18:00"], ["19:00", "21:00"]],
        "fri": [["18:00", "24:00"]], "sat": [["22:00", "02:00"]], "sun": [["10:00", "16:00"]]}
GB = BusinessProfile(name="Test Ltd", address="1 Quay St", country="GB", time_zone="Europe/London", currency="GBP")


def hhmm(text: str) -> QTime:
    return QTime.fromString(text, "HH:mm")


@pytest.fixture
def editor(qtbot) -> WeeklyHoursEditor:
    widget = WeeklyHoursEditor()
    qtbot.addWidget(widget)
    return widget


def test_split_days_and_an_overnight_range_come_back_as_they_were_set(editor):
    hours = WeeklyHours.from_json(WEEK)
    editor.set_hours(hours)
    assert editor.hours() == hours
    assert editor.hours().to_json()["fri"] == [["18:00", "24:00"]]
    assert [(a.time().toString("HH:mm"), b.time().toString("HH:mm")) for a, b in editor.day_ranges(0)] == \
        [("09:00", "12:30"), ("13:30", "17:00")]
    assert editor.day_ranges(3) == []  # Thursday: closed
    assert editor.is_valid() and editor.problems() == []
    # Setting other hours replaces every day, not only the ones mentioned.
    editor.set_hours(WeeklyHours.office_default())
    assert editor.hours() == WeeklyHours.office_default()


def test_an_end_of_midnight_is_typed_as_00_00(qtbot, editor):
    editor.set_hours(WeeklyHours.office_default())
    editor.show()
    with qtbot.waitActive(editor):
        editor.activateWindow()
    editor.copy_button.setFocus()
    friday_until = editor.day_ranges(4)[0][1]
    tab_to(qtbot, friday_until)
    qtbot.keyClicks(friday_until, "0000")
    assert editor.hours().days[4] == (DailyRange(9 * 60, 24 * 60),)
    # And an end before the start runs past midnight.
    friday_until.setTime(hhmm("02:00"))
    assert editor.hours().days[4] == (DailyRange(9 * 60, 2 * 60),)


def test_tab_goes_through_the_days_in_order_even_after_ranges_are_added(qtbot, editor):
    editor.set_hours(WeeklyHours.office_default())
    editor.add_range(0)  # created last, but Monday's
    editor.show()
    with qtbot.waitActive(editor):
        editor.activateWindow()
    editor.copy_button.setFocus()
    seen: list[str] = []
    for _ in range(20):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        name = QApplication.focusWidget().accessibleName()
        if not seen or seen[-1] != name:  # Tab first steps from hours to minutes inside a time
            seen.append(name)
    assert seen[:9] == ["Monday from 1", "Monday until 1", "Remove Monday hours 1", "Monday from 2", "Monday until 2",
                        "Remove Monday hours 2", "Add hours on Monday", "Tuesday from", "Tuesday until"]


def test_copy_monday_to_weekdays(qtbot, editor):
    editor.set_hours(WeeklyHours.from_json(WEEK))
    qtbot.mouseClick(editor.copy_button, Qt.MouseButton.LeftButton)
    days = editor.hours().to_json()
    monday = [["09:00", "12:30"], ["13:30", "17:00"]]
    assert [days[day] for day in ("mon", "tue", "wed", "thu", "fri")] == [monday] * 5
    assert days["sat"] == [["22:00", "02:00"]] and days["sun"] == [["10:00", "16:00"]]


def test_an_overlapping_range_is_shown_and_makes_the_hours_invalid(qtbot, editor):
    editor.set_hours(WeeklyHours.office_default())
    editor.show()
    with qtbot.waitSignal(editor.changed):
        start, end = editor.add_range(1)  # Tuesday, after its 09:00–17:00
    assert editor.is_valid()
    start.setTime(hhmm("16:00"))
    assert not editor.is_valid()
    assert any("overlaps" in problem and "Tuesday" in problem for problem in editor.problems())
    shown = [label.text() for label in editor.findChildren(QLabel) if label.isVisible()]
    assert any("overlaps" in text for text in shown)
    with pytest.raises(InvalidInput):
        editor.hours()
    editor.remove_range(1, 1)
    assert editor.is_valid() and editor.hours() == WeeklyHours.office_default()
    assert not any("overlaps" in label.text() for label in editor.findChildren(QLabel) if label.isVisible())


def test_an_empty_range_is_a_problem(editor):
    editor.set_hours(WeeklyHours.always_closed())
    start, end = editor.add_range(6)
    end.setTime(start.time())
    assert not editor.is_valid() and any("empty" in problem for problem in editor.problems())


def test_the_settings_dialog_returns_hours_closures_holidays_and_replies(qtbot):
    dialog = SettingsDialog(GB)
    qtbot.addWidget(dialog)
    dialog.show()
    # The Business tab keeps its fields.
    assert (dialog.name.text(), dialog.country.currentData(), dialog.time_zone.currentText(),
            dialog.currency.text()) == ("Test Ltd", "GB", "Europe/London", "GBP")
    dialog.tabs.setCurrentIndex(1)

    dialog.hours.set_hours(WeeklyHours.office_default())
    start, end = dialog.hours.add_range(5)  # Saturday
    start.setTime(hhmm("10:00"))
    end.setTime(hhmm("13:00"))
    first, last, reason = dialog.closures.add_closure()
    first.setDate(QDate(2026, 12, 24))
    last.setDate(QDate(2026, 12, 20))  # before the start: refused, the end stays at the start at least
    assert last.date() == QDate(2026, 12, 24)
    last.setDate(QDate(2026, 12, 27))
    qtbot.keyClicks(reason, "Winter break")
    dialog.public_holidays.setChecked(True)
    dialog.subdivision.setCurrentIndex(dialog.subdivision.findData("SCT"))
    dialog.reply_target.setValue(30)
    assert dialog.reply_limit.value() == 48
    dialog.reply_target.setValue(60)
    assert dialog.reply_limit.value() == 60  # the limit follows the target up; it cannot be shorter
    dialog.reply_limit.setValue(12)
    assert dialog.reply_limit.value() == 60
    dialog.reply_target.setValue(4.5)
    dialog.reply_limit.setValue(8)
    dialog.reply_clock.setCurrentIndex(dialog.reply_clock.findData(ReplyClock.BUSINESS_HOURS))

    profile = dialog.profile()
    assert profile.hours.to_json()["sat"] == [["10:00", "13:00"]]
    assert profile.hours.days[:5] == WeeklyHours.office_default().days[:5]
    assert profile.closures == (Closure(date(2026, 12, 24), date(2026, 12, 27), "Winter break"),)
    assert profile.public_holidays and profile.subdivision == "SCT"
    assert profile.reply == ReplyPolicy(4.5, 8, ReplyClock.BUSINESS_HOURS)
    assert (profile.name, profile.address, profile.country, profile.time_zone, profile.currency) == \
        ("Test Ltd", "1 Quay St", "GB", "Europe/London", "GBP")


def test_save_is_disabled_while_the_hours_overlap(qtbot):
    dialog = SettingsDialog(GB)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.save_button.isEnabled()
    start, _end = dialog.hours.add_range(0)
    start.setTime(hhmm("12:00"))  # inside Monday's 09:00–17:00
    assert not dialog.save_button.isEnabled()
    assert "overlaps" in dialog.live_error.text()
    dialog.accept()  # Enter, say: refused while the hours cannot be saved
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    with pytest.raises(InvalidInput):
        dialog.profile()
    start.setTime(hhmm("18:00"))
    assert dialog.save_button.isEnabled() and not dialog.live_error.isVisible()
    start.setTime(hhmm("12:00"))
    assert not dialog.save_button.isEnabled()
    dialog.hours.set_hours(WeeklyHours.office_default())  # replaced wholesale, as a test or a reset would
    assert dialog.save_button.isEnabled()


def test_the_next_holidays_follow_the_country_and_region(qtbot):
    dialog = SettingsDialog(GB)
    qtbot.addWidget(dialog)
    today = date.today()

    def first_name(country: str, region: str | None = None) -> str:
        return PublicHolidays(country, region).upcoming(today, 1)[0][1]

    assert first_name("GB") in dialog.upcoming.text()
    assert [dialog.subdivision.itemData(i) for i in range(dialog.subdivision.count())] == \
        ["", "ENG", "NIR", "SCT", "WLS"]
    dialog.subdivision.setCurrentIndex(dialog.subdivision.findData("SCT"))
    assert first_name("GB", "SCT") in dialog.upcoming.text()
    dialog.country.setCurrentIndex(dialog.country.findData("US"))
    assert first_name("US") in dialog.upcoming.text()
    assert dialog.subdivision.currentData() == ""  # Scotland is not a region of the US
    assert dialog.subdivision.findData("CA") > 0
    # Ascension Island has phone numbers but no known public holidays: they cannot be observed there.
    dialog.country.setCurrentIndex(dialog.country.findData("AC"))
    assert dialog.save_button.isEnabled() and dialog.upcoming.text() == ""
    dialog.public_holidays.setChecked(True)
    assert not dialog.save_button.isEnabled() and "AC" in dialog.live_error.text()
    dialog.public_holidays.setChecked(False)
    assert dialog.save_button.isEnabled()


def test_the_hours_tab_has_no_two_shortcuts_on_one_letter(qtbot):
    dialog = SettingsDialog(GB)
    qtbot.addWidget(dialog)
    dialog.show()
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        texts = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
        texts += [widget.text() for widget in dialog.findChildren(QLabel) + dialog.findChildren(QAbstractButton)
                  if widget.isVisible() and not isinstance(widget.parent(), QTabWidget)
                  and not widget.text().startswith("<")]  # rich text: "&nbsp;" is no shortcut
        letters = [match.lower() for text in texts for match in re.findall(r"(?<!&)&([^&\s])", text)]
        assert len(letters) == len(set(letters)), f"{dialog.tabs.tabText(index)}: {sorted(letters)}"


def test_settings_saved_from_the_window_keep_hours_closures_and_replies(qtbot, open_window, workspace, monkeypatch):
    window = open_window()

    def edit_and_accept(dialog: SettingsDialog) -> int:
        dialog.hours.set_hours(WeeklyHours.from_json(WEEK))
        first, last, reason = dialog.closures.add_closure()
        first.setDate(QDate(2027, 8, 2))
        last.setDate(QDate(2027, 8, 13))
        reason.setText("Summer")
        dialog.public_holidays.setChecked(True)
        dialog.subdivision.setCurrentIndex(dialog.subdivision.findData("WLS"))
        dialog.reply_target.setValue(8)
        dialog.reply_limit.setValue(16)
        dialog.reply_clock.setCurrentIndex(dialog.reply_clock.findData(ReplyClock.BUSINESS_HOURS))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(settings_dialog.SettingsDialog, "exec", edit_and_accept)
    window.open_settings()
    settle(qtbot, window)
    profile = workspace.business.profile()
    assert profile.hours == WeeklyHours.from_json(WEEK)
    assert profile.closures == (Closure(date(2027, 8, 2), date(2027, 8, 13), "Summer"),)
    assert (profile.public_holidays, profile.subdivision) == (True, "WLS")
    assert profile.reply == ReplyPolicy(8, 16, ReplyClock.BUSINESS_HOURS)
    assert profile.name == "Test Ltd"


RULES = {"channels": {"phone": "business_hours", "sms": "never", "email": "any_time", "video": "client_window",
                      "in_person": "never", "postal": "business_hours"},
         "urgent_channels": ["phone", "email"],
         "client_window": {"timezone": "Europe/Berlin",
                           "hours": {"mon": [["10:00", "12:00"], ["14:00", "16:00"]], "thu": [["20:00", "01:00"]]}},
         "do_not_contact_until": "2027-01-15", "notes": "Prefers email; phone only if the boiler fails"}


@pytest.fixture
def boundaries_editor(qtbot) -> BoundariesEditor:
    widget = BoundariesEditor(default_time_zone="Europe/London")
    qtbot.addWidget(widget)
    return widget


def test_boundaries_come_back_as_they_were_set(boundaries_editor):
    rules = ClientBoundaries.from_json(RULES)
    boundaries_editor.set_boundaries(rules)
    assert boundaries_editor.boundaries() == rules
    assert boundaries_editor.boundaries().to_json() == {**RULES, "client_window": {
        "timezone": "Europe/Berlin", "hours": WeeklyHours.from_json(RULES["client_window"]["hours"]).to_json()}}
    boundaries_editor.set_boundaries(ClientBoundaries.default())
    assert boundaries_editor.boundaries() == ClientBoundaries.default()
    assert not boundaries_editor.window_box.isEnabled() and not boundaries_editor.until.isEnabled()


def test_boundaries_entered_in_the_widgets(qtbot, boundaries_editor):
    editor = boundaries_editor
    editor.show()
    assert not editor.window_box.isEnabled()  # no channel uses the client's hours yet
    for channel, policy in ((Channel.SMS, ChannelPolicy.NEVER), (Channel.EMAIL, ChannelPolicy.ANY_TIME),
                            (Channel.VIDEO, ChannelPolicy.CLIENT_WINDOW)):
        editor.policies[channel].setCurrentIndex(editor.policies[channel].findData(policy))
    assert editor.window_box.isEnabled()
    assert [editor.policies[Channel.PHONE].itemText(i) for i in range(4)] == \
        ["Any time", "Business hours", "Client's hours", "Never"]
    qtbot.mouseClick(editor.urgent[Channel.PHONE], Qt.MouseButton.LeftButton)
    editor.time_zone.setCurrentText("Europe/Berlin")
    editor.window_hours.set_hours(WeeklyHours.from_json({"mon": [["10:00", "16:00"]]}))
    editor.do_not_contact.setChecked(True)
    editor.until.setDate(QDate(2027, 1, 15))
    qtbot.keyClicks(editor.notes, "Prefers email")

    rules = editor.boundaries()
    assert rules.policy(Channel.SMS) is ChannelPolicy.NEVER
    assert rules.policy(Channel.POSTAL) is ChannelPolicy.BUSINESS_HOURS
    assert rules.urgent_channels == {Channel.PHONE}
    assert rules.window == ClientWindow("Europe/Berlin", WeeklyHours.from_json({"mon": [["10:00", "16:00"]]}))
    assert rules.do_not_contact_until == date(2027, 1, 15) and rules.notes == "Prefers email"

    # The client's hours are only kept while a channel uses them.
    editor.policies[Channel.VIDEO].setCurrentIndex(editor.policies[Channel.VIDEO].findData(ChannelPolicy.NEVER))
    assert not editor.window_box.isEnabled() and editor.boundaries().window is None


def test_a_client_window_in_an_unknown_zone_or_with_overlaps_is_invalid(boundaries_editor):
    editor = boundaries_editor
    editor.set_boundaries(ClientBoundaries.from_json(RULES))
    editor.time_zone.setCurrentText("Mars/Olympus")
    assert not editor.is_valid() and "Mars/Olympus" in " ".join(editor.problems())
    with pytest.raises(InvalidInput) as raised:
        editor.boundaries()
    assert "Mars/Olympus" in str(raised.value)
    editor.time_zone.setCurrentText("Europe/Berlin")
    assert editor.is_valid()
    start, _end = editor.window_hours.add_range(0)
    start.setTime(hhmm("11:00"))
    assert not editor.is_valid()
    # Not used by any channel: nothing to put right.
    editor.policies[Channel.VIDEO].setCurrentIndex(editor.policies[Channel.VIDEO].findData(ChannelPolicy.ANY_TIME))
    assert editor.is_valid() and editor.boundaries().window is None


def test_a_do_not_contact_date_is_only_kept_while_ticked(boundaries_editor):
    editor = boundaries_editor
    editor.set_boundaries(ClientBoundaries.from_json(RULES))
    editor.do_not_contact.setChecked(False)
    assert editor.boundaries().do_not_contact_until is None and not editor.until.isEnabled()
    editor.do_not_contact.setChecked(True)
    assert editor.boundaries().do_not_contact_until == date(2027, 1, 15)
