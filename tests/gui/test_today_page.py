"""The Today page by keyboard — done (through the log), snooze, skip, open — and reminders announced in the
window as they fall due, with a clock the test moves on."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.reminders.follow_ups import ReminderDraft
from tests.gui.conftest import settle
from tests.helpers import person

CTRL = Qt.KeyboardModifier.ControlModifier


def open_today(qtbot, window):
    qtbot.waitUntil(lambda: window.today_page is not None and window.today_page.agenda is not None)
    qtbot.keyClick(window.contacts_page.table, Qt.Key.Key_4, CTRL)
    page = window.today_page
    qtbot.waitUntil(page.table.hasFocus)
    return page


def titles(page) -> list[str]:
    return [item.title for item in page.agenda.items]


def remind(workspace, contact_id, title, due, channel=Channel.PHONE) -> str:
    return workspace.reminders.add(ReminderDraft(title, due, contact_id=contact_id, channel=channel)).item_id


def wait_for_agenda(qtbot, page, predicate) -> None:
    qtbot.waitUntil(lambda: page.agenda is not None and predicate(page), timeout=5000)


def interactions(database_path) -> list[tuple]:
    with sqlite3.connect(database_path) as connection:
        rows = connection.execute("SELECT contact_id, direction, summary FROM interaction ORDER BY id").fetchall()
    connection.close()
    return rows


def test_an_overdue_item_is_done_by_logging_the_call_from_the_keyboard(qtbot, workspace, database_path,
                                                                       open_window):
    now = datetime.now(UTC)
    ana = workspace.contacts.create(person("Ana", "Silva")).contact_id
    workspace.boundaries.save_json(ana, {"channels": {"phone": "any_time"}})  # whatever the hour of the test
    remind(workspace, ana, "Call back about the quote", now - timedelta(hours=3))
    remind(workspace, ana, "Send the brochure", now + timedelta(days=2), Channel.EMAIL)
    window = open_window()
    page = open_today(qtbot, window)
    assert page.agenda.counts.overdue == 1 and page.agenda.counts.upcoming == 1
    assert window.sidebar.item(3).text() == "Today  (1)"  # what needs doing now
    assert page.table.topLevelItem(0).text(0) == "Overdue (1)"
    assert page.selected().title == "Call back about the quote"  # the first item, not the heading

    qtbot.keyClick(page.table, Qt.Key.Key_Return)  # done: the log opens filled in
    qtbot.waitUntil(lambda: window.quick_log_dialog is not None and window.quick_log_dialog.isVisible())
    dialog = window.quick_log_dialog
    assert dialog.contact_id == ana and dialog.summary.toPlainText() == "Call back about the quote"
    assert dialog.direction.currentData() == "out"
    qtbot.waitUntil(dialog.summary.hasFocus)
    qtbot.keyClick(dialog.summary, Qt.Key.Key_Return, CTRL)
    settle(qtbot, window)

    assert interactions(database_path) == [(ana, "out", "Call back about the quote")]
    wait_for_agenda(qtbot, page, lambda p: titles(p) == ["Send the brochure"])
    assert window.sidebar.item(3).text() == "Today"


def test_an_item_is_snoozed_until_tomorrow_and_another_skipped_by_keyboard(qtbot, workspace, open_window, dialogs):
    now = datetime.now(UTC)
    ana = workspace.contacts.create(person("Ana", "Silva")).contact_id
    ben = workspace.contacts.create(person("Ben", "Jones")).contact_id
    remind(workspace, ana, "Chase the invoice", now - timedelta(hours=2))
    remind(workspace, ben, "Ask about the boiler", now - timedelta(hours=1))
    window = open_window()
    page = open_today(qtbot, window)
    assert titles(page) == ["Chase the invoice", "Ask about the boiler"]

    qtbot.keyClick(page.table, Qt.Key.Key_S)  # the snooze menu
    qtbot.waitUntil(lambda: getattr(page, "snooze_menu", None) is not None and page.snooze_menu.isVisible())
    labels = [action.text() for action in page.snooze_menu.actions()]
    assert labels[0].startswith("&1  1 hour") and labels[1].startswith("&2  Tomorrow") and "Choose" in labels[3]
    qtbot.keyClick(page.snooze_menu, Qt.Key.Key_2)  # tomorrow morning
    settle(qtbot, window)
    wait_for_agenda(qtbot, page, lambda p: [i.title for i in p.agenda.overdue] == ["Ask about the boiler"])
    snoozed = next(item for item in page.agenda.items if item.title == "Chase the invoice")
    assert snoozed.snoozed and snoozed.due > now + timedelta(hours=6)
    assert page.selected().title == "Ask about the boiler"  # the row where the snoozed one was

    window.activateWindow()  # the menu gone, the window is active again, as on a desktop
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_K)  # skip this occurrence
    settle(qtbot, window)
    assert dialogs == []
    wait_for_agenda(qtbot, page, lambda p: "Ask about the boiler" not in titles(p))
    assert titles(page) == ["Chase the invoice"]
    assert window.workspace.contacts.undo_label() == "Skip “Ask about the boiler”"


def test_open_shows_the_client_and_an_empty_agenda_says_what_fills_it(qtbot, workspace, open_window):
    now = datetime.now(UTC)
    ana = workspace.contacts.create(person("Ana", "Silva")).contact_id
    workspace.contacts.create(person("Ben", "Jones"))
    remind(workspace, ana, "Call back", now - timedelta(minutes=5))
    window = open_window()
    page = open_today(qtbot, window)
    qtbot.keyClick(page.table, Qt.Key.Key_O)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.contacts_page)
    assert window.contacts_page.current_id() == ana

    window.show_page(3)
    qtbot.keyClick(page.table, Qt.Key.Key_Return, CTRL)  # done without a log
    settle(qtbot, window)
    wait_for_agenda(qtbot, page, lambda p: not p.agenda.items)
    assert page.empty.isVisible() and "Remind me…" in page.empty.text() and not page.table.isVisible()


def test_a_reminder_falling_due_is_announced_in_the_window_once(qtbot, workspace, open_window):
    now = datetime.now(UTC)
    ana = workspace.contacts.create(person("Ana", "Silva")).contact_id
    remind(workspace, ana, "Ring Ana about the keys", now + timedelta(minutes=10))
    window = open_window()
    qtbot.waitUntil(lambda: window.reminder_alerts is not None)
    alerts = window.reminder_alerts
    assert not window.reminder_banner.isVisible()
    announced: list[str] = []
    alerts.announced.connect(announced.append)

    alerts.clock = lambda: now + timedelta(minutes=5)
    alerts.tick()
    qtbot.wait(200)
    assert announced == []  # not yet due
    alerts.clock = lambda: now + timedelta(minutes=11)
    alerts.tick()
    qtbot.waitUntil(lambda: announced == ["Due now: Ring Ana about the keys — Ana Silva"])
    assert window.reminder_banner.isVisible()
    assert window.reminder_banner.text.text() == "Due now: Ring Ana about the keys — Ana Silva"
    alerts.clock = lambda: now + timedelta(minutes=12)
    alerts.tick()
    qtbot.wait(200)
    assert len(announced) == 1  # each occurrence once

    qtbot.mouseClick(window.reminder_banner.show_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.today_page)


def test_reminders_that_came_due_while_closed_are_listed_at_the_next_start(qtbot, workspace, open_window):
    now = datetime.now(UTC)
    ana = workspace.contacts.create(person("Ana", "Silva")).contact_id
    workspace.reminders.mark_seen(now - timedelta(hours=5))  # when ClientDesk last ran
    for hours in (4, 3, 2):
        remind(workspace, ana, f"Follow up {hours}", now - timedelta(hours=hours))
    window = open_window()
    qtbot.waitUntil(lambda: window.reminder_banner.isVisible())
    assert window.reminder_banner.text.text() == "3 reminders came due while ClientDesk was closed"
    QApplication.processEvents()


def test_remind_me_adds_a_repeating_reminder_read_back_in_words(qtbot, workspace, open_window):
    ana = workspace.contacts.create(person("Ana", "Silva")).contact_id
    window = open_window()
    qtbot.waitUntil(lambda: window.editor.contact_id == ana)
    qtbot.keyClick(window.contacts_page.table, Qt.Key.Key_R, CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.reminder_dialog is not None and window.reminder_dialog.isVisible())
    dialog = window.reminder_dialog
    qtbot.waitUntil(dialog.title.hasFocus)
    qtbot.keyClicks(dialog.title, "Review the maintenance plan")
    dialog.repeat.setFocus()
    qtbot.keyClicks(dialog.repeat, "every 3 months on the 1st")
    assert dialog.repeat_reads.text() == "Repeats every 3 months on the 1st, from the time above."
    dialog.repeat.clear()
    qtbot.keyClicks(dialog.repeat, "every blue moon")
    assert dialog.repeat_reads.text() and not dialog.repeat_reads.text().startswith("Repeats")
    dialog.repeat.clear()
    qtbot.keyClicks(dialog.repeat, "quarterly")
    qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: window.reminder_dialog is None)
    [saved] = workspace.reminders.reminders_for(ana)
    assert saved.title == "Review the maintenance plan" and saved.recurrence is not None
    assert "FREQ=MONTHLY" in saved.recurrence.rule and "INTERVAL=3" in saved.recurrence.rule


def test_keep_in_touch_sets_a_cadence_for_the_contact_and_for_a_tag(qtbot, workspace, open_window):
    ana = workspace.contacts.create(person("Ana", "Silva", tags=("retainer",))).contact_id
    window = open_window()
    qtbot.waitUntil(lambda: window.editor.contact_id == ana)
    window.keep_in_touch()
    dialog = window.reminder_dialog
    assert dialog.current.text() == "Not set yet." and dialog.for_contact.isChecked()
    dialog.every.setValue(60)
    dialog.save()
    settle(qtbot, window)
    window.keep_in_touch()
    dialog = window.reminder_dialog
    assert dialog.current.text() == "Now: at least every 60 days."
    dialog.for_tag.setChecked(True)
    assert dialog.tag.currentText() == "retainer" and dialog.current.text() == "Not set yet."
    dialog.every.setValue(90)
    dialog.save()
    settle(qtbot, window)
    assert {(c.contact_id, c.tag, c.every_days) for c in workspace.reminders.cadences()} == {
        (None, "retainer", 90), (ana, None, 60)}


def test_file_export_calendar_writes_the_reminders_and_can_keep_the_file_up_to_date(qtbot, workspace, open_window,
                                                                                    tmp_path):
    from icalendar import Calendar

    now = datetime.now(UTC)
    ana = workspace.contacts.create(person("Ana", "Silva")).contact_id
    remind(workspace, ana, "Call back", now + timedelta(days=1))
    window = open_window()
    window.export_calendar()
    dialog = window.calendar_dialog
    target = tmp_path / "reminders.ics"
    dialog.path.setText(str(target))
    dialog.keep_up_to_date.setChecked(True)
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert window.calendar_dialog is None
    assert window.statusBar().currentMessage() == f"Wrote 1 reminder to {target}; it is kept up to date."
    events = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert [str(event["SUMMARY"]) for event in events] == ["Call back"]

    remind(workspace, ana, "Send the brochure", now + timedelta(days=2))  # the file follows the change
    events = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert sorted(str(event["SUMMARY"]) for event in events) == ["Call back", "Send the brochure"]


def test_reminder_rules_choose_the_holidays_to_greet_and_the_thank_you_threshold(qtbot, workspace, open_window):
    window = open_window()
    window.open_reminder_rules()
    dialog = window.reminder_dialog
    assert dialog.birthdays_on.isChecked() and not dialog.holidays_on.isChecked()  # the defaults
    assert not dialog.holiday_list.isEnabled()
    names = [dialog.holiday_list.item(row).data(Qt.ItemDataRole.UserRole) for row in range(dialog.holiday_list.count())]
    assert "Christmas Day" in names  # the business is in GB

    dialog.holidays_on.setChecked(True)
    dialog.save()
    assert "Choose at least one holiday" in dialog.error.text()  # nothing ticked yet
    dialog.holiday_list.item(names.index("Christmas Day")).setCheckState(Qt.CheckState.Checked)
    dialog.holiday_days.setValue(5)
    dialog.thanks_above.setText("500")
    dialog.save()
    settle(qtbot, window)
    assert window.reminder_dialog is None
    rules = workspace.reminders.rules()
    assert rules.holidays.holidays == ("Christmas Day",) and rules.holidays.days_before == 5
    assert str(rules.thank_yous.above) in ("500", "500.00") and rules.thank_yous.first_purchase


def test_a_call_back_promised_in_the_quick_log_becomes_a_follow_up(qtbot, workspace, open_window):
    ana = workspace.contacts.create(person("Ana", "Silva")).contact_id
    window = open_window()
    qtbot.keyClick(window.contacts_page.table, Qt.Key.Key_L, CTRL)
    qtbot.waitUntil(lambda: window.quick_log_dialog is not None and window.quick_log_dialog.isVisible())
    dialog = window.quick_log_dialog
    qtbot.waitUntil(dialog.search.hasFocus)
    qtbot.keyClicks(dialog.search, "Ana Silva")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.summary, "Wants a quote for a new tap")
    dialog.outcome.setFocus()
    qtbot.keyClicks(dialog.outcome, "Call back with the quote")
    qtbot.keyClick(dialog.outcome, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)  # Follow &up
    qtbot.waitUntil(dialog.follow_up.isChecked)
    assert dialog.follow_up_at.isEnabled()
    qtbot.keyClick(dialog.follow_up, Qt.Key.Key_Return, CTRL)
    settle(qtbot, window)
    assert window.quick_log_dialog is None
    [reminder] = workspace.reminders.reminders_for(ana)
    assert reminder.title == "Call back with the quote" and reminder.due.astimezone().hour == 9
    assert reminder.due > datetime.now(UTC)
